package gdlab.stacked;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stack whose cells start from the parameters DL4J's MultiLayerNetwork draws for their seeds (copied in) and see
 * the minibatches their DL4J nets see follows those nets cell by cell: each cell's loss equals its net's
 * {@code score()} and its parameters its net's, within the crosscheck's tolerances (double 1e-12 after one step and
 * 1e-10 after 100; float 1e-5 and 1e-4), for every updater the stack has (DL4J's Sgd, Nesterovs and Adam with their
 * defaults, and gdlab's heavy ball).
 */
class StackedMatchesDl4jTest {
    static final int[] SIZES = {6, 5, 4, 3};
    static final int CELLS = 3;
    static final int BATCH = 5;
    static final int STEPS = 100;
    static final double[] LR = {0.02, 0.05, 0.1};

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    static StackedUpdater stacked(String name, DataType dtype) {
        double[] mu = new double[CELLS];
        Arrays.fill(mu, 0.9);
        double[] b1 = mu.clone();
        double[] b2 = new double[CELLS];
        Arrays.fill(b2, 0.999);
        double[] eps = new double[CELLS];
        Arrays.fill(eps, 1e-8);
        return switch (name) {
            case "sgd" -> StackedUpdater.sgd(LR, dtype);
            case "momentum" -> StackedUpdater.momentum(LR, mu, dtype);
            case "nesterov" -> StackedUpdater.nesterov(LR, mu, dtype);
            case "adam" -> StackedUpdater.adam(LR, b1, b2, eps, dtype);
            default -> throw new AssertionError(name);
        };
    }

    static double relDiff(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < b.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    @ParameterizedTest
    @CsvSource({"sgd, double", "momentum, double", "nesterov, double", "adam, double",
            "sgd, float", "nesterov, float", "adam, float"})
    void eachCellFollowsItsDl4jNet(String updater, String dtypeName) {
        DataType dtype = Networks.dtype(dtypeName);
        double firstTolerance = dtype == DataType.DOUBLE ? 1e-12 : 1e-5;
        double lastTolerance = dtype == DataType.DOUBLE ? 1e-10 : 1e-4;
        MultiLayerNetwork[] nets = new MultiLayerNetwork[CELLS];
        StackedMlp stack = new StackedMlp(SIZES, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT, CELLS, dtype);
        for (int k = 0; k < CELLS; k++) {
            nets[k] = Networks.classifier(SIZES, "tanh", Optimizers.updater(updater, LR[k]), 1 + k, dtype);
            stack.setCell(k, Tensors.toDoubles(nets[k].params()));
        }
        StackedUpdater stackedUpdater = stacked(updater, dtype);
        Random random = new Random(23);
        for (int s = 1; s <= STEPS; s++) {
            double[][][] x = new double[CELLS][BATCH][SIZES[0]];
            double[][][] y = new double[CELLS][BATCH][SIZES[3]];
            for (int k = 0; k < CELLS; k++) {
                for (int e = 0; e < BATCH; e++) {
                    for (int i = 0; i < SIZES[0]; i++) {
                        x[k][e][i] = random.nextGaussian();
                    }
                    y[k][e][random.nextInt(SIZES[3])] = 1.0;
                }
                nets[k].fit(new DataSet(Tensors.matrix(x[k], dtype), Tensors.matrix(y[k], dtype)));
            }
            stack.evaluate(Nd4j.createFromArray(x).castTo(dtype), Nd4j.createFromArray(y).castTo(dtype));
            double[] losses = stack.losses();
            stackedUpdater.step(stack.params(), stack.gradient());
            if (s == 1 || s == STEPS) {
                double tolerance = s == 1 ? firstTolerance : lastTolerance;
                for (int k = 0; k < CELLS; k++) {
                    String what = updater + " " + dtypeName + " cell " + k + " after " + s + " steps";
                    assertThat(relDiff(stack.cell(k), Tensors.toDoubles(nets[k].params()))).as(what)
                            .isLessThanOrEqualTo(tolerance);
                    assertThat(Math.abs(losses[k] - nets[k].score()) / nets[k].score()).as(what + ": loss")
                            .isLessThanOrEqualTo(tolerance);
                }
            }
        }
    }
}
