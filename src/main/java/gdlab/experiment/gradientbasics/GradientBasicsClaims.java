package gdlab.experiment.gradientbasics;

import gdlab.basics.GradientCheck;
import gdlab.basics.LossFunctions;
import gdlab.basics.SgdSteps;
import gdlab.basics.StepDirections;
import gdlab.report.Claim;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToDoubleFunction;

/**
 * The claims of gradient-basics' hypothesis, in its order. DL4J against the reference and the textbook (the loss
 * gradients, the first-order step, what the first SGD steps do) are integrity checks, each over every cell (data set
 * and seed); what a step of larger eta or a random direction does is a finding. The hypothesis in
 * experiments/gradient-basics.properties is these statements, each after its id in brackets.
 */
final class GradientBasicsClaims {
    /** A random unit direction's cosine with g has standard deviation about 1/sqrt(n): "barely" is 3 of them. */
    static final double RANDOM_SIGMAS = 3;

    static final String LOSS_VALUES = "DL4J's loss values (cross-entropy, squared error, binary cross-entropy) equal "
            + "the reference's, to 1e-12 relative.";
    static final String SCORE = "The network's own score() is its multi-class cross-entropy.";
    static final String LOSS_GRADIENTS = "DL4J's loss gradients dL/dz equal the reference's, to 1e-12.";
    static final String P_MINUS_Y = "Softmax + cross-entropy gives dL/dz = p - y exactly (to 1e-12).";
    static final String BACKPROP = "DL4J's backprop gradient equals the reference's, to 1e-12.";
    static final String FINITE_DIFFERENCES = "Finite differences of DL4J's score reproduce its backprop gradient in "
            + "every layer's weights and biases: block relative error at most fd_tolerance (default 1e-6).";
    static final String FIRST_ORDER = "A small step along -g (the smallest eta) lowers the loss by eta |g|^2, within "
            + "first_order_tolerance (default 1%).";
    static final String CURVATURE = "Curvature takes over at larger eta: at the largest eta the decrease along -g is "
            + "off eta |g|^2 by more than first_order_tolerance.";
    static final String PLUS_G = "A small step along +g raises the loss.";
    static final String RANDOM = "A random direction of the same length barely changes the loss: at the smallest eta by at "
            + "most 3/sqrt(n) of eta |g|^2 (n parameters; a random direction's cosine with g is about 1/sqrt(n)).";
    static final String STEP_LOSSES = "The losses after every step equal the reference's, to 1e-12 relative.";
    static final String SGD_LOSS = "In the run's first sgd_steps SGD steps (the check names how many) the "
            + "training loss falls.";
    static final String SGD_MOVES = "In those steps the weights and biases of every layer move.";
    static final String SGD_REFERENCE = "The reference's SGD steps land on DL4J's parameters, to 1e-10.";
    static final String CELLS = "Every cell computes all four parts.";

    private final Map<String, List<CellView>> byData;
    private final double smallest;
    private final double largest;

    private GradientBasicsClaims(Map<String, List<CellView>> byData, double[] etas) {
        this.byData = byData;
        this.smallest = etas[0];
        this.largest = etas[etas.length - 1];
    }

    /** Every claim of the hypothesis, in its order, over the finished cells {@code byData} of {@code results}. */
    static List<Claim> of(Spec spec, double[] etas, Map<String, List<CellView>> byData, List<CellResult> results) {
        GradientBasicsClaims c = new GradientBasicsClaims(byData, etas);
        double agree = GradientBasics.AGREEMENT;
        String mcx = LossFunctions.Pairing.MCXENT_SOFTMAX.id;
        double fd = spec.real("fd_tolerance");
        double tol = spec.real("first_order_tolerance");
        int steps = spec.integer("sgd_steps");
        List<CellResult> failed = results.stream().filter(r -> r.status() != CellResult.Status.OK).toList();
        return List.of(
                c.atMost("loss_values_match_reference", LOSS_VALUES, agree, "relative diff",
                        x -> worstLoss(x, CellView::lossRelDiff)),
                c.atMost("score_is_cross_entropy", SCORE, agree, "abs diff",
                        x -> Math.abs(x.loss("network", "score_dl4j") - x.loss(mcx, "loss_dl4j"))),
                c.atMost("loss_gradients_match_reference", LOSS_GRADIENTS, agree, "abs diff",
                        x -> worstLoss(x, (v, p) -> v.loss(p, "gradient_max_abs_diff"))),
                c.atMost("softmax_cross_entropy_gradient", P_MINUS_Y, agree, "|dL/dz - (p - y)|",
                        x -> x.loss(mcx, "gradient_max_abs_minus_a_minus_y")),
                c.atMost("backprop_matches_reference", BACKPROP, agree, "abs diff",
                        x -> x.m().value(GradientCheck.PART, "all", "reference_max_abs_diff")),
                c.atMost("finite_differences_match_backprop", FINITE_DIFFERENCES, fd, "worst block rel_error",
                        CellView::worstBlockRelError),
                c.atMost("first_order_decrease", FIRST_ORDER, tol, "|decrease / eta|g|^2 - 1| at eta = "
                        + Table.readable(c.smallest), x -> Math.abs(x.ratio(StepDirections.MINUS_G,
                        c.smallest) - 1)),
                c.every("curvature_takes_over", Claim.Kind.FINDING, CURVATURE, "|decrease / eta|g|^2 - 1| > "
                                + Table.readable(tol) + " at eta = " + Table.readable(c.largest) + " in every cell",
                        "|decrease / eta|g|^2 - 1|", x -> Math.abs(x.ratio(StepDirections.MINUS_G, c.largest)
                                - 1), v -> v > tol),
                c.every("plus_g_raises_loss", Claim.Kind.INTEGRITY, PLUS_G, "a loss change > 0 at eta = "
                                + Table.readable(c.smallest) + " in every cell", "loss change along +g",
                        x -> x.step(StepDirections.PLUS_G, "loss_change", c.smallest), v -> v > 0),
                c.every("random_direction_barely_changes", Claim.Kind.FINDING, RANDOM, "|change / eta|g|^2| x sqrt(n) <= "
                                + Table.readable(RANDOM_SIGMAS) + " in every cell",
                        "|change / eta|g|^2| x sqrt(n)", x -> Math.abs(x.ratio(StepDirections.RANDOM,
                                c.smallest)) * Math.sqrt(x.result().number("n_params")),
                        v -> v <= RANDOM_SIGMAS, Table.readable(RANDOM_SIGMAS) + " standard deviations of a random "
                                + "direction's cosine with g (1/sqrt(n)): exceeded by chance in about 0.3% of cells"),
                c.atMost("step_losses_match_reference", STEP_LOSSES, agree, "relative diff",
                        x -> x.m().value(StepDirections.PART, "all", "reference_max_rel_diff")),
                c.every("sgd_lowers_loss", Claim.Kind.INTEGRITY, SGD_LOSS, "a training loss after " + steps
                                + " steps below the one at step 0 in every cell", "loss after / before",
                        x -> x.sgd(SgdSteps.LOSS, "train_loss", steps) / x.sgd(SgdSteps.LOSS, "train_loss", 0),
                        v -> v < 1),
                c.every("sgd_moves_every_block", Claim.Kind.INTEGRITY, SGD_MOVES, "|theta_t - theta_0| > 0 after "
                                + steps + " steps in every block of every cell", "smallest block |change|",
                        x -> x.minBlockChange(steps), v -> v > 0),
                c.atMost("sgd_matches_reference", SGD_REFERENCE, GradientBasics.SGD_AGREEMENT, "abs diff",
                        x -> x.m().value(SgdSteps.PART, "reference", "max_abs_param_diff")),
                Claim.integrity("every_cell_finishes", CELLS, failed.isEmpty() ? results.size() + " of "
                                + results.size() + " cells finished" : failed.size() + " cell(s) failed: "
                                + failed.get(0).message(), "no failed cell", failed.isEmpty(), "exact count of cells"));
    }

    /** The worst of a difference over the three losses (NaN counts as infinitely bad). */
    private static double worstLoss(CellView x, ToDoubleBiFunction<CellView, String> diff) {
        return Arrays.stream(LossFunctions.Pairing.values()).mapToDouble(p -> diff.applyAsDouble(x, p.id))
                .map(v -> Double.isNaN(v) ? Double.POSITIVE_INFINITY : v).max().orElse(0);
    }

    /** Integrity: a difference at most {@code bound} in every cell. */
    private Claim atMost(String id, String statement, double bound, String what, ToDoubleFunction<CellView> f) {
        return every(id, Claim.Kind.INTEGRITY, statement, what + " <= " + Table.readable(bound) + " in every cell",
                "max " + what, f, v -> v <= bound, Support.bound(bound) + " in every cell");
    }

    /** {@code ok} of f's value in every finished cell; measured: per data set the largest value (or the range). */
    private Claim every(String id, Claim.Kind kind, String statement, String expected, String what,
                        ToDoubleFunction<CellView> f, Predicate<Double> ok) {
        return every(id, kind, statement, expected, what, f, ok, "each cell's value, computed without noise: "
                + expected);
    }

    /** As above, with the support the verdict rests on (a bound, or the condition every cell's value meets). */
    private Claim every(String id, Claim.Kind kind, String statement, String expected, String what,
                        ToDoubleFunction<CellView> f, Predicate<Double> ok, String support) {
        if (byData.isEmpty()) {
            return Claim.notTested(id, kind, statement, "no cell finished", expected);
        }
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (Map.Entry<String, List<CellView>> e : byData.entrySet()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (CellView x : e.getValue()) {
                double v = f.applyAsDouble(x);
                holds &= !Double.isNaN(v) && ok.test(v);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            parts.add(e.getKey() + " " + (what.startsWith("max ") || lo == hi ? Table.readable(hi)
                    : Table.readable(lo) + " to " + Table.readable(hi)));
        }
        String measured = (what.startsWith("max ") ? what : what + " (min to max over seeds)") + ": "
                + String.join(", ", parts);
        return kind == Claim.Kind.INTEGRITY ? Claim.integrity(id, statement, measured, expected, holds, support)
                : Claim.finding(id, statement, measured, expected, holds, support);
    }
}
