package gdlab.experiment;

/** The three modes of gradient descent, named by how many examples one update sees out of the n it trains on. */
public final class GdMode {
    public static final String BATCH = "batch";
    public static final String STOCHASTIC = "stochastic";
    public static final String MINI_BATCH = "mini-batch";

    private GdMode() {
    }

    /** batch (B = n), stochastic (B = 1) or mini-batch (1 < B < n). */
    public static String of(int batchSize, int n) {
        return batchSize == n ? BATCH : batchSize == 1 ? STOCHASTIC : MINI_BATCH;
    }
}
