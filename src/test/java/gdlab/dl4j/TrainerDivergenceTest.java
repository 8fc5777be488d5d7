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
    void aClassifierRisingAboveChanceAfterFallingBelowItStopsThere() {
        Dataset d = images(300, 64, 5);
        Trainer.Outcome t = train(d, 2, 2, d.size(), 10, true);
        assertThat(t.status()).isEqualTo(Trainer.Status.DIVERGED);
        assertThat(t.stopReason()).matches("training loss 2\\.\\d+ at epoch 3 rose above ln\\(10\\) = 2\\.303 after "
                + "falling below it");
        assertThat(t.epochs()).hasSize(3);
        assertThat(t.epochs().get(1).trainLoss()).isLessThan(Math.log(10));
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
