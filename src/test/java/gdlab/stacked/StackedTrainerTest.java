package gdlab.stacked;

import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Regression;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack's training loop gives each cell the outcome {@link Trainer#train} gives its DL4J net alone (same epochs,
 * losses within 1e-10, same status and reason), and a cell that diverges is reported first and masked (its row zeroed)
 * while the others train on to their budget.
 */
class StackedTrainerTest {
    static final int N = 23;
    static final int BATCH = 5;
    static final int EPOCHS = 12;

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    static double[][] data(int rows, int cols, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    }

    @Test
    void aDivergedCellStopsAndIsMaskedWhileTheOthersMatchTheirNetsAlone() {
        double[][] x = data(N, 4, 1);
        double[][] y = data(N, 2, 2);
        double[] lr = {0.01, 3.0, 0.05};
        long[] seeds = {7, 8, 9};
        INDArray xs = Tensors.matrix(x, DataType.DOUBLE);
        INDArray ys = Tensors.matrix(y, DataType.DOUBLE);
        StackedMlp stack = new StackedMlp(new int[] {4, 2}, Activation.IDENTITY, Activation.IDENTITY, Loss.MSE, 3,
                DataType.DOUBLE);
        List<Trainer.Outcome> alone = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            MultiLayerNetwork net = Regression.linear(4, 2, true, new Sgd(lr[k]), seeds[k], DataType.DOUBLE);
            stack.setCell(k, Tensors.toDoubles(net.params()));
            alone.add(Trainer.train(net, xs, ys, new Trainer.Options(BATCH, EPOCHS, 0, 0.5, seeds[k],
                    Trainer.Order.SHUFFLED), null));
        }
        assertThat(alone.get(1).status()).as("lr 3 blows the linear net up").isEqualTo(Trainer.Status.DIVERGED);
        assertThat(alone.get(1).epochs()).hasSizeLessThan(EPOCHS);
        List<Integer> order = new ArrayList<>();
        Map<Integer, Trainer.Outcome> stacked = new HashMap<>();
        StackedTrainer.train(stack, StackedUpdater.sgd(lr, DataType.DOUBLE), xs, ys, BATCH, EPOCHS,
                new double[] {0.5, 0.5, 0.5}, seeds, 0, null, (k, outcome, params) -> {
                    order.add(k);
                    stacked.put(k, outcome);
                });
        assertThat(order).as("the diverged cell is reported as soon as it diverges").containsExactly(1, 0, 2);
        assertThat(stack.cell(1)).as("masked: its row is zeroed").containsOnly(0.0);
        for (int k = 0; k < 3; k++) {
            Trainer.Outcome s = stacked.get(k);
            Trainer.Outcome a = alone.get(k);
            assertThat(s.status()).isEqualTo(a.status());
            assertThat(s.stopReason().replaceAll("training loss \\S+", ""))
                    .isEqualTo(a.stopReason().replaceAll("training loss \\S+", ""));
            assertThat(s.epochs()).hasSameSizeAs(a.epochs());
            assertThat(s.epochsToTarget()).isEqualTo(a.epochsToTarget());
            assertThat(rel(s.initialLoss(), a.initialLoss())).isLessThan(1e-12);
            for (int e = 0; e < a.epochs().size(); e++) {
                assertThat(rel(s.epochs().get(e).trainLoss(), a.epochs().get(e).trainLoss())).as("cell %d epoch %d", k, e)
                        .isLessThan(1e-10);
                assertThat(rel(s.epochs().get(e).minibatchLossMean(), a.epochs().get(e).minibatchLossMean()))
                        .isLessThan(1e-10);
            }
        }
        assertThat(stacked.get(0).epochs()).hasSize(EPOCHS);
    }

    @Test
    void aSoftmaxClassifierCellEndsWithTheVerdictItsNetGetsAlone() {
        double[][] x = data(N, 5, 3);
        int[] labels = new Random(4).ints(N, 0, 3).toArray();
        INDArray xs = Tensors.matrix(x, DataType.DOUBLE);
        INDArray ys = Tensors.oneHot(labels, 3, DataType.DOUBLE);
        int[] sizes = {5, 6, 3};
        double[] lr = {0.1, 50.0};
        long[] seeds = {3, 4};
        StackedMlp stack = new StackedMlp(sizes, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT, 2, DataType.DOUBLE);
        List<Trainer.Outcome> alone = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            MultiLayerNetwork net = Networks.classifier(sizes, "tanh", new Sgd(lr[k]), seeds[k], DataType.DOUBLE);
            stack.setCell(k, Tensors.toDoubles(net.params()));
            alone.add(Trainer.train(net, xs, ys, new Trainer.Options(BATCH, EPOCHS, 0, 0.3, seeds[k],
                    Trainer.Order.SHUFFLED).classifier(3), null));
        }
        Map<Integer, Trainer.Outcome> stacked = new HashMap<>();
        StackedTrainer.train(stack, StackedUpdater.sgd(lr, DataType.DOUBLE), xs, ys, BATCH, EPOCHS,
                new double[] {0.3, 0.3}, seeds, 3, null, (k, outcome, params) -> stacked.put(k, outcome));
        for (int k = 0; k < 2; k++) {
            assertThat(stacked.get(k).status()).isEqualTo(alone.get(k).status());
            assertThat(rel(stacked.get(k).finalLoss(), alone.get(k).finalLoss())).isLessThan(1e-10);
        }
    }
}
