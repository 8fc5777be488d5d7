package gdlab.bench;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faster training loop (one gather per epoch, minibatches as views) gives bit-identical parameters, losses and
 * counts to the loop it replaced (a getRows copy per step), for every order, with and without a remainder batch.
 */
class TrainerEquivalenceTest {

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    static double[][] features(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    @ParameterizedTest
    @CsvSource({"1,SHUFFLED,float", "7,SHUFFLED,float", "7,FIXED,double", "8,AS_GIVEN,double", "50,SHUFFLED,float",
            "3,AS_GIVEN,float", "16,FIXED,float"})
    void sameResultsAsThePerStepCopy(int batch, Trainer.Order order, String dtypeName) {
        DataType dtype = Networks.dtype(dtypeName);
        int n = 50;
        int[] labels = new Random(3).ints(n, 0, 3).toArray();
        INDArray x = Tensors.matrix(features(n, 4, 1), dtype);
        INDArray y = Tensors.oneHot(labels, 3, dtype);
        Trainer.Options o = new Trainer.Options(batch, 4, 0, 0.5, 11, order);
        MultiLayerNetwork a = Networks.classifier(new int[] {4, 6, 3}, "tanh", Optimizers.updater("adam", 0.05), 5,
                dtype);
        MultiLayerNetwork b = Networks.classifier(new int[] {4, 6, 3}, "tanh", Optimizers.updater("adam", 0.05), 5,
                dtype);
        Trainer.Outcome before = LegacyTrainer.train(a, x, y, o, null);
        Trainer.Outcome after = Trainer.train(b, x, y, o, null);
        assertThat(b.params().equalsWithEps(a.params(), 0)).isTrue();
        assertThat(Tensors.toDoubles(b.params())).containsExactly(Tensors.toDoubles(a.params()));
        assertThat(after.updatesPerEpoch()).isEqualTo(before.updatesPerEpoch()).isEqualTo((n + batch - 1) / batch);
        assertThat(after.epochs()).hasSameSizeAs(before.epochs());
        for (int e = 0; e < after.epochs().size(); e++) {
            Trainer.Epoch p = before.epochs().get(e);
            Trainer.Epoch q = after.epochs().get(e);
            assertThat(q.trainLoss()).isEqualTo(p.trainLoss());
            assertThat(q.minibatchLossMean()).isEqualTo(p.minibatchLossMean());
            assertThat(q.minibatchLossStd()).isEqualTo(p.minibatchLossStd());
            assertThat(q.updates()).isEqualTo(p.updates());
        }
        assertThat(after.epochsToTarget()).isEqualTo(before.epochsToTarget());
        // the input data is left as it was
        assertThat(Tensors.toDoubles(x)).containsExactly(Tensors.toDoubles(Tensors.matrix(features(n, 4, 1), dtype)));
    }

    @org.junit.jupiter.api.Test
    void theNetsCarryNoListeners() {
        // a listener runs every iteration (a score fetch at least): none unless an experiment asks for one
        MultiLayerNetwork net = Networks.classifier(new int[] {4, 6, 3}, "relu", Optimizers.updater("sgd", 0.1), 1,
                DataType.FLOAT);
        assertThat(net.getListeners()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"float", "double"})
    void rowsCopiesTheSameValuesAsGetRows(String dtypeName) {
        DataType dtype = Networks.dtype(dtypeName);
        INDArray x = Tensors.matrix(features(20, 5, 2), dtype);
        INDArray y = Tensors.oneHot(new Random(1).ints(20, 0, 4).toArray(), 4, dtype);
        int[] rows = {19, 0, 3, 3, 7};
        var now = Tensors.rows(x, y, rows);
        var old = LegacyTrainer.rows(x, y, rows);
        assertThat(now.getFeatures().shape()).containsExactly(5, 5);
        assertThat(Tensors.toDoubles(now.getFeatures())).containsExactly(Tensors.toDoubles(old.getFeatures()));
        assertThat(Tensors.toDoubles(now.getLabels())).containsExactly(Tensors.toDoubles(old.getLabels()));
        var one = Tensors.rows(x, y, new int[] {4});
        assertThat(one.getFeatures().shape()).containsExactly(1, 5);
    }
}
