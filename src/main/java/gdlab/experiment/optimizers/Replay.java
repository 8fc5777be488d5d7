package gdlab.experiment.optimizers;

import gdlab.dl4j.Trainer;
import gdlab.report.Metric;

/**
 * The reference's replay of a DL4J run, compared point by point (after each epoch on networks, each step on
 * functions).
 *
 * @param finalLoss    the reference's loss at the end
 * @param firstRelDiff relative difference after the first epoch or step (NaN if either is not finite)
 * @param firstAgrees  whether they {@link #agree} after the first epoch or step
 * @param finalRelDiff relative difference at the end (NaN if either is not finite)
 * @param splitStep    the first step at which they disagree ({@link #agree}), or null if they never do
 * @param agrees       whether they agree at the end
 */
record Replay(double finalLoss, double firstRelDiff, boolean firstAgrees, double finalRelDiff, Long splitStep,
              boolean agrees) {

    static Replay of(double[] dl4j, double[] reference, long stepsPerPoint) {
        int n = Math.min(dl4j.length, reference.length);
        Long split = null;
        for (int i = 0; i < n && split == null; i++) {
            if (!agree(dl4j[i], reference[i], dl4j[0])) {
                split = i * stepsPerPoint;
            }
        }
        double mine = dl4j[dl4j.length - 1];
        double theirs = reference[reference.length - 1];
        return new Replay(theirs, n > 1 ? relativeDifference(dl4j[1], reference[1]) : Double.NaN,
                n <= 1 || agree(dl4j[1], reference[1], dl4j[0]), relativeDifference(mine, theirs), split,
                agree(mine, theirs, dl4j[0]));
    }

    /** The replay's metrics of a cell; all blank for a cell the reference does not replay ({@code r} null). */
    static Metric.Values put(Replay r, Metric.Values v) {
        return v.put("ref_final_loss", r == null ? null : r.finalLoss)
                .put("ref_first_rel_diff", r == null ? null : r.firstRelDiff)
                .put("ref_first_agrees", r == null ? null : r.firstAgrees ? 1 : 0)
                .put("ref_final_rel_diff", r == null ? null : r.finalRelDiff)
                .put("ref_split_step", r == null ? null : r.splitStep)
                .put("ref_agrees", r == null ? null : r.agrees ? 1 : 0);
    }

    static double relativeDifference(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return Double.NaN;
        }
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    /**
     * DL4J and the reference agree when their losses after the same steps differ by at most 1e-6 relative (plus
     * 1e-12 absolute), or when both blew up (non-finite, or above {@link Trainer#BLOW_UP} times the start).
     */
    static boolean agree(double dl4j, double reference, double initial) {
        double limit = Trainer.BLOW_UP * Math.max(initial, 1.0);
        boolean blewDl4j = !Double.isFinite(dl4j) || dl4j > limit;
        boolean blewRef = !Double.isFinite(reference) || reference > limit;
        if (blewDl4j || blewRef) {
            return blewDl4j && blewRef;
        }
        return Math.abs(dl4j - reference) <= 1e-6 * Math.max(Math.abs(dl4j), Math.abs(reference)) + 1e-12;
    }
}
