package gdlab.reference;

import gdlab.data.EpochOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Minibatch training of an {@link Mlp} with an {@link Updater}, as DL4J's {@code fit} does it with
 * {@code STOCHASTIC_GRADIENT_DESCENT}: each epoch visits the examples in the {@link Ordering}'s order, split by
 * {@link EpochOrder#minibatches} into minibatches of {@code batchSize} (the last one holds the remainder); each
 * minibatch is one step with its MEAN gradient plus the L2 term ({@link Mlp#evaluate}). {@code batchSize = n} is
 * full-batch gradient descent, 1 is stochastic gradient descent.
 *
 * <p>The trainer keeps its position: {@link #step()} takes the next minibatch, crossing into the next epoch when one
 * ends, so "exactly k steps" is {@link #steps(int)}; {@link #finishEpoch()} and {@link #epochs(int)} work in whole
 * epochs. The updater's iteration count runs on across epochs. The per-step loss is the minibatch's score before its
 * update, L2 term included (DL4J's {@code score()} after {@code fit} on that minibatch); the per-epoch loss is the
 * score of the whole training set after the epoch, also with the L2 term.
 */
public final class ReferenceTrainer {
    private final Mlp mlp;
    private final Updater updater;
    private final double[] params;
    private final double[][] x;
    private final double[][] y;
    private final int batchSize;
    private final Ordering ordering;

    private int epoch;
    private int stepsTaken;
    private int[][] batches;
    private int nextBatch;
    private final List<Double> epochStepLosses = new ArrayList<>();
    private Epoch lastEpoch;

    /** One finished epoch: its index (0-based), the loss of each of its steps, and the training loss after it. */
    public record Epoch(int index, double[] stepLosses, double trainLoss) {
    }

    /**
     * @param initialParams copied; the trainer updates its own copy (see {@link #params()})
     */
    public ReferenceTrainer(Mlp mlp, Updater updater, double[] initialParams, double[][] x, double[][] y,
            int batchSize, Ordering ordering) {
        this.mlp = Check.notNull("mlp", mlp);
        this.updater = Check.notNull("updater", updater);
        Check.length("initialParams", initialParams, mlp.numParams());
        this.params = Check.finite("initialParams", initialParams).clone();
        Check.notNull("x", x);
        Check.notNull("y", y);
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have as many rows, got " + x.length + " and " + y.length);
        }
        this.x = x.clone();
        this.y = y.clone();
        mlp.score(this.params, this.x, this.y); // checks the shapes now rather than at the first step
        this.batchSize = Check.atLeast("batch size", batchSize, 1);
        this.ordering = Check.notNull("ordering", ordering);
    }

    /** One update on the next minibatch; returns that minibatch's score before the update. */
    public double step() {
        if (batches == null) {
            batches = EpochOrder.minibatches(ordering.order(epoch, x.length), batchSize);
            nextBatch = 0;
        }
        int[] rows = batches[nextBatch];
        double[][] bx = new double[rows.length][];
        double[][] by = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            bx[r] = x[rows[r]];
            by[r] = y[rows[r]];
        }
        Mlp.Evaluation e = mlp.evaluate(params, bx, by);
        updater.step(params, e.gradient());
        epochStepLosses.add(e.score());
        stepsTaken++;
        nextBatch++;
        if (nextBatch == batches.length) {
            lastEpoch = new Epoch(epoch, stepLossesArray(), Double.NaN);
            epochStepLosses.clear();
            batches = null;
            epoch++;
        }
        return e.score();
    }

    /** Exactly {@code k} steps (across epoch boundaries as needed); the loss of each. */
    public double[] steps(int k) {
        Check.atLeast("k", k, 0);
        double[] losses = new double[k];
        for (int i = 0; i < k; i++) {
            losses[i] = step();
        }
        return losses;
    }

    /**
     * Steps to the end of the current epoch (a whole epoch if none is under way) and reports it; its step losses
     * include any steps of the epoch already taken with {@link #step()}.
     */
    public Epoch finishEpoch() {
        int current = epoch;
        do {
            step();
        } while (epoch == current);
        return new Epoch(lastEpoch.index(), lastEpoch.stepLosses(), trainLoss());
    }

    /** {@code count} whole epochs, from the current position. */
    public List<Epoch> epochs(int count) {
        Check.atLeast("epoch count", count, 0);
        List<Epoch> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(finishEpoch());
        }
        return out;
    }

    /** The score of the whole training set at the current parameters, L2 term included. */
    public double trainLoss() {
        return mlp.score(params, x, y);
    }

    /** A copy of the current parameters. */
    public double[] params() {
        return params.clone();
    }

    /** Updates this trainer has taken so far. */
    public int iteration() {
        return stepsTaken;
    }

    /** Epochs completed so far. */
    public int epoch() {
        return epoch;
    }

    /** Minibatches (updates) per epoch: ceil(n / batchSize). */
    public int batchesPerEpoch() {
        return (x.length + batchSize - 1) / batchSize;
    }

    public Mlp mlp() {
        return mlp;
    }

    public Updater updater() {
        return updater;
    }

    private double[] stepLossesArray() {
        double[] a = new double[epochStepLosses.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = epochStepLosses.get(i);
        }
        return a;
    }
}
