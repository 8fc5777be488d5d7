package gdlab.experiment.momentum;

import gdlab.dl4j.Trainer;
import gdlab.experiment.SeedBands;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.experiment.momentum.Momentum.CURVE;
import static gdlab.experiment.momentum.Momentum.HEAVY_BALL;
import static gdlab.experiment.momentum.Momentum.MLP;
import static gdlab.experiment.momentum.Momentum.NESTEROV;
import static gdlab.experiment.momentum.Momentum.OPTIMAL;
import static gdlab.experiment.momentum.Momentum.QUADRATIC;
import static gdlab.experiment.momentum.Momentum.QUADRATIC_2D;
import static gdlab.experiment.momentum.Momentum.ROSENBROCK;
import static gdlab.experiment.momentum.Momentum.SGD;
import static gdlab.experiment.momentum.Momentum.TRAJECTORY;
import static gdlab.experiment.momentum.Momentum.label;
import static gdlab.experiment.momentum.Momentum.part;
import static gdlab.experiment.momentum.Paths.QUADRATIC_START;
import static gdlab.experiment.momentum.Paths.ROSENBROCK_START;

/**
 * summary.csv (one row per quadratic, per path, per MLP learning rate), summary.md (a section per part: its tables,
 * what their columns mean, its figures) and the claims.
 */
final class MomentumReport {
    private final Spec spec;
    private final MlpPart mlp;
    private final Quadratics quadratics;
    private final StringBuilder text = new StringBuilder();
    private final List<Figure> figures = new ArrayList<>();

    MomentumReport(Spec spec, MlpPart mlp, Quadratics quadratics) {
        this.spec = spec;
        this.mlp = mlp;
        this.quadratics = quadratics;
    }

    Report report(List<CellResult> results) {
        List<CellResult> quad = part(results, QUADRATIC);
        List<CellResult> traj = part(results, TRAJECTORY);
        List<CellResult> mlpCells = part(results, MLP);
        List<SeedGroup> byK = SeedGroup.by(quad, "problem");
        List<SeedGroup> rows = new ArrayList<>();
        byK.forEach(k -> rows.addAll(SeedGroup.of(k.cells())));
        rows.addAll(SeedGroup.of(traj));
        MlpPart.grid(mlpCells).values().forEach(rows::addAll);
        if (!quad.isEmpty()) {
            quadratics(quad, byK);
        }
        if (!traj.isEmpty()) {
            paths(traj);
        }
        if (!mlpCells.isEmpty()) {
            mlp(mlpCells);
        }
        return new Report(summaryColumns(quad).csv(rows), text.toString(), figures,
                MomentumClaims.of(results, spec.real("tolerance"), spec.integer("trajectory_steps")));
    }

    /** summary.csv: a quadratic's or a path's cell, or an MLP learning rate's seeds; blank where a part has none. */
    private static Columns<SeedGroup> summaryColumns(List<CellResult> quad) {
        Columns<SeedGroup> c = new Columns<>();
        for (String coordinate : List.of("part", "problem", "optimizer", "momentum")) {
            c.csv(coordinate, g -> g.get(coordinate));
        }
        c.csv("mu", g -> first(g).number("mu")).csv("lr", g -> g.real("lr"))
                .csv("gd_lr_over_1_minus_mu", MomentumReport::gdLrOverOneMinusMu).csv("seeds", SeedGroup::size);
        for (String metric : List.of("predicted_rate", "predicted_iterations", "exact_iterations",
                "measured_iterations", "reference_iterations", "measured_to_predicted")) {
            c.csv(metric, g -> first(g).metric(metric));
        }
        c.csv("speedup_measured", g -> isQuadratic(g) ? speedup(quad, first(g), "measured_iterations") : null)
                .csv("speedup_predicted", g -> isQuadratic(g) ? speedup(quad, first(g), "predicted_iterations") : null)
                .csv("ref_mismatch_steps", g -> first(g).metric("ref_mismatch_steps"))
                .csv("final_loss_mean", g -> g.stats("final_loss").mean())
                .csv("final_loss_std", g -> isMlp(g) ? g.stats("final_loss").std() : null)
                .csv("updates_to_target_mean", g -> isMlp(g) ? MlpPart.updates(g).mean() : null)
                .csv("updates_to_target_std", g -> isMlp(g) ? MlpPart.updates(g).std() : null)
                .csv("reached_target", g -> switch (g.get("part")) {
                    case MLP -> g.reached("updates_to_target");
                    case QUADRATIC -> g.reached("measured_iterations");
                    default -> null;
                })
                .csv("diverged", g -> isMlp(g) ? g.diverged() : first(g).metric("diverged"));
        for (String metric : List.of("overshoot", "valley_crossings", "distance_to_minimum")) {
            c.csv(metric, g -> first(g).metric(metric));
        }
        return c;
    }

    /**
     * lr / (1 - mu): the plain-GD learning rate a momentum row acts like on a slowly changing gradient (its
     * steady-state step); the lr itself for gradient descent.
     */
    static double gdLrOverOneMinusMu(SeedGroup g) {
        return g.real("lr") / (1 - first(g).number("mu"));
    }

    private static CellResult first(SeedGroup g) {
        return g.cells().get(0);
    }

    private static boolean isQuadratic(SeedGroup g) {
        return g.get("part").equals(QUADRATIC);
    }

    private static boolean isMlp(SeedGroup g) {
        return g.get("part").equals(MLP);
    }

    /** sgd's count over the row's at the same k; NaN without an sgd row. */
    private static double speedup(List<CellResult> quad, CellResult r, String metric) {
        return quad.stream().filter(o -> Momentum.is(o, SGD, null) && o.cell().get("problem")
                .equals(r.cell().get("problem"))).findFirst().map(gd -> gd.number(metric)).orElse(Double.NaN)
                / r.number(metric);
    }

    private static CellResult find(List<CellResult> rs, String optimizer, String mu) {
        return rs.stream().filter(r -> Momentum.is(r, optimizer, mu)).findFirst().orElse(null);
    }

    /** The metric's value, or {@code none} when it has none. */
    private static Object valueOr(CellResult r, String metric, String none) {
        return r.metric(metric) == null ? none : r.metric(metric);
    }

    // -------------------------------------------------------------------------------------------- quadratics

    private void quadratics(List<CellResult> quad, List<SeedGroup> byK) {
        text.append(String.format(Locale.ROOT, "### Quadratics: iterations until (L - L*) / (L0 - L*) <= %s%n%n",
                Table.readable(spec.real("tolerance"))));
        MomentumData data = quadratics == null ? null : quadratics.data();
        if (data == null) {
            text.append(String.format(Locale.ROOT, "Least squares on a DL4J one-layer identity network (MSE, no "
                    + "bias, %d features, %d examples, exact fit): Hessian eigenvalues geometric in [1, k], computed "
                    + "from the data.", spec.integer("features"), spec.integer("examples")));
        } else {
            text.append("Least squares on ").append(data.describe()).append(": a DL4J one-layer identity network "
                    + "(MSE, with a bias). Its Hessian (2/N) Xa'Xa (Xa: the features and a column of ones) gives "
                    + "lambda_min, lambda_max and k exactly.");
        }
        text.append(" Full batch, from the worst-case start theta* + s (u_min/sqrt(lambda_min) + "
                + "u_max/sqrt(lambda_max)), s = sqrt(max(1, L*)) (the gap starts at 1, or at L* when the fit leaves a "
                + "residual, so the loss's own round-off stays far below the gap). Each row runs at the learning rate "
                + "theory gives it for its mu (see below).\n\n");
        Columns<CellResult> table = new Columns<CellResult>()
                .markdown("problem", r -> r.cell().get("problem"))
                .markdown("k", r -> r.number("condition"))
                .markdown("lambda_min", r -> r.number("lambda_min"))
                .markdown("lambda_max", r -> r.number("lambda_max"))
                .markdown("optimizer", r -> r.cell().get("optimizer"))
                .markdown("mu", r -> r.cell().get("momentum").equals(OPTIMAL)
                        ? "optimal " + Table.readable(r.number("mu")) : r.cell().get("momentum"))
                .markdown("lr", r -> r.cell().real("lr"))
                .markdown("predicted_rate", r -> r.number("predicted_rate"))
                .markdown("predicted_iterations", r -> valueOr(r, "predicted_iterations", "never"))
                .markdown("exact_iterations", r -> valueOr(r, "exact_iterations", "not reached"))
                .markdown("measured_iterations", r -> valueOr(r, "measured_iterations", "not reached"))
                .markdown("reference_iterations", r -> valueOr(r, "reference_iterations", "not reached"))
                .markdown("measured_over_predicted", r -> r.metric("measured_to_predicted"))
                .markdown("speedup_measured", r -> speedup(quad, r, "measured_iterations"))
                .markdown("speedup_predicted", r -> speedup(quad, r, "predicted_iterations"))
                .markdown("overshoot", r -> r.number("overshoot"));
        List<CellResult> ordered = new ArrayList<>();
        byK.forEach(k -> ordered.addAll(k.cells()));
        text.append(table.markdown(ordered).toMarkdown()).append('\n');
        text.append("""
                Learning rates (theory, on each spectrum): sgd 2 / (lambda_min + lambda_max); momentum (heavy ball) \
                2 (1 + mu) / (lambda_min + lambda_max) while mu is below Polyak's mu* = ((sqrt k - 1)/(sqrt k + 1))^2, \
                else Polyak's lr* = (2 / (sqrt lambda_max + sqrt lambda_min))^2, where the rate is sqrt(mu) whatever \
                the lr (optimal = (lr*, mu*)); nesterov (DL4J's Nesterovs) the lr minimising its exact rate for that \
                mu, optimal = the textbook mu = (sqrt k - 1)/(sqrt k + 1) with lr = 1 / lambda_max. predicted_rate is \
                the exact asymptotic factor per step of the error (largest root of each eigen-direction's \
                recurrence over the spectrum); predicted_iterations = ceil(ln(tolerance) / (2 ln rate)), since the \
                loss gap is quadratic in the error. exact_iterations: the same theory without the asymptotic \
                shortcut, each eigen-direction's recurrence iterated from the start (transients included). \
                measured_iterations: DL4J; reference_iterations: the \
                reference's plain-Java updaters on the same least-squares objective from the same start. \
                speedup = sgd's iterations / the row's. overshoot: how far the path passes the minimum along the \
                flattest direction (lambda_min), as a share of its starting offset; plain GD never crosses it.

                """);
        Columns<SeedGroup> scaling = new Columns<SeedGroup>()
                .markdown("k", k -> first(k).number("condition"))
                .markdown("sgd_measured", k -> iterations(k, SGD, "0", "measured"))
                .markdown("sgd_predicted", k -> iterations(k, SGD, "0", "predicted"))
                .markdown("momentum_optimal_measured", k -> optional(k, HEAVY_BALL, "measured_iterations"))
                .markdown("momentum_optimal_predicted", k -> optional(k, HEAVY_BALL, "predicted_iterations"))
                .markdown("nesterov_optimal_measured", k -> optional(k, NESTEROV, "measured_iterations"))
                .markdown("nesterov_optimal_predicted", k -> optional(k, NESTEROV, "predicted_iterations"))
                .markdown("sgd_over_momentum_optimal", k -> find(k.cells(), HEAVY_BALL, OPTIMAL) == null ? null
                        : iterations(k, SGD, "0", "measured") / iterations(k, HEAVY_BALL, OPTIMAL, "measured"));
        text.append("#### How the counts grow with k\n\n").append(scaling.markdown(byK).toMarkdown()).append('\n');
        text.append("""
                Gradient descent's count grows like k (its rate (k-1)/(k+1) ~ 1 - 2/k), heavy ball's like sqrt(k) \
                (rate (sqrt k - 1)/(sqrt k + 1) ~ 1 - 2/sqrt k). Goh 2017 ("Why momentum really works") tabulates \
                the error ||x - x*|| reaching 1e-6 (GD 69/691/6908, heavy ball 21/69/218 for k = 10/100/1000): \
                those are the counts for a loss tolerance of 1e-12, twice the ones here. Heavy ball at its optimum \
                has a double root, so its error decays like (a + b t) r^t: its measured count runs above the \
                rate-only prediction by that transient.

                """);
        double[] ks = byK.stream().mapToDouble(k -> first(k).number("condition")).toArray();
        List<Figure.Series> series = new ArrayList<>();
        for (String[] row : List.of(new String[]{SGD, "0", "sgd"}, new String[]{HEAVY_BALL, OPTIMAL,
                "momentum optimal"}, new String[]{NESTEROV, OPTIMAL, "nesterov optimal"})) {
            series.add(Figure.Series.points(row[2] + " measured", ks, byK.stream()
                    .mapToDouble(k -> iterations(k, row[0], row[1], "measured")).toArray()));
            series.add(Figure.Series.line(row[2] + " predicted", ks, byK.stream()
                    .mapToDouble(k -> iterations(k, row[0], row[1], "predicted")).toArray()));
        }
        figures.add(new Figure.Lines("iterations-vs-k", "Iterations to a loss gap of "
                + Table.readable(spec.real("tolerance")) + " vs condition number", "k (log)", "iterations (log)",
                true, true, series));
        for (SeedGroup k : byK) {
            List<Figure.Series> gaps = k.cells().stream().map(r -> Figure.Series.line(label(r.cell()),
                    r.series(CURVE, "step"), r.series(CURVE, "relative_loss"))).toList();
            figures.add(new Figure.Lines("loss-gap-" + k.get("problem").replace("=", ""), "Quadratic "
                    + k.get("problem") + ": (L - L*) / (L0 - L*) per step", "step", "relative loss gap (log)", false,
                    true, gaps));
        }
    }

    /** An optimal row's count at one k; blank when the row is missing or the count has no value. */
    private static Object optional(SeedGroup k, String optimizer, String metric) {
        CellResult r = find(k.cells(), optimizer, OPTIMAL);
        return r == null ? null : r.metric(metric);
    }

    /** A row's measured or predicted count at one k; NaN when the row is missing or the count has no value. */
    private static double iterations(SeedGroup k, String optimizer, String mu, String which) {
        CellResult r = find(k.cells(), optimizer, mu);
        return r == null ? Double.NaN : r.number(which + "_iterations");
    }

    // ------------------------------------------------------------------------------------------------ paths

    private void paths(List<CellResult> traj) {
        text.append("### 2-D paths: the inertia\n\n");
        text.append(String.format(Locale.ROOT, "f = (x^2 + %s y^2) / 2 from (%s, %s), %d steps, and Rosenbrock "
                        + "(1 - x)^2 + 100 (y - x^2)^2 from (%s, %s), %d steps at lr = %s: SameDiff graphs stepped by "
                        + "the DL4J updaters, the reference (plain Java) alongside.%n%n",
                Table.readable(spec.real("trajectory_condition")), Table.readable(QUADRATIC_START[0]),
                Table.readable(QUADRATIC_START[1]), spec.integer("trajectory_steps"),
                Table.readable(ROSENBROCK_START[0]), Table.readable(ROSENBROCK_START[1]),
                spec.integer("rosenbrock_steps"), Table.readable(spec.real("rosenbrock_lr"))));
        Columns<CellResult> table = new Columns<CellResult>()
                .markdown("surface", r -> r.cell().get("problem"))
                .markdown("optimizer", r -> r.cell().get("optimizer"))
                .markdown("mu", r -> r.cell().get("momentum"))
                .markdown("lr", r -> r.cell().real("lr"))
                .markdown("lr_x_lambda_max", r -> r.cell().get("problem").equals(QUADRATIC_2D)
                        ? (Object) (r.cell().real("lr") * spec.real("trajectory_condition")) : "-")
                .markdown("gd_lr_over_1_minus_mu", r -> r.cell().real("lr") / (1 - r.number("mu")))
                .markdown("final_f_over_start", r -> r.number("final_relative_loss"))
                .markdown("distance_to_minimum", r -> r.number("distance_to_minimum"))
                .markdown("overshoot_past_minimum", r -> r.number("overshoot"))
                .markdown("valley_crossings", r -> r.metric("valley_crossings"))
                .markdown("max_deviation_from_reference", r -> Arrays.stream(r.series(CURVE, "ref_diff"))
                        .filter(Double::isFinite).max().orElse(Double.NaN))
                .markdown("ref_mismatch_steps", r -> r.metric("ref_mismatch_steps"));
        text.append(table.markdown(traj).toMarkdown()).append('\n');
        text.append("""
                overshoot_past_minimum: the largest excursion beyond the minimum along its flattest direction \
                (the x axis for the quadratic, the valley's direction for Rosenbrock), as a share of the start's \
                offset: gradient descent comes straight in (0), momentum's inertia carries it past and back. \
                valley_crossings: how often the path crossed the valley's floor (the x axis for the quadratic, \
                y = x^2 for Rosenbrock), the zig-zag across the valley. On the quadratic gradient descent runs \
                at its best constant rate 2 / (lambda_min + lambda_max) and at 1.9 / lambda_max: lr_x_lambda_max \
                near 1.9, so the steep coordinate shrinks by |1 - lr lambda_max| ~ 0.9 and flips sign every step (the \
                zig-zag), while the flat one creeps in by 1 - lr lambda_min per step. Heavy ball and Nesterov at \
                trajectory_momentum run at 1 / lambda_max, heavy ball optimal at Polyak's lr*, mu*. \
                gd_lr_over_1_minus_mu = lr / (1 - mu): the plain-GD learning rate momentum acts like on a slowly \
                changing gradient (its steady-state step); above 2 / lambda_max it would diverge as plain GD, which \
                is why momentum is not simply a larger learning rate. \
                max_deviation_from_reference: largest distance between DL4J's and the reference's points; \
                ref_mismatch_steps: steps where it exceeds 1e-7. The \
                paths are in curves.csv (columns x, y). The quadratic's figure draws exact level sets (ellipses); \
                Rosenbrock's level sets through this region are thin bananas reaching far outside it, so its figure \
                draws the valley floor y = x^2 instead.

                """);
        for (String surface : List.of(QUADRATIC_2D, ROSENBROCK)) {
            List<CellResult> on = traj.stream().filter(r -> r.cell().get("problem").equals(surface)).toList();
            List<Figure.Series> series = new ArrayList<>(surface.equals(QUADRATIC_2D) ? levelSets() : valley(on));
            on.forEach(r -> series.add(Figure.Series.line(label(r.cell()) + " (lr "
                    + Table.readable(r.cell().real("lr")) + ")", r.series(CURVE, "x"), r.series(CURVE, "y"))));
            // equal aspect: one unit on x as long as one on y, so the level sets and the valley keep their shape
            figures.add(new Figure.Lines("path-" + surface, surface.equals(ROSENBROCK)
                    ? "Rosenbrock: paths along the curved valley"
                    : "Quadratic, k = " + Table.readable(spec.real("trajectory_condition"))
                    + ": paths, with level sets f = c", "x", "y", false, false, series, true));
        }
    }

    /** The 2-D quadratic's exact level sets through 100%, 25% and 5% of the start's f: ellipses. */
    private List<Figure.Series> levelSets() {
        double k = spec.real("trajectory_condition");
        double f0 = 0.5 * (QUADRATIC_START[0] * QUADRATIC_START[0] + k * QUADRATIC_START[1] * QUADRATIC_START[1]);
        List<Figure.Series> out = new ArrayList<>();
        for (double share : new double[]{1, 0.25, 0.05}) {
            double c = f0 * share;
            double[] x = new double[121];
            double[] y = new double[121];
            for (int i = 0; i <= 120; i++) {
                x[i] = Math.sqrt(2 * c) * Math.cos(2 * Math.PI * i / 120);
                y[i] = Math.sqrt(2 * c / k) * Math.sin(2 * Math.PI * i / 120);
            }
            out.add(Figure.Series.line("f = " + Table.readable(c), x, y));
        }
        return out;
    }

    /**
     * Rosenbrock's valley floor y = x^2 over the paths' x range, and its minimum. Its level sets through the paths'
     * region are long thin bananas reaching far beyond it (f = 4 spans x in [-1, 3], y up to 9), which would squeeze
     * the paths into a corner; the floor shows the structure instead.
     */
    private static List<Figure.Series> valley(List<CellResult> paths) {
        double[] xs = paths.stream().flatMapToDouble(r -> Arrays.stream(r.series(CURVE, "x")))
                .filter(Double::isFinite).toArray();
        double lo = Math.min(Arrays.stream(xs).min().orElse(Double.POSITIVE_INFINITY), 1) - 0.1;
        double hi = Math.max(Arrays.stream(xs).max().orElse(Double.NEGATIVE_INFINITY), 1) + 0.1;
        double[] x = new double[101];
        double[] y = new double[101];
        for (int i = 0; i <= 100; i++) {
            x[i] = lo + (hi - lo) * i / 100;
            y[i] = x[i] * x[i];
        }
        return List.of(Figure.Series.line("valley floor y = x^2", x, y),
                Figure.Series.points("minimum (1, 1)", new double[]{1}, new double[]{1}));
    }

    // ---------------------------------------------------------------------------------------------- the MLP

    private void mlp(List<CellResult> cells) {
        text.append(String.format(Locale.ROOT, "### MLP on %s: updates until the training loss is <= %s%n%n",
                mlp.dataName(), Table.readable(spec.real("target_loss"))));
        text.append(String.format(Locale.ROOT, "%s, at most %d epochs (a run stops at the target); %d seed(s); "
                        + "learning rates %s. No theory gives mu* here (the Hessian changes along the way), so there "
                        + "is no optimal row; each row shows its best lr.%n%n", mlp.setUp(), spec.integer("max_epochs"),
                Harness.seeds(spec).size(), spec.raw("lr")));
        Map<String, List<SeedGroup>> grid = MlpPart.grid(cells);
        Map<String, SeedGroup> best = new LinkedHashMap<>();
        grid.forEach((row, lrs) -> best.put(row, MlpPart.best(lrs)));
        double sgdUpdates = best.containsKey(SGD) ? MlpPart.updates(best.get(SGD)).mean() : Double.NaN;
        Columns<SeedGroup> bestTable = mlpColumns("best_lr")
                .markdown("final_loss", g -> g.stats("final_loss").pretty())
                .markdown("speedup_over_sgd", g -> MlpPart.allReached(g)
                        ? sgdUpdates / MlpPart.updates(g).mean() : null);
        text.append(bestTable.markdown(List.copyOf(best.values())).toMarkdown()).append('\n');
        text.append("Best lr per row: all seeds reach the target in the fewest updates (mean); if none does, the "
                + "lowest final loss. speedup_over_sgd = sgd's best updates / the row's. " + Trainer.DIVERGENCE_RULE
                + " The whole grid:\n\n");
        Columns<SeedGroup> gridTable = mlpColumns("lr")
                .markdown("final_loss", g -> g.stats("final_loss").pretty())
                .markdown("diverged", g -> g.diverged() + "/" + g.size());
        List<SeedGroup> all = grid.values().stream().flatMap(List::stream).toList();
        text.append(gridTable.markdown(all).toMarkdown()).append('\n');
        // momentum with mu at lr against plain GD at the "effective" lr / (1 - mu), where the grid has both
        List<SeedGroup> sgd = grid.getOrDefault(SGD, List.of());
        List<SeedGroup> paired = all.stream().filter(g -> g.real("momentum") != 0
                && MlpPart.sgdAtEffectiveLr(sgd, g) != null).toList();
        Columns<SeedGroup> effective = mlpColumns("lr")
                .markdown("gd_lr_over_1_minus_mu", g -> g.real("lr") / (1 - g.real("momentum")))
                .markdown("sgd_updates_to_target", g -> reached(MlpPart.sgdAtEffectiveLr(sgd, g)));
        if (!paired.isEmpty()) {
            text.append("Momentum mu at lr against plain GD at lr / (1 - mu), its steady-state step on a constant "
                    + "gradient (rows where the grid has both):\n\n").append(effective.markdown(paired).toMarkdown())
                    .append('\n');
        }
        List<Figure.Series> curves = new ArrayList<>();
        best.forEach((row, g) -> curves.add(SeedBands.overSeeds(row + " lr " + g.get("lr"),
                g.cells().stream().map(r -> r.series(CURVE, "step")).toList(),
                g.cells().stream().map(r -> r.series(CURVE, "loss")).toList(), true)));
        figures.add(new Figure.Lines("mlp-loss", "MLP on " + mlp.dataName() + ": training loss per update at each "
                + "row's best lr (mean over seeds)", "updates", "training loss (log)", false, true, curves));
    }

    /** An MLP table's first columns: the row, its learning rate (named {@code lr}) and its updates to the target. */
    private static Columns<SeedGroup> mlpColumns(String lr) {
        return new Columns<SeedGroup>()
                .markdown("optimizer", g -> g.get("optimizer"))
                .markdown("mu", g -> g.get("momentum"))
                .markdown(lr, g -> g.real("lr"))
                .markdown("updates_to_target", MomentumReport::reached);
    }

    /** Mean ± std of the updates to the target over the seeds that reached it, and how many did ("12 ± 2 (3/4)"). */
    private static String reached(SeedGroup g) {
        return MlpPart.updates(g).pretty() + " (" + g.reachedOf("updates_to_target") + ")";
    }
}
