package gdlab.experiment.learningrate;

import gdlab.experiment.GdMode;
import gdlab.report.Claim;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static gdlab.experiment.learningrate.LearningRate.CURVE;
import static gdlab.experiment.learningrate.LearningRate.REF_TOLERANCE;
import static gdlab.experiment.learningrate.LearningRateSummary.mlp;
import static gdlab.experiment.learningrate.LearningRateSummary.regime;
import static gdlab.experiment.learningrate.Measures.CONVERGED;
import static gdlab.experiment.learningrate.Measures.DIVERGED;
import static gdlab.experiment.learningrate.Measures.OSCILLATING;
import static gdlab.experiment.learningrate.Measures.TOO_SLOW;

/**
 * The claims of learning-rate's hypothesis, in its order. The hypothesis in experiments/learning-rate.properties is
 * these statements, each after its id in brackets.
 *
 * <p>Four are integrity checks: theory for full-batch GD on least squares (the divergence edge 2 / lambda_max, the
 * best constant rate 2 / (lambda_min + lambda_max) and its contraction (k-1)/(k+1) per step), measured by searches
 * that do not know the prediction, and DL4J's runs against the reference's. Failing one means gdlab or DL4J computes
 * something wrong. The rest are findings about the sweep's regimes, each over every seed of its groups (a regime is
 * a seed's; a claim about a group holds only when every seed of it agrees). A claim whose cells the run lacks (a
 * subset of the problems, batch sizes or learning rates) is not tested, with why.
 */
final class LearningRateClaims {
    /** The edge search's declared accuracy: the measured edge within 2% of 2 / lambda_max. */
    static final double EDGE_TOLERANCE = 0.02;
    /** The best-lr search's: its lr within 3% of 2 / (lambda_min + lambda_max) (the rate's V is sharp). */
    static final double BEST_LR_TOLERANCE = 0.03;
    /** Its measured rate within 0.01 of (k-1)/(k+1) (measured over a finite window from the worst-case start). */
    static final double RATE_TOLERANCE = 0.01;
    /** "Barely moves": the run keeps at least this share of its loss (least squares: of its excess loss). */
    static final double BARELY = 0.9;
    static final double SMALLEST_RATIO = 1e-4;
    static final double SLOW_RATIO = 1e-2;
    static final double CONVERGING_RATIO = 0.1;

    static final String DIVERGENCE_EDGE = "Full-batch GD on least squares diverges exactly above lr_crit = 2 / "
            + "lambda_max: the edge found by bisection (DL4J and the reference, neither told lambda_max) lies within "
            + "2% of it.";
    static final String BEST_LR = "The fastest constant learning rate of full-batch GD on the quadratic, found by "
            + "search, lies within 3% of 2 / (lambda_min + lambda_max).";
    static final String BEST_RATE = "At it the error shrinks by (k-1)/(k+1) per step (k = lambda_max / lambda_min), "
            + "within 0.01.";
    static final String MATCHES_REFERENCE = "DL4J's least-squares runs take the reference's steps: every epoch's loss "
            + "agrees to 1e-7 of the excess loss.";
    static final String BARELY_MOVES = "At 1e-4 x lr_crit the loss barely moves: every run keeps at least 90% of it "
            + "(least squares: of its excess loss L - L*).";
    static final String TOO_SLOW_SENTENCE = "Up to 1e-2 x lr_crit every run is too slow for the budget (too-slow).";
    static final String CONVERGES_BETWEEN = "From 0.1 x lr_crit up to lr_crit every full-batch run on the synthetic "
            + "quadratic converges (converged).";
    static final String DIVERGES_ABOVE = "Above lr_crit every full-batch run on least squares blows up (diverged), "
            + "and below it none does.";
    static final String NONE_CONVERGES_ABOVE = "Above lr_crit no run on least squares converges, whatever its batch "
            + "size: each diverges or oscillates.";
    static final String SMALLER_BATCHES = "Smaller batches diverge at smaller learning rates: on each problem, "
            + "compared at equal numbers of updates, the first diverging lr_ratio of the grid falls as the batch size "
            + "falls.";
    static final String MLP_FAILURE_REGIMES = "On the MLP both failure regimes show at every batch size: the "
            + "smallest lr is too-slow and the largest diverges or oscillates.";
    static final String MLP_BEST_DIFFERS = "On the MLP the best learning rate differs per batch size.";
    static final String MLP_ABOVE_SHARPNESS = "On the MLP full-batch GD still converges above 2 / (the "
            + "sharpness at the initial parameters): at some lr_ratio above 1 every seed converges.";

    private LearningRateClaims() {
    }

    /**
     * Every claim of the hypothesis, in its order.
     *
     * @param pairs each problem's neighbouring batch sizes judged at equal updates ({@link EqualUpdates})
     */
    static List<Claim> of(List<CellResult> edges, List<CellResult> bests, List<SeedGroup> groups,
                          List<EqualUpdates.Pair> pairs) {
        return List.of(relative("divergence_edge", DIVERGENCE_EDGE, edges, EDGE_TOLERANCE,
                        "the run has no least-squares problem (quadratic or linear)"),
                relative("best_lr", BEST_LR, bests, BEST_LR_TOLERANCE, "the run has no quadratic problem"),
                bestRate(bests), matchesReference(groups), barelyMoves(groups),
                tooSlow(groups), convergesBetween(groups), divergesAbove(groups), noneConvergesAbove(groups),
                smallerBatches(pairs), mlpFailureRegimes(groups), mlpBestDiffers(groups), mlpAboveSharpness(groups));
    }

    private static double ratio(SeedGroup g) {
        return g.real("lr_ratio");
    }

    private static String label(SeedGroup g) {
        return g.get("problem") + " B=" + g.get("batch_size");
    }

    /** Each group as "x0.5 converged" (with its problem and batch size first when {@code labelled}). */
    private static String described(List<SeedGroup> gs, boolean labelled) {
        return gs.stream().map(g -> (labelled ? label(g) + " " : "") + "x" + g.get("lr_ratio") + " " + regime(g))
                .collect(Collectors.joining(", "));
    }

    /** Whether every seed's regime is one of {@code regimes}. */
    private static boolean every(SeedGroup g, String... regimes) {
        return g.cells().stream().allMatch(r -> List.of(regimes).contains(String.valueOf(r.metric("regime"))));
    }

    /** The groups of one problem, by batch size (largest first), each list in increasing lr_ratio. */
    private static Map<String, Map<Integer, List<SeedGroup>>> byProblemAndBatch(List<SeedGroup> groups) {
        Map<String, Map<Integer, List<SeedGroup>>> out = new LinkedHashMap<>();
        for (SeedGroup g : groups) {
            out.computeIfAbsent(g.get("problem"), k -> new TreeMap<>(Comparator.reverseOrder()))
                    .computeIfAbsent(g.integer("batch_size"), k -> new ArrayList<>()).add(g);
        }
        out.values().forEach(m -> m.values().forEach(l -> l.sort(Comparator.comparingDouble(g -> ratio(g)))));
        return out;
    }

    /** The MLP problem's groups by batch size (a run has at most one MLP: digits' or the data's). */
    private static Map<Integer, List<SeedGroup>> mlpByBatch(List<SeedGroup> groups) {
        return byProblemAndBatch(groups).entrySet().stream().filter(e -> Problem.isMlp(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(Map.of());
    }

    /** The claim, or not tested when {@code whyNot} says why the run cannot test it (null: it can). */
    private static Claim claim(Claim.Kind kind, String id, String statement, String expected, String whyNot,
                               String measured, boolean holds, String support) {
        return whyNot != null ? Claim.notTested(id, kind, statement, whyNot, expected)
                : kind == Claim.Kind.INTEGRITY ? Claim.integrity(id, statement, measured, expected, holds, support)
                : Claim.finding(id, statement, measured, expected, holds, support);
    }

    /** The runs of {@code gs} (every seed that trained). */
    private static List<CellResult> runs(List<SeedGroup> gs) {
        return gs.stream().flatMap(g -> g.finished().stream()).toList();
    }

    private static boolean is(CellResult r, String... regimes) {
        return List.of(regimes).contains(String.valueOf(r.metric("regime")));
    }

    /** The support of a statement about every run: "k/n runs <what>; binomial 95% CI ...". */
    private static String everyRun(List<CellResult> runs, String what, String... regimes) {
        int k = (int) runs.stream().filter(r -> is(r, regimes)).count();
        return k + "/" + runs.size() + " runs " + what + "; " + Support.binomial(k, runs.size());
    }

    /** Integrity: the search's lr (DL4J's and the reference's) within {@code tolerance} of the prediction. */
    private static Claim relative(String id, String statement, List<CellResult> cells, double tolerance,
                                  String whyNot) {
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (CellResult r : cells) {
            double predicted = r.number("predicted_lr");
            double dl4j = r.number("measured_lr") / predicted;
            double ref = r.number("reference_lr") / predicted;
            holds &= Math.abs(dl4j - 1) <= tolerance && Math.abs(ref - 1) <= tolerance;
            parts.add(r.cell().get("problem") + ": DL4J " + Table.readable(r.number("measured_lr")) + " ("
                    + Table.readable(dl4j) + " x), reference " + Table.readable(r.number("reference_lr")) + " ("
                    + Table.readable(ref) + " x) vs predicted " + Table.readable(predicted));
        }
        return claim(Claim.Kind.INTEGRITY, id, statement, "measured / predicted within 1 ± "
                + Table.readable(tolerance) + " (DL4J and reference)", cells.isEmpty() ? whyNot : null,
                String.join("; ", parts), holds, "bound: within 1 ± " + Table.readable(tolerance) + " of the "
                        + "prediction, " + cells.size() + " search(es) by DL4J and by the reference");
    }

    /** Integrity: the measured rates at the best lr within RATE_TOLERANCE of (k-1)/(k+1). */
    static Claim bestRate(List<CellResult> bests) {
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (CellResult r : bests) {
            double predicted = r.number("predicted_rate");
            double dl4j = r.number("measured_rate");
            double ref = r.number("reference_rate");
            holds &= Math.abs(dl4j - predicted) <= RATE_TOLERANCE && Math.abs(ref - predicted) <= RATE_TOLERANCE;
            parts.add(r.cell().get("problem") + ": DL4J " + Table.readable(dl4j) + ", reference "
                    + Table.readable(ref) + " vs predicted " + Table.readable(predicted));
        }
        return claim(Claim.Kind.INTEGRITY, "best_rate", BEST_RATE, "|measured - (k-1)/(k+1)| <= "
                + Table.readable(RATE_TOLERANCE) + " (DL4J and reference)",
                bests.isEmpty() ? "the run has no quadratic problem" : null, String.join("; ", parts), holds,
                "bound: within ± " + Table.readable(RATE_TOLERANCE) + " of (k-1)/(k+1), DL4J and reference");
    }

    /** Integrity: no least-squares sweep run has an epoch where DL4J and the reference disagree. */
    static Claim matchesReference(List<SeedGroup> groups) {
        List<CellResult> mirrored = groups.stream().flatMap(g -> g.cells().stream())
                .filter(r -> r.metric("ref_mismatch_epochs") != null).toList();
        long mismatching = mirrored.stream().filter(r -> r.number("ref_mismatch_epochs") > 0).count();
        double worst = mirrored.stream().flatMapToDouble(r -> Arrays.stream(r.series(CURVE, "ref_rel_diff")))
                .filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
        String measured = mismatching + " of " + mirrored.size() + " runs disagree" + (Double.isNaN(worst) ? ""
                : "; largest relative difference of any epoch's loss " + Table.readable(worst));
        return claim(Claim.Kind.INTEGRITY, "dl4j_matches_reference", MATCHES_REFERENCE, "0 runs with an epoch beyond "
                + Table.readable(REF_TOLERANCE) + " of the excess loss", mirrored.isEmpty() ? "the run has no "
                + "least-squares sweep run (the reference mirrors least squares only)" : null, measured,
                mismatching == 0, "bound " + Table.readable(REF_TOLERANCE) + " of the excess loss on every epoch of "
                        + mirrored.size() + " runs");
    }

    /** Finding: at lr_ratio <= 1e-4 every seed keeps at least BARELY of its (excess) loss. */
    static Claim barelyMoves(List<SeedGroup> groups) {
        List<SeedGroup> small = groups.stream().filter(g -> ratio(g) <= SMALLEST_RATIO).toList();
        int runs = 0;
        int kept = 0;
        List<String> parts = new ArrayList<>();
        for (SeedGroup g : small) {
            List<Double> shares = g.finished().stream().map(r -> mlp(g)
                    ? r.number("final_loss") / r.number("initial_loss") : r.number("final_gap")).toList();
            runs += shares.size();
            kept += (int) shares.stream().filter(k -> k >= BARELY).count();
            parts.add(label(g) + " " + shares.stream().map(Table::readable).collect(Collectors.joining(", ")));
        }
        return claim(Claim.Kind.FINDING, "smallest_lr_barely_moves", BARELY_MOVES, "final / initial (excess) loss >= "
                + Table.readable(BARELY) + ", every seed", small.isEmpty() ? "the run has no lr_ratio at or below 1e-4"
                : null, "kept: " + String.join("; ", parts), kept == runs && runs > 0, "bound " + Table.readable(BARELY)
                + " on each run: " + kept + "/" + runs + " runs within it; " + Support.binomial(kept, runs));
    }

    /** Finding: every seed at lr_ratio <= 1e-2 is too-slow. */
    static Claim tooSlow(List<SeedGroup> groups) {
        List<SeedGroup> slow = groups.stream().filter(g -> ratio(g) <= SLOW_RATIO).toList();
        List<SeedGroup> other = slow.stream().filter(g -> !every(g, TOO_SLOW)).toList();
        return claim(Claim.Kind.FINDING, "too_slow_up_to_1e_2", TOO_SLOW_SENTENCE, "regime too-slow, every seed",
                slow.isEmpty() ? "the run has no lr_ratio at or below 1e-2" : null, slow.size() + " groups"
                        + (other.isEmpty() ? ", all too-slow" : "; not too-slow: " + described(other, true)),
                other.isEmpty(), everyRun(runs(slow), "too-slow", TOO_SLOW));
    }

    /** Finding: every seed of full-batch runs on the quadratic with 0.1 <= lr_ratio < 1 converged. */
    static Claim convergesBetween(List<SeedGroup> groups) {
        List<SeedGroup> band = groups.stream().filter(g -> g.get("problem").equals(Problem.QUADRATIC)
                && g.get("mode").equals(GdMode.BATCH) && ratio(g) >= CONVERGING_RATIO && ratio(g) < 1).toList();
        return claim(Claim.Kind.FINDING, "full_batch_converges_below_crit", CONVERGES_BETWEEN,
                "regime converged, every seed", band.isEmpty() ? "the run has no full-batch quadratic run with "
                        + "lr_ratio from 0.1 to below 1" : null, described(band, false),
                band.stream().allMatch(g -> every(g, CONVERGED)), everyRun(runs(band), "converged", CONVERGED));
    }

    /**
     * Finding comparing full-batch least squares above and below lr_crit: every run above diverged, none below. A
     * run against the statement refutes it; otherwise it holds only when the two shares' binomial 95% intervals are
     * apart (a handful of runs on either side cannot tell 100% from 0% at that level).
     */
    static Claim divergesAbove(List<SeedGroup> groups) {
        List<SeedGroup> full = groups.stream().filter(g -> !mlp(g) && g.get("mode").equals(GdMode.BATCH)).toList();
        List<CellResult> above = runs(full.stream().filter(g -> ratio(g) > 1).toList());
        List<CellResult> below = runs(full.stream().filter(g -> ratio(g) < 1).toList());
        List<SeedGroup> wrong = full.stream().filter(g -> ratio(g) > 1 ? !every(g, DIVERGED)
                : ratio(g) != 1 && g.diverged() > 0).toList();
        String whyNot = full.isEmpty() ? "the run has no full-batch least-squares run"
                : above.isEmpty() ? "the run has no lr_ratio above 1" : null;
        String expected = "lr_ratio > 1: diverged, every seed; lr_ratio < 1: no seed diverged; binomial 95% CIs of "
                + "the diverged shares apart";
        if (whyNot != null) {
            return Claim.notTested("full_batch_diverges_above_crit", Claim.Kind.FINDING, DIVERGES_ABOVE, whyNot,
                    expected);
        }
        int ka = (int) above.stream().filter(r -> is(r, DIVERGED)).count();
        int kb = (int) below.stream().filter(r -> is(r, DIVERGED)).count();
        double[] ca = gdlab.report.Binomial.wilson(ka, above.size());
        double[] cb = gdlab.report.Binomial.wilson(kb, below.size());
        boolean apart = below.isEmpty() || ca[0] > cb[1];
        String support = "diverged above: " + Support.binomial(ka, above.size()) + "; below: "
                + (below.isEmpty() ? "no run" : Support.binomial(kb, below.size())) + (apart ? "; apart"
                : "; overlap: too few runs to tell the shares apart at 95%");
        String measured = above.size() + " runs above lr_crit, " + below.size() + " below" + (wrong.isEmpty()
                ? "; every one as stated" : "; otherwise: " + described(wrong, true));
        return wrong.isEmpty() ? Claim.comparison("full_batch_diverges_above_crit", DIVERGES_ABOVE, measured
                        + (apart ? "" : " (as stated in every run, but too few runs for a 95% verdict)"), expected,
                true, apart, support)
                : Claim.finding("full_batch_diverges_above_crit", DIVERGES_ABOVE, measured, expected, false,
                "counterexample: " + described(wrong, true) + "; " + support);
    }

    /** Finding: no seed of a least-squares run above lr_crit converged or was too slow. */
    static Claim noneConvergesAbove(List<SeedGroup> groups) {
        List<SeedGroup> above = groups.stream().filter(g -> !mlp(g) && ratio(g) > 1).toList();
        return claim(Claim.Kind.FINDING, "least_squares_fails_above_crit", NONE_CONVERGES_ABOVE,
                "regime diverged or oscillating, every seed", above.isEmpty() ? "the run has no least-squares run "
                        + "above lr_crit" : null, described(above, true),
                above.stream().allMatch(g -> every(g, DIVERGED, OSCILLATING)),
                everyRun(runs(above), "diverged or oscillating", DIVERGED, OSCILLATING));
    }

    /**
     * Finding comparing batch sizes at equal numbers of updates ({@link EqualUpdates}): per problem, each smaller
     * batch's edge bracket on the grid lies below the next larger batch's. A pair whose brackets are apart the other
     * way refutes it; overlapping brackets leave it not distinguishable; a pair without a common epoch end is not
     * comparable, and the claim is then not tested unless another pair refutes it.
     */
    static Claim smallerBatches(List<EqualUpdates.Pair> pairs) {
        String expected = "per problem, at equal updates, the smaller batch's edge bracket (lo, hi] on the grid "
                + "below the larger's";
        if (pairs.isEmpty()) {
            return Claim.notTested("smaller_batches_diverge_sooner", Claim.Kind.FINDING, SMALLER_BATCHES,
                    "no problem has two batch sizes", expected);
        }
        List<EqualUpdates.Order> orders = pairs.stream().map(EqualUpdates.Pair::order).toList();
        Claim.Verdict verdict = orders.contains(EqualUpdates.Order.SMALLER_LATER) ? Claim.Verdict.DOES_NOT_HOLD
                : orders.stream().allMatch(o -> o == EqualUpdates.Order.SMALLER_SOONER) ? Claim.Verdict.HOLDS
                : orders.contains(EqualUpdates.Order.OVERLAP) ? Claim.Verdict.NOT_DISTINGUISHABLE
                : Claim.Verdict.NOT_TESTED;
        String measured = pairs.stream().map(EqualUpdates.Pair::describe).collect(Collectors.joining("; "));
        String support = pairs.stream().map(EqualUpdates.Pair::support).collect(Collectors.joining("; "));
        return new Claim("smaller_batches_diverge_sooner", Claim.Kind.FINDING, SMALLER_BATCHES, measured, expected,
                verdict, support);
    }

    /** Finding: per MLP batch size, the smallest lr too-slow and the largest diverged or oscillating, every seed. */
    static Claim mlpFailureRegimes(List<SeedGroup> groups) {
        Map<Integer, List<SeedGroup>> byBatch = mlpByBatch(groups);
        boolean holds = true;
        int runs = 0;
        int asStated = 0;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, List<SeedGroup>> e : byBatch.entrySet()) {
            SeedGroup smallest = e.getValue().get(0);
            SeedGroup largest = e.getValue().get(e.getValue().size() - 1);
            holds &= every(smallest, TOO_SLOW) && every(largest, DIVERGED, OSCILLATING);
            runs += smallest.finished().size() + largest.finished().size();
            asStated += (int) (smallest.finished().stream().filter(r -> is(r, TOO_SLOW)).count()
                    + largest.finished().stream().filter(r -> is(r, DIVERGED, OSCILLATING)).count());
            parts.add("B=" + e.getKey() + ": " + described(List.of(smallest, largest), false));
        }
        String whyNot = byBatch.isEmpty() ? "the run has no mlp problem"
                : byBatch.values().stream().allMatch(gs -> gs.size() < 2) ? "the run has one lr_ratio" : null;
        return claim(Claim.Kind.FINDING, "mlp_both_failure_regimes", MLP_FAILURE_REGIMES,
                "smallest lr: too-slow; largest: diverged or oscillating; every seed", whyNot, String.join("; ", parts),
                holds, asStated + "/" + runs + " runs as stated; " + Support.binomial(asStated, runs));
    }

    /**
     * Finding comparing the MLP's batch sizes: their best lrs on the grid ({@link BestLr}) differ, and for some two
     * batch sizes one's best beats the other's best lr in the same batch size by 95% intervals over the seeds (with
     * one seed there is no interval: not distinguishable). A best at the grid's edge is named as such.
     */
    static Claim mlpBestDiffers(List<SeedGroup> groups) {
        Map<Integer, List<SeedGroup>> byBatch = mlpByBatch(groups);
        String expected = "at least two different best lr_ratios, one beating the other's in its batch size (95% CIs "
                + "over the seeds apart)";
        String whyNot = byBatch.isEmpty() ? "the run has no mlp problem"
                : byBatch.size() < 2 ? "the run has one batch size" : null;
        if (whyNot != null) {
            return Claim.notTested("mlp_best_lr_differs", Claim.Kind.FINDING, MLP_BEST_DIFFERS, whyNot, expected);
        }
        List<BestLr> bests = byBatch.values().stream().map(BestLr::of).toList();
        String measured = "best lr_ratio on the grid: " + bests.stream().map(b -> "B=" + b.batch().get("batch_size")
                + " " + b.describe()).collect(Collectors.joining(", "));
        if (bests.stream().anyMatch(b -> b.winner() == null)) {
            return Claim.finding("mlp_best_lr_differs", MLP_BEST_DIFFERS, measured, expected, false,
                    "a batch size without a best: every lr diverged");
        }
        List<String> versus = new ArrayList<>();
        boolean apart = false;
        for (BestLr a : bests) {
            for (BestLr b : bests) {
                SeedGroup other = a.at(ratio(b.winner()));
                if (a != b && ratio(a.winner()) != ratio(b.winner()) && other != null) {
                    versus.add(BestLr.versus(a.winner(), other));
                    apart |= BestLr.apart(a.winner(), other);
                }
            }
        }
        int seeds = bests.stream().mapToInt(b -> b.winner().size()).min().orElse(0);
        String support = versus.isEmpty() ? "the same grid point is best at every batch size (" + seeds + " seeds)"
                : seeds + " seed(s) per lr; " + String.join("; ", versus)
                        + (apart ? "" : seeds < 2 ? "; one seed gives no interval: the design cannot reach "
                        + "significance" : "; no pair apart");
        return versus.isEmpty() ? Claim.finding("mlp_best_lr_differs", MLP_BEST_DIFFERS, measured, expected, false,
                support)
                : Claim.comparison("mlp_best_lr_differs", MLP_BEST_DIFFERS, measured, expected, true, apart, support);
    }

    /** Finding: some full-batch MLP group above lr_ratio 1 has every seed converged. */
    static Claim mlpAboveSharpness(List<SeedGroup> groups) {
        List<SeedGroup> above = groups.stream().filter(g -> mlp(g) && g.get("mode").equals(GdMode.BATCH)
                && ratio(g) > 1).toList();
        String support = above.stream().map(g -> "x" + g.get("lr_ratio") + " " + g.finished().stream()
                .filter(r -> is(r, CONVERGED)).count() + "/" + g.finished().size()).collect(Collectors.joining(", "))
                + " seeds converged";
        return claim(Claim.Kind.FINDING, "mlp_full_batch_converges_above_sharpness", MLP_ABOVE_SHARPNESS,
                "some lr_ratio > 1 with every seed converged", above.isEmpty()
                        ? "the run has no full-batch mlp run above lr_ratio 1" : null, described(above, false),
                above.stream().anyMatch(g -> every(g, CONVERGED)), support);
    }
}
