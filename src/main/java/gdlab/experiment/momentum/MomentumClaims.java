package gdlab.experiment.momentum;

import gdlab.reference.Theory;
import gdlab.report.Claim;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static gdlab.experiment.momentum.Momentum.HEAVY_BALL;
import static gdlab.experiment.momentum.Momentum.MLP;
import static gdlab.experiment.momentum.Momentum.NESTEROV;
import static gdlab.experiment.momentum.Momentum.OPTIMAL;
import static gdlab.experiment.momentum.Momentum.QUADRATIC;
import static gdlab.experiment.momentum.Momentum.QUADRATIC_2D;
import static gdlab.experiment.momentum.Momentum.REF_TOLERANCE;
import static gdlab.experiment.momentum.Momentum.SGD;
import static gdlab.experiment.momentum.Momentum.TRAJECTORY;
import static gdlab.experiment.momentum.Momentum.is;

/**
 * The claims of momentum's hypothesis, in its order. The hypothesis in experiments/momentum.properties is these
 * statements, each after its id in brackets.
 *
 * <p>Three are integrity checks: DL4J against the reference (iteration counts, and every step), DL4J against the exact
 * recurrences of theory (iteration counts), and heavy ball's optimum (lr*, mu*) and rate against Polyak's formulas
 * ({@link Theory}). Failing one means gdlab or DL4J computes something wrong. The rest are findings: how the counts
 * compare with the asymptotic prediction, how they grow with k, the speed-ups, the 2-D paths and the MLP. The
 * quadratics and paths are deterministic (one run each), so their counts are exact and the support names the bound
 * they are held to; the MLP's comparisons are over its seeds, and hold only when the groups' 95% intervals are apart
 * (overlapping: not distinguishable; one seed: not tested, there is no interval). A best learning rate on the edge of
 * the grid is flagged: the best may lie beyond it. A claim whose
 * cells the run lacks (a subset of the parts, condition numbers, mus or learning rates) is not tested, with why.
 */
final class MomentumClaims {
    /** "Near" a count: within this factor of it, either way. */
    static final double NEAR_FACTOR = 2;
    /** Iteration counts agree when they differ by at most this (the stopping step can flip on round-off). */
    static final int COUNT_SLACK = 1;
    /** Formulas agree to this relative difference (the spectrum is computed from the data). */
    static final double FORMULA_TOLERANCE = 1e-6;
    /** "Grows like k^p": the log-log slope of the counts over k within p ± this. */
    static final double SLOPE_TOLERANCE = 0.25;
    /** The hypothesis's speed-ups of heavy ball (optimal) over gradient descent: k -> at least this factor. */
    static final double SPEEDUP_K100 = 3;
    static final double SPEEDUP_K1000 = 10;
    /** The MLP's mu. */
    static final String MLP_MU = "0.9";

    static final String MATCHES_REFERENCE = "DL4J takes the reference's steps: on every quadratic its iteration count "
            + "equals the reference's (within 1) and on every quadratic and 2-D path each step's loss or point agrees "
            + "to 1e-7.";
    static final String MATCHES_EXACT = "On every quadratic DL4J's iteration count equals the exact recurrences' "
            + "(each eigen-direction's recurrence iterated from the start), within 1.";
    static final String NEAR_PREDICTION = "Apart from heavy ball at its optimum, the counts sit near the ones the "
            + "asymptotic rates predict: within a factor of 2.";
    static final String TRANSIENT = "Heavy ball at its optimum pays a transient for its double root: at every k it "
            + "needs more iterations than its rate predicts.";
    static final String OPTIMUM = "Heavy ball's optimum is Polyak's: mu* = ((sqrt k - 1)/(sqrt k + 1))^2 and lr* = "
            + "(2 / (sqrt lambda_max + sqrt lambda_min))^2, with the rate sqrt(mu*), the smallest of every heavy-ball "
            + "row.";
    static final String GD_LIKE_K = "Gradient descent's count grows like k: its log-log slope over k is 1 +- 0.25.";
    static final String HB_LIKE_SQRT_K = "Heavy ball's count at its optimal (lr, mu) grows like sqrt(k): its "
            + "log-log slope over k is 0.5 +- 0.25.";
    static final String SPEEDUP_100 = "At k = 100 heavy ball at its optimum needs at least 3x fewer iterations than "
            + "gradient descent.";
    static final String SPEEDUP_1000 = "At k = 1000 it needs over 10x fewer.";
    static final String TOO_MUCH = "Too much momentum (mu above mu*, such as 0.99) slows heavy ball down to sqrt(mu) "
            + "per step whatever k: its predicted rate is sqrt(mu) and its count is within a factor of 2 of "
            + "ln(tolerance) / ln(mu).";
    static final String OVERSHOOT = "On the 2-D quadratic the momentum paths (heavy ball and Nesterov at "
            + "trajectory_momentum) overshoot the minimum, where gradient descent comes straight in on both surfaces.";
    static final String ZIGZAG = "On the 2-D quadratic gradient descent zig-zags across the narrow valley at its "
            + "best constant learning rate 2/(lambda_min + lambda_max) and at 1.9/lambda_max (it crosses the valley "
            + "floor in at least half its steps), and heavy ball at its optimum (lr*, mu*) ends nearer the minimum "
            + "than gradient descent at either rate.";
    static final String MLP_FEWER = "On the MLP (full batch; the digits, or the data's classes) Nesterov and heavy "
            + "ball at mu = 0.9 reach the target loss in fewer steps than plain GD, each at its best learning rate.";
    static final String MLP_EFFECTIVE = "At small learning rates momentum mu behaves like plain GD at lr / (1 - mu) "
            + "(the summary's gd_lr_over_1_minus_mu): at the smallest lr where the grid has both, their steps to the "
            + "target are within a factor of 2.";

    private MomentumClaims() {
    }

    /** Every claim of the hypothesis, in its order; failed cells count as missing. */
    static List<Claim> of(List<CellResult> results, double tolerance, int trajectorySteps) {
        List<CellResult> finished = results.stream().filter(r -> r.status() != CellResult.Status.FAILED).toList();
        List<CellResult> quad = Momentum.part(finished, QUADRATIC);
        List<CellResult> traj = Momentum.part(finished, TRAJECTORY);
        List<CellResult> mlp = Momentum.part(finished, MLP);
        return List.of(matchesReference(finished, quad), matchesExact(quad), nearPrediction(quad), transient_(quad),
                optimum(quad), growth("gd_grows_like_k", GD_LIKE_K, quad, SGD, "0", 1),
                growth("heavy_ball_grows_like_sqrt_k", HB_LIKE_SQRT_K, quad, HEAVY_BALL, OPTIMAL, 0.5),
                speedup("speedup_3x_at_k100", SPEEDUP_100, quad, 100, SPEEDUP_K100),
                speedup("speedup_10x_at_k1000", SPEEDUP_1000, quad, 1000, SPEEDUP_K1000), tooMuch(quad, tolerance),
                overshoot(traj), zigzag(traj, trajectorySteps), mlpFewer(mlp), mlpEffective(mlp));
    }

    private static String row(CellResult r) {
        return r.cell().get("problem") + " " + Momentum.label(r.cell());
    }

    /** A count as the measured values say it: the number, or "not reached" (NaN: no value). */
    private static String count(double v) {
        return Double.isNaN(v) ? "not reached" : Table.readable(v);
    }

    private static String counts(CellResult r, String a, String b, String between) {
        return row(r) + " " + count(r.number(a)) + between + count(r.number(b));
    }

    private static Claim none(String id, Claim.Kind kind, String statement, String what, String expected) {
        return Claim.notTested(id, kind, statement, "the run has no " + what, expected);
    }

    /** Whether two counts agree within COUNT_SLACK; two counts without a value (not reached) agree. */
    private static boolean countsAgree(CellResult r, String a, String b) {
        double x = r.number(a);
        double y = r.number(b);
        return Double.isNaN(x) && Double.isNaN(y) || Math.abs(x - y) <= COUNT_SLACK;
    }

    /** Integrity: counts equal the reference's within COUNT_SLACK, and no mirrored run has a disagreeing step. */
    static Claim matchesReference(List<CellResult> finished, List<CellResult> quad) {
        String id = "dl4j_matches_reference";
        String expected = "counts within " + COUNT_SLACK + "; 0 runs with a step beyond "
                + Table.readable(REF_TOLERANCE);
        List<CellResult> mirrored = finished.stream().filter(r -> r.metric("ref_mismatch_steps") != null).toList();
        if (mirrored.isEmpty()) {
            return none(id, Claim.Kind.INTEGRITY, MATCHES_REFERENCE, "quadratic or trajectory run", expected);
        }
        List<String> off = quad.stream().filter(r -> !countsAgree(r, "measured_iterations", "reference_iterations"))
                .map(r -> counts(r, "measured_iterations", "reference_iterations", " vs ")).toList();
        long disagreeing = mirrored.stream().filter(r -> r.number("ref_mismatch_steps") > 0).count();
        String measured = (off.isEmpty() ? "every count equal" : "counts differ: " + String.join(", ", off))
                + "; " + disagreeing + " of " + mirrored.size() + " runs disagree on a step";
        return Claim.integrity(id, MATCHES_REFERENCE, measured, expected, off.isEmpty() && disagreeing == 0,
                "counts within " + COUNT_SLACK + "; steps bound " + Table.readable(REF_TOLERANCE));
    }

    /** Integrity: measured counts equal exact_iterations within COUNT_SLACK. */
    static Claim matchesExact(List<CellResult> quad) {
        String id = "iterations_match_exact_recurrence";
        String expected = "measured = exact within " + COUNT_SLACK + " (both not reached counts as equal)";
        if (quad.isEmpty()) {
            return none(id, Claim.Kind.INTEGRITY, MATCHES_EXACT, "quadratic run", expected);
        }
        List<String> off = quad.stream().filter(r -> !countsAgree(r, "measured_iterations", "exact_iterations"))
                .map(r -> counts(r, "measured_iterations", "exact_iterations", " vs ")).toList();
        return Claim.integrity(id, MATCHES_EXACT, off.isEmpty() ? "all " + quad.size() + " rows equal"
                : "differ: " + String.join(", ", off), expected, off.isEmpty(), "counts within " + COUNT_SLACK);
    }

    private static double ratio(CellResult r) {
        return r.number("measured_iterations") / r.number("predicted_iterations");
    }

    private static String ratios(List<CellResult> rows) {
        return rows.stream().map(r -> counts(r, "measured_iterations", "predicted_iterations", "/"))
                .collect(Collectors.joining(", "));
    }

    /** Finding: measured / predicted within [1/NEAR_FACTOR, NEAR_FACTOR] for every row but heavy ball's optimum. */
    static Claim nearPrediction(List<CellResult> quad) {
        String id = "counts_near_prediction";
        String expected = "measured / predicted in [" + Table.readable(1 / NEAR_FACTOR) + ", "
                + Table.readable(NEAR_FACTOR) + "]";
        List<CellResult> rows = quad.stream().filter(r -> !is(r, HEAVY_BALL, OPTIMAL)).toList();
        if (rows.isEmpty()) {
            return none(id, Claim.Kind.FINDING, NEAR_PREDICTION, "quadratic row besides heavy ball's optimum",
                    expected);
        }
        List<CellResult> far = rows.stream().filter(r -> !(ratio(r) >= 1 / NEAR_FACTOR && ratio(r) <= NEAR_FACTOR))
                .toList();
        String range = Table.readable(rows.stream().mapToDouble(MomentumClaims::ratio).min().orElse(Double.NaN))
                + " to " + Table.readable(rows.stream().mapToDouble(MomentumClaims::ratio).max().orElse(Double.NaN));
        return Claim.finding(id, NEAR_PREDICTION, rows.size() + " rows, measured / predicted " + range
                + (far.isEmpty() ? "" : "; outside: " + ratios(far)), expected, far.isEmpty(),
                "deterministic runs: exact counts against the factor " + Table.readable(NEAR_FACTOR));
    }

    /** Finding: heavy ball's optimum needs more iterations than predicted at every k. */
    static Claim transient_(List<CellResult> quad) {
        String id = "heavy_ball_transient";
        String expected = "measured > predicted at every k";
        List<CellResult> rows = quad.stream().filter(r -> is(r, HEAVY_BALL, OPTIMAL)).toList();
        if (rows.isEmpty()) {
            return none(id, Claim.Kind.FINDING, TRANSIENT, "heavy-ball optimal row (momentum = optimal)", expected);
        }
        return Claim.finding(id, TRANSIENT, "measured/predicted: " + ratios(rows), expected,
                rows.stream().allMatch(r -> ratio(r) > 1), "deterministic runs: exact counts");
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= FORMULA_TOLERANCE * Math.abs(b);
    }

    /** Integrity: the optimal heavy-ball row's mu, lr and rate are Polyak's, and its rate the least of heavy ball's. */
    static Claim optimum(List<CellResult> quad) {
        String id = "heavy_ball_optimum";
        String expected = "mu*, lr*, sqrt(mu*) to " + Table.readable(FORMULA_TOLERANCE) + " relative (from each "
                + "problem's lambda_min and lambda_max); no heavy-ball row with a smaller rate";
        List<CellResult> rows = quad.stream().filter(r -> is(r, HEAVY_BALL, OPTIMAL)).toList();
        if (rows.isEmpty()) {
            return none(id, Claim.Kind.INTEGRITY, OPTIMUM, "heavy-ball optimal row (momentum = optimal)", expected);
        }
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (CellResult r : rows) {
            double k = r.number("condition");
            double muStar = Theory.heavyBallMomentum(k);
            double lrStar = Theory.heavyBallLearningRate(r.number("lambda_min"), r.number("lambda_max"));
            double rateStar = Theory.heavyBallRate(k);
            double rate = r.number("predicted_rate");
            double lr = r.cell().real("lr");
            double mu = r.number("mu");
            double fastestOther = quad.stream().filter(o -> o != r && is(o, HEAVY_BALL, null)
                            && o.cell().get("problem").equals(r.cell().get("problem")))
                    .mapToDouble(o -> o.number("predicted_rate")).min().orElse(Double.POSITIVE_INFINITY);
            holds &= close(mu, muStar) && close(lr, lrStar) && close(rate, rateStar)
                    && rate <= fastestOther * (1 + FORMULA_TOLERANCE);
            parts.add(r.cell().get("problem") + ": mu " + Table.readable(mu) + " (mu* " + Table.readable(muStar)
                    + "), lr " + Table.readable(lr) + " (lr* " + Table.readable(lrStar) + "), rate "
                    + Table.readable(rate) + " (sqrt(mu*) " + Table.readable(rateStar) + ")"
                    + (Double.isInfinite(fastestOther) ? "" : ", next heavy-ball rate "
                    + Table.readable(fastestOther)));
        }
        return Claim.integrity(id, OPTIMUM, String.join("; ", parts), expected, holds,
                "bound " + Table.readable(FORMULA_TOLERANCE) + " relative");
    }

    /** Finding: the log-log slope of one row's measured counts between the smallest and largest k. */
    static Claim growth(String id, String statement, List<CellResult> quad, String optimizer, String mu,
                        double slope) {
        String expected = "slope " + Table.readable(slope) + " ± " + Table.readable(SLOPE_TOLERANCE);
        List<CellResult> rows = quad.stream().filter(r -> is(r, optimizer, mu))
                .sorted(Comparator.comparingDouble(r -> r.number("condition"))).toList();
        if (rows.size() < 2) {
            return Claim.notTested(id, Claim.Kind.FINDING, statement, "the run has " + rows.size() + " condition "
                    + "number" + (rows.size() == 1 ? "" : "s") + " for this row; a slope needs two", expected);
        }
        CellResult lo = rows.get(0);
        CellResult hi = rows.get(rows.size() - 1);
        double s = Math.log(hi.number("measured_iterations") / lo.number("measured_iterations"))
                / Math.log(hi.number("condition") / lo.number("condition"));
        String measured = rows.stream().map(r -> r.cell().get("problem") + " " + count(r.number(
                "measured_iterations"))).collect(Collectors.joining(", ")) + "; slope " + Table.readable(s);
        return Claim.finding(id, statement, measured, expected, Math.abs(s - slope) <= SLOPE_TOLERANCE,
                "deterministic runs: exact counts, slope against " + expected);
    }

    /** Finding: GD's measured count over heavy ball's optimal one at condition k at least {@code factor}. */
    static Claim speedup(String id, String statement, List<CellResult> quad, double k, double factor) {
        String expected = "sgd / heavy ball optimal >= " + Table.readable(factor);
        List<CellResult> atK = quad.stream().filter(r -> Math.abs(r.number("condition") / k - 1) < 1e-6).toList();
        CellResult gd = atK.stream().filter(r -> is(r, SGD, "0")).findFirst().orElse(null);
        CellResult hb = atK.stream().filter(r -> is(r, HEAVY_BALL, OPTIMAL)).findFirst().orElse(null);
        if (gd == null || hb == null) {
            return Claim.notTested(id, Claim.Kind.FINDING, statement, "the run has no k = " + Table.readable(k)
                    + " quadratic with both sgd and heavy ball optimal (condition, optimizer, momentum)", expected);
        }
        double g = gd.number("measured_iterations");
        double h = hb.number("measured_iterations");
        return Claim.finding(id, statement, "sgd " + count(g) + ", heavy ball optimal " + count(h) + ": "
                + Table.readable(g / h) + "x", expected, g / h >= factor,
                "deterministic runs: exact counts against " + Table.readable(factor) + "x");
    }

    /** Finding: heavy ball at mu above mu*: rate sqrt(mu), count within NEAR_FACTOR of ln(tol) / ln(mu). */
    static Claim tooMuch(List<CellResult> quad, double tolerance) {
        String id = "too_much_momentum_sqrt_mu";
        String expected = "rate sqrt(mu); count in [1/" + Table.readable(NEAR_FACTOR) + ", " + Table.readable(
                NEAR_FACTOR) + "] x ln(tolerance) / ln(mu)";
        List<CellResult> rows = quad.stream().filter(r -> is(r, HEAVY_BALL, null) && !is(r, HEAVY_BALL, OPTIMAL)
                && r.number("mu") > Theory.heavyBallMomentum(r.number("condition"))).toList();
        if (rows.isEmpty()) {
            return none(id, Claim.Kind.FINDING, TOO_MUCH, "heavy-ball row with mu above its mu*", expected);
        }
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (CellResult r : rows) {
            double mu = r.number("mu");
            double predicted = Math.log(tolerance) / Math.log(mu);
            double q = r.number("measured_iterations") / predicted;
            holds &= close(r.number("predicted_rate"), Math.sqrt(mu)) && q >= 1 / NEAR_FACTOR && q <= NEAR_FACTOR;
            parts.add(row(r) + " rate " + Table.readable(r.number("predicted_rate")) + ", "
                    + count(r.number("measured_iterations")) + " vs " + Table.readable(predicted));
        }
        return Claim.finding(id, TOO_MUCH, String.join("; ", parts), expected, holds,
                "deterministic runs: exact counts against the factor " + Table.readable(NEAR_FACTOR)
                        + "; rate bound " + Table.readable(FORMULA_TOLERANCE) + " relative");
    }

    private static String values(List<CellResult> rows, String metric) {
        return rows.stream().map(r -> row(r) + " " + Table.readable(r.number(metric)))
                .collect(Collectors.joining(", "));
    }

    /** Finding: 2-D quadratic momentum paths at a numeric mu overshoot; gradient descent's never does. */
    static Claim overshoot(List<CellResult> traj) {
        String id = "momentum_paths_overshoot";
        String expected = "overshoot > 0 for momentum and nesterov at trajectory_momentum; 0 for sgd";
        List<CellResult> gd = traj.stream().filter(r -> is(r, SGD, null)).toList();
        List<CellResult> moving = traj.stream().filter(r -> r.cell().get("problem").equals(QUADRATIC_2D)
                && !is(r, SGD, null) && !r.cell().get("momentum").equals(OPTIMAL)).toList();
        if (gd.isEmpty() || moving.isEmpty()) {
            return none(id, Claim.Kind.FINDING, OVERSHOOT, "trajectory part (part = trajectory)", expected);
        }
        return Claim.finding(id, OVERSHOOT, values(moving, "overshoot") + "; " + values(gd, "overshoot"), expected,
                moving.stream().allMatch(r -> r.number("overshoot") > 0)
                        && gd.stream().allMatch(r -> r.number("overshoot") == 0),
                "deterministic paths: exact overshoot (0 is exact)");
    }

    /**
     * Finding: on the 2-D quadratic gradient descent's paths (at its best constant rate and near its edge) cross the
     * valley floor in at least half their steps, and heavy ball's optimal path ends nearer the minimum than both.
     */
    static Claim zigzag(List<CellResult> traj, int steps) {
        String id = "momentum_paths_zigzag";
        String expected = "sgd's valley_crossings >= " + steps / 2 + " at each rate; heavy ball optimal's "
                + "distance_to_minimum below sgd's";
        List<CellResult> quad = traj.stream().filter(r -> r.cell().get("problem").equals(QUADRATIC_2D)).toList();
        List<CellResult> gd = quad.stream().filter(r -> is(r, SGD, null)).toList();
        CellResult hb = quad.stream().filter(r -> is(r, HEAVY_BALL, OPTIMAL)).findFirst().orElse(null);
        if (gd.isEmpty() || hb == null) {
            return none(id, Claim.Kind.FINDING, ZIGZAG, "2-D quadratic path of sgd and of heavy ball optimal",
                    expected);
        }
        double hbDistance = hb.number("distance_to_minimum");
        boolean holds = gd.stream().allMatch(r -> r.number("valley_crossings") >= steps / 2
                && hbDistance < r.number("distance_to_minimum"));
        String measured = gd.stream().map(r -> "sgd lr " + Table.readable(r.cell().real("lr")) + ": "
                + Table.readable(r.number("valley_crossings")) + " crossings in " + steps + " steps, ends "
                + Table.readable(r.number("distance_to_minimum")) + " from the minimum")
                .collect(Collectors.joining("; "))
                + "; heavy ball optimal ends " + Table.readable(hbDistance) + " from it ("
                + Table.readable(hb.number("valley_crossings")) + " crossings)";
        return Claim.finding(id, ZIGZAG, measured, expected, holds, "deterministic paths: exact counts of "
                + "crossings and exact distances");
    }

    /** "12 ± 2 at lr 0.3", with how many seeds reached the target when not all did. */
    private static String steps(SeedGroup g) {
        return MlpPart.updates(g).pretty() + (MlpPart.allReached(g) ? "" : " ("
                + g.reached("updates_to_target") + "/" + g.size() + " reached)") + " at lr " + g.get("lr");
    }

    /** "the best lr of X, 1, is the grid's largest (0.3..1)" for rows whose best lr is an end of their grid. */
    static List<String> onEdge(Map<String, List<SeedGroup>> grid, List<String> rows) {
        List<String> edge = new ArrayList<>();
        for (String row : rows) {
            List<SeedGroup> lrs = grid.get(row);
            double best = MlpPart.best(lrs).real("lr");
            double lo = lrs.stream().mapToDouble(g -> g.real("lr")).min().orElseThrow();
            double hi = lrs.stream().mapToDouble(g -> g.real("lr")).max().orElseThrow();
            if (lrs.size() > 1 && (best == lo || best == hi)) {
                edge.add(row + " " + Table.readable(best) + " (the grid's " + (best == hi ? "largest" : "smallest")
                        + ", " + Table.readable(lo) + ".." + Table.readable(hi) + ")");
            }
        }
        return edge;
    }

    /** Finding: heavy ball and Nesterov at mu 0.9, best lr each, every seed at the target in fewer updates than sgd. */
    static Claim mlpFewer(List<CellResult> mlp) {
        String id = "mlp_momentum_fewer_steps";
        String expected = "every seed reaches the target; mean updates below sgd's, 95% intervals apart";
        Map<String, List<SeedGroup>> grid = MlpPart.grid(mlp);
        List<String> rows = List.of(HEAVY_BALL + " mu=" + MLP_MU, NESTEROV + " mu=" + MLP_MU);
        if (!grid.containsKey(SGD) || !grid.keySet().containsAll(rows)) {
            return none(id, Claim.Kind.FINDING, MLP_FEWER, "mlp cells of sgd, and of momentum and nesterov at mu = "
                    + MLP_MU, expected);
        }
        SeedGroup g = MlpPart.best(grid.get(SGD));
        Stats sgd = MlpPart.updates(g);
        boolean fewer = MlpPart.allReached(g);
        boolean apart = true;
        List<String> parts = new ArrayList<>();
        List<String> support = new ArrayList<>();
        for (String row : rows) {
            SeedGroup m = MlpPart.best(grid.get(row));
            Stats updates = MlpPart.updates(m);
            fewer &= MlpPart.allReached(m) && updates.mean() < sgd.mean();
            apart &= Support.apart(updates, sgd);
            parts.add(row + " " + steps(m));
            support.add(row + " vs sgd: " + Support.intervals(updates, sgd));
        }
        List<String> all = new ArrayList<>(rows);
        all.add(SGD);
        List<String> edge = onEdge(grid, all);
        String measured = String.join("; ", parts) + " vs sgd " + steps(g) + (edge.isEmpty() ? ""
                : "; best lr on the grid's edge, the best may lie beyond: " + String.join(", ", edge));
        if (sgd.n() < 2 || grid.get(SGD).stream().anyMatch(s -> s.size() < 2)) {
            return Claim.notTested(id, Claim.Kind.FINDING, MLP_FEWER, measured + "; 1 seed: no 95% interval, "
                    + "seed noise unknown", expected);
        }
        return Claim.comparison(id, MLP_FEWER, measured, expected, fewer, apart, String.join("; ", support));
    }

    /**
     * Finding: per momentum row, at the smallest lr whose lr / (1 - mu) is in sgd's grid, both reach the target in
     * every seed and their mean updates are within NEAR_FACTOR of each other.
     */
    static Claim mlpEffective(List<CellResult> mlp) {
        String id = "mlp_small_lr_effective_lr";
        String expected = "updates within a factor of " + Table.readable(NEAR_FACTOR) + ", every seed reaching";
        Map<String, List<SeedGroup>> grid = MlpPart.grid(mlp);
        List<SeedGroup> sgd = grid.getOrDefault(SGD, List.of());
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<SeedGroup>> row : grid.entrySet()) {
            SeedGroup m = row.getValue().stream().sorted(Comparator.comparingDouble(g -> g.real("lr")))
                    .filter(g -> !row.getKey().equals(SGD) && MlpPart.sgdAtEffectiveLr(sgd, g) != null)
                    .findFirst().orElse(null);
            if (m != null) {
                SeedGroup s = MlpPart.sgdAtEffectiveLr(sgd, m);
                double q = MlpPart.updates(m).mean() / MlpPart.updates(s).mean();
                holds &= MlpPart.allReached(m) && MlpPart.allReached(s) && q >= 1 / NEAR_FACTOR
                        && q <= NEAR_FACTOR;
                parts.add(row.getKey() + " " + steps(m) + " vs sgd at its gd_lr_over_1_minus_mu "
                        + Table.readable(MomentumReport.gdLrOverOneMinusMu(m)) + ": " + steps(s));
            }
        }
        if (parts.isEmpty()) {
            return none(id, Claim.Kind.FINDING, MLP_EFFECTIVE, "momentum lr whose lr / (1 - mu) is also in sgd's lr "
                    + "grid", expected);
        }
        return Claim.finding(id, MLP_EFFECTIVE, String.join("; ", parts), expected, holds,
                "ratio of mean updates against the factor " + Table.readable(NEAR_FACTOR) + " (seed noise aside)");
    }
}
