package gdlab.spec;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecTest {
    static final List<Param> PARAMS = List.of(
            Param.bool("quick", "quick"),
            Param.integer("max_epochs", 1, 1000, false, "epochs"),
            Param.real("lr", 0, true, "learning rate"),
            Param.choice("optimizer", List.of("sgd", "adam"), true, "optimizer"));

    static SpecFile file(String... lines) {
        return SpecFile.parse(Path.of("experiments/x.properties"), List.of(lines));
    }

    static Spec resolve(SpecFile file, Map<String, String> overrides) {
        return Spec.resolve("x", PARAMS, Map.of("quick", "false"), file, overrides);
    }

    @Test
    void fileDefaultsQuickValuesAndOverridesApplyInThatOrder() {
        SpecFile f = file("# comment", "hypothesis = you should see it", "max_epochs = 50", "lr = 0.1, 1",
                "optimizer = sgd", "quick.max_epochs = 5");
        Spec plain = resolve(f, Map.of());
        assertThat(plain.integer("max_epochs")).isEqualTo(50);
        assertThat(plain.reals("lr")).containsExactly(0.1, 1.0);
        assertThat(plain.hypothesis()).isEqualTo("you should see it");

        Spec quick = resolve(f, Map.of("quick", "true"));
        assertThat(quick.integer("max_epochs")).isEqualTo(5);

        Map<String, String> cli = new LinkedHashMap<>();
        cli.put("quick", "true");
        cli.put("max_epochs", "7");
        cli.put("optimizer", "sgd,adam");
        Spec overridden = resolve(f, cli);
        assertThat(overridden.integer("max_epochs")).isEqualTo(7);
        assertThat(overridden.list("optimizer")).containsExactly("sgd", "adam");
        assertThat(overridden.overridden()).containsExactly("quick", "max_epochs", "optimizer");
    }

    @Test
    void anUnknownKeyIsRejectedWithTheClosestKnownOneOrAllOfThem() {
        SpecFile f = file("max_epochs = 5", "lr = 0.1", "optimizer = sgd");
        assertThatThrownBy(() -> resolve(f, Map.of("max_epoch", "3")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("unknown key 'max_epoch'; did you mean 'max_epochs'?");
        assertThatThrownBy(() -> resolve(f, Map.of("maxEpochs", "3")))
                .hasMessage("unknown key 'maxEpochs'; did you mean 'max_epochs'?");
        assertThatThrownBy(() -> resolve(f, Map.of("optimiser", "sgd")))
                .hasMessage("unknown key 'optimiser'; did you mean 'optimizer'?");
        assertThatThrownBy(() -> resolve(f, Map.of("momentum", "0.9")))
                .hasMessage("unknown key 'momentum'; known: lr, max_epochs, optimizer, quick");
        assertThatThrownBy(() -> resolve(file("max_epochs = 5", "lr = 0.1", "optimizer = sgd", "typo = 1"), Map.of()))
                .isInstanceOf(BadInputException.class)
                .hasMessage("unknown key 'typo' in experiments/x.properties; known: lr, max_epochs, optimizer, quick");
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
        SpecFile f = file("max_epochs = 5", "lr = 0.1", "optimizer = sgd");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "-0.5")))
                .hasMessage("bad value '-0.5' for lr; allowed: a finite number > 0");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "0")))
                .hasMessageContaining("'0' for lr");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "NaN"))).hasMessageContaining("'NaN' for lr");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "0.1,abc")))
                .hasMessage("bad value 'abc' in '0.1,abc' for lr; allowed: a finite number > 0");
        assertThatThrownBy(() -> resolve(f, Map.of("optimizer", "adamw")))
                .hasMessage("bad value 'adamw' for optimizer; allowed: sgd, adam");
        assertThatThrownBy(() -> resolve(f, Map.of("max_epochs", "0")))
                .hasMessage("bad value '0' for max_epochs; allowed: an integer from 1 to 1000");
        assertThatThrownBy(() -> resolve(f, Map.of("max_epochs", "5,6")))
                .hasMessageContaining("not a sweep axis");
        assertThatThrownBy(() -> resolve(f, Map.of("quick", "yes")))
                .hasMessage("bad value 'yes' for quick; allowed: true or false");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("for lr");
    }

    @Test
    void aSweepAxisListsEachValueOnce() {
        SpecFile f = file("max_epochs = 5", "lr = 0.1", "optimizer = sgd");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "0.5,0.5")))
                .isInstanceOf(BadInputException.class)
                .hasMessage("bad value '0.5,0.5' for lr: 0.5 is listed twice; each value of a sweep axis must be distinct");
        assertThatThrownBy(() -> resolve(f, Map.of("lr", "0.1, 1, 0.10")))
                .hasMessage("bad value '0.1, 1, 0.10' for lr: 0.1 and 0.10 are the same value; "
                        + "each value of a sweep axis must be distinct");
        assertThatThrownBy(() -> resolve(f, Map.of("optimizer", "sgd,adam,sgd")))
                .hasMessageContaining("sgd is listed twice");
        assertThatThrownBy(() -> resolve(file("max_epochs = 5", "lr = 1e-1, 0.1", "optimizer = sgd"), Map.of()))
                .hasMessageContaining("1e-1 and 0.1 are the same value");
        assertThat(resolve(f, Map.of("lr", "0.1,0.01")).reals("lr")).containsExactly(0.1, 0.01);
    }

    @Test
    void malformedSpecFilesAreRejectedWithTheLine() {
        assertThatThrownBy(() -> file("max_epochs = 5", "just words"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("line 2")
                .hasMessageContaining("expected 'key = value'");
        assertThatThrownBy(() -> file("lr = 1", "lr = 2")).hasMessageContaining("set twice");
        assertThatThrownBy(() -> resolve(file("lr = 1"), Map.of()))
                .hasMessageContaining("does not set max_epochs, optimizer");
        assertThatThrownBy(() -> SpecFile.read(Path.of("no/such/spec.properties")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("spec file not found");
    }
}
