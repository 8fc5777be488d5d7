package gdlab.data;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits the training examples.
 *
 * <p>One seeded Fisher-Yates shuffle per epoch, a pure function of (seed, epoch, n): DL4J training and the
 * reference ask this class for the same order, so both see the same minibatches in the same sequence and whole
 * epochs can be compared, not just single steps.
 */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** A permutation of 0..n-1 for the given epoch (0-based); the same arguments always give the same order. */
    public static int[] shuffled(long seed, int epoch, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] order = identity(n);
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /** 0, 1, ..., n-1: the fixed order (no shuffling). */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * Splits an order into consecutive minibatches of {@code batchSize}; the last one holds the remainder.
     * Returns the index arrays, one per update.
     */
    public static int[][] minibatches(int[] order, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        int count = (order.length + batchSize - 1) / batchSize;
        int[][] batches = new int[count][];
        for (int b = 0; b < count; b++) {
            int from = b * batchSize;
            int to = Math.min(order.length, from + batchSize);
            batches[b] = java.util.Arrays.copyOfRange(order, from, to);
        }
        return batches;
    }

    private static long mix(long seed, int epoch) {
        // SplitMix64 finalizer over (seed, epoch) so neighbouring epochs get unrelated streams
        long z = seed * 0x9E3779B97F4A7C15L + epoch + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
