package gdlab.experiment.crosscheck;

import gdlab.crosscheck.SolverCheck;
import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances;
import gdlab.crosscheck.Tolerances.Verdict;
import gdlab.experiment.crosscheck.CrosscheckSummary.Row;
import gdlab.report.Claim;
import gdlab.report.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The claims of crosscheck's hypothesis, in its order: one integrity check per stage (every row of the long table at
 * that stage PASS or DRIFT), one for the grid's coverage, and the solvers (the reference's CG is the textbook's; what
 * DL4J's CG and LBFGS do is a finding). The hypothesis in experiments/crosscheck.properties is these statements, each
 * after its id in brackets.
 */
final class CrosscheckClaims {
    static final String ALL = "All ten updaters in DL4J's variant, in batch, stochastic and mini-batch mode, in double "
            + "and float, pass every stage.";
    static final String REFERENCE_CG = "On least squares with n parameters, the reference's conjugate gradient reaches "
            + "the solver target within n iterations, as theory says.";
    static final String DL4J_CG = "DL4J's CONJUGATE_GRADIENT takes exactly the steps of its LINE_GRADIENT_DESCENT.";
    static final String DL4J_LBFGS = "DL4J's LBFGS stalls and never reaches the target.";

    private CrosscheckClaims() {
    }

    /** The sentence of a stage: what agrees, to which tolerances (fixed in {@link Tolerances}). */
    static String statement(Stage s) {
        String what = switch (s) {
            case OUTPUT -> "DL4J's forward output agrees with the reference's";
            case LOSS -> "DL4J's loss agrees";
            case GRADIENT -> "DL4J's mean gradient agrees";
            case STEP_1 -> "DL4J's parameters after 1 update agree";
            case STEPS -> "DL4J's parameters after `steps` updates (default 100) agree";
            case EPOCHS -> "DL4J's parameters after `epochs` shuffled epochs (default 3) agree";
            case SCHEDULE_ITERATION -> "With the learning rate on an ITERATION schedule (1/t decay), DL4J's "
                    + "parameters after `option_epochs` epochs (default 3) agree";
            case SCHEDULE_EPOCH -> "With the learning rate on an EPOCH schedule (halved every epoch, DL4J's epoch "
                    + "count advanced after each epoch), DL4J's parameters after `option_epochs` epochs agree";
            case CLIP_L2_PER_LAYER -> "With gradients clipped by L2 norm per layer (ClipL2PerLayer), they agree";
            case CLIP_L2_PER_PARAM_TYPE -> "With gradients clipped by L2 norm per weight and bias block "
                    + "(ClipL2PerParamType), they agree";
            case CLIP_ELEMENT_WISE -> "With gradients clipped element-wise (ClipElementWiseAbsoluteValue), they "
                    + "agree";
            case RENORMALIZE_L2_PER_LAYER -> "With gradients divided by their L2 norm per layer "
                    + "(RenormalizeL2PerLayer), they agree";
            case RENORMALIZE_L2_PER_PARAM_TYPE -> "With gradients divided by their L2 norm per weight and bias block "
                    + "(RenormalizeL2PerParamType), they agree";
            case L2 -> "With L2 regularization on the weights (.l2(x), added to the gradient before the updater), "
                    + "they agree";
        };
        return what + " to " + power(Tolerances.DOUBLE.get(s)) + " relative in double and "
                + power(Tolerances.FLOAT.get(s)) + " in float" + (Tolerances.driftApplies(s)
                ? ", or within " + Table.readable(Tolerances.DRIFT_FACTOR) + "x the reference's own rounding drift "
                + "(DRIFT)." : ".");
    }

    /** A tolerance, a power of ten, as people write it: 1e-12. */
    static String power(double tolerance) {
        return "1e" + Math.round(Math.log10(tolerance));
    }

    /**
     * @param solvers the solver section's outcome, null when the run has none ({@code solvers = false})
     */
    static List<Claim> of(List<Row> rows, SolverCheck check, SolverCheck.Outcome solvers) {
        List<Claim> claims = new ArrayList<>();
        for (Stage s : Stage.values()) {
            claims.add(stage(s, rows.stream().filter(r -> r.stage() == s).toList()));
        }
        claims.add(coverage(rows));
        claims.addAll(solvers(check, solvers));
        return claims;
    }

    static Claim stage(Stage s, List<Row> rows) {
        String expected = "every row PASS: max_rel_diff <= " + power(Tolerances.DOUBLE.get(s)) + " (double), "
                + power(Tolerances.FLOAT.get(s)) + " (float)" + (Tolerances.driftApplies(s)
                ? ", or DRIFT" : "");
        if (rows.isEmpty()) {
            return Claim.notTested(s.label(), Claim.Kind.INTEGRITY, statement(s), "no cell", expected);
        }
        List<String> worst = new ArrayList<>();
        for (String dtype : List.of("double", "float")) {
            List<Row> ofType = rows.stream().filter(r -> r.get("dtype").equals(dtype)).toList();
            if (!ofType.isEmpty()) {
                Row r = CrosscheckSummary.worst(ofType);
                worst.add(dtype + " " + Table.readable(r.rel()) + " (" + r.get("updater") + " " + r.get("mode") + ")");
            }
        }
        long fail = CrosscheckSummary.count(rows, Verdict.FAIL);
        long drift = CrosscheckSummary.count(rows, Verdict.DRIFT);
        String measured = String.format(Locale.ROOT, "%d rows: %d PASS, %d DRIFT, %d FAIL; worst max_rel_diff %s",
                rows.size(), rows.size() - fail - drift, drift, fail, String.join(", ", worst));
        if (s.name().startsWith("CLIP")) {
            double bound = rows.stream().map(r -> CrosscheckSummary.number(r.cell(), s.label() + "_active_share"))
                    .filter(v -> v != null && !v.isNaN()).mapToDouble(Double::doubleValue).average().orElse(0);
            measured += String.format(Locale.ROOT, "; the clip bound in %.0f%% of the updates", 100 * bound);
        }
        String support = String.format(Locale.ROOT, "%d/%d rows within %s (double) and %s (float)%s",
                rows.size() - fail, rows.size(), power(Tolerances.DOUBLE.get(s)), power(Tolerances.FLOAT.get(s)),
                drift > 0 ? ", " + drift + " of them as DRIFT (rounding, judged against its own bound)" : "");
        return Claim.integrity(s.label(), statement(s), measured, expected, fail == 0, support);
    }

    /** Every (updater, mode, dtype) of the full grid ran without a FAIL row; a run without some is not tested. */
    static Claim coverage(List<Row> rows) {
        String id = "every_updater_and_mode";
        String expected = Crosscheck.UPDATERS.size() + " updaters x " + Crosscheck.MODES.size()
                + " modes x 2 dtypes, no FAIL row";
        Set<String> failing = rows.stream().filter(r -> r.verdict() == Verdict.FAIL)
                .map(r -> r.get("updater") + " " + r.get("mode") + " " + r.get("dtype"))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        Set<String> ran = rows.stream().map(r -> r.get("updater") + " " + r.get("mode") + " " + r.get("dtype"))
                .collect(Collectors.toSet());
        if (!failing.isEmpty()) {
            return Claim.integrity(id, ALL, failing.size() + " combination(s) with a FAIL row: "
                    + String.join(", ", failing), expected, false,
                    (ran.size() - failing.size()) + "/" + ran.size() + " combinations without a FAIL row");
        }
        List<String> lacks = new ArrayList<>();
        lacking(lacks, "updaters", Crosscheck.UPDATERS, "updater", rows);
        lacking(lacks, "modes", Crosscheck.MODES, "mode", rows);
        lacking(lacks, "dtypes", List.of("double", "float"), "dtype", rows);
        if (!lacks.isEmpty()) {
            return Claim.notTested(id, Claim.Kind.INTEGRITY, ALL, "the run lacks " + String.join("; ", lacks)
                    + " (no row of theirs fails)", expected);
        }
        return Claim.integrity(id, ALL, ran.size() + " combinations, no FAIL row", expected, true,
                ran.size() + "/" + ran.size() + " combinations without a FAIL row, every stage within its bound");
    }

    /** Adds "updaters adam, sgd" to {@code lacks} when no row has those values of coordinate {@code key}. */
    private static void lacking(List<String> lacks, String axis, List<String> all, String key, List<Row> rows) {
        List<String> missing = all.stream().filter(v -> rows.stream().noneMatch(r -> r.get(key).equals(v))).toList();
        if (!missing.isEmpty()) {
            lacks.add(axis + " " + String.join(", ", missing));
        }
    }

    /** The solver section's row of DL4J's solver {@code name}, beside the reference's counterpart. */
    static SolverCheck.Row solver(SolverCheck.Outcome o, String name) {
        return o.rows().stream().filter(r -> r.dl4jName().equals(name)).findFirst().orElseThrow();
    }

    static List<Claim> solvers(SolverCheck check, SolverCheck.Outcome o) {
        if (o == null) {
            String why = "solvers = false: the run has no solver section";
            return List.of(
                    Claim.notTested("reference_cg_within_n", Claim.Kind.INTEGRITY, REFERENCE_CG, why, "at most n"),
                    Claim.notTested("dl4j_cg_is_line_gd", Claim.Kind.FINDING, DL4J_CG, why, "max |difference| 0"),
                    Claim.notTested("dl4j_lbfgs_stalls", Claim.Kind.FINDING, DL4J_LBFGS, why, "target not reached"));
        }
        SolverCheck.Run cg = solver(o, "CONJUGATE_GRADIENT").reference();
        SolverCheck.Run lbfgs = solver(o, "LBFGS").dl4j();
        int k = check.maxIterations();
        Integer cgIterations = cg.iterationsToTarget();
        return List.of(
                Claim.integrity("reference_cg_within_n", REFERENCE_CG, (cgIterations == null
                                ? "not reached in " + k : cgIterations + " iterations") + " for n = " + check.n(),
                        "at most n = " + check.n() + " iterations to " + Table.readable(check.target())
                                + " relative loss", cgIterations != null && cgIterations <= check.n(),
                        "exact: iterations counted against n (CG's finite termination on a quadratic)"),
                Claim.finding("dl4j_cg_is_line_gd", DL4J_CG, "max |parameter difference| over the iterations "
                        + Table.readable(o.cgVersusLineGd()), "0 (the same steps)", o.cgVersusLineGd() == 0,
                        "exact: every parameter at every one of " + k + " iterations compared, deterministic "
                                + "(one run decides)"),
                Claim.finding("dl4j_lbfgs_stalls", DL4J_LBFGS, (lbfgs.iterationsToTarget() == null
                                ? "not reached in " + k : "reached in " + lbfgs.iterationsToTarget())
                                + "; parameters last changed at iteration " + o.lbfgsLastChange() + ", relative loss "
                                + Table.readable(lbfgs.finalRelativeLoss()) + " at the end",
                        "target " + Table.readable(check.target()) + " not reached in " + k + " iterations",
                        lbfgs.iterationsToTarget() == null,
                        "exact: the relative loss against the target at each of " + k + " iterations, deterministic "
                                + "(one run decides)"));
    }
}
