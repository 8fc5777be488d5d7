package gdlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A train/test split by a seeded shuffle, with features standardized by statistics of the train split only (so
 * nothing about the test examples leaks into training).
 *
 * @param train standardized train examples
 * @param test  test examples, standardized with the train statistics
 */
public record Split(Dataset train, Dataset test) {

    /**
     * @param testFraction share of examples held out, in [0, 1)
     * @param maxExamples  use only the first this-many examples of the shuffled data (0 = all): a subsample that
     *                     the seed alone decides, the same on every run
     */
    public static Split of(Dataset data, double testFraction, long seed, int maxExamples) {
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        int[] order = EpochOrder.identity(data.size());
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int n = maxExamples > 0 ? Math.min(maxExamples, order.length) : order.length;
        int nTest = (int) Math.round(n * testFraction);
        // the row copies are the split's own: standardized in place, so a large set is held twice at most (the
        // caller's and the split's), not three times
        Dataset train = data.rows(Arrays.copyOfRange(order, nTest, n));
        Dataset test = data.rows(Arrays.copyOfRange(order, 0, nTest));
        Standardizer scaler = Standardizer.fit(train.features());
        scaler.applyInPlace(train.features());
        scaler.applyInPlace(test.features());
        return new Split(train, test);
    }

    /** Per-feature mean and standard deviation; a constant feature is only centred. */
    public record Standardizer(double[] mean, double[] std) {

        public static Standardizer fit(double[][] x) {
            int d = x.length == 0 ? 0 : x[0].length;
            double[] mean = new double[d];
            double[] std = new double[d];
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    mean[j] += row[j] / x.length;
                }
            }
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
                }
            }
            for (int j = 0; j < d; j++) {
                std[j] = std[j] > 1e-12 ? Math.sqrt(std[j]) : 1.0;
            }
            return new Standardizer(mean, std);
        }

        /** Standardizes the rows of {@code x} in place. */
        void applyInPlace(double[][] x) {
            for (double[] row : x) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = (row[j] - mean[j]) / std[j];
                }
            }
        }

        public Dataset apply(Dataset data) {
            double[][] x = new double[data.size()][];
            for (int i = 0; i < x.length; i++) {
                double[] row = data.features()[i];
                x[i] = new double[row.length];
                for (int j = 0; j < row.length; j++) {
                    x[i][j] = (row[j] - mean[j]) / std[j];
                }
            }
            return new Dataset(data.name(), x, data.labels(), data.featureNames(), data.classNames());
        }
    }
}
