package gdlab.experiment.learningrate;

import gdlab.dl4j.Trainer;
import gdlab.exact.LeastSquares;

import java.util.List;

/** What one run's losses say: its regime, how often the loss rose, whether it was stable, how fast it converged. */
final class Measures {
    static final String TOO_SLOW = "too-slow";
    static final String CONVERGED = "converged";
    static final String OSCILLATING = "oscillating";
    static final String DIVERGED = "diverged";

    /** Share of epochs with a rising loss above which a run that missed the target counts as oscillating. */
    static final double OSCILLATION_SHARE = 0.2;

    private Measures() {
    }

    /** The training loss before the first update and after each epoch. */
    static double[] losses(Trainer.Outcome t) {
        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        for (int i = 0; i < t.epochs().size(); i++) {
            losses[i + 1] = t.epochs().get(i).trainLoss();
        }
        return losses;
    }

    /**
     * The relative excess loss, or 0 below 1e-12: there L - L* is at the precision of the loss itself (round-off,
     * which differs between CPUs' kernels), not a measurement.
     */
    static double gapOrZero(double gap) {
        return Math.abs(gap) < 1e-12 ? 0.0 : gap;
    }

    /**
     * The regime of one run, from its measurements: {@code diverged} when the loss blew up (non-finite or above the
     * Trainer's blow-up bound) or ended no lower than it started; {@code converged} when the final loss is at most
     * the target; otherwise {@code oscillating} when the loss rose in at least {@value #OSCILLATION_SHARE} of the
     * epochs or the iterates overshot (the top-eigenvector component changed sign in at least half the steps), and
     * {@code too-slow} when it fell steadily but not far enough.
     */
    static String regime(boolean blewUp, double finalLoss, double initialLoss, double target, double upShare,
                         double overshoot) {
        if (blewUp || !(finalLoss < initialLoss)) {
            return DIVERGED;
        }
        if (finalLoss <= target) {
            return CONVERGED;
        }
        return upShare >= OSCILLATION_SHARE || overshoot >= 0.5 ? OSCILLATING : TOO_SLOW;
    }

    /**
     * Share of epochs whose loss rose over the previous one; changes are counted only while the loss is above
     * {@code floor + 1e-10 scale} (below that, round-off moves it either way).
     */
    static double upShare(double[] losses, double floor, double scale) {
        int counted = 0;
        int up = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i - 1] - floor > 1e-10 * scale || losses[i] - floor > 1e-10 * scale) {
                counted++;
                up += losses[i] <= losses[i - 1] ? 0 : 1;
            }
        }
        return counted == 0 ? 0 : (double) up / counted;
    }

    /** Share of steps where the value changed sign, while it is above 1e-9 of its start in magnitude. */
    static double signAlternation(List<Double> values) {
        double start = Math.abs(values.get(0));
        int counted = 0;
        int flips = 0;
        for (int i = 1; i < values.size(); i++) {
            double a = values.get(i - 1);
            double b = values.get(i);
            if (Double.isFinite(a) && Double.isFinite(b) && !(Math.max(Math.abs(a), Math.abs(b)) <= 1e-9 * start)) {
                counted++;
                flips += a * b < 0 ? 1 : 0;
            }
        }
        return counted == 0 ? 0 : (double) flips / counted;
    }

    /**
     * Unstable when the excess loss at the end is larger than at half-way (and still above 1e-9 of its start) or
     * the run blew up. Near the edge only the top eigen-direction matters after a few steps, and its factor per
     * step is |1 - lr lambda_max|: growing exactly when lr > 2 / lambda_max.
     */
    static boolean unstable(double[] losses, double lossStar) {
        int end = losses.length - 1;
        double last = losses[end] - lossStar;
        return !Double.isFinite(last) || last > losses[end / 2] - lossStar && last > 1e-9 * (losses[0] - lossStar);
    }

    /**
     * The measured convergence rate of a full-batch run: per step, the error factor sqrt(gap_t2 / gap_t1)^(1/(t2 -
     * t1)) between the first step with a relative excess loss at most 1e-2 (or half-way if it never gets there) and
     * the last step (the run stops at 1e-10). Infinity when the run is unstable.
     */
    static double measuredRate(double[] losses, double lossStar) {
        if (unstable(losses, lossStar)) {
            return Double.POSITIVE_INFINITY;
        }
        int end = losses.length - 1;
        int t1 = end / 2;
        for (int t = 0; t < end; t++) {
            if (losses[t] - lossStar <= 1e-2 * (losses[0] - lossStar)) {
                t1 = t;
                break;
            }
        }
        t1 = end - t1 < 2 ? Math.max(0, end - 2) : t1;
        double g1 = losses[t1] - lossStar;
        double g2 = losses[end] - lossStar;
        return g1 > 0 && g2 > 0 ? Math.pow(g2 / g1, 0.5 / (end - t1)) : 0;
    }

    /**
     * The worst-case start for rates: theta* + u_min / sqrt(lambda_min) + u_max / sqrt(lambda_max) (output 0), the
     * two extreme eigen-directions with equal shares (1/2 each) of the excess loss L0 - L* = 1. From there the
     * excess loss is exactly (rate_min^2t + rate_max^2t) / 2, so the fastest lr is the one that balances the two.
     */
    static double[] worstStart(LeastSquares ls) {
        double[] start = ls.minimizer();
        double[] values = ls.eigen().values();
        int low = 0;
        while (values[low] <= 1e-10 * ls.lambdaMax()) {
            low++;
        }
        double[] bottom = ls.embed(ls.eigen().vectors()[low], 0);
        double[] top = ls.embed(ls.eigen().top(), 0);
        for (int i = 0; i < start.length; i++) {
            start[i] += bottom[i] / Math.sqrt(values[low]) + top[i] / Math.sqrt(ls.lambdaMax());
        }
        return start;
    }
}
