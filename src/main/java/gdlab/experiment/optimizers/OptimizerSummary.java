package gdlab.experiment.optimizers;

import gdlab.experiment.optimizers.Choices.Choice;
import gdlab.experiment.optimizers.Choices.Sensitivity;
import gdlab.experiment.optimizers.OptimizerRanking.Config;
import gdlab.experiment.optimizers.OptimizerRanking.Outcome;
import gdlab.report.Columns;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.experiment.optimizers.Choices.LOSS_FLOOR;
import static gdlab.experiment.optimizers.Choices.ONE_SHOT;
import static gdlab.experiment.optimizers.Choices.TUNED;
import static gdlab.experiment.optimizers.Choices.config;
import static gdlab.experiment.optimizers.Choices.escapeProblem;
import static gdlab.experiment.optimizers.Choices.ok;
import static gdlab.experiment.optimizers.Choices.ranked;
import static gdlab.experiment.optimizers.OptimizerBenchmark.network;
import static gdlab.experiment.optimizers.OptimizerBenchmark.lrString;

/**
 * The optimizers experiment's report from its finished cells ({@link Choices}): a table per problem, the mean ranks
 * and performance profiles across problems, DL4J's solvers and updaters against the reference, findings and claims.
 */
final class OptimizerSummary {
    private final Spec spec;
    private final Choices chosen;

    OptimizerSummary(Spec spec, List<Double> grid, List<CellResult> results) {
        this.spec = spec;
        this.chosen = new Choices(grid, results);
    }

    /** What ranks on a problem: steps to escape on the saddle, the final (training) loss elsewhere. */
    static String measureName(String problem) {
        return escapeProblem(problem) ? "steps to escape (f <= -saddle_escape)"
                : network(problem) ? "final training loss" : "final f (minimum 0)";
    }

    // ---------------------------------------------------------------- the report

    Report report() {
        List<Choice> rows = new ArrayList<>();
        StringBuilder md = new StringBuilder(intro());
        for (String problem : chosen.problems()) {
            List<Choice> order = new ArrayList<>(chosen.choices(TUNED, problem));
            order.sort(Comparator.comparingDouble((Choice c) -> c.rank() == null ? Double.MAX_VALUE
                    : c.rank() == 0 ? Double.MAX_VALUE / 2 : c.rank()).thenComparing(Choice::config,
                    OptimizerRanking.ORDER));
            order.forEach(t -> rows.addAll(List.of(chosen.choice(ONE_SHOT, problem, t.optimizer()), t)));
            md.append(String.format(Locale.ROOT, "### %s: ranked by %s (tuned)%n%n", problem, measureName(problem)))
                    .append(problemColumns(problem).markdown(order).toMarkdown()).append("\n");
        }
        md.append(overall()).append(SolverTables.solvers(chosen)).append(SolverTables.crosscheck(chosen.results()))
                .append(findings());
        return new Report(csvColumns().csv(rows), md.toString(), OptimizerFigures.of(chosen),
                OptimizerClaims.of(chosen, spec));
    }

    private String intro() {
        return String.format(Locale.ROOT, """
                        Each optimizer runs at DL4J's default learning rate (**one-shot**) and at every learning rate \
                        of the grid %s (**tuned**: the lr whose seeds all finished with the lowest mean final loss; \
                        a configuration where any seed diverged never beats one where none did). %d seeds. \
                        Networks: MLP %s hidden units (%s), %s, minibatch %s, %s epochs on digits, %s on iris and %s \
                        on your own data (csv:/idx: problems, named by their file). **Budgets are equal, counted in \
                        example gradients**: every loss or gradient evaluation an optimizer asks for counts, a \
                        line search's trial points included; a minibatch of B costs B, a full-batch evaluation on \
                        the N training examples costs N, one evaluation of a 2-D function costs 1. Each problem's \
                        budget is what the minibatch updaters use: epochs x N on a network, that is as many \
                        full-batch evaluations as epochs; %s evaluations on a 2-D function (updaters: one gradient \
                        per step, through SameDiff). The solvers (DL4J's and the reference's) are cut off when \
                        their evaluations reach the budget: DL4J's solvers run one iteration per fit and an \
                        iteration that overruns the budget is undone (the run ends at the parameters after the last \
                        iteration within it); the reference's solvers stop at the evaluation that would overrun it \
                        and end at their last accepted point. Column example_gradients: what the runs used (mean \
                        over seeds); the loss recorded for the curves is monitoring and does not count. Each seed \
                        of a 2-D function starts within %s of the centre (Rosenbrock (-1.2, 1), \
                        Beale (1, 1.5), Himmelblau (0, 0); the saddle x^2 - y^2 at x within that of 1 and y in \
                        [0.005, 0.015], near the ridge y = 0).

                        Rows: DL4J's updaters; `momentum` is gdlab's heavy-ball IUpdater inside DL4J (DL4J has none; \
                        defaults as Nesterovs); `adabelief` is DL4J's AdaBelief; `line-gd`, `cg`, `lbfgs` are \
                        DL4J's OptimizationAlgorithm LINE_GRADIENT_DESCENT, CONJUGATE_GRADIENT and LBFGS (their \
                        lr scales the updater step the line search starts from; on 2-D functions they run on the \
                        function written as a one-layer DL4J network); `line-gd-ref`, `cg-ref`, `lbfgs-ref` are \
                        the reference's (plain Java) Armijo line-search GD, Polak-Ribiere+ CG with a strong-Wolfe \
                        search, and L-BFGS (memory 10), with no learning rate. Every updater run is replayed by the \
                        reference (same start, minibatches and steps): `reference` = runs whose final losses agree \
                        (1e-6 relative, or both blew up). On the networks: %s

                        """, chosen.grid().stream().map(OptimizerBenchmark::lrString).toList(),
                Harness.seeds(spec).size(), spec.string("hidden"), spec.string("activation"), spec.string("dtype"),
                spec.string("batch_size"), spec.string("digits_epochs"), spec.string("iris_epochs"),
                spec.string("data_epochs"),
                spec.string("function_steps"), spec.string("start_radius"), gdlab.dl4j.Trainer.DIVERGENCE_RULE);
    }

    /** summary.csv: per problem, each optimizer's one-shot and tuned choice. */
    private Columns<Choice> csvColumns() {
        return new Columns<Choice>().add("problem", Choice::problem).add("optimizer", Choice::optimizer)
                .add("implementation", c -> OptimizerBenchmark.implementation(c.optimizer()))
                .add("setting", Choice::setting).add("lr", c -> c.config().lr())
                .add("status", c -> c.config().status()).add("rank", c -> c.hasRank() ? c.rank() : null)
                .add("seeds", c -> c.group().size()).add("diverged", c -> c.config().count(Outcome.DIVERGED))
                .add("crashed", c -> c.config().count(Outcome.CRASHED))
                .stats("final_loss", c -> ok(c.group(), "final_loss"))
                .add("test_accuracy_mean", c -> ok(c.group(), "test_accuracy").mean())
                .add("test_accuracy_std", c -> ok(c.group(), "test_accuracy").std())
                .add("steps_to_target_mean", c -> ok(c.group(), "steps_to_target").mean())
                .add("reached_target", c -> ok(c.group(), "steps_to_target").n())
                .add("time_to_target_ms_mean", c -> ok(c.group(), "time_to_target_ms").mean())
                .add("steps_mean", c -> ok(c.group(), "steps").mean())
                .add("example_gradients_mean", c -> ok(c.group(), "example_gradients").mean())
                .add("lr_grid_ok", c -> gridCount(c, Sensitivity::ok))
                .add("lr_on_grid_edge", c -> c.setting().equals(TUNED) ? chosen.onGridEdge(c) : null)
                .add("lr_grid_size", c -> gridCount(c, Sensitivity::gridSize))
                .add("loss_spread_decades", c -> chosen.sensitivity(c.problem(), c.optimizer()).spreadDecades())
                .add("reference_agrees", c -> replayed(c.group()) == 0 ? null
                        : c.group().count(r -> SolverTables.flag(r, "ref_agrees", 1)))
                .add("reference_replayed", c -> replayed(c.group()) == 0 ? null : replayed(c.group()))
                .add("reference_max_final_rel_diff", c -> c.group().cells().stream()
                        .map(r -> r.number("ref_final_rel_diff")).filter(Double::isFinite)
                        .mapToDouble(Double::doubleValue).max().orElse(Double.NaN))
                .add("message", c -> c.group().cells().stream().map(CellResult::message).filter(m -> !m.isEmpty())
                        .distinct().reduce((a, b) -> a + "; " + b).orElse(""));
    }

    private Integer gridCount(Choice c, java.util.function.ToIntFunction<Sensitivity> what) {
        Sensitivity s = chosen.sensitivity(c.problem(), c.optimizer());
        return s.gridSize() == 0 ? null : what.applyAsInt(s);
    }

    private static long replayed(SeedGroup g) {
        return g.count(r -> r.metric("ref_agrees") != null);
    }

    /** A problem's table in summary.md: one row per optimizer, its one-shot and tuned choice side by side. */
    private Columns<Choice> problemColumns(String problem) {
        String loss = escapeProblem(problem) ? "steps_to_escape" : network(problem) ? "final_train_loss"
                : "final_f";
        Columns<Choice> columns = new Columns<Choice>().add("rank", c -> rankText(c.rank()))
                .add("optimizer", Choice::optimizer)
                .add("one_shot_lr", c -> oneShot(c).config().lr())
                .add("one_shot_" + loss, c -> lossText(oneShot(c).group()))
                .add("one_shot_rank", c -> rankText(oneShot(c).rank()))
                .add("tuned_lr", c -> c.config().lr() + (!c.setting().equals(TUNED) || !chosen.onGridEdge(c) ? ""
                        : escapeProblem(problem) && c.config().meanMeasure() <= 1
                        ? " (grid's edge; escapes in 1 step, none can do better)" : " (grid's edge)"))
                .add("tuned_" + loss, c -> lossText(c.group()))
                .add("example_gradients", c -> c.config().statusClass() == 2 ? "-"
                        : ok(c.group(), "example_gradients").pretty());
        if (network(problem)) {
            columns.add("test_accuracy", c -> ok(c.group(), "test_accuracy").pretty());
        } else {
            columns.add("final_point", c -> point(c.group()));
        }
        return columns.add("steps_to_target", c -> {
            long reached = reached(c.group());
            return c.config().statusClass() == 2 ? "-" : reached == 0 ? "not reached (0/" + c.group().size() + ")"
                    : ok(c.group(), "steps_to_target").pretty() + " (" + reached + "/" + c.group().size() + ")";
        }).add("time_to_target_ms", c -> reached(c.group()) == 0 ? "-" : ok(c.group(), "time_to_target_ms").pretty())
                .add("lr_grid_ok", c -> chosen.sensitivity(problem, c.optimizer()).okShare())
                .add("spread_decades", c -> {
                    double spread = chosen.sensitivity(problem, c.optimizer()).spreadDecades();
                    return Double.isNaN(spread) ? "-" : String.format(Locale.ROOT, "%.2f", spread);
                }).add("reference", c -> referenceText(c.group())).add("note", OptimizerSummary::note);
    }

    private Choice oneShot(Choice tuned) {
        return chosen.choice(ONE_SHOT, tuned.problem(), tuned.optimizer());
    }

    private static long reached(SeedGroup g) {
        return g.count(r -> r.status() == CellResult.Status.OK && r.metric("steps_to_target") != null);
    }

    /** The measure of a group's seeds, "mean ± std", with its diverged or crashed count. */
    static String lossText(SeedGroup g) {
        Config c = config(g);
        if (c.statusClass() == 2) {
            return "crashed";
        }
        if (escapeProblem(g.get("problem"))) {
            long escaped = c.seeds().size() - c.misses() - c.count(Outcome.DIVERGED);
            String s = Double.isNaN(c.meanMeasure()) ? "not escaped" : Table.readable(c.meanMeasure());
            return s + " (" + escaped + "/" + c.seeds().size() + ")" + (c.statusClass() == 1 ? " " + c.status() : "");
        }
        String loss = ok(g, "final_loss").pretty();
        return c.statusClass() == 0 ? loss : c.status() + (loss.equals("-") ? "" : "; others " + loss);
    }

    private static String rankText(Double rank) {
        return rank == null ? "ref" : rank == 0 ? "-" : Table.readable(rank);
    }

    private static String point(SeedGroup g) {
        Stats x = ok(g, "final_x");
        return x.n() == 0 ? "-" : "(" + Table.readable(x.mean()) + ", " + Table.readable(ok(g, "final_y").mean()) + ")";
    }

    private static String referenceText(SeedGroup g) {
        long replayed = replayed(g);
        if (replayed == 0) {
            return "-";
        }
        long agree = g.count(r -> SolverTables.flag(r, "ref_agrees", 1));
        long late = g.count(r -> SolverTables.flag(r, "ref_agrees", 0) && SolverTables.firstAgrees(r));
        return agree + "/" + replayed + " agree" + (late == 0 ? "" : ", " + late + " split late");
    }

    private static String note(Choice c) {
        List<String> notes = new ArrayList<>();
        List<CellResult> rs = c.group().cells();
        rs.stream().filter(r -> r.status() == CellResult.Status.FAILED).map(CellResult::message).distinct()
                .forEach(notes::add);
        if (c.config().statusClass() == 1) {
            notes.add("every lr had a diverged seed");
        }
        if (!ranked(c.optimizer())) {
            rs.stream().map(CellResult::message).filter(m -> !m.isEmpty()).map(m -> m.replaceAll(", \\d+ evaluations",
                    "")).distinct().forEach(notes::add);
        }
        return String.join("; ", notes);
    }

    // ---------------------------------------------------------------- across problems

    private String overall() {
        Map<String, Double> tunedMean = chosen.meanRanks(TUNED);
        Map<String, Double> oneMean = chosen.meanRanks(ONE_SHOT);
        double[] taus = spec.reals("profile_tau").stream().mapToDouble(Double::doubleValue).sorted().distinct()
                .toArray();
        Map<String, double[]> profTuned = OptimizerRanking.profile(chosen.contenders(TUNED), chosen.floors(), taus);
        Map<String, double[]> profOne = OptimizerRanking.profile(chosen.contenders(ONE_SHOT), chosen.floors(), taus);
        Columns<String> columns = new Columns<String>().add("optimizer", o -> o)
                .add("implementation", OptimizerBenchmark::implementation)
                .add("mean_rank_tuned", tunedMean::get).add("mean_rank_one_shot", oneMean::get)
                .add("problems_ranked", o -> chosen.all(TUNED).stream().filter(c -> c.optimizer().equals(o)
                        && c.hasRank()).count() + "/" + chosen.problems().size())
                .add("diverged_or_crashed_tuned", o -> chosen.all(TUNED).stream().filter(c -> c.optimizer().equals(o)
                        && c.config().statusClass() > 0).count());
        for (int i = 0; i < taus.length; i++) {
            int at = i;
            columns.add("rho_tuned_tau_" + lrString(taus[i]), o -> profTuned.get(o)[at]);
        }
        for (int i = 0; i < taus.length; i++) {
            int at = i;
            columns.add("rho_one_shot_tau_" + lrString(taus[i]), o -> profOne.get(o)[at]);
        }
        List<String> order = new ArrayList<>(tunedMean.keySet());
        order.sort(Comparator.comparingDouble(o -> Double.isNaN(tunedMean.get(o)) ? Double.MAX_VALUE
                : tunedMean.get(o)));
        return String.format(Locale.ROOT, """
                        ### Across problems: mean rank and performance profile

                        Ranked: the optimizers you can pick in DL4J (the reference's solvers are the yardstick in \
                        the tables above, not ranked). mean_rank = mean over the problems of the rank above (1 = \
                        best; rows that tie share the mean of their places; crashed rows are not ranked). \
                        rho_*_tau_T = performance profile (Dolan & More): the share of the %d problem instances \
                        (problem x seed) on which the optimizer's measure (final loss, floored at %s; steps to escape \
                        on the saddle) is within a factor T of the best optimizer's on that instance; a diverged, \
                        crashed or not-escaped run never counts.

                        """, chosen.problems().size() * Harness.seeds(spec).size(), Table.readable(LOSS_FLOOR))
                + columns.markdown(order).toMarkdown() + "\n";
    }

    // ---------------------------------------------------------------- findings

    private String findings() {
        List<String> lines = new ArrayList<>();
        for (String problem : chosen.problems()) {
            List<String> best = chosen.first(TUNED, problem).stream().map(c -> "**" + c.optimizer() + "** (lr "
                    + c.config().lr() + ")").toList();
            List<String> bestOne = chosen.first(ONE_SHOT, problem).stream().map(c -> "**" + c.optimizer() + "**")
                    .toList();
            lines.add(String.format(Locale.ROOT, "- %s: best tuned %s, best one-shot %s.", problem, best.isEmpty()
                    ? "-" : String.join(" = ", best), bestOne.isEmpty() ? "-" : String.join(" = ", bestOne)));
        }
        // DL4J NaN where the reference is finite, and the softmax measurement that explains the ones seen so far
        List<CellResult> nanRuns = chosen.results().stream().filter(SolverTables::nanWhereReferenceIsFinite).toList();
        if (!nanRuns.isEmpty()) {
            List<String> where = nanRuns.stream().map(r -> r.cell().get("optimizer") + " on "
                    + r.cell().get("problem") + " at lr " + r.cell().get("lr")).distinct().toList();
            double[] logits = {-800, -810, -820};
            gdlab.dl4j.SoftmaxProbe.Result dbl = gdlab.dl4j.SoftmaxProbe.probe(logits,
                    org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            gdlab.dl4j.SoftmaxProbe.Result flt = gdlab.dl4j.SoftmaxProbe.probe(logits,
                    org.nd4j.linalg.api.buffer.DataType.FLOAT);
            lines.add(String.format(Locale.ROOT, "- In %d run%s (%s) DL4J's loss became NaN while the reference, "
                            + "replaying the same steps, stayed finite. Measured now: DL4J's %s; %s.%s",
                    nanRuns.size(), nanRuns.size() == 1 ? "" : "s",
                    String.join("; ", where.stream().limit(6).toList()) + (where.size() > 6 ? "; ..." : ""), dbl, flt,
                    dbl.agree() ? " In DOUBLE both ways agree here, so the NaN has another cause."
                            : " A minibatch row whose logits are all very negative (large weights after a large step) "
                            + "comes out NaN in DOUBLE."));
        }
        return "### Findings\n\n" + String.join("\n", lines) + "\n";
    }
}
