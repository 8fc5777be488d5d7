package gdlab.dl4j;

import gdlab.data.EpochOrder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The minibatch training loop every experiment uses: per epoch, an order of the examples (shuffled by
 * {@link EpochOrder}, fixed, or given), one {@code fit} per minibatch, then the full training loss. It stops at
 * the epoch budget, at the time budget, when the loss diverges, or when the caller's epoch hook says so (early
 * stopping). Time counts only the updates, not the evaluations. What counts as diverged: {@link #BLOW_UP} for every
 * network, and for a softmax classifier ({@link Options#classifier}) also the end-of-run rules of
 * {@link #classifierVerdict}; {@link #DIVERGENCE_RULE} says both in one sentence. Each finished epoch advances DL4J's
 * epoch count ({@code incrementEpochCount}), which {@code fit(DataSet)} alone never does, so an EPOCH learning-rate
 * schedule advances as under {@code fit(iterator)}.
 *
 * <p>Speed: the minibatches of an epoch are gathered from the data in one native copy per epoch (features and
 * labels each) into a buffer allocated once per call, and minibatch k is always the same row range (a view) of that
 * buffer, so a step allocates nothing and adds no ND4J op to DL4J's own {@code fit}. (Copying each minibatch with
 * {@code getRows} instead cost ND4J a view and an assign per row, every step.) The values each {@code fit} sees are
 * the same as with a per-step copy, so the results are bit-identical.
 *
 * <p>The native pointers ND4J allocates in an update are left to the garbage collector. Freeing them at the end of
 * each update (a JavaCPP {@code PointerScope}, 0.56 -> 0.47 ms per step) is not safe: ND4J's op executioner caches
 * some of them per thread (argument arrays keyed by their size), so one allocated in an update stays in use after
 * it, and freeing it crashed a sweep's JVM in native code ({@code NativePointerCacheTest} shows such a pointer).
 */
public final class Trainer {
    private Trainer() {
    }

    /** How the examples are ordered in each epoch. */
    public enum Order {
        /** a fresh seeded shuffle every epoch (the default) */
        SHUFFLED,
        /** one seeded shuffle, reused every epoch */
        FIXED,
        /** the data's own order (e.g. sorted by class), every epoch */
        AS_GIVEN
    }

    /**
     * @param batchSize   examples per update (n = full batch)
     * @param maxEpochs   epoch budget
     * @param maxSeconds  wall-time budget for the updates (0 = none)
     * @param targetLoss  training loss that counts as reached (NaN = none)
     * @param seed        seed of the shuffles
     * @param order       how each epoch orders the examples
     * @param classes     classes of a softmax classifier with cross-entropy loss (0 = not a classifier): turns on
     *                    the classifier's divergence rule, see {@link #DIVERGENCE_RULE}
     */
    public record Options(int batchSize, int maxEpochs, double maxSeconds, double targetLoss, long seed,
                          Order order, int classes) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (maxEpochs < 1) {
                throw new IllegalArgumentException("max epochs must be >= 1, got " + maxEpochs);
            }
            if (classes != 0 && classes < 2) {
                throw new IllegalArgumentException("a classifier has at least 2 classes, got " + classes);
            }
        }

        /** Options for a network that is not a softmax classifier (regression, least squares, a function). */
        public Options(int batchSize, int maxEpochs, double maxSeconds, double targetLoss, long seed, Order order) {
            this(batchSize, maxEpochs, maxSeconds, targetLoss, seed, order, 0);
        }

        public static Options of(int batchSize, int maxEpochs, double targetLoss, long seed) {
            return new Options(batchSize, maxEpochs, 0, targetLoss, seed, Order.SHUFFLED);
        }

        /** The same options for a softmax classifier of {@code classes} classes (cross-entropy loss). */
        public Options classifier(int classes) {
            return new Options(batchSize, maxEpochs, maxSeconds, targetLoss, seed, order, classes);
        }
    }

    /**
     * One finished epoch.
     *
     * @param epoch             1-based
     * @param updates           updates so far
     * @param trainLoss         full training loss after the epoch
     * @param minibatchLossMean mean of the minibatch losses seen during the epoch (each before its update)
     * @param minibatchLossStd  their standard deviation (0 for one minibatch)
     * @param epochMs           wall time of the epoch's updates
     */
    public record Epoch(int epoch, long updates, double trainLoss, double minibatchLossMean, double minibatchLossStd,
                        double epochMs) {
    }

    /** Called after every epoch; returning true stops training (e.g. early stopping on a validation set). */
    @FunctionalInterface
    public interface EpochHook {
        boolean stopAfter(Epoch epoch);
    }

    public enum Status { OK, DIVERGED }

    /**
     * @param initialLoss     training loss before the first update
     * @param epochs          one record per epoch run
     * @param updatesPerEpoch minibatches per epoch
     * @param epochsToTarget  first epoch whose training loss is at most the target, or null
     * @param updatesToTarget updates until then, or null
     * @param msToTarget      update time until then, or null
     * @param stopReason      "budget", "time", "hook", or why it diverged
     */
    public record Outcome(Status status, String stopReason, double initialLoss, List<Epoch> epochs,
                          int updatesPerEpoch, Integer epochsToTarget, Long updatesToTarget, Double msToTarget) {
        public double finalLoss() {
            return epochs.isEmpty() ? initialLoss : epochs.get(epochs.size() - 1).trainLoss();
        }

        public Epoch last() {
            return epochs.get(epochs.size() - 1);
        }

        public double trainingMs() {
            return epochs.stream().mapToDouble(Epoch::epochMs).sum();
        }
    }

    /** A loss this much above max(initial, 1) counts as diverged, like a NaN or infinite one. */
    public static final double BLOW_UP = 100;

    /**
     * When a classifier's cell counts as diverged (the note under every table that reports Trainer's status). DL4J
     * clips the softmax cross-entropy near 23 (the log of its epsilon), so on 10 classes a blown-up net ends at a
     * training loss of ~17-22 with chance accuracy: below {@link #BLOW_UP} x, hence the classifier's rules, judged
     * where the run ends ({@link #classifierVerdict}).
     */
    public static final String DIVERGENCE_RULE = "A cell is diverged when its training loss becomes non-finite or "
            + "exceeds 100 x max(initial, 1) (training stops there), or, for a softmax classifier, ends the run above "
            + "its initial loss, or above ln(classes) after an epoch below it (DL4J clips the cross-entropy near 23, "
            + "so a blown-up softmax net never reaches 100 x).";

    public static Outcome train(MultiLayerNetwork net, INDArray x, INDArray y, Options o, EpochHook hook) {
        int n = (int) x.rows();
        if (o.batchSize() > n) {
            throw new IllegalArgumentException("batch size " + o.batchSize() + " > " + n + " examples");
        }
        DataSet all = new DataSet(x, y);
        double initial = net.score(all);
        int[] fixed = o.order() == Order.FIXED ? EpochOrder.shuffled(o.seed(), 0, n) : EpochOrder.identity(n);
        Minibatches minibatches = o.batchSize() == n ? null : new Minibatches(x, y, o.batchSize());
        List<Epoch> epochs = new ArrayList<>();
        long updates = 0;
        int perEpoch = 0;
        Integer epochsToTarget = null;
        Long updatesToTarget = null;
        Double msToTarget = null;
        double trainingMs = 0;
        Status status = Status.OK;
        String reason = "budget";
        if (!Double.isFinite(initial)) {
            return new Outcome(Status.DIVERGED, "initial loss " + initial, initial, epochs, 0, null, null, null);
        }
        for (int epoch = 0; epoch < o.maxEpochs(); epoch++) {
            int[] order = o.order() == Order.SHUFFLED ? EpochOrder.shuffled(o.seed(), epoch, n) : fixed;
            long t0 = System.nanoTime();
            DataSet[] batches = minibatches == null ? new DataSet[] {all} : minibatches.of(order);
            double[] losses = new double[batches.length];
            for (int k = 0; k < batches.length; k++) {
                net.fit(batches[k]);
                losses[k] = net.score();
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            // fit(DataSet) counts iterations but never epochs (only fit(iterator) does), so an EPOCH learning-rate
            // schedule would stay at epoch 0: count each finished epoch here, as fit(iterator) would
            net.incrementEpochCount();
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
            Epoch record = new Epoch(epoch + 1, updates, loss, mean, std, ms);
            epochs.add(record);
            if (!Double.isFinite(loss) || loss > BLOW_UP * Math.max(initial, 1.0)) {
                status = Status.DIVERGED;
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
        if (status == Status.OK && o.classes() > 0) {
            String verdict = classifierVerdict(initial, epochs.stream().mapToDouble(Epoch::trainLoss).toArray(),
                    o.classes());
            if (verdict != null) {
                status = Status.DIVERGED;
                reason = verdict;
            }
        }
        return new Outcome(status, reason, initial, epochs, perEpoch, epochsToTarget, updatesToTarget, msToTarget);
    }

    /**
     * The classifier's rule, judged when the run ends (by budget, time or hook): why a run of a softmax classifier
     * of {@code classes} classes with these end-of-epoch training losses diverged, or null. Diverged: the last loss
     * is above the initial one, or above ln(classes) (the uniform guess) after an earlier epoch was below it. Only
     * where the run ends counts: a noisy or spiking run that recovers (a loss just above ln(classes) for an epoch on
     * a plateau, an Adam spike) is not diverged; a blown-up net, whose loss DL4J clips near 23, is.
     */
    public static String classifierVerdict(double initial, double[] losses, int classes) {
        if (losses.length == 0) {
            return null;
        }
        double last = losses[losses.length - 1];
        if (last > initial) {
            return String.format(Locale.ROOT, "final training loss %s above the initial %s", readable(last),
                    readable(initial));
        }
        double chance = Math.log(classes);
        int best = 0;
        for (int e = 1; e < losses.length; e++) {
            if (losses[e] < losses[best]) {
                best = e;
            }
        }
        if (last > chance && losses[best] < chance) {
            return String.format(Locale.ROOT, "final training loss %s above ln(%d) = %s after falling to %s at epoch "
                    + "%d", readable(last), classes, readable(chance), readable(losses[best]), best + 1);
        }
        return null;
    }

    /** A loss with 4 significant digits, for reasons. */
    private static String readable(double loss) {
        return String.format(Locale.ROOT, "%.4g", loss).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /**
     * One epoch's minibatches: the examples copied in the epoch's order into one buffer (features and labels), and
     * minibatch k a fixed view of rows [kB, min((k+1)B, n)) of it, as {@link EpochOrder#minibatches} splits the
     * order. Built once per training run; an order is gathered once (FIXED and AS_GIVEN orders only once at all).
     */
    private static final class Minibatches {
        private final INDArray x;
        private final INDArray y;
        private final INDArray xs;
        private final INDArray ys;
        private final DataSet[] batches;
        private int[] gathered;

        Minibatches(INDArray x, INDArray y, int batchSize) {
            this.x = x;
            this.y = y;
            int n = (int) x.rows();
            xs = Nd4j.createUninitialized(x.dataType(), x.shape(), 'c');
            ys = Nd4j.createUninitialized(y.dataType(), y.shape(), 'c');
            batches = new DataSet[(n + batchSize - 1) / batchSize];
            for (int k = 0; k < batches.length; k++) {
                int from = k * batchSize;
                int to = Math.min(n, from + batchSize);
                batches[k] = new DataSet(xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                        ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
            }
        }

        DataSet[] of(int[] order) {
            if (order != gathered) {
                Nd4j.pullRows(x, xs, 1, order);
                Nd4j.pullRows(y, ys, 1, order);
                gathered = order;
            }
            return batches;
        }
    }
}
