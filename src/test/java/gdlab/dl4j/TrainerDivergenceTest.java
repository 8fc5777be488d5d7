package gdlab.dl4j;

import gdlab.data.Dataset;
import gdlab.data.Split;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Trainer's divergence rule for softmax classifiers, on a net that a too-large step blows up. */
class TrainerDivergenceTest {
    /**
     * {@code n} 10-class images of {@code pixels} pixels: each class a random pattern of bright and dim pixels,
     * each image its pattern with 30% of the pixels flipped, dimmed as a whole by a random factor (so the pixels are
     * strongly correlated, as in photographs); standardized as the experiments do.
     */
    static Dataset images(int n, int pixels, long seed) {
        Random random = new Random(seed);
        boolean[][] patterns = new boolean[10][pixels];
        for (boolean[] p : patterns) {
            for (int i = 0; i < pixels; i++) {
                p[i] = random.nextBoolean();
            }
        }
        double[][] x = new double[n][pixels];
        int[] y = new int[n];
        for (int k = 0; k < n; k++) {
            y[k] = k % 10;
            double s = 1 - 0.9 * random.nextDouble();
            for (int i = 0; i < pixels; i++) {
                x[k][i] = s * (patterns[y[k]][i] ^ random.nextDouble() < 0.3 ? 255 : 100);
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pixels; i++) {
            names.add("p" + i);
        }
        Dataset d = new Dataset("images", x, y, names, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        return Split.of(d, 0, 1, 0).train();
    }

    static Trainer.Outcome train(Dataset d, double lr, long seed, int batch, int epochs, boolean classifier) {
        MultiLayerNetwork net = Networks.classifier(new int[]{d.numFeatures(), 32, 10}, "relu",
                Optimizers.updater("sgd", lr), seed, DataType.FLOAT);
        INDArray x = Tensors.matrix(d.features(), DataType.FLOAT);
        INDArray y = Tensors.oneHot(d.labels(), 10, DataType.FLOAT);
        Trainer.Options o = new Trainer.Options(batch, epochs, 0, 0.3, seed, Trainer.Order.SHUFFLED);
        return Trainer.train(net, x, y, classifier ? o.classifier(10) : o, null);
    }

    @Test
    void aBlownUpClassifierEndingAboveItsInitialLossIsDiverged() {
        Dataset d = images(300, 64, 5);
        Trainer.Outcome t = train(d, 2, 1, d.size(), 10, true);
        assertThat(t.status()).isEqualTo(Trainer.Status.DIVERGED);
        assertThat(t.stopReason()).matches("final training loss \\d+(\\.\\d+)? above the initial \\d\\.\\d+");
        assertThat(t.epochs()).hasSize(10);
        // DL4J clips the cross-entropy near 23: the blown-up net stays far below 100 x its initial loss
        assertThat(t.finalLoss()).isBetween(15.0, 23.0);
        // the same net, not declared a classifier, keeps the old rule: ok, just a high loss
        Trainer.Outcome plain = train(d, 2, 1, d.size(), 10, false);
        assertThat(plain.status()).isEqualTo(Trainer.Status.OK);
        assertThat(plain.stopReason()).isEqualTo("budget");
        assertThat(plain.finalLoss()).isEqualTo(t.finalLoss());
    }

    @Test
    void aClassifierEndingAboveChanceAfterFallingBelowItIsDiverged() {
        Dataset d = images(300, 64, 5);
        MultiLayerNetwork net = Networks.classifier(new int[]{64, 32, 10}, "relu", Optimizers.updater("sgd", 2), 2,
                DataType.FLOAT);
        Trainer.Options o = new Trainer.Options(d.size(), 10, 0, 0.3, 2, Trainer.Order.SHUFFLED).classifier(10);
        // stopped (as early stopping would) at epoch 3, when the loss is back above ln(10) but below the initial
        Trainer.Outcome t = Trainer.train(net, Tensors.matrix(d.features(), DataType.FLOAT),
                Tensors.oneHot(d.labels(), 10, DataType.FLOAT), o, e -> e.epoch() == 3);
        assertThat(t.finalLoss()).isBetween(Math.log(10), t.initialLoss());
        assertThat(t.status()).isEqualTo(Trainer.Status.DIVERGED);
        assertThat(t.stopReason()).matches("final training loss 2\\.\\d+ above ln\\(10\\) = 2\\.303 after falling to "
                + "2\\.\\d+ at epoch 2");
    }

    /** Whole runs measured in the experiments' baselines (end-of-epoch training losses after the initial one). */
    @Test
    void onlyWhereTheRunEndsCounts() {
        // failure-modes' XOR net, mini-batch: a plateau at ln(2), one epoch back above it, then the escape
        double[] escape = {0.7075, 0.6962, 0.6949, 0.6939, 0.6962, 0.6922, 0.6974, 0.6911, 0.6903, 0.6890, 0.6875,
                0.6854, 0.6842, 0.6728, 0.6566, 0.6240, 0.5676, 0.4893, 0.4053, 0.3259, 0.2659, 0.2189, 0.1827,
                0.1564};
        assertThat(Trainer.classifierVerdict(0.7822, escape, 2)).isNull();
        // optimizers' Adam at lr 1 on iris: spikes to 4.5 and to 1.95, recovers
        double[] spiky = {4.4980, 1.2796, 0.8105, 0.2063, 0.1940, 0.0824, 1.2261, 1.9549, 0.5756, 0.6117};
        assertThat(Trainer.classifierVerdict(1.2875, spiky, 3)).isNull();
        // the same XOR net, stochastic: ends (3 epochs) above where it started
        assertThat(Trainer.classifierVerdict(0.7822, new double[]{0.7665, 0.6957, 0.8061}, 2))
                .isEqualTo("final training loss 0.8061 above the initial 0.7822");
        // a blown-up 10-class net, clipped by DL4J
        assertThat(Trainer.classifierVerdict(2.953, new double[]{4.11, 6.76, 8.80, 15.2, 19.5}, 10))
                .isEqualTo("final training loss 19.5 above the initial 2.953");
        assertThat(Trainer.classifierVerdict(2.953, new double[]{2.1, 1.9, 2.4}, 10))
                .isEqualTo("final training loss 2.4 above ln(10) = 2.303 after falling to 1.9 at epoch 2");
        assertThat(Trainer.classifierVerdict(2.953, new double[]{}, 10)).isNull();
    }

    @Test
    void aClassifierThatLearnsIsNotDiverged() {
        Dataset d = images(300, 64, 5);
        for (long seed = 1; seed <= 3; seed++) {
            Trainer.Outcome t = train(d, 0.5, seed, d.size(), 10, true);
            assertThat(t.status()).isEqualTo(Trainer.Status.OK);
            assertThat(t.finalLoss()).isLessThan(t.initialLoss());
        }
    }
}
