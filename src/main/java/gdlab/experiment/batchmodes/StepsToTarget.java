package gdlab.experiment.batchmodes;

import gdlab.data.EpochOrder;
import gdlab.dl4j.Tensors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;

/**
 * Steps to a target training loss at one batch size, the learning rate tuned for it: the measurement behind the
 * curve of Shallue et al. 2018 ("Measuring the effects of data parallelism on neural network training"), where the
 * steps fall about as 1/B for small batches and then flatten. Each batch size gets its own best rate, so the curve
 * shows what the batch size does, not what one rate suits: the rates of a grid (multiples of lr_crit) are tried from
 * the largest down, and the search stops once a smaller rate no longer reaches the target in fewer steps (a rate
 * too large diverges, the next ones get slower). The training loss over the whole set is checked 64 times an epoch
 * (every update when an epoch has fewer), so steps are counted to within 1/64 epoch.
 */
final class StepsToTarget {
    /** Checks of the training loss per epoch. */
    static final int CHECKS_PER_EPOCH = 64;
    /** A try whose training loss exceeds this multiple of its initial loss has diverged (and stops). */
    static final double DIVERGED = 2;

    private StepsToTarget() {
    }

    /**
     * One rate's training run.
     *
     * @param steps  updates until the training loss was at most the target; null when it was not within the budget
     * @param points (updates, training loss) at each check
     */
    record Try(double ratio, Long steps, boolean diverged, List<double[]> points) {
        String describe() {
            return String.format(Locale.ROOT, "%s: %s", gdlab.report.Table.readable(ratio),
                    diverged ? "diverged" : steps == null ? "not reached" : steps + " steps");
        }
    }

    /** The best try, and every try in the order made. */
    record Search(Try best, List<Try> tries) {
        String describe() {
            return tries.stream().map(Try::describe).collect(Collectors.joining("; "));
        }
    }

    /**
     * Tries {@code ratios} from the largest down, each on a fresh network from {@code newNet} (given the ratio).
     */
    static Search search(double[] ratios, DoubleFunction<MultiLayerNetwork> newNet, INDArray x, INDArray y,
                         int batchSize, long maxUpdates, double target, long seed) {
        double[] descending = Arrays.stream(ratios).map(r -> -r).sorted().map(r -> -r).toArray();
        List<Try> tries = new ArrayList<>();
        Try best = null;
        for (double ratio : descending) {
            Try t = train(ratio, newNet.apply(ratio), x, y, batchSize, maxUpdates, target, seed);
            tries.add(t);
            if (t.steps() != null && (best == null || t.steps() < best.steps())) {
                best = t;
            } else if (best != null) {
                break;
            }
        }
        return new Search(best, tries);
    }

    /** Trains until the target, divergence or {@code maxUpdates} updates, checking the loss as the class says. */
    static Try train(double ratio, MultiLayerNetwork net, INDArray x, INDArray y, int batchSize, long maxUpdates,
                     double target, long seed) {
        int n = (int) x.rows();
        DataSet all = new DataSet(x, y);
        int perEpoch = (n + batchSize - 1) / batchSize;
        int every = Math.max(1, perEpoch / CHECKS_PER_EPOCH);
        double initial = net.score(all);
        List<double[]> points = new ArrayList<>();
        points.add(new double[]{0, initial});
        long updates = 0;
        for (int epoch = 0; updates < maxUpdates; epoch++) {
            int[] order = EpochOrder.shuffled(seed, epoch, n);
            for (int k = 0; k < perEpoch && updates < maxUpdates; k++) {
                net.fit(batchSize == n ? all
                        : Tensors.rows(x, y, Arrays.copyOfRange(order, k * batchSize, Math.min(n, (k + 1) * batchSize))));
                updates++;
                if (updates % every == 0 || k == perEpoch - 1 || updates == maxUpdates) {
                    double loss = net.score(all);
                    points.add(new double[]{updates, loss});
                    if (!Double.isFinite(loss) || loss > DIVERGED * initial) {
                        return new Try(ratio, null, true, points);
                    }
                    if (loss <= target) {
                        return new Try(ratio, updates, false, points);
                    }
                }
            }
        }
        return new Try(ratio, null, false, points);
    }
}
