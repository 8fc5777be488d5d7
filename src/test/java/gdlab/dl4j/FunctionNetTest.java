package gdlab.dl4j;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.solvers.ConjugateGradient;
import org.deeplearning4j.optimize.solvers.LBFGS;
import org.deeplearning4j.optimize.solvers.LineGradientDescent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The 2-D test functions as DL4J networks: same values and gradients as SameDiff's graph, same updater steps. */
class FunctionNetTest {
    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    static DataSet data() {
        return new DataSet(FunctionNet.input(), FunctionNet.labels());
    }

    @Test
    void scoreAndGradientMatchSameDiffAutodiffAtRandomPoints() {
        SplittableRandom random = new SplittableRandom(3);
        for (String f : FunctionNet.FUNCTIONS) {
            for (int k = 0; k < 5; k++) {
                double x = random.nextDouble(-3, 3);
                double y = random.nextDouble(-3, 3);
                SameDiffDescent sd = SameDiffDescent.function(f, x, y, new Sgd(0.1));
                MultiLayerNetwork net = FunctionNet.network(f, x, y, new Sgd(0.1),
                        OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT);
                assertThat(net.params().toDoubleVector()).containsExactly(x, y);
                net.setInput(FunctionNet.input());
                net.setLabels(FunctionNet.labels());
                net.computeGradientAndScore();
                double scale = Math.max(1, Math.abs(sd.value()));
                assertThat(net.score()).as(f).isCloseTo(sd.value(), within(1e-12 * scale));
                double[] g = net.gradient().gradient().toDoubleVector();
                double[] expected = sd.gradient();
                for (int i = 0; i < 2; i++) {
                    assertThat(g[i]).as(f + " gradient " + i)
                            .isCloseTo(expected[i], within(1e-10 * Math.max(1, Math.abs(expected[i]))));
                }
            }
        }
    }

    @Test
    void adamStepsOnTheNetworkFollowSameDiffDescent() {
        SameDiffDescent sd = SameDiffDescent.function("beale", 1, 1.5, new Adam(0.05));
        MultiLayerNetwork net = FunctionNet.network("beale", 1, 1.5, new Adam(0.05),
                OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT);
        for (int s = 0; s < 20; s++) {
            sd.step();
            net.fit(data());
        }
        double[] p = net.params().toDoubleVector();
        assertThat(p).containsExactly(sd.point(), within(1e-12));
    }

    @Test
    void solverNamesSelectDl4jsSolverClasses() {
        Object[][] expected = {{"line-gd", LineGradientDescent.class}, {"cg", ConjugateGradient.class},
                {"lbfgs", LBFGS.class}};
        for (Object[] e : expected) {
            MultiLayerNetwork net = FunctionNet.network("rosenbrock", -1.2, 1, new Sgd(1e-3),
                    Solvers.algorithm((String) e[0]));
            net.fit(data());
            assertThat(net.getOptimizer()).isInstanceOf((Class<?>) e[1]);
            MultiLayerNetwork classifier = Solvers.withAlgorithm(Networks.classifier(new int[]{3, 4, 2}, "relu",
                    new Sgd(0.1), 1, DataType.DOUBLE), Solvers.algorithm((String) e[0]));
            classifier.fit(new DataSet(Tensors.matrix(new double[][]{{1, 2, 3}, {0, 1, -1}}, DataType.DOUBLE),
                    Tensors.oneHot(new int[]{0, 1}, 2, DataType.DOUBLE)));
            assertThat(classifier.getOptimizer()).isInstanceOf((Class<?>) e[1]);
        }
    }

    @Test
    void withAlgorithmKeepsTheParameters() {
        MultiLayerNetwork net = Networks.classifier(new int[]{3, 4, 2}, "relu", new Sgd(0.1), 5, DataType.DOUBLE);
        MultiLayerNetwork copy = Solvers.withAlgorithm(net, Solvers.algorithm("cg"));
        assertThat(copy.params().toDoubleVector()).containsExactly(net.params().toDoubleVector());
        assertThat(copy.getLayerWiseConfigurations().getConf(1).getOptimizationAlgo())
                .isEqualTo(OptimizationAlgorithm.CONJUGATE_GRADIENT);
    }

    @Test
    void dl4jDefaultsAreReadNotAssumed() {
        assertThat(Solvers.defaultUpdater()).isInstanceOf(Sgd.class);
        assertThat(Solvers.defaultLearningRate("sgd")).isEqualTo(1e-3);
        assertThat(Solvers.defaultLearningRate("adam")).isEqualTo(1e-3);
        assertThat(Solvers.defaultLearningRate("nesterov")).isEqualTo(0.1);
        assertThat(Solvers.defaultLearningRate("adadelta")).isNaN();
    }
}
