package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gdlab.data.EpochOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ReferenceTrainer} against hand-written loops over the same minibatches. */
class ReferenceTrainerTest {
    private static final Mlp MLP = new Mlp(new int[] {3, 5, 2}, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT)
            .withL2(1e-3);
    private static final int N = 10;
    private static final double[][] X = new double[N][3];
    private static final double[][] Y = new double[N][2];

    static {
        Random r = new Random(5);
        for (int e = 0; e < N; e++) {
            for (int i = 0; i < 3; i++) {
                X[e][i] = r.nextGaussian();
            }
            Y[e][X[e][0] + X[e][1] > 0 ? 1 : 0] = 1;
        }
    }

    private static double[][] rows(double[][] data, int[] idx) {
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = data[idx[i]];
        }
        return out;
    }

    @Test
    void fullBatchStepIsOneGradientStepOnAllExamples() {
        double[] p0 = MLP.initParams(1);
        ReferenceTrainer trainer = new ReferenceTrainer(MLP, new Sgd(0.1), p0, X, Y, N, Ordering.FIXED);
        double loss = trainer.step();

        double[] expected = p0.clone();
        new Sgd(0.1).step(expected, MLP.gradient(p0, X, Y));
        assertThat(trainer.params()).containsExactly(expected);
        assertThat(loss).isEqualTo(MLP.score(p0, X, Y));
        assertThat(trainer.epoch()).isEqualTo(1);
        assertThat(trainer.batchesPerEpoch()).isEqualTo(1);
    }

    @Test
    void shuffledMinibatchesFollowEpochOrderAndTheUpdaterRunsOnAcrossEpochs() {
        long seed = 77;
        int batch = 4; // 10 examples: batches of 4, 4, 2
        double[] p0 = MLP.initParams(2);
        ReferenceTrainer trainer = new ReferenceTrainer(MLP, new Adam(0.01), p0, X, Y, batch,
                Ordering.shuffled(seed));
        List<ReferenceTrainer.Epoch> epochs = trainer.epochs(3);

        double[] p = p0.clone();
        Updater adam = new Adam(0.01);
        for (int e = 0; e < 3; e++) {
            int[][] batches = EpochOrder.minibatches(EpochOrder.shuffled(seed, e, N), batch);
            assertThat(epochs.get(e).stepLosses()).hasSize(3);
            for (int b = 0; b < batches.length; b++) {
                double[][] bx = rows(X, batches[b]);
                double[][] by = rows(Y, batches[b]);
                assertThat(epochs.get(e).stepLosses()[b]).isEqualTo(MLP.score(p, bx, by));
                adam.step(p, MLP.gradient(p, bx, by));
            }
            assertThat(epochs.get(e).trainLoss()).isEqualTo(MLP.score(p, X, Y));
        }
        assertThat(trainer.params()).containsExactly(p);
        assertThat(trainer.iteration()).isEqualTo(9);
        assertThat(adam.iteration()).isEqualTo(9);
    }

    @Test
    void exactlyKStepsCrossEpochBoundariesInFixedOrder() {
        double[] p0 = MLP.initParams(3);
        ReferenceTrainer trainer = new ReferenceTrainer(MLP, new Nesterov(0.05, 0.9), p0, X, Y, 1, Ordering.FIXED);
        double[] losses = trainer.steps(23);

        double[] p = p0.clone();
        Updater nesterov = new Nesterov(0.05, 0.9);
        for (int k = 0; k < 23; k++) {
            double[][] bx = {X[k % N]};
            double[][] by = {Y[k % N]};
            assertThat(losses[k]).isEqualTo(MLP.score(p, bx, by));
            nesterov.step(p, MLP.gradient(p, bx, by));
        }
        assertThat(trainer.params()).containsExactly(p);
        assertThat(trainer.epoch()).isEqualTo(2);

        // the rest of the third epoch: 7 more steps, reported with the 3 already taken
        ReferenceTrainer.Epoch third = trainer.finishEpoch();
        assertThat(third.index()).isEqualTo(2);
        assertThat(third.stepLosses()).hasSize(10);
        assertThat(third.stepLosses()[0]).isEqualTo(losses[20]);
        assertThat(trainer.iteration()).isEqualTo(30);
    }

    @Test
    void trainingLowersTheLoss() {
        ReferenceTrainer trainer = new ReferenceTrainer(MLP, new Adam(0.05), MLP.initParams(4), X, Y, 4,
                Ordering.shuffled(1));
        double before = trainer.trainLoss();
        List<ReferenceTrainer.Epoch> epochs = trainer.epochs(100);
        assertThat(epochs.get(99).trainLoss()).isLessThan(before / 4);
    }

    @Test
    void initialParamsAreCopied() {
        double[] p0 = MLP.initParams(5);
        double[] keep = p0.clone();
        ReferenceTrainer trainer = new ReferenceTrainer(MLP, new Sgd(0.1), p0, X, Y, 2, Ordering.FIXED);
        trainer.steps(3);
        assertThat(p0).containsExactly(keep);
        double[] view = trainer.params();
        view[0] = 1e9;
        assertThat(trainer.params()[0]).isNotEqualTo(1e9);
    }

    @Test
    void badArgumentsNameTheBadValue() {
        double[] p0 = MLP.initParams(6);
        assertThatThrownBy(() -> new ReferenceTrainer(MLP, new Sgd(0.1), p0, X, Y, 0, Ordering.FIXED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size")
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new ReferenceTrainer(MLP, new Sgd(0.1), new double[3], X, Y, 2, Ordering.FIXED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> new ReferenceTrainer(MLP, new Sgd(0.1), p0, X, new double[4][2], 2,
                Ordering.FIXED)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 and 4");
        assertThatThrownBy(() -> new ReferenceTrainer(MLP, new Sgd(0.1), p0, new double[N][4], Y, 2,
                Ordering.FIXED)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 4");
        ReferenceTrainer trainer = new ReferenceTrainer(MLP, new Sgd(0.1), p0, X, Y, 2, Ordering.FIXED);
        assertThatThrownBy(() -> trainer.steps(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
