package gdlab.basics;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Probes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The finite-difference check on its own: it passes DL4J's gradient and catches a wrong one. */
class GradientCheckTest {
    static Subject iris;
    static double[] gradient;

    @BeforeAll
    static void build() {
        Nd4jSetup.singleThreadedOps();
        Dataset d = Split.of(Datasets.load("iris"), 0.0, 42, 0).train();
        iris = Subject.build(d, 8, "tanh", 0.1, 3);
        gradient = Probes.meanGradient(iris.net(), iris.x(), iris.y()).gradient();
    }

    static Measurements check(double[] g) {
        Measurements m = new Measurements();
        GradientCheck.measure(iris, g, 1000, 1e-5, m);
        return m;
    }

    @Test
    void relativeErrorsAreSymmetricAndZeroForEqualValues() {
        assertThat(GradientCheck.relativeError(1.0, 1.0)).isZero();
        assertThat(GradientCheck.relativeError(0.0, 0.0)).isZero();
        assertThat(GradientCheck.relativeError(1.0, 1.1)).isEqualTo(GradientCheck.relativeError(1.1, 1.0));
        assertThat(GradientCheck.relativeError(2.0, -2.0)).isEqualTo(2.0);
        assertThat(GradientCheck.relativeError(new double[]{3, 4}, new double[]{3, 4.5}))
                .isCloseTo(0.5 / Math.sqrt(9 + 20.25), org.assertj.core.api.Assertions.within(1e-15));
    }

    @Test
    void everyParameterOfASmallNetAgrees() {
        Measurements m = check(gradient);
        for (Probes.Block b : iris.blocks()) {
            double[] bp = m.values(GradientCheck.PART, b.key(), "backprop");
            double[] fd = m.values(GradientCheck.PART, b.key(), "finite_difference");
            assertThat(bp).hasSize(b.length());
            assertThat(GradientCheck.relativeError(bp, fd)).as(b.key()).isLessThan(1e-7);
        }
        assertThat(Probes.params(iris.net())).containsExactly(iris.theta0());
    }

    @Test
    void aGradientOffByOnePartInAThousandInOneEntryIsCaught() {
        double[] wrong = gradient.clone();
        Probes.Block bias = iris.blocks().get(1);
        wrong[bias.offset()] *= 1.001;
        Measurements m = check(wrong);
        double[] bp = m.values(GradientCheck.PART, bias.key(), "backprop");
        double[] fd = m.values(GradientCheck.PART, bias.key(), "finite_difference");
        assertThat(GradientCheck.relativeError(bp, fd)).isGreaterThan(1e-5);
        for (String other : List.of("0_W", "1_W", "1_b")) {
            assertThat(GradientCheck.relativeError(m.values(GradientCheck.PART, other, "backprop"),
                    m.values(GradientCheck.PART, other, "finite_difference"))).isLessThan(1e-7);
        }
    }

    @Test
    void aReluKinkIsWithinReachOnlyOfFirstLayerParametersAndOnlyForALargeEnoughNudge() {
        Dataset d = Split.of(Datasets.load("iris"), 0.0, 42, 0).train();
        Subject relu = Subject.build(d, 8, "relu", 0.1, 3);
        double[][] z = GradientCheck.hiddenPreActivations(relu);
        assertThat(z).hasNumberOfRows(d.size());
        // the first layer's pre-activations, checked through the hidden activations DL4J computes
        double[][] hidden = relu.net().feedForward(relu.x(), false).get(1).toDoubleMatrix();
        for (int e = 0; e < d.size(); e++) {
            for (int j = 0; j < 8; j++) {
                assertThat(hidden[e][j]).isCloseTo(Math.max(0, z[e][j]), org.assertj.core.api.Assertions.within(1e-14));
            }
        }
        for (Probes.Block b : relu.blocks()) {
            for (int i = b.offset(); i < b.offset() + b.length(); i++) {
                assertThat(GradientCheck.nearKink(relu, z, b, i, 1e-300)).isFalse();
                assertThat(GradientCheck.nearKink(relu, z, b, i, 1e3)).isEqualTo(b.layer() == 0);
            }
        }
    }

    @Test
    void theSampleIsSeededDistinctAndInsideTheBlock() {
        Probes.Block w = iris.blocks().get(0);
        int[] a = GradientCheck.sample(w, 10, 5, 0);
        assertThat(a).hasSize(10).doesNotHaveDuplicates().isSorted();
        assertThat(java.util.Arrays.stream(a).allMatch(i -> i >= w.offset() && i < w.offset() + w.length())).isTrue();
        assertThat(GradientCheck.sample(w, 10, 5, 0)).containsExactly(a);
        assertThat(GradientCheck.sample(w, 10, 6, 0)).isNotEqualTo(a);
        assertThat(GradientCheck.sample(w, 1000, 5, 0)).hasSize(w.length());
    }
}
