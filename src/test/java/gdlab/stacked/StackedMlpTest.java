package gdlab.stacked;

import gdlab.dl4j.Nd4jSetup;
import gdlab.reference.Activation;
import gdlab.reference.Adam;
import gdlab.reference.HeavyBall;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Nesterov;
import gdlab.reference.Sgd;
import gdlab.reference.Updater;
import gdlab.reference.Variant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A stack of K cells equals K independent runs of the reference (plain Java, double) from the same initial parameters
 * on the same minibatches, cell by cell, within 1e-12 relative in DOUBLE after 1 and after 20 steps, for every updater,
 * activation and loss the stack has; and cell k depends on nothing of the other cells.
 */
class StackedMlpTest {
    static final int[] SIZES = {6, 5, 4, 3};
    static final int CELLS = 3;
    static final int BATCH = 4;
    static final int STEPS = 20;
    static final double DOUBLE_TOLERANCE = 1e-12;

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    /** One cell's run of the reference: parameters after each step and the loss of each step's minibatch. */
    record Trace(double[][] params, double[] losses, double[] firstGradient) {
    }

    /** The data of a run: per step and cell, a minibatch x [B][nIn] and y [B][nOut]. */
    record Data(double[][][][] x, double[][][][] y) {
        static Data random(long seed, Loss loss) {
            Random random = new Random(seed);
            int nIn = SIZES[0];
            int nOut = SIZES[SIZES.length - 1];
            double[][][][] x = new double[STEPS][CELLS][BATCH][nIn];
            double[][][][] y = new double[STEPS][CELLS][BATCH][nOut];
            for (int s = 0; s < STEPS; s++) {
                for (int k = 0; k < CELLS; k++) {
                    for (int e = 0; e < BATCH; e++) {
                        for (int i = 0; i < nIn; i++) {
                            x[s][k][e][i] = random.nextGaussian();
                        }
                        if (loss == Loss.MCXENT) {
                            y[s][k][e][random.nextInt(nOut)] = 1.0;
                        } else {
                            for (int j = 0; j < nOut; j++) {
                                y[s][k][e][j] = random.nextDouble();
                            }
                        }
                    }
                }
            }
            return new Data(x, y);
        }
    }

    /** Per-cell hyperparameters of one updater, and the reference's updater for cell k. */
    record Rule(String name, double[] lr, double[] mu, double[] beta1, double[] beta2, double[] eps) {
        static Rule named(String name) {
            double[] mu = {0.9, 0.5, 0.0};
            return switch (name) {
                case "adam" -> new Rule(name, new double[] {1e-3, 1e-2, 3e-2}, null, new double[] {0.9, 0.8, 0.95},
                        new double[] {0.999, 0.99, 0.9}, new double[] {1e-8, 1e-6, 1e-8});
                case "sgd" -> new Rule(name, new double[] {0.05, 0.1, 0.2}, null, null, null, null);
                default -> new Rule(name, new double[] {0.05, 0.1, 0.2}, mu, null, null, null);
            };
        }

        Rule withLr0(double lr0) {
            double[] l = lr.clone();
            l[0] = lr0;
            return new Rule(name, l, mu, beta1, beta2, eps);
        }

        StackedUpdater stacked(DataType dtype) {
            return switch (name) {
                case "sgd" -> StackedUpdater.sgd(lr, dtype);
                case "momentum" -> StackedUpdater.momentum(lr, mu, dtype);
                case "nesterov" -> StackedUpdater.nesterov(lr, mu, dtype);
                case "adam" -> StackedUpdater.adam(lr, beta1, beta2, eps, dtype);
                default -> throw new AssertionError(name);
            };
        }

        Updater reference(int k) {
            return switch (name) {
                case "sgd" -> new Sgd(lr[k]);
                case "momentum" -> new HeavyBall(lr[k], mu[k]);
                case "nesterov" -> new Nesterov(lr[k], mu[k]);
                case "adam" -> new Adam(lr[k], beta1[k], beta2[k], eps[k], Variant.DL4J);
                default -> throw new AssertionError(name);
            };
        }
    }

    static double[] init(Mlp mlp, int k) {
        return mlp.initParams(100 + k);
    }

    static Trace reference(Mlp mlp, Updater updater, double[] start, Data data, int k) {
        double[] p = start.clone();
        double[][] after = new double[STEPS][];
        double[] losses = new double[STEPS];
        double[] firstGradient = null;
        for (int s = 0; s < STEPS; s++) {
            Mlp.Evaluation e = mlp.evaluate(p, data.x[s][k], data.y[s][k]);
            if (s == 0) {
                firstGradient = e.gradient().clone();
            }
            losses[s] = e.score();
            updater.step(p, e.gradient());
            after[s] = p.clone();
        }
        return new Trace(after, losses, firstGradient);
    }

    /** The stack's run: per step and cell, parameters after the step; losses per step and cell. */
    record StackRun(double[][][] params, double[][] losses, double[][] firstGradient) {
    }

    static StackRun stacked(Mlp mlp, Rule rule, Data data, DataType dtype, double[][] starts) {
        StackedMlp stack = new StackedMlp(SIZES, mlp.activations().get(0), mlp.activations().get(SIZES.length - 2),
                mlp.loss(), CELLS, dtype);
        for (int k = 0; k < CELLS; k++) {
            stack.setCell(k, starts[k]);
        }
        StackedUpdater updater = rule.stacked(dtype);
        double[][][] params = new double[STEPS][CELLS][];
        double[][] losses = new double[STEPS][];
        double[][] firstGradient = new double[CELLS][];
        for (int s = 0; s < STEPS; s++) {
            stack.evaluate(Nd4j.createFromArray(data.x[s]).castTo(dtype), Nd4j.createFromArray(data.y[s]).castTo(dtype));
            losses[s] = stack.losses();
            if (s == 0) {
                for (int k = 0; k < CELLS; k++) {
                    firstGradient[k] = stack.cellGradient(k);
                }
            }
            updater.step(stack.params(), stack.gradient());
            for (int k = 0; k < CELLS; k++) {
                params[s][k] = stack.cell(k);
            }
        }
        return new StackRun(params, losses, firstGradient);
    }

    /** max |a - b| / max |b|, as the crosscheck measures. */
    static double relDiff(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < b.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    static void assertEqualsReference(Mlp mlp, Rule rule, Data data, DataType dtype, double tolerance) {
        double[][] starts = new double[CELLS][];
        for (int k = 0; k < CELLS; k++) {
            starts[k] = init(mlp, k);
        }
        StackRun run = stacked(mlp, rule, data, dtype, starts);
        for (int k = 0; k < CELLS; k++) {
            Trace ref = reference(mlp, rule.reference(k), starts[k], data, k);
            String what = mlp + " " + rule.name() + " cell " + k;
            assertThat(relDiff(run.firstGradient()[k], ref.firstGradient())).as(what + " gradient at step 1")
                    .isLessThanOrEqualTo(tolerance);
            assertThat(relDiff(run.params()[0][k], ref.params()[0])).as(what + " after 1 step")
                    .isLessThanOrEqualTo(tolerance);
            assertThat(relDiff(run.params()[STEPS - 1][k], ref.params()[STEPS - 1])).as(what + " after 20 steps")
                    .isLessThanOrEqualTo(tolerance);
            for (int s = 0; s < STEPS; s++) {
                assertThat(Math.abs(run.losses()[s][k] - ref.losses()[s]) / Math.abs(ref.losses()[s]))
                        .as(what + " loss at step " + (s + 1)).isLessThanOrEqualTo(tolerance);
            }
            assertThat(relDiff(run.params()[STEPS - 1][k], starts[k])).as(what + " moved").isGreaterThan(1e-3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adam"})
    void eachUpdaterEqualsTheReferenceCellByCell(String updater) {
        Mlp mlp = new Mlp(SIZES, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
        assertEqualsReference(mlp, Rule.named(updater), Data.random(7, Loss.MCXENT), DataType.DOUBLE,
                DOUBLE_TOLERANCE);
    }

    @ParameterizedTest
    @CsvSource({"RELU, SOFTMAX, MCXENT", "SIGMOID, SOFTMAX, MCXENT", "IDENTITY, SOFTMAX, MCXENT",
            "TANH, IDENTITY, MSE", "RELU, SIGMOID, MSE", "SIGMOID, TANH, MSE", "TANH, SOFTMAX, MSE",
            "TANH, RELU, MSE"})
    void eachActivationAndLossEqualsTheReference(Activation hidden, Activation output, Loss loss) {
        Mlp mlp = new Mlp(SIZES, hidden, output, loss);
        assertEqualsReference(mlp, Rule.named("momentum"), Data.random(11, loss), DataType.DOUBLE, DOUBLE_TOLERANCE);
    }

    @Test
    void aFloatStackFollowsTheDoubleReferenceWithinFloatTolerance() {
        Mlp mlp = new Mlp(SIZES, Activation.RELU, Activation.SOFTMAX, Loss.MCXENT);
        assertEqualsReference(mlp, Rule.named("adam"), Data.random(13, Loss.MCXENT), DataType.FLOAT, 1e-4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "nesterov", "adam"})
    void changingCellZerosLearningRateLeavesTheOtherCellsBitIdentical(String updater) {
        Mlp mlp = new Mlp(SIZES, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
        Data data = Data.random(17, Loss.MCXENT);
        double[][] starts = {init(mlp, 0), init(mlp, 1), init(mlp, 2)};
        Rule rule = Rule.named(updater);
        StackRun base = stacked(mlp, rule, data, DataType.DOUBLE, starts);
        StackRun changed = stacked(mlp, rule.withLr0(rule.lr()[0] * 3), data, DataType.DOUBLE, starts);
        assertThat(changed.params()[STEPS - 1][0]).isNotEqualTo(base.params()[STEPS - 1][0]);
        for (int k = 1; k < CELLS; k++) {
            for (int s = 0; s < STEPS; s++) {
                assertThat(changed.params()[s][k]).as("cell " + k + " step " + (s + 1))
                        .containsExactly(base.params()[s][k]);
                assertThat(changed.losses()[s][k]).isEqualTo(base.losses()[s][k]);
            }
        }
    }

    @Test
    void changingCellZerosDataLeavesTheOtherCellsBitIdentical() {
        Mlp mlp = new Mlp(SIZES, Activation.RELU, Activation.IDENTITY, Loss.MSE);
        Data data = Data.random(19, Loss.MSE);
        double[][] starts = {init(mlp, 0), init(mlp, 1), init(mlp, 2)};
        StackRun base = stacked(mlp, Rule.named("adam"), data, DataType.DOUBLE, starts);
        for (double[][][] step : data.x()) {
            for (double[] row : step[0]) {
                Arrays.fill(row, 1e3);
            }
        }
        StackRun changed = stacked(mlp, Rule.named("adam"), data, DataType.DOUBLE, starts);
        assertThat(changed.params()[STEPS - 1][0]).isNotEqualTo(base.params()[STEPS - 1][0]);
        for (int k = 1; k < CELLS; k++) {
            assertThat(changed.params()[STEPS - 1][k]).containsExactly(base.params()[STEPS - 1][k]);
        }
    }

    @Test
    void misshapenInputAndBadHyperparametersAreRefused() {
        StackedMlp stack = new StackedMlp(SIZES, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT, CELLS,
                DataType.DOUBLE);
        assertThatThrownBy(() -> stack.evaluate(Nd4j.zeros(DataType.DOUBLE, CELLS + 1, 2, 6),
                Nd4j.zeros(DataType.DOUBLE, CELLS + 1, 2, 3))).hasMessageContaining("x must be [3, B, 6]");
        assertThatThrownBy(() -> stack.evaluate(Nd4j.zeros(DataType.DOUBLE, CELLS, 2, 6),
                Nd4j.zeros(DataType.DOUBLE, CELLS, 3, 3))).hasMessageContaining("y must be [3, 2, 3]");
        assertThatThrownBy(() -> stack.evaluate(Nd4j.zeros(DataType.FLOAT, CELLS, 2, 6),
                Nd4j.zeros(DataType.FLOAT, CELLS, 2, 3))).hasMessageContaining("must be DOUBLE");
        assertThatThrownBy(() -> stack.setCell(CELLS, new double[stack.numParams()]))
                .hasMessageContaining("cell must be in [0, 3)");
        assertThatThrownBy(() -> new StackedMlp(SIZES, Activation.TANH, Activation.SIGMOID, Loss.MCXENT, 2,
                DataType.DOUBLE)).hasMessageContaining("MCXENT needs a softmax output");
        assertThatThrownBy(() -> StackedUpdater.sgd(new double[] {0.1, -1}, DataType.DOUBLE))
                .hasMessageContaining("learning rate must be > 0").hasMessageContaining("cell 1");
        assertThatThrownBy(() -> StackedUpdater.nesterov(new double[] {0.1, 0.1}, new double[] {0.9}, DataType.DOUBLE))
                .hasMessageContaining("momentum: need one value per cell (2)");
        StackedUpdater sgd = StackedUpdater.sgd(new double[] {0.1, 0.1}, DataType.DOUBLE);
        assertThatThrownBy(() -> sgd.step(stack.params(), stack.gradient())).hasMessageContaining("[2, P]");
    }
}
