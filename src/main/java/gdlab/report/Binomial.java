package gdlab.report;

import org.apache.commons.math3.distribution.BinomialDistribution;

/** Shares of runs: a 95% interval for one share and an exact paired test between two modes. */
public final class Binomial {
    private Binomial() {
    }

    /** Wilson score interval (95%) for k successes in n trials: {low, high}; {NaN, NaN} for n = 0. */
    public static double[] wilson(int k, int n) {
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double z = 1.959963984540054;
        double p = (double) k / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /**
     * Exact McNemar test for paired runs (the same start or initialisation under two modes): {@code b} pairs where
     * only the first reached the goal, {@code c} where only the second did. Two-sided p-value; 1 when b = c = 0.
     */
    public static double mcnemarP(int b, int c) {
        int n = b + c;
        if (n == 0) {
            return 1.0;
        }
        // the tail summed term by term from log probabilities: the library's cumulative probability comes from a
        // regularized beta function and rounds tails below ~1e-17 to 0
        BinomialDistribution d = new BinomialDistribution(null, n, 0.5);
        double tail = 0;
        for (int k = 0; k <= Math.min(b, c); k++) {
            tail += Math.exp(d.logProbability(k));
        }
        return Math.min(1.0, 2 * tail);
    }
}
