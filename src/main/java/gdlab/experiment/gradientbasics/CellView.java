package gdlab.experiment.gradientbasics;

import gdlab.basics.GradientCheck;
import gdlab.basics.LossFunctions;
import gdlab.basics.Measurements;
import gdlab.basics.SgdSteps;
import gdlab.basics.StepDirections;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One cell's measurements and the numbers derived from them, for its metrics, the tables and the claims.
 *
 * @param result the cell's result (null while the cell is still measuring)
 * @param m      its measurements, curves.csv's rows
 * @param blocks its parameter blocks ({@code 0_W}, {@code 0_b}, ...), in the network's order
 */
record CellView(CellResult result, Measurements m, List<String> blocks) {

    /** A finished cell, its measurements read back from its curve. */
    static CellView of(CellResult r) {
        Measurements m = new Measurements(r.curve());
        return new CellView(r, m, m.series(GradientCheck.PART).stream().filter(b -> !b.equals("all")).toList());
    }

    long seed() {
        return result.cell().longValue("seed");
    }

    /** A quantity of part 1 for a loss ({@code mcxent+softmax}, ...) or {@code network}. */
    double loss(String series, String quantity) {
        return m.value(LossFunctions.PART, series, quantity);
    }

    /** |DL4J's loss - the reference's| / |the reference's|. */
    double lossRelDiff(String series) {
        return Math.abs(loss(series, "loss_dl4j") - loss(series, "loss_reference")) / Math.abs(loss(series,
                "loss_reference"));
    }

    /** A quantity of part 3 after one step of size {@code eta} along {@code direction}. */
    double step(String direction, String quantity, double eta) {
        return m.at(StepDirections.PART, direction, quantity, eta);
    }

    /** A quantity of part 4 after {@code step} SGD steps, for a block or the loss. */
    double sgd(String series, String quantity, int step) {
        return m.at(SgdSteps.PART, series, quantity, step);
    }

    double gradientNorm() {
        return Math.sqrt(m.value(StepDirections.PART, "start", "gradient_norm_squared"));
    }

    /** Loss change along a direction divided by the first-order size eta |g|^2 (for -g: the decrease). */
    double ratio(String direction, double eta) {
        double gg = m.value(StepDirections.PART, "start", "gradient_norm_squared");
        double change = step(direction, "loss_change", eta);
        return (direction.equals(StepDirections.MINUS_G) ? -change : change) / (eta * gg);
    }

    /**
     * Every DL4J-vs-reference comparison of the cell: the network's score vs its MCXENT loss, each loss value
     * (relative) and loss gradient, the backprop gradient, the losses after the steps of part 3 (relative), the
     * parameters after the SGD steps (the last: its tolerance is {@link GradientBasics#SGD_AGREEMENT}, the others'
     * {@link GradientBasics#AGREEMENT}).
     */
    double[] referenceDiffs() {
        List<Double> d = new ArrayList<>();
        d.add(Math.abs(loss("network", "score_dl4j") - loss(LossFunctions.Pairing.MCXENT_SOFTMAX.id, "loss_dl4j")));
        for (LossFunctions.Pairing p : LossFunctions.Pairing.values()) {
            d.add(lossRelDiff(p.id));
            d.add(loss(p.id, "gradient_max_abs_diff"));
        }
        d.add(m.value(GradientCheck.PART, "all", "reference_max_abs_diff"));
        d.add(m.value(StepDirections.PART, "all", "reference_max_rel_diff"));
        d.add(m.value(SgdSteps.PART, "reference", "max_abs_param_diff"));
        return d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    int referenceMismatches() {
        double[] d = referenceDiffs();
        int mismatches = 0;
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] <= (i == d.length - 1 ? GradientBasics.SGD_AGREEMENT : GradientBasics.AGREEMENT))) {
                mismatches++;
            }
        }
        return mismatches;
    }

    /** Backprop entries of the block's checked parameters that no ReLU kink is within reach of. */
    double[] backprop(String block) {
        return smooth(block, m.values(GradientCheck.PART, block, "backprop"));
    }

    /** The finite differences of the same entries. */
    double[] finiteDifference(String block) {
        return smooth(block, m.values(GradientCheck.PART, block, "finite_difference"));
    }

    private double[] smooth(String block, double[] v) {
        double[] kink = m.values(GradientCheck.PART, block, "near_kink");
        double[] out = new double[v.length];
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (kink[i] == 0) {
                out[n++] = v[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Checked parameters whose +-h nudge moves some hidden pre-activation across a ReLU kink. */
    int nearKink(String block) {
        return (int) Arrays.stream(m.values(GradientCheck.PART, block, "near_kink")).filter(k -> k != 0).count();
    }

    int fdChecked() {
        return blocks.stream().mapToInt(b -> m.values(GradientCheck.PART, b, "backprop").length).sum();
    }

    int fdNearKink() {
        return blocks.stream().mapToInt(this::nearKink).sum();
    }

    double blockRelError(String block) {
        return GradientCheck.relativeError(backprop(block), finiteDifference(block));
    }

    double worstBlockRelError() {
        return blocks.stream().mapToDouble(this::blockRelError).max().orElse(0);
    }

    double[] elementRelErrors(String block) {
        double[] bp = backprop(block);
        double[] fd = finiteDifference(block);
        double[] r = new double[bp.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = GradientCheck.relativeError(bp[i], fd[i]);
        }
        return r;
    }

    double maxAbsError(String block) {
        double[] bp = backprop(block);
        double[] fd = finiteDifference(block);
        double worst = 0;
        for (int i = 0; i < bp.length; i++) {
            worst = Math.max(worst, Math.abs(bp[i] - fd[i]));
        }
        return worst;
    }

    double minBlockChange(int step) {
        return blocks.stream().mapToDouble(b -> sgd(b, "change_norm", step)).min().orElse(Double.NaN);
    }
}
