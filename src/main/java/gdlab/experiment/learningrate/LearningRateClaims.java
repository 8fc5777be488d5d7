package gdlab.experiment.learningrate;

import gdlab.experiment.GdMode;
import gdlab.report.Claim;
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
    static final String SMALLER_BATCHES = "Smaller batches diverge at smaller learning rates: on each problem the "
            + "first diverging lr_ratio of the grid falls as the batch size falls.";
    static final String MLP_FAILURE_REGIMES = "On the MLP both failure regimes show at every batch size: the "
            + "smallest lr is too-slow and the largest diverges or oscillates.";
    static final String MLP_BEST_DIFFERS = "On the MLP the best learning rate differs per batch size.";
    static final String MLP_ABOVE_SHARPNESS = "On the MLP full-batch GD still converges above 2 / (the "
            + "sharpness at the initial parameters): at some lr_ratio above 1 every seed converges.";

    private LearningRateClaims() {
    }

    /** Every claim of the hypothesis, in its order. */
    static List<Claim> of(List<CellResult> edges, List<CellResult> bests, List<SeedGroup> groups) {
        return List.of(relative("divergence_edge", DIVERGENCE_EDGE, edges, EDGE_TOLERANCE,
                        "the run has no least-squares problem (quadratic or linear)"),
                relative("best_lr", BEST_LR, bests, BEST_LR_TOLERANCE, "the run has no quadratic problem"),
                bestRate(bests), matchesReference(groups), barelyMoves(groups),
                tooSlow(groups), convergesBetween(groups), divergesAbove(groups), noneConvergesAbove(groups),
                smallerBatches(groups), mlpFailureRegimes(groups), mlpBestDiffers(groups), mlpAboveSharpness(groups));
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
                               String measured, boolean holds) {
        return whyNot != null ? Claim.notTested(id, kind, statement, whyNot, expected)
                : kind == Claim.Kind.INTEGRITY ? Claim.integrity(id, statement, measured, expected, holds)
                : Claim.finding(id, statement, measured, expected, holds);
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
                String.join("; ", parts), holds);
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
                bests.isEmpty() ? "the run has no quadratic problem" : null, String.join("; ", parts), holds);
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
                mismatching == 0);
    }

    /** Finding: at lr_ratio <= 1e-4 every seed keeps at least BARELY of its (excess) loss. */
    static Claim barelyMoves(List<SeedGroup> groups) {
        List<SeedGroup> small = groups.stream().filter(g -> ratio(g) <= SMALLEST_RATIO).toList();
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (SeedGroup g : small) {
            List<Double> kept = g.cells().stream().map(r -> mlp(g)
                    ? r.number("final_loss") / r.number("initial_loss") : r.number("final_gap")).toList();
            holds &= kept.stream().allMatch(k -> k >= BARELY);
            parts.add(label(g) + " " + kept.stream().map(Table::readable).collect(Collectors.joining(", ")));
        }
        return claim(Claim.Kind.FINDING, "smallest_lr_barely_moves", BARELY_MOVES, "final / initial (excess) loss >= "
                + Table.readable(BARELY) + ", every seed", small.isEmpty() ? "the run has no lr_ratio at or below 1e-4"
                : null, "kept: " + String.join("; ", parts), holds);
    }

    /** Finding: every seed at lr_ratio <= 1e-2 is too-slow. */
    static Claim tooSlow(List<SeedGroup> groups) {
        List<SeedGroup> slow = groups.stream().filter(g -> ratio(g) <= SLOW_RATIO).toList();
        List<SeedGroup> other = slow.stream().filter(g -> !every(g, TOO_SLOW)).toList();
        return claim(Claim.Kind.FINDING, "too_slow_up_to_1e_2", TOO_SLOW_SENTENCE, "regime too-slow, every seed",
                slow.isEmpty() ? "the run has no lr_ratio at or below 1e-2" : null, slow.size() + " groups"
                        + (other.isEmpty() ? ", all too-slow" : "; not too-slow: " + described(other, true)),
                other.isEmpty());
    }

    /** Finding: every seed of full-batch runs on the quadratic with 0.1 <= lr_ratio < 1 converged. */
    static Claim convergesBetween(List<SeedGroup> groups) {
        List<SeedGroup> band = groups.stream().filter(g -> g.get("problem").equals(Problem.QUADRATIC)
                && g.get("mode").equals(GdMode.BATCH) && ratio(g) >= CONVERGING_RATIO && ratio(g) < 1).toList();
        return claim(Claim.Kind.FINDING, "full_batch_converges_below_crit", CONVERGES_BETWEEN,
                "regime converged, every seed", band.isEmpty() ? "the run has no full-batch quadratic run with "
                        + "lr_ratio from 0.1 to below 1" : null, described(band, false),
                band.stream().allMatch(g -> every(g, CONVERGED)));
    }

    /** Finding: full-batch least squares is diverged at every lr_ratio above 1 and at none below. */
    static Claim divergesAbove(List<SeedGroup> groups) {
        List<SeedGroup> full = groups.stream().filter(g -> !mlp(g) && g.get("mode").equals(GdMode.BATCH)).toList();
        List<SeedGroup> above = full.stream().filter(g -> ratio(g) > 1).toList();
        List<SeedGroup> wrong = full.stream().filter(g -> ratio(g) > 1 ? !every(g, DIVERGED)
                : ratio(g) != 1 && g.diverged() > 0).toList();
        String whyNot = full.isEmpty() ? "the run has no full-batch least-squares run"
                : above.isEmpty() ? "the run has no lr_ratio above 1" : null;
        String measured = above.size() + " groups above lr_crit, " + full.stream().filter(g -> ratio(g) < 1).count()
                + " below" + (wrong.isEmpty() ? "; every one as stated" : "; otherwise: " + described(wrong, true));
        return claim(Claim.Kind.FINDING, "full_batch_diverges_above_crit", DIVERGES_ABOVE,
                "lr_ratio > 1: diverged, every seed; lr_ratio < 1: no seed diverged", whyNot, measured,
                wrong.isEmpty());
    }

    /** Finding: no seed of a least-squares run above lr_crit converged or was too slow. */
    static Claim noneConvergesAbove(List<SeedGroup> groups) {
        List<SeedGroup> above = groups.stream().filter(g -> !mlp(g) && ratio(g) > 1).toList();
        return claim(Claim.Kind.FINDING, "least_squares_fails_above_crit", NONE_CONVERGES_ABOVE,
                "regime diverged or oscillating, every seed", above.isEmpty() ? "the run has no least-squares run "
                        + "above lr_crit" : null, described(above, true),
                above.stream().allMatch(g -> every(g, DIVERGED, OSCILLATING)));
    }

    /** Finding: per problem, the first diverging lr_ratio strictly falls from each batch size to the next smaller. */
    static Claim smallerBatches(List<SeedGroup> groups) {
        Map<String, Map<Integer, List<SeedGroup>>> byProblem = byProblemAndBatch(groups);
        byProblem.values().removeIf(m -> m.size() < 2);
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, List<SeedGroup>>> e : byProblem.entrySet()) {
            double previous = Double.NaN;
            List<String> firsts = new ArrayList<>();
            for (Map.Entry<Integer, List<SeedGroup>> b : e.getValue().entrySet()) {
                // the smallest lr_ratio of the grid where a seed diverged, or infinity (none did)
                double first = b.getValue().stream().filter(g -> g.diverged() > 0).mapToDouble(g -> ratio(g)).min()
                        .orElse(Double.POSITIVE_INFINITY);
                holds &= Double.isNaN(previous) || first < previous;
                previous = first;
                firsts.add("B=" + b.getKey() + " " + (Double.isInfinite(first) ? "none" : Table.readable(first)));
            }
            parts.add(e.getKey() + ": " + String.join(", ", firsts));
        }
        return claim(Claim.Kind.FINDING, "smaller_batches_diverge_sooner", SMALLER_BATCHES,
                "per problem, the smaller batch's first diverging lr_ratio below the larger's", byProblem.isEmpty()
                        ? "no problem has two batch sizes" : null, "first diverging lr_ratio: "
                        + String.join("; ", parts), holds);
    }

    /** Finding: per MLP batch size, the smallest lr too-slow and the largest diverged or oscillating, every seed. */
    static Claim mlpFailureRegimes(List<SeedGroup> groups) {
        Map<Integer, List<SeedGroup>> byBatch = mlpByBatch(groups);
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Integer, List<SeedGroup>> e : byBatch.entrySet()) {
            SeedGroup smallest = e.getValue().get(0);
            SeedGroup largest = e.getValue().get(e.getValue().size() - 1);
            holds &= every(smallest, TOO_SLOW) && every(largest, DIVERGED, OSCILLATING);
            parts.add("B=" + e.getKey() + ": " + described(List.of(smallest, largest), false));
        }
        String whyNot = byBatch.isEmpty() ? "the run has no mlp problem"
                : byBatch.values().stream().allMatch(gs -> gs.size() < 2) ? "the run has one lr_ratio" : null;
        return claim(Claim.Kind.FINDING, "mlp_both_failure_regimes", MLP_FAILURE_REGIMES,
                "smallest lr: too-slow; largest: diverged or oscillating; every seed", whyNot, String.join("; ", parts),
                holds);
    }

    /** Finding: the MLP's best lr (the table's winner per batch size) is not the same for every batch size. */
    static Claim mlpBestDiffers(List<SeedGroup> groups) {
        Map<Integer, List<SeedGroup>> byBatch = mlpByBatch(groups);
        String none = "none (every lr diverged)";
        List<String> parts = new ArrayList<>();
        List<String> bests = new ArrayList<>();
        byBatch.forEach((b, gs) -> {
            SeedGroup w = LearningRateSummary.winner(gs);
            bests.add(w == null ? none : w.get("lr_ratio"));
            parts.add("B=" + b + " x" + bests.get(bests.size() - 1));
        });
        String whyNot = byBatch.isEmpty() ? "the run has no mlp problem"
                : byBatch.size() < 2 ? "the run has one batch size" : null;
        return claim(Claim.Kind.FINDING, "mlp_best_lr_differs", MLP_BEST_DIFFERS, "at least two different best "
                + "lr_ratios", whyNot, "best lr_ratio: " + String.join(", ", parts) + " (the table's choice, over "
                + "the grid)", bests.stream().distinct().count() > 1 && !bests.contains(none));
    }

    /** Finding: some full-batch MLP group above lr_ratio 1 has every seed converged. */
    static Claim mlpAboveSharpness(List<SeedGroup> groups) {
        List<SeedGroup> above = groups.stream().filter(g -> mlp(g) && g.get("mode").equals(GdMode.BATCH)
                && ratio(g) > 1).toList();
        return claim(Claim.Kind.FINDING, "mlp_full_batch_converges_above_sharpness", MLP_ABOVE_SHARPNESS,
                "some lr_ratio > 1 with every seed converged", above.isEmpty()
                        ? "the run has no full-batch mlp run above lr_ratio 1" : null, described(above, false),
                above.stream().anyMatch(g -> every(g, CONVERGED)));
    }
}
