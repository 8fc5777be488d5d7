package gdlab.experiment.learningrate;

import java.util.function.DoublePredicate;

/**
 * Where a learning rate starts to be unstable, without knowing lambda_max: from lr = 1, halving or doubling until
 * the verdict flips, then bisection (in log lr) until the bracket's relative width is at most the tolerance.
 *
 * @param lo   the largest rate found stable
 * @param hi   the smallest rate found unstable
 * @param runs how many runs the search took
 */
record EdgeSearch(double lo, double hi, int runs) {
    double edge() {
        return Math.sqrt(lo * hi);
    }

    static EdgeSearch of(DoublePredicate isUnstable, double tolerance) {
        double lo = 1;
        double hi = 1;
        int runs = 2;
        if (isUnstable.test(1)) {
            for (lo = 0.5; isUnstable.test(lo) && lo > 1e-300; lo /= 2) {
                runs++;
            }
        } else {
            for (hi = 2; !isUnstable.test(hi) && hi < 1e300; hi *= 2) {
                runs++;
            }
            lo = hi / 2;
        }
        while (hi / lo - 1 > tolerance) {
            double mid = Math.sqrt(lo * hi);
            runs++;
            if (isUnstable.test(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return new EdgeSearch(lo, hi, runs);
    }
}
