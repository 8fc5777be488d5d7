package gdlab.experiment.learningrate;

import gdlab.dl4j.Trainer;
import gdlab.experiment.GdMode;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static gdlab.experiment.learningrate.LearningRate.BEST_LR;
import static gdlab.experiment.learningrate.LearningRate.CURVE;
import static gdlab.experiment.learningrate.LearningRate.EDGE;
import static gdlab.experiment.learningrate.LearningRate.SWEEP;

/**
 * learning-rate's summary: the problems, the two searches against theory, each problem's sweep (one row per
 * learning rate and batch size, over the seeds), the best learning rate per batch size, and the figures.
 */
final class LearningRateSummary {
    /**
     * summary.csv: one row per sweep point (problem, batch size, learning rate), over its seeds, with its problem's
     * predicted edge 2 / lambda_max and the edge the search measured (DL4J; least squares only).
     *
     * @param edges the edge searches' results by problem
     */
    static Columns<SeedGroup> summary(Map<String, CellResult> edges) {
        return new Columns<SeedGroup>().add("problem", g -> g.get("problem"))
                .add("mode", g -> g.get("mode")).add("batch_size", g -> g.integer("batch_size"))
                .add("lr", g -> g.real("lr")).add("lr_ratio", g -> g.real("lr_ratio"))
                .add("lr_crit_predicted", g -> g.cells().get(0).number("lr_crit"))
                .add("lr_edge_measured", g -> edges.containsKey(g.get("problem"))
                        ? edges.get(g.get("problem")).number("measured_lr") : null)
                .add("seeds", SeedGroup::size)
                .add("regime", LearningRateSummary::regime).stats("final_loss", g -> g.stats("final_loss"))
                .stats("final_gap", g -> g.stats("final_gap"))
                .add("reached_target", g -> g.reached("epochs_to_target"))
                .stats("epochs_to_target", g -> g.stats("epochs_to_target"))
                .add("updates_to_target_mean", g -> g.stats("updates_to_target").mean())
                .add("loss_up_share_mean", g -> g.stats("loss_up_share").mean())
                .add("overshoot_share_mean", g -> g.stats("overshoot_share").mean())
                .add("ref_mismatch_epochs", g -> sum(g, "ref_mismatch_epochs"));
    }

    static final Columns<Problem> PROBLEMS = new Columns<Problem>().add("problem", Problem::name)
            .add("examples", Problem::n).add("parameters", Problem::parameters).add("lambda_max", Problem::lambda)
            .add("lambda_min", p -> p.linear() ? p.lambdaMin() : null)
            .add("condition", p -> p.linear() ? p.lambda() / p.lambdaMin() : null).add("lr_crit", Problem::lrCrit)
            .add("lr_optimal", p -> p.linear() ? p.lrOptimal() : null)
            .add("least_loss", p -> p.linear() ? p.lossStar() : null).add("lambda_max_source", Problem::lambdaSource);

    static final Columns<CellResult> EDGES = new Columns<CellResult>().add("problem", r -> r.cell().get("problem"))
            .add("lr_crit_predicted", r -> r.number("predicted_lr"))
            .add("lr_edge_measured", r -> r.number("measured_lr"))
            .add("lr_edge_reference", r -> r.number("reference_lr"))
            .add("measured_over_predicted", r -> r.number("measured_to_predicted"))
            .add("runs", r -> r.metric("search_runs")).add("bracket", CellResult::message);

    static final Columns<CellResult> BEST_LRS = new Columns<CellResult>().add("problem", r -> r.cell().get("problem"))
            .add("predicted_lr_2_over_min_plus_max", r -> r.number("predicted_lr"))
            .add("measured_best_lr_dl4j", r -> r.number("measured_lr"))
            .add("measured_best_lr_reference", r -> r.number("reference_lr"))
            .add("dl4j_over_predicted", r -> r.number("measured_to_predicted"))
            .add("predicted_rate_k_minus_1_over_k_plus_1", r -> r.number("predicted_rate"))
            .add("measured_rate_dl4j", r -> r.number("measured_rate"))
            .add("measured_rate_reference", r -> r.number("reference_rate")).add("runs", r -> r.metric("search_runs"));

    /** The best learning rate per batch size, with each batch size's budget in updates. */
    private Columns<BestLr> bestTable() {
        return new Columns<BestLr>().add("problem", b -> b.batch().get("problem"))
            .add("mode", b -> b.batch().get("mode")).add("batch_size", b -> b.batch().get("batch_size"))
            .add("best_lr", b -> b.winner() == null ? "-" : b.winner().real("lr"))
            .add("best_lr_ratio", b -> b.winner() == null ? "-" : b.winner().real("lr_ratio"))
            .add("at_grid_edge", b -> b.winner() == null ? "-" : b.gridEdge() == null ? "no" : b.gridEdge() + " lr")
            .add("regime", b -> b.winner() == null ? "every lr diverged" : regime(b.winner()))
            .add("loss", b -> b.winner() == null ? "-" : rankLoss(b.winner()).pretty())
            .add("epochs_to_target", b -> b.winner() == null ? "-" : b.winner().stats("epochs_to_target").pretty())
            .add("updates_budget", b -> (long) b.grid().stream().flatMap(g -> g.finished().stream())
                    .mapToDouble(r -> r.number("updates_per_epoch")).filter(Double::isFinite).max().orElse(0)
                    * maxEpochs().get(b.batch().get("mode")))
            .add("first_diverging_lr_ratio", BestLr::firstDiverging);
    }

    /** The epoch budget by mode (batch, mini-batch, stochastic). */
    Map<String, Integer> maxEpochs() {
        return Map.of(GdMode.BATCH, spec.integer("max_epochs_batch"), GdMode.MINI_BATCH,
                spec.integer("max_epochs_mini_batch"), GdMode.STOCHASTIC, spec.integer("max_epochs_stochastic"));
    }

    private final Spec spec;
    private final Collection<Problem> problems;
    private final ProblemData data;

    /** @param data the data of linear and mlp (null when the run has neither) */
    LearningRateSummary(Spec spec, Collection<Problem> problems, ProblemData data) {
        this.spec = spec;
        this.problems = problems;
        this.data = data;
    }

    /** Each problem's sweep: its markdown table (one loss column: the excess loss for least squares). */
    private static Columns<SeedGroup> sweepTable(Problem p) {
        return new Columns<SeedGroup>().add("mode", g -> g.get("mode")).add("batch_size", g -> g.get("batch_size"))
                .add("lr", g -> g.real("lr")).add("lr_ratio", g -> g.real("lr_ratio"))
                .add("regime", LearningRateSummary::regime).stats(p.linear() ? "final_gap" : "final_loss",
                        LearningRateSummary::rankLoss)
                .add("epochs_to_target", g -> (g.reached("epochs_to_target") == 0 ? "-"
                        : g.stats("epochs_to_target").pretty()) + " (" + g.reachedOf("epochs_to_target") + ")")
                .stats("loss_up_share", g -> g.stats("loss_up_share"))
                .stats("overshoot_share", g -> g.stats("overshoot_share"))
                .add("ref_mismatch_epochs", g -> p.linear() ? Table.readable(sum(g, "ref_mismatch_epochs")) : "-");
    }

    static List<CellResult> task(List<CellResult> results, String task) {
        return results.stream().filter(r -> r.cell().get("task").equals(task)).toList();
    }

    /** The seed groups of one problem's batch sizes, each list in the grid's lr order. */
    static List<List<SeedGroup>> byBatch(List<SeedGroup> groups) {
        return SeedGroup.by(groups.stream().flatMap(g -> g.cells().stream()).toList(), "problem", "batch_size")
                .stream().map(b -> SeedGroup.of(b.cells())).toList();
    }

    /** The seeds' regime, or each regime with its count ("converged 1/2, oscillating 1/2"). */
    static String regime(SeedGroup g) {
        Map<String, Integer> counts = new TreeMap<>();
        g.cells().forEach(r -> counts.merge(String.valueOf(r.metric("regime")), 1, Integer::sum));
        return counts.size() == 1 ? counts.keySet().iterator().next() : String.join(", ", counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue() + "/" + g.size()).toList());
    }

    static boolean mlp(SeedGroup g) {
        return Problem.isMlp(g.get("problem"));
    }

    /** The loss to rank by: the relative excess loss for least squares, the loss for the MLP. */
    static Stats rankLoss(SeedGroup g) {
        return g.stats(mlp(g) ? "final_loss" : "final_gap");
    }

    static double sum(SeedGroup g, String metric) {
        return g.cells().stream().mapToDouble(r -> r.number(metric)).filter(Double::isFinite).sum();
    }

    Report report(List<CellResult> results) {
        List<CellResult> edges = task(results, EDGE);
        List<CellResult> bests = task(results, BEST_LR);
        List<SeedGroup> groups = SeedGroup.of(task(results, SWEEP));
        StringBuilder text = new StringBuilder();
        text.append("Plain gradient descent (DL4J Sgd, ").append(spec.string("dtype")).append(") with the learning "
                + "rate as a multiple of the critical rate lr_crit = 2 / lambda_max; ").append(Harness.seeds(spec)
                .size()).append(" seed(s) per point.\n\n");
        if (data != null) {
            text.append("Data of the linear and mlp problems: ").append(data.describe()).append(".");
            if (data.continuous() && spec.list("problem").contains(Problem.MLP)) {
                text.append(" Problem mlp is not run: the MLP is a softmax classifier, and the label is continuous.");
            }
            text.append("\n\n");
        }
        text.append(PROBLEMS.markdown(List.copyOf(problems)).toMarkdown()).append('\n');
        text.append("lambda_min is the smallest non-zero eigenvalue (a constant feature, such as a pixel "
                + "of the digits that is always blank, gives an exact zero: its weights have zero gradient and never "
                + "move). lr_optimal = 2 / (lambda_min + "
                + "lambda_max) is the constant rate with the fastest worst-case convergence, (k-1)/(k+1) per "
                + "step.\n\n");
        if (!edges.isEmpty()) {
            text.append("### Full-batch GD on least squares: the divergence edge, measured vs predicted\n\n")
                    .append(EDGES.markdown(edges).toMarkdown()).append('\n');
            text.append(String.format(Locale.ROOT, "Each search starts at lr = 1 and halves or doubles it until "
                    + "the verdict flips. A run is unstable when, in %d full-batch steps from the network's initial "
                    + "parameters, its excess loss L - L* grows over the second half (or it blows up). Then it bisects "
                    + "to a bracket %s wide (relative); the measured edge is the bracket's geometric middle. Neither "
                    + "DL4J's search nor the reference's knows lambda_max.%n%n", spec.integer("edge_iterations"),
                    Table.readable(spec.real("edge_tolerance"))));
        }
        if (!bests.isEmpty()) {
            text.append("### Full-batch GD on the quadratic: the best constant learning rate\n\n")
                    .append(BEST_LRS.markdown(bests).toMarkdown()).append('\n');
            text.append("Runs start from the worst case, theta* + u_min / sqrt(lambda_min) + u_max / "
                    + "sqrt(lambda_max) (the two extreme eigen-directions, half the excess loss each). The rate is "
                    + "measured per step on the error (the square root of the excess loss's factor) between a "
                    + "relative excess of 1e-2 and the end of the run (1e-10 or the step budget). The search scans lr "
                    + "down from 1 by factors of sqrt(2) and refines the best by golden-section search. Near the "
                    + "optimum the rate is a V in lr: below it the slowest direction (lambda_min) limits, above it "
                    + "the fastest (lambda_max), which then overshoots every step.\n\n");
        }
        for (Problem p : problems) {
            text.append("### ").append(p.name()).append(": the sweep\n\n").append(sweepTable(p).markdown(groups
                    .stream().filter(g -> g.get("problem").equals(p.name())).toList()).toMarkdown()).append('\n');
        }
        text.append("""
                Columns: lr_ratio = lr / lr_crit. final_gap = (L - L*) / (L0 - L*), the excess loss relative to \
                the start (least squares; the target is target_gap); final_loss is the training loss (MLP; the \
                target is target_loss). epochs_to_target: first epoch at or below the target (k/n = seeds that got \
                there). loss_up_share: share of epochs whose loss rose. overshoot_share (full batch, least \
                squares): share of steps where the error's component along the top eigenvector changed sign, i.e. \
                the step jumped across the valley, counted over every step the run took, the one where it blew up \
                included; it is 1 exactly when lr > 1/lambda_max = lr_crit/2. \
                ref_mismatch_epochs (least squares): epochs where DL4J's loss and the reference's (plain-Java MLP \
                and SGD from the same initial parameters over the same minibatches) differ by more than 1e-7 of \
                the excess loss, summed over seeds; 0 means they agree to round-off (each epoch's difference is in \
                curves.csv, ref_rel_diff). final_gap below 1e-12 is written as 0: L - L* is then below the \
                precision of the loss.

                Regimes, from the measurements: **diverged** = the loss blew up (non-finite, or 100x its start) or \
                ended no lower than it started; **converged** = the final loss is at or below the target; \
                **oscillating** = not converged, and the loss rose in at least 20% of the epochs or the iterates \
                overshot in at least half the steps; **too-slow** = not converged, the loss fell steadily but not \
                far enough within the budget. For the MLP (a softmax classifier) the trainer's rule applies \
                too:\s""").append(Trainer.DIVERGENCE_RULE).append("\n\n");

        List<BestLr> best = byBatch(groups).stream().map(BestLr::of).toList();
        text.append("### Best learning rate per batch size\n\n").append(bestTable().markdown(best).toMarkdown())
                .append('\n');
        text.append("Best, among the learning rates where no seed diverged: the fewest epochs to the target (every "
                + "seed reaching it), then the lowest mean final loss (excess loss for least squares). at_grid_edge: "
                + "the best is the grid's smallest or largest lr, so it is only the best of the grid (the true best "
                + "may lie beyond it). The grid is coarse: for full-batch least squares the searches above give the "
                + "best rate exactly. updates_budget: the updates each batch size's runs may make (updates per epoch x "
                + "its max_epochs); first_diverging_lr_ratio is judged over that budget, which differs between batch "
                + "sizes.\n\n");
        List<EqualUpdates.Pair> pairs = EqualUpdates.pairs(groups, maxEpochs(), classes());
        if (!pairs.isEmpty()) {
            text.append(equalUpdates(pairs));
        }
        Map<String, CellResult> edgeOf = new TreeMap<>();
        edges.forEach(r -> edgeOf.put(r.cell().get("problem"), r));
        return new Report(summary(edgeOf).csv(groups), text.toString(), figures(groups, results),
                LearningRateClaims.of(edges, bests, groups, pairs));
    }

    /** The classes of each softmax problem (the MLP's); least squares has none. */
    private Map<String, Integer> classes() {
        Map<String, Integer> out = new TreeMap<>();
        problems.stream().filter(p -> !p.linear()).forEach(p -> out.put(p.name(), p.y()[0].length));
        return out;
    }

    /** The section on where each batch size first diverges at equal updates, with what it says in words. */
    private static String equalUpdates(List<EqualUpdates.Pair> pairs) {
        StringBuilder text = new StringBuilder("### Where each batch size first diverges, at equal numbers of "
                + "updates\n\n").append(EqualUpdates.TABLE.markdown(pairs).toMarkdown()).append('\n');
        text.append("Each batch size's runs make a different number of updates in their epoch budget, and more "
                + "updates give a run more time to blow up. So each pair of neighbouring batch sizes is judged at the "
                + "same number of updates: the largest at which both have an epoch end, within both budgets. A run "
                + "has diverged by then when its loss blew up, or is then no lower than at its start (the MLP: or the "
                + "classifier's rule says so on its losses so far). edge_brackets: on the grid, the batch size's edge "
                + "lies in (lo, hi]: no run at or below lo diverged, every run (every seed) at or above hi did; two "
                + "edges are told apart only when their brackets do not overlap.\n\n");
        for (EqualUpdates.Pair p : pairs) {
            String sizes = "B=" + p.smaller().batch() + " against B=" + p.larger().batch();
            text.append("- **").append(p.problem()).append("**, ").append(sizes).append(": ");
            text.append(switch (p.order()) {
                case SMALLER_SOONER -> "the smaller batch diverges at a smaller learning rate (first at "
                        + p.smaller().first() + " x lr_crit against " + p.larger().first() + " x, " + p.updates()
                        + " updates each), as the hypothesis says.";
                case SMALLER_LATER -> "the smaller batch diverges at a **larger** learning rate (first at "
                        + p.smaller().first() + " x lr_crit against " + p.larger().first() + " x, " + p.updates()
                        + " updates each): the hypothesis that smaller batches diverge at smaller learning rates "
                        + "does not hold here.";
                case OVERLAP -> "the grid cannot tell which diverges first (edge brackets " + p.larger().bracket()
                        + " and " + p.smaller().bracket() + " overlap at " + p.updates() + " updates each).";
                case NOT_COMPARABLE -> "not comparable at equal updates: " + p.whyNot() + ".";
            }).append('\n');
        }
        return text.append('\n').toString();
    }

    /**
     * The loss figure's floor: a final gap below 1e-12 is written as 0 (round-off), which a log axis would drop, and
     * with it the best lr; it is drawn at the floor instead.
     */
    static final double PLOT_FLOOR = 1e-12;

    /** A mean loss as the log-scaled figure draws it: at least {@link #PLOT_FLOOR} (NaN stays NaN). */
    static double plotted(double loss) {
        return loss < PLOT_FLOOR ? PLOT_FLOOR : loss;
    }

    private List<Figure> figures(List<SeedGroup> groups, List<CellResult> results) {
        List<Figure> figures = new ArrayList<>();
        String firstSeed = String.valueOf(Harness.seeds(spec).get(0));
        for (Problem p : problems) {
            String yLabel = p.linear() ? "(L - L*) / (L0 - L*) (log)" : "training loss (log)";
            List<Figure.Series> series = new ArrayList<>();
            List<Figure.Series> marks = new ArrayList<>();
            for (List<SeedGroup> gs : byBatch(groups)) {
                if (gs.get(0).get("problem").equals(p.name())) {
                    String name = gs.get(0).get("mode") + " (B=" + gs.get(0).get("batch_size") + ")";
                    series.add(Figure.Series.line(name, gs.stream().mapToDouble(g -> g.real("lr_ratio")).toArray(),
                            gs.stream().mapToDouble(g -> plotted(rankLoss(g).mean())).toArray()));
                    SeedGroup w = BestLr.of(gs).winner();
                    if (w != null) {
                        marks.add(Figure.Series.points("best lr, " + name, new double[]{w.real("lr_ratio")},
                                new double[]{plotted(rankLoss(w).mean())}));
                    }
                }
            }
            series.addAll(marks);
            figures.add(new Figure.Lines("final-loss-vs-lr-" + p.name(), p.name() + ": final "
                    + (p.linear() ? "relative excess loss" : "training loss") + " vs lr / lr_crit (below "
                    + Table.readable(PLOT_FLOOR) + " drawn at it)", "lr / lr_crit (log)", yLabel, true, true, series));
            // loss curves of full-batch runs (first seed) at a few learning rates
            List<Figure.Series> curves = pick(task(results, SWEEP).stream().filter(r -> r.cell().get("problem")
                    .equals(p.name()) && r.cell().get("mode").equals(GdMode.BATCH)
                    && r.cell().get("seed").equals(firstSeed)).toList()).stream()
                    .map(r -> Figure.Series.line("lr = " + r.cell().get("lr_ratio") + " x lr_crit",
                            r.series(CURVE, "epoch"), r.series(CURVE, p.linear() ? "loss_gap" : "train_loss")))
                    .toList();
            if (!curves.isEmpty()) {
                figures.add(new Figure.Lines("loss-curves-" + p.name(), p.name() + ": full-batch loss per step",
                        "step", yLabel, false, true, curves));
            }
        }
        return figures;
    }

    /** Up to six runs spread over the learning rates: the ones nearest 1e-3, 0.1, 0.5, 0.9, 1.05, 3 x lr_crit. */
    private static List<CellResult> pick(List<CellResult> runs) {
        Comparator<CellResult> byRatio = Comparator.comparingDouble(r -> r.cell().real("lr_ratio"));
        List<CellResult> picked = new ArrayList<>();
        for (double want : new double[]{1e-3, 0.1, 0.5, 0.9, 1.05, 3}) {
            runs.stream().min(Comparator.comparingDouble(r -> Math.abs(Math.log(r.cell().real("lr_ratio") / want))))
                    .filter(r -> !picked.contains(r)).ifPresent(picked::add);
        }
        picked.sort(byRatio);
        return picked;
    }
}
