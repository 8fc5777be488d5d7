package gdlab.experiment.remedies;

import gdlab.reference.GradientDescent;
import gdlab.reference.Status;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;
import gdlab.reference.Updaters;
import gdlab.report.Binomial;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;

/**
 * Local minima, and random restarts as their remedy: plain gradient descent (the reference, plain Java) on a 2-D test
 * function with several local minima and a known global one, from starts drawn uniformly in its usual box. A run
 * reaches the global minimum when it converges (gradient norm below 1e-6) to a value within 1e-6 of it. With r
 * restarts the best of r independent runs counts; if one start succeeds with probability p, r restarts succeed with
 * 1 - (1 - p)^r. p is measured from every single run of every cell; each cell measures the share for its r from its
 * own fresh starts.
 */
final class RestartsPart extends Part {
    static final String NAME = "restarts";
    static final List<String> FUNCTIONS = List.of("six-hump-camel", "styblinski-tang");
    /** A converged run whose value is this close to the global minimum's reached it. */
    static final double VALUE_TOL = 1e-6;
    static final double GRAD_TOL = 1e-6;

    static final Claim MATCH = finding("restarts_match_formula", "With r random restarts the share of attempts "
            + "that reach the global minimum is 1 - (1 - p)^r, p the share of single runs: for every r the formula lies "
            + "inside the binomial 95% interval of the measured share.");
    static final Claim HELP = finding("restarts_help", "Restarts raise the share that reaches the global minimum: "
            + "the most restarts' 95% interval lies above the single start's.");

    private TestFunction function;
    private double[] box;
    private double lr;
    private int maxSteps;
    private int groups;

    RestartsPart() {
        super(NAME, "4. Local minima: random restarts", List.of(setting("restarts"), measure("groups"),
                measure("reached_global"), measure("share_global"), measure("runs_global"), measure("mean_steps")),
                MATCH, HELP);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("restart_function", FUNCTIONS, false, "restarts: the test function"),
                Param.integer("restart_counts", 1, 1000, true, "restarts: restarts per attempt (1 = a single "
                        + "start, which measures p)"),
                Param.integer("restart_groups", 10, 1_000_000, false, "restarts: attempts per restart count"),
                Param.real("restart_lr", 0, false, "restarts: GD learning rate"),
                Param.integer("restart_max_steps", 1, 10_000_000, false, "restarts: step budget of one run"),
                Param.integer("restart_seed", 0, Integer.MAX_VALUE, false, "restarts: seed of the starts"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        String name = spec.string("restart_function");
        function = name.equals("six-hump-camel") ? TestFunction.SIX_HUMP_CAMEL : TestFunction.STYBLINSKI_TANG;
        box = name.equals("six-hump-camel") ? new double[] {-3, 3, -2, 2} : new double[] {-5, 5, -5, 5};
        lr = spec.real("restart_lr");
        maxSteps = spec.integer("restart_max_steps");
        groups = spec.integer("restart_groups");
        if (!spec.list("restart_counts").contains("1")) {
            throw new BadInputException("bad value '" + spec.raw("restart_counts") + "' for restart_counts: it "
                    + "must include 1 (the single start measures p); allowed: a list of integers from 1 to 1000 "
                    + "with 1 among them");
        }
        List<Map<String, String>> cells = new ArrayList<>();
        for (String r : spec.list("restart_counts")) {
            cells.add(coords(NAME, name + " in [" + box[0] + ", " + box[1] + "] x [" + box[2] + ", " + box[3] + "]",
                    r.equals("1") ? OFF : "restarts=" + r, spec.string("restart_lr"), spec.string("restart_seed")));
        }
        return cells;
    }

    static int restarts(String remedy) {
        return remedy.equals(OFF) ? 1 : Integer.parseInt(remedy.substring("restarts=".length()));
    }

    @Override
    protected Outcome run(Cell cell) {
        int r = restarts(cell.get("remedy"));
        // each restart count draws its own starts: the shares of different cells are independent
        SplittableRandom random = new SplittableRandom(cell.longValue("seed") * 1_000_003L + r);
        int reached = 0;
        int runsGlobal = 0;
        long steps = 0;
        Curve curve = new Curve();
        for (int g = 0; g < groups; g++) {
            boolean any = false;
            for (int k = 0; k < r; k++) {
                double[] x0 = {box[0] + (box[1] - box[0]) * random.nextDouble(),
                        box[2] + (box[3] - box[2]) * random.nextDouble()};
                Trajectory t = GradientDescent.run(function, Updaters.create("sgd", lr), x0, maxSteps,
                        StopRule.gradientNormBelow(GRAD_TOL));
                steps += t.iterations();
                boolean global = t.status() == Status.CONVERGED
                        && Math.abs(t.finalValue() - function.minimumValue()) <= VALUE_TOL;
                runsGlobal += global ? 1 : 0;
                any |= global;
            }
            reached += any ? 1 : 0;
            curve.add("share_global", g + 1, (double) reached / (g + 1));
        }
        Metric.Values v = Metric.values(metrics).put("restarts", r).put("groups", groups)
                .put("reached_global", reached).put("share_global", (double) reached / groups)
                .put("runs_global", runsGlobal)
                .put("mean_steps", (double) steps / ((long) groups * r));
        return Outcome.of(false, "", v.map(), curve);
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        CellResult single = rows.stream().filter(r -> r.number("restarts") == 1).findFirst().orElse(null);
        double p = singleShare(rows);
        Columns<CellResult> table = new Columns<CellResult>()
                .add("restarts", r -> (int) r.number("restarts"))
                .add("attempts", r -> (int) r.number("groups"))
                .add("reached_global", r -> (int) r.number("reached_global"))
                .add("share_global", r -> r.number("share_global"))
                .add("ci95_low", r -> wilson(r)[0]).add("ci95_high", r -> wilson(r)[1])
                .add("predicted_1_minus_(1-p)^r", r -> predicted(p, r))
                .add("mean_steps_per_run", r -> r.number("mean_steps"));
        CellResult any = rows.get(0);
        String text = String.format(Locale.ROOT, "%s, global minimum %s. Plain GD (the reference), lr %s, at most "
                        + "%d steps, stopping when the gradient norm is below %s; starts uniform in the box. An attempt "
                        + "with r restarts succeeds when one of its r runs converges within %s of the global minimum. "
                        + "p = the share of all single runs (every run of every attempt: %d) that reach it, %s; interval: "
                        + "Wilson 95%%.%n%n", coord(any, "case"),
                Table.readable(function.minimumValue()), coord(any, "lr"), maxSteps, Table.readable(GRAD_TOL),
                Table.readable(VALUE_TOL), runs(rows), Table.readable(p));
        return new Section(text + table.markdown(rows).toMarkdown(), table.csv(rows), List.of(figure(rows, p)),
                claims(rows, single, p));
    }

    /** Every single run of every cell, each an independent start. */
    static int runs(List<CellResult> rows) {
        return (int) rows.stream().mapToDouble(r -> r.number("groups") * r.number("restarts")).sum();
    }

    /** p: the share of all single runs that reach the global minimum. */
    static double singleShare(List<CellResult> rows) {
        return rows.stream().mapToDouble(r -> r.number("runs_global")).sum() / runs(rows);
    }

    static double[] wilson(CellResult r) {
        return Binomial.wilson((int) r.number("reached_global"), (int) r.number("groups"));
    }

    static double predicted(double p, CellResult r) {
        return 1 - Math.pow(1 - p, r.number("restarts"));
    }

    private static List<Claim> claims(List<CellResult> rows, CellResult single, double p) {
        List<CellResult> more = rows;
        String expectMatch = "1 - (1 - p)^r inside the Wilson 95% interval of the share, for every r";
        String expectHelp = "Wilson 95% intervals apart: most restarts above the single start";
        if (single == null || more.isEmpty() || p == 0 || p == 1) {
            String why = single == null || rows.size() < 2 ? "needs restart count 1 and one more"
                    : "the single start's share is " + p + ": restarts cannot change it";
            return List.of(notTested(MATCH, why, expectMatch), notTested(HELP, why, expectHelp));
        }
        boolean match = true;
        List<String> measured = new ArrayList<>(List.of("p = " + Table.readable(p) + " of " + runs(rows) + " runs"));
        for (CellResult r : more) {
            double[] ci = wilson(r);
            double want = predicted(p, r);
            match &= ci[0] <= want && want <= ci[1];
            measured.add(String.format(Locale.ROOT, "r=%d: %s (%s..%s) vs %s", (int) r.number("restarts"),
                    Table.readable(r.number("share_global")), Table.readable(ci[0]), Table.readable(ci[1]),
                    Table.readable(want)));
        }
        CellResult most = more.stream().max(java.util.Comparator.comparingDouble(r -> r.number("restarts")))
                .orElseThrow();
        double[] lo = wilson(single);
        double[] hi = wilson(most);
        String support = "Wilson 95% CIs " + ((hi[0] > lo[1] || lo[0] > hi[1]) ? "apart" : "overlap")
                + ": single [" + Table.readable(lo[0]) + ", " + Table.readable(lo[1]) + "] vs r=" + (int) most.number(
                "restarts") + " [" + Table.readable(hi[0]) + ", " + Table.readable(hi[1]) + "]";
        return List.of(verdict(MATCH, String.join(", ", measured), expectMatch, match, "Wilson 95% CI of each r's "
                        + "share (" + (int) single.number("groups") + " attempts per r) against the formula"),
                judged(HELP, String.format(Locale.ROOT, "single %s, r=%d %s", Table.readable(single.number(
                        "share_global")), (int) most.number("restarts"), Table.readable(most.number("share_global"))),
                        expectHelp, allAsStated(List.<boolean[]>of(new boolean[] {most.number("share_global")
                                > single.number("share_global"), hi[0] > lo[1] || lo[0] > hi[1]})), support));
    }

    private static Figure figure(List<CellResult> rows, double p) {
        double[] r = rows.stream().mapToDouble(c -> c.number("restarts")).toArray();
        double[] share = rows.stream().mapToDouble(c -> c.number("share_global")).toArray();
        double[] low = rows.stream().mapToDouble(c -> wilson(c)[0]).toArray();
        double[] high = rows.stream().mapToDouble(c -> wilson(c)[1]).toArray();
        double[] want = rows.stream().mapToDouble(c -> predicted(p, c)).toArray();
        return new Figure.Lines("restarts", "Share of attempts reaching the global minimum", "restarts r",
                "share", false, false, List.of(Figure.Series.band("measured (Wilson 95%)", r, share, low, high),
                Figure.Series.line("1 - (1 - p)^r", r, want)));
    }
}
