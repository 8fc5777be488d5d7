package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The factory's names and defaults, and the lifecycle and argument checks every updater shares. */
class UpdatersTest {
    static final java.util.List<String> NAMES = Updaters.NAMES;

    @Test
    void knowsExactlyTheTenNames() {
        assertThat(Updaters.NAMES).containsExactly(
                "sgd", "momentum", "nesterov", "adam", "adamax", "nadam", "amsgrad", "adagrad", "rmsprop", "adadelta");
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void createdUpdaterCarriesItsName(String name) {
        assertThat(Updaters.create(name, 0.01).name()).isEqualTo(name);
        assertThat(Updaters.create(name.toUpperCase(java.util.Locale.ROOT)).name()).isEqualTo(name);
    }

    @Test
    void defaultLearningRatesAreDl4js() {
        assertThat(Updaters.defaultLearningRate("sgd")).isEqualTo(1e-3);
        assertThat(Updaters.defaultLearningRate("nesterov")).isEqualTo(0.1);
        assertThat(Updaters.defaultLearningRate("momentum")).isEqualTo(0.1);
        assertThat(Updaters.defaultLearningRate("adam")).isEqualTo(1e-3);
        assertThat(Updaters.defaultLearningRate("adamax")).isEqualTo(1e-3);
        assertThat(Updaters.defaultLearningRate("nadam")).isEqualTo(1e-3);
        assertThat(Updaters.defaultLearningRate("amsgrad")).isEqualTo(1e-3);
        assertThat(Updaters.defaultLearningRate("adagrad")).isEqualTo(0.1);
        assertThat(Updaters.defaultLearningRate("rmsprop")).isEqualTo(0.1);
        assertThat(Updaters.defaultLearningRate("adadelta")).isNaN();
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> Updaters.create("adamw", 0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown optimizer 'adamw'; known: sgd, momentum, nesterov, adam, adamax, nadam, amsgrad,"
                        + " adagrad, rmsprop, adadelta");
    }

    @Test
    void paperVariantOnlyWhereOneExists() {
        assertThatThrownBy(() -> Updaters.create("sgd", 0.1, Variant.PAPER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sgd'");
        for (String name : Updaters.WITH_PAPER_VARIANT) {
            assertThat(Updaters.create(name, 0.1, Variant.PAPER).name()).isEqualTo(name);
        }
    }

    @Test
    void iterationCounterKeepsCountingAndStateIsSizedByTheFirstStep() {
        Updater adam = Updaters.create("adam", 0.1);
        double[] p = {1, 2, 3};
        for (int i = 0; i < 5; i++) {
            adam.step(p, new double[] {0.1, 0.2, 0.3});
        }
        assertThat(adam.iteration()).isEqualTo(5);
        assertThatThrownBy(() -> adam.step(new double[2], new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2");
        assertThatThrownBy(() -> adam.step(new double[3], new double[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and 4");
    }

    @Test
    void stepIsInPlaceAndLeavesTheGradientAlone() {
        Updater sgd = new Sgd(0.5);
        double[] p = {1, 1};
        double[] g = {2, -2};
        sgd.step(p, g);
        assertThat(p).containsExactly(0, 2);
        assertThat(g).containsExactly(2, -2);
    }

    @Test
    void badHyperparametersNameTheBadValue() {
        assertThatThrownBy(() -> new Sgd(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("learning rate").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new Sgd(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> new HeavyBall(0.1, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("momentum").hasMessageContaining("1.0");
        assertThatThrownBy(() -> new Nesterov(0.1, -0.2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.2");
        assertThatThrownBy(() -> new Adam(0.1, 0.9, 1.5, 1e-8, Variant.DL4J))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta2").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new RmsProp(0.1, 0.9, 0.0, Variant.DL4J))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new AdaDelta(2.0, 1e-6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rho").hasMessageContaining("2.0");
        assertThatThrownBy(() -> Updaters.create("adam", 0.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0");
    }
}
