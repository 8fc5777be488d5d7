package gdlab.experiment.optimizers;

import gdlab.dl4j.Solvers;
import gdlab.report.Columns;
import gdlab.report.Table;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static gdlab.experiment.optimizers.OptimizerBenchmark.CURVE;
import static gdlab.experiment.optimizers.Choices.ok;

/** summary.md's sections on DL4J's solvers beside the reference's, and on DL4J's updaters against their replay. */
final class SolverTables {
    private SolverTables() {
    }

    /** How often a DL4J solver's run equals another's at the same (lr, seed), and the largest gap. */
    record Sameness(int identical, int pairs, double maxDifference) {
    }

    /** A DL4J solver against DL4J line-gd: whole loss curves, over every lr and seed both ran. */
    static Sameness sameAsLineGd(Choices s, String problem, String solver) {
        int identical = 0;
        int pairs = 0;
        double max = 0;
        if (!s.has(problem, solver) || !s.has(problem, "line-gd")) {
            return new Sameness(0, 0, Double.NaN);
        }
        for (CellResult r : s.cellsOf(problem, solver)) {
            CellResult other = twin(s, r, "line-gd");
            if (other == null || r.status() == CellResult.Status.FAILED
                    || other.status() == CellResult.Status.FAILED) {
                continue;
            }
            double d = maxCurveDifference(r, other);
            pairs++;
            identical += d == 0 ? 1 : 0;
            max = Math.max(max, d);
        }
        return new Sameness(identical, pairs, max);
    }

    /** DL4J line-gd against DL4J Sgd steps on a 2-D function: same final f (1e-9 relative) at the same lr, seed. */
    static Sameness sameFinalAsSgd(Choices s, String problem) {
        if (!s.has(problem, "line-gd") || !s.has(problem, "sgd")) {
            return new Sameness(0, 0, Double.NaN);
        }
        int same = 0;
        int pairs = 0;
        double max = 0;
        for (CellResult r : s.cellsOf(problem, "line-gd")) {
            CellResult other = twin(s, r, "sgd");
            if (other == null || r.status() != CellResult.Status.OK || other.status() != CellResult.Status.OK) {
                continue;
            }
            double a = r.number("final_loss");
            double b = other.number("final_loss");
            double diff = Math.abs(a - b);
            pairs++;
            same += diff <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15 ? 1 : 0;
            max = Math.max(max, diff);
        }
        return new Sameness(same, pairs, max);
    }

    /** {@code optimizer}'s cell at the same problem, lr and seed as {@code r}, or null. */
    private static CellResult twin(Choices s, CellResult r, String optimizer) {
        SeedGroup g = s.find(r.cell().get("problem"), optimizer, r.cell().get("lr"));
        return g == null ? null : g.cells().stream().filter(x -> x.cell().get("seed").equals(r.cell().get("seed")))
                .findFirst().orElse(null);
    }

    /** Max |loss difference| over the steps of two curves; +infinity if their steps differ. */
    static double maxCurveDifference(CellResult a, CellResult b) {
        if (!java.util.Arrays.equals(a.series(CURVE, "step"), b.series(CURVE, "step"))) {
            return Double.POSITIVE_INFINITY;
        }
        double[] la = a.series(CURVE, "loss");
        double[] lb = b.series(CURVE, "loss");
        double max = 0;
        for (int i = 0; i < la.length; i++) {
            double d = Math.abs(la[i] - lb[i]);
            if (Double.isNaN(d)) {
                d = Objects.equals(la[i], lb[i]) ? 0 : Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    // ---------------------------------------------------------------- DL4J's solvers beside the reference's

    private record SolverRow(String problem, String solver, SeedGroup oneShot, SeedGroup tuned, SeedGroup ref) {
    }

    static String solvers(Choices s) {
        List<SolverRow> rows = new ArrayList<>();
        for (String p : s.problems()) {
            for (String solver : Solvers.NAMES) {
                if (s.has(p, solver)) {
                    OptimizerRanking.Config tuned = OptimizerRanking.best(s.configs(p, solver));
                    rows.add(new SolverRow(p, solver, s.group(p, solver, OptimizerBenchmark.oneShotLr(solver)),
                            s.group(p, solver, tuned.lr()), s.find(p, solver + "-ref", OptimizerBenchmark.NO_LR)));
                }
            }
        }
        if (rows.isEmpty()) {
            return "";
        }
        Table table = new Columns<SolverRow>().add("problem", SolverRow::problem).add("solver", SolverRow::solver)
                .add("dl4j_one_shot_final_loss", r -> valueText(r.oneShot()))
                .add("dl4j_tuned_lr", r -> r.tuned().get("lr")).add("dl4j_tuned_final_loss", r -> valueText(r.tuned()))
                .add("dl4j_last_progress_step", r -> ok(r.tuned(), "last_progress_step").pretty())
                .add("dl4j_steps", r -> ok(r.tuned(), "steps").pretty()).add("same_as", r -> sameText(s, r))
                .add("reference_final_loss", r -> r.ref() == null ? "-" : valueText(r.ref()))
                .add("reference_steps", r -> r.ref() == null ? "-" : ok(r.ref(), "steps").pretty())
                .add("reference_end", r -> r.ref() == null ? "-" : String.join(", ", r.ref().cells().stream()
                        .map(c -> c.message().replaceAll(",.*", "")).distinct().toList()))
                .markdown(rows);
        return """
                ### DL4J's solvers beside the reference's

                DL4J rows: OptimizationAlgorithm with DL4J's default updater (Sgd) at the one-shot lr and at the \
                tuned lr; last_progress_step = the last iteration at which the loss went down (mean over seeds). \
                same_as: for cg and lbfgs, the whole loss curve against DL4J LINE_GRADIENT_DESCENT's at the same lr \
                and seed, over every lr and seed run; for line-gd on a 2-D function (one example, so every step is \
                full batch), its final f against plain DL4J Sgd steps (through SameDiff) at the same lr and seed, \
                among the runs where both finished (1e-9 relative, 1e-15 absolute): equal when the line search \
                always takes the first step it tries. Reference rows: the correct method of the same name from the \
                same start (reference_end: how its runs ended).

                """ + table.toMarkdown() + "\n";
    }

    private static String sameText(Choices s, SolverRow r) {
        if (!r.solver().equals("line-gd")) {
            Sameness same = sameAsLineGd(s, r.problem(), r.solver());
            return same.pairs() == 0 ? "-" : "line-gd: " + same.identical() + "/" + same.pairs()
                    + " runs identical (max |diff| " + Table.readable(same.maxDifference()) + ")";
        }
        if (OptimizerBenchmark.network(r.problem())) {
            return "-";
        }
        Sameness same = sameFinalAsSgd(s, r.problem());
        return same.pairs() == 0 ? "-" : "sgd: " + same.identical() + "/" + same.pairs()
                + " runs end at the same f (max |diff| " + Table.readable(same.maxDifference()) + ")";
    }

    /** Final loss (or steps to escape) of a group, "mean ± std", with diverged/crashed counts. */
    private static String valueText(SeedGroup g) {
        return OptimizerSummary.lossText(g).replace(" (" + g.size() + "/" + g.size() + ")", "")
                + (Choices.escapeProblem(g.get("problem")) ? " steps" : "");
    }

    // ---------------------------------------------------------------- DL4J against the reference

    static String crosscheck(List<CellResult> results) {
        List<SeedGroup> byOptimizer = SeedGroup.by(results.stream().filter(r -> r.metric("ref_agrees") != null)
                .toList(), "optimizer");
        if (byOptimizer.isEmpty()) {
            return "";
        }
        Table t = new Columns<SeedGroup>().add("optimizer", g -> g.get("optimizer"))
                .add("runs_replayed", SeedGroup::size)
                .add("agree_after_first_point", g -> g.count(SolverTables::firstAgrees) + "/" + g.size())
                .add("max_first_rel_diff", g -> max(g.cells(), "ref_first_rel_diff"))
                .add("agree_at_end", g -> g.count(r -> flag(r, "ref_agrees", 1)) + "/" + g.size())
                .add("max_end_rel_diff_where_agreeing", g -> max(g.cells().stream()
                        .filter(r -> flag(r, "ref_agrees", 1)).toList(), "ref_final_rel_diff"))
                .add("dl4j_nan_reference_finite", g -> g.count(SolverTables::nanWhereReferenceIsFinite))
                .add("runs_that_split (problem lr seed: step, first rel diff)", g -> {
                    List<CellResult> split = g.cells().stream().filter(r -> r.metric("ref_split_step") != null)
                            .toList();
                    List<String> shown = split.stream().limit(4).map(r -> String.format(Locale.ROOT,
                            "%s %s %s: %s, %s", r.cell().get("problem"), r.cell().get("lr"), r.cell().get("seed"),
                            Table.readable(r.metric("ref_split_step")),
                            Table.readable(r.metric("ref_first_rel_diff")))).toList();
                    return split.isEmpty() ? "-" : split.size() + ": " + String.join("; ", shown)
                            + (split.size() > 4 ? "; ..." : "");
                }).markdown(byOptimizer);
        return """
                ### DL4J against the reference

                Every updater run replayed by the reference (plain Java, DL4J's formulas): same initial point or \
                parameters, same minibatches, same number of steps. Losses compared after the first epoch (networks) \
                or step (functions), then at every epoch or step: agree = within 1e-6 relative (plus 1e-12 absolute), \
                or both blew up. A run "splits" at the first point where they no longer agree: when it agreed to \
                rounding level after the first point and splits late, at a large learning rate, it is rounding error \
                amplified by an unstable run, not a different method; a disagreement from the first point would be \
                one.

                """ + t.toMarkdown() + "\n";
    }

    /** The largest finite value of a metric among {@code rs} (NaN if none). */
    static double max(List<CellResult> rs, String metric) {
        return rs.stream().mapToDouble(r -> r.number(metric)).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** Whether a 0/1 metric has the value {@code v}, whatever number type holds it (cells read back from CSV). */
    static boolean flag(CellResult r, String column, int v) {
        return r.number(column) == v;
    }

    static boolean firstAgrees(CellResult r) {
        return flag(r, "ref_first_agrees", 1);
    }

    /** DL4J's final loss is NaN where the reference's, after the same steps, is a number. */
    static boolean nanWhereReferenceIsFinite(CellResult r) {
        return Double.isNaN(r.number("final_loss")) && Double.isFinite(r.number("ref_final_loss"));
    }
}
