package gdlab.reference;

import gdlab.data.EpochOrder;

/**
 * The order in which each epoch visits the examples: fixed (0, 1, ..., n-1 every epoch) or shuffled per epoch with a
 * seed. Both come from {@link EpochOrder}, which the DL4J side uses too, so both sides see the same minibatches.
 *
 * @param shuffle whether each epoch is a fresh permutation
 * @param seed the seed of the permutations (unused when not shuffling)
 */
public record Ordering(boolean shuffle, long seed) {
    /** 0, 1, ..., n-1 in every epoch. */
    public static final Ordering FIXED = new Ordering(false, 0L);

    /** {@code EpochOrder.shuffled(seed, epoch, n)} in each epoch. */
    public static Ordering shuffled(long seed) {
        return new Ordering(true, seed);
    }

    /** The visiting order of epoch {@code epoch} (0-based) over {@code n} examples. */
    public int[] order(int epoch, int n) {
        return shuffle ? EpochOrder.shuffled(seed, epoch, n) : EpochOrder.identity(n);
    }
}
