package gdlab.bench;

import gdlab.data.EpochOrder;
import gdlab.dl4j.Trainer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training loop as it was before the benchmarks (commit f67176b's {@link Trainer#train}), kept verbatim so the
 * bench can time "before" and "after" side by side in one run, and so a test can check that the faster loop gives
 * bit-identical results. Its one difference from today's loop: each minibatch is copied out of the data with
 * {@code getRows}, which ND4J does one row at a time (a view and an assign per row), every step.
 */
public final class LegacyTrainer {
    private LegacyTrainer() {
    }

    /** The old {@code Tensors.rows}: {@code getRows} on features and labels. */
    static DataSet rows(INDArray features, INDArray labels, int[] rows) {
        return new DataSet(features.getRows(rows), labels.getRows(rows));
    }

    public static Trainer.Outcome train(MultiLayerNetwork net, INDArray x, INDArray y, Trainer.Options o,
                                        Trainer.EpochHook hook) {
        int n = (int) x.rows();
        if (o.batchSize() > n) {
            throw new IllegalArgumentException("batch size " + o.batchSize() + " > " + n + " examples");
        }
        DataSet all = new DataSet(x, y);
        double initial = net.score(all);
        int[] fixed = o.order() == Trainer.Order.FIXED ? EpochOrder.shuffled(o.seed(), 0, n) : EpochOrder.identity(n);
        List<Trainer.Epoch> epochs = new ArrayList<>();
        long updates = 0;
        int perEpoch = 0;
        Integer epochsToTarget = null;
        Long updatesToTarget = null;
        Double msToTarget = null;
        double trainingMs = 0;
        Trainer.Status status = Trainer.Status.OK;
        String reason = "budget";
        if (!Double.isFinite(initial)) {
            return new Trainer.Outcome(Trainer.Status.DIVERGED, "initial loss " + initial, initial, epochs, 0, null,
                    null, null);
        }
        for (int epoch = 0; epoch < o.maxEpochs(); epoch++) {
            int[] order = o.order() == Trainer.Order.SHUFFLED ? EpochOrder.shuffled(o.seed(), epoch, n) : fixed;
            int[][] batches = EpochOrder.minibatches(order, o.batchSize());
            double[] losses = new double[batches.length];
            long t0 = System.nanoTime();
            for (int k = 0; k < batches.length; k++) {
                net.fit(o.batchSize() == n ? all : rows(x, y, batches[k]));
                losses[k] = net.score();
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            trainingMs += ms;
            updates += batches.length;
            perEpoch = batches.length;
            double loss = net.score(all);
            double mean = 0;
            for (double l : losses) {
                mean += l / losses.length;
            }
            double var = 0;
            for (double l : losses) {
                var += (l - mean) * (l - mean);
            }
            double std = losses.length > 1 ? Math.sqrt(var / (losses.length - 1)) : 0.0;
            Trainer.Epoch record = new Trainer.Epoch(epoch + 1, updates, loss, mean, std, ms);
            epochs.add(record);
            if (!Double.isFinite(loss) || loss > Trainer.BLOW_UP * Math.max(initial, 1.0)) {
                status = Trainer.Status.DIVERGED;
                reason = String.format(Locale.ROOT, "training loss %s at epoch %d", loss, epoch + 1);
                break;
            }
            if (epochsToTarget == null && loss <= o.targetLoss()) {
                epochsToTarget = epoch + 1;
                updatesToTarget = updates;
                msToTarget = trainingMs;
            }
            if (hook != null && hook.stopAfter(record)) {
                reason = "hook";
                break;
            }
            if (o.maxSeconds() > 0 && trainingMs >= o.maxSeconds() * 1000) {
                reason = "time";
                break;
            }
        }
        return new Trainer.Outcome(status, reason, initial, epochs, perEpoch, epochsToTarget, updatesToTarget,
                msToTarget);
    }
}
