package gdlab.stacked;

import gdlab.data.EpochOrder;
import gdlab.dl4j.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Trainer#train}'s loop for the K cells of a stack on one data set: per epoch each cell's own seeded shuffle
 * ({@link Trainer.Order#SHUFFLED}; a full batch keeps the data's order, as {@code Trainer} does), one stacked step per
 * minibatch, then each cell's full training loss, with {@code Trainer}'s divergence rules, target and outcome, so a
 * cell's {@link Trainer.Outcome} is the one its DL4J net would give (within rounding). A cell that diverges is
 * reported at once and masked: its row is zeroed and its gradient multiplied by 0 from then on, so it neither moves
 * nor spreads NaN, while the others go on; training ends when every cell has finished. A cell's epoch time is the
 * stack's epoch time divided by its cells.
 */
public final class StackedTrainer {
    private StackedTrainer() {
    }

    /** Called after each epoch of a cell still training (not after the epoch it diverges in), like an epoch hook. */
    @FunctionalInterface
    public interface EpochListener {
        void after(int cell, Trainer.Epoch epoch);
    }

    /** Called once per cell, as soon as its outcome is known, with its parameters where it stopped. */
    @FunctionalInterface
    public interface Finished {
        void accept(int cell, Trainer.Outcome outcome, double[] params);
    }

    /**
     * Trains every cell of {@code stack} (parameters already copied in) with {@code updater} on x [n, nIn], y [n,
     * nOut] (the stack's dtype).
     *
     * @param targets  per cell, the training loss that counts as reached (NaN = none)
     * @param seeds    per cell, the seed of its shuffles
     * @param classes  classes of a softmax classifier (0 = none), for {@link Trainer#classifierVerdict}
     * @param listener may be null
     */
    public static void train(StackedMlp stack, StackedUpdater updater, INDArray x, INDArray y, int batchSize,
                             int maxEpochs, double[] targets, long[] seeds, int classes, EpochListener listener,
                             Finished onFinished) {
        int cells = stack.cells();
        int n = (int) x.rows();
        if (batchSize < 1 || batchSize > n || maxEpochs < 1 || targets.length != cells || seeds.length != cells) {
            throw new IllegalArgumentException("batch size must be in [1, " + n + "], epochs >= 1 and one target and "
                    + "seed per cell (" + cells + "), got " + batchSize + ", " + maxEpochs + ", " + targets.length
                    + ", " + seeds.length);
        }
        INDArray xAll = broadcast(x, cells);
        INDArray yAll = broadcast(y, cells);
        stack.evaluate(xAll, yAll);
        double[] initial = stack.losses();
        INDArray mask = Nd4j.ones(stack.dtype(), cells, 1);
        boolean[] done = new boolean[cells];
        List<List<Trainer.Epoch>> epochs = new ArrayList<>();
        Integer[] epochsToTarget = new Integer[cells];
        Long[] updatesToTarget = new Long[cells];
        Double[] msToTarget = new Double[cells];
        int live = cells;
        for (int k = 0; k < cells; k++) {
            epochs.add(new ArrayList<>());
            if (!Double.isFinite(initial[k])) {
                live--;
                double[] at = stack.cell(k);
                mask(stack, mask, done, k);
                onFinished.accept(k, new Trainer.Outcome(Trainer.Status.DIVERGED, "initial loss " + initial[k],
                        initial[k], List.of(), 0, null, null, null), at);
            }
        }
        boolean full = batchSize == n;
        INDArray xs = full ? xAll : Nd4j.create(stack.dtype(), cells, n, x.columns());
        INDArray ys = full ? yAll : Nd4j.create(stack.dtype(), cells, n, y.columns());
        int perEpoch = (n + batchSize - 1) / batchSize;
        INDArray[] bx = new INDArray[perEpoch];
        INDArray[] by = new INDArray[perEpoch];
        for (int b = 0; b < perEpoch; b++) {
            int from = b * batchSize;
            int to = Math.min(n, from + batchSize);
            bx[b] = full ? xs : xs.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all());
            by[b] = full ? ys : ys.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to), NDArrayIndex.all());
        }
        double[] trainingMs = new double[cells];
        long updates = 0;
        for (int epoch = 0; epoch < maxEpochs && live > 0; epoch++) {
            long t0 = System.nanoTime();
            if (!full) {
                for (int k = 0; k < cells; k++) {
                    if (!done[k]) {
                        int[] order = EpochOrder.shuffled(seeds[k], epoch, n);
                        xs.slice(k).assign(Nd4j.pullRows(x, 1, order));
                        ys.slice(k).assign(Nd4j.pullRows(y, 1, order));
                    }
                }
            }
            double[][] losses = new double[perEpoch][];
            for (int b = 0; b < perEpoch; b++) {
                INDArray bxb = full ? bx[b] : bx[b].dup('c');
                INDArray byb = full ? by[b] : by[b].dup('c');
                stack.evaluate(bxb, byb);
                losses[b] = stack.losses();
                if (live < cells) {
                    stack.gradient().muliColumnVector(mask);
                }
                updater.step(stack.params(), stack.gradient());
            }
            double ms = (System.nanoTime() - t0) / 1e6 / cells;
            updates += perEpoch;
            stack.evaluate(xAll, yAll);
            double[] loss = stack.losses();
            for (int k = 0; k < cells; k++) {
                if (done[k]) {
                    continue;
                }
                trainingMs[k] += ms;
                double mean = 0;
                for (double[] l : losses) {
                    mean += l[k] / perEpoch;
                }
                double var = 0;
                for (double[] l : losses) {
                    var += (l[k] - mean) * (l[k] - mean);
                }
                double std = perEpoch > 1 ? Math.sqrt(var / (perEpoch - 1)) : 0.0;
                Trainer.Epoch record = new Trainer.Epoch(epoch + 1, updates, loss[k], mean, std, ms);
                epochs.get(k).add(record);
                if (!Double.isFinite(loss[k]) || loss[k] > Trainer.BLOW_UP * Math.max(initial[k], 1.0)) {
                    live--;
                    double[] at = stack.cell(k);
                    mask(stack, mask, done, k);
                    onFinished.accept(k, new Trainer.Outcome(Trainer.Status.DIVERGED, String.format(Locale.ROOT,
                            "training loss %s at epoch %d", loss[k], epoch + 1), initial[k], epochs.get(k), perEpoch,
                            epochsToTarget[k], updatesToTarget[k], msToTarget[k]), at);
                    continue;
                }
                if (epochsToTarget[k] == null && loss[k] <= targets[k]) {
                    epochsToTarget[k] = epoch + 1;
                    updatesToTarget[k] = updates;
                    msToTarget[k] = trainingMs[k];
                }
                if (listener != null) {
                    listener.after(k, record);
                }
            }
        }
        for (int k = 0; k < cells; k++) {
            if (!done[k]) {
                Trainer.Status status = Trainer.Status.OK;
                String reason = "budget";
                if (classes > 0) {
                    String verdict = Trainer.classifierVerdict(initial[k],
                            epochs.get(k).stream().mapToDouble(Trainer.Epoch::trainLoss).toArray(), classes);
                    if (verdict != null) {
                        status = Trainer.Status.DIVERGED;
                        reason = verdict;
                    }
                }
                onFinished.accept(k, new Trainer.Outcome(status, reason, initial[k], epochs.get(k), perEpoch,
                        epochsToTarget[k], updatesToTarget[k], msToTarget[k]), stack.cell(k));
            }
        }
    }

    private static void mask(StackedMlp stack, INDArray mask, boolean[] done, int k) {
        done[k] = true;
        mask.putScalar(k, 0, 0.0);
        stack.params().getRow(k).assign(0);
    }

    /** x [n, d] repeated for every cell as [K, n, d]. */
    private static INDArray broadcast(INDArray x, int cells) {
        INDArray out = Nd4j.create(x.dataType(), cells, x.rows(), x.columns());
        for (int k = 0; k < cells; k++) {
            out.slice(k).assign(x);
        }
        return out;
    }
}
