package gdlab.experiment.failure;

import gdlab.dl4j.Optimizers;
import gdlab.dl4j.SameDiffDescent;
import gdlab.experiment.failure.Minima.Minimum;
import gdlab.reference.GradientDescent;
import gdlab.reference.HeavyBall;
import gdlab.reference.Nesterov;
import gdlab.reference.Status;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Theory;
import gdlab.reference.Trajectory;
import gdlab.reference.Updaters;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * Part 1, local minima: gradient descent from a jittered grid of starts on functions with several minima, per
 * optimizer and learning rate; where each start ends (which minimum, a stationary point, still moving, diverged).
 * The whole grid runs in the reference (plain Java); a subset of starts, stratified over the endpoints the reference
 * found, runs in DL4J (SameDiff autodiff + DL4J's updater) for exactly as many steps, and the endpoints are compared.
 */
final class LocalMinimaPart extends Part {
    static final String NAME = "local-minima";
    /** DL4J and reference endpoints closer than this (and equally classified) agree. */
    static final double AGREE_TOL = 1e-6;
    static final String STABILITY_BOUND = "linear stability: lr < 2/lambda_max; heavy ball lr < 2(1+mu)/lambda_max; "
            + "DL4J's Nesterov lr < (2+2mu)/((1+2mu) lambda_max)";

    static final Claim DEPEND = finding("minima_depend_on_start", "GD ends at different minima depending on where it "
            + "starts: in every setting that does not all diverge, the starts end at two or more minima.");
    static final Claim PARTIAL = finding("global_share_partial", "On a function with local minima, only part of the "
            + "starts end at a global minimum (a share between 0 and 1 in every such setting).");
    static final Claim STABILITY = integrity("stability_bound", "No run converges to a minimum whose critical step "
            + "size (2/lambda_max for SGD) is below its learning rate.");
    static final Claim DL4J_AGREE = integrity("dl4j_ends_with_reference", "DL4J ends where the reference ends.");

    private final Map<String, List<Minimum>> catalogue = new LinkedHashMap<>();
    private int grid;
    private int maxSteps;
    private double gradTol;
    private double endpointTol;
    private int dl4jStarts;
    private int dl4jMaxSteps;

    LocalMinimaPart() {
        super(NAME, "1. Local minima: where does gradient descent end?", List.of(setting("starts"),
                measure("share_global"), measure("share_local"), measure("share_stationary"),
                measure("share_not_converged"), measure("share_diverged"), measure("share_sum"),
                outcome("endpoint_counts"), measure("f_star"), measure("final_value_global_mean"), measure("gap_max"),
                measure("steps_median"), setting("dl4j_runs"), measure("dl4j_agree"), measure("dl4j_chaotic"),
                measure("dl4j_steps"), timing("dl4j_ms")), DEPEND, PARTIAL, STABILITY, DL4J_AGREE);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("functions", Minima.FUNCTIONS, true, "local minima: the test functions"),
                Param.choice("optimizer", Optimizers.UPDATERS, true, "local minima: the optimizers"),
                Param.real("lr", 0, true, "local minima: the learning rates (each optimizer runs each)"),
                Param.integer("grid", 1, 200, false, "local minima: grid x grid starts over the function's box"),
                Param.integer("grid_seed", 0, Integer.MAX_VALUE, false, "local minima: seed of the start jitter"),
                Param.integer("max_steps", 1, 10_000_000, false, "local minima: step budget per start"),
                Param.real("grad_tol", 0, false, "local minima: a run stops when its gradient norm is at most this"),
                Param.real("endpoint_tol", 0, false,
                        "local minima: an end point this close to a minimizer counts as at that minimum"),
                Param.integer("dl4j_starts", 0, 1_000_000, false,
                        "local minima: starts per (function, optimizer, lr) also run in DL4J"),
                Param.integer("dl4j_max_steps", 1, 10_000_000, false,
                        "local minima: a DL4J run takes at most this many steps and is compared with the reference "
                                + "at the same step"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        grid = spec.integer("grid");
        maxSteps = spec.integer("max_steps");
        gradTol = spec.real("grad_tol");
        endpointTol = spec.real("endpoint_tol");
        dl4jStarts = spec.integer("dl4j_starts");
        dl4jMaxSteps = spec.integer("dl4j_max_steps");
        List<Map<String, String>> cells = new ArrayList<>();
        for (String f : spec.list("functions")) {
            catalogue.put(f, Minima.of(f));
            for (String opt : spec.list("optimizer")) {
                for (String lr : spec.list("lr")) {
                    cells.add(Part.coords(NAME, f, opt, lr, "-", "grid=" + grid + "x" + grid,
                            spec.string("grid_seed")));
                }
            }
        }
        return cells;
    }

    /** The end of one run, in whichever engine, and (for compared runs) the points it visited. */
    record End(double[] x, double value, int steps, String label, boolean converged, List<double[]> path) {
    }

    @Override
    protected Outcome run(Cell cell) {
        String fn = cell.get("case");
        String opt = cell.get("optimizer");
        double lr = cell.real("lr");
        TestFunction f = Minima.function(fn);
        List<Minimum> minima = catalogue.get(fn);
        List<double[]> starts = Minima.gridStarts(Minima.box(fn), grid, cell.longValue("seed"));
        End[] ends = new End[starts.size()];
        Curve curve = new Curve();
        Map<String, Integer> counts = new LinkedHashMap<>();
        minima.forEach(m -> counts.put(m.label(), 0));
        for (String other : List.of(Minima.STATIONARY, Minima.NOT_CONVERGED, Minima.DIVERGED)) {
            counts.put(other, 0);
        }
        for (int i = 0; i < starts.size(); i++) {
            Trajectory t = GradientDescent.run(f, Updaters.create(opt, lr), starts.get(i), maxSteps,
                    StopRule.gradientNormBelow(gradTol));
            String label = Minima.classify(minima, f, t, endpointTol, gradTol);
            ends[i] = new End(t.x(), t.finalValue(), t.iterations(), label, t.status() == Status.CONVERGED, null);
            counts.merge(label, 1, Integer::sum);
            curve.add("engine", "reference", "series", "endpoint", "step", t.iterations(), "value", t.finalValue(),
                    "x0", starts.get(i)[0], "y0", starts.get(i)[1], "x", t.x()[0], "y", t.x()[1], "label", label,
                    "status", t.status().label());
        }
        int n = starts.size();
        double global = 0;
        double local = 0;
        for (Minimum m : minima) {
            if (m.global()) {
                global += counts.get(m.label());
            } else {
                local += counts.get(m.label());
            }
        }
        double globalValueSum = 0;
        int globalRuns = 0;
        double gapMax = 0;
        for (End e : ends) {
            Minimum m = Minima.byLabel(minima, e.label());
            if (m != null) {
                gapMax = Math.max(gapMax, Math.abs(e.value() - m.value()));
                if (m.global()) {
                    globalValueSum += e.value();
                    globalRuns++;
                }
            }
        }

        // DL4J on a subset: every endpoint class the reference found is represented, in turn
        long t0 = System.nanoTime();
        int agree = 0;
        int chaotic = 0;
        long dl4jSteps = 0;
        List<Integer> subset = stratified(ends, dl4jStarts);
        for (int i : subset) {
            int compareAt = Math.min(ends[i].steps(), dl4jMaxSteps);
            // the reference replayed to the same step, keeping its path
            End ref = referenceRun(f, opt, lr, starts.get(i), compareAt, minima);
            End dl4j = dl4jRun(fn, opt, lr, starts.get(i), compareAt, minima);
            dl4jSteps += compareAt;
            boolean bothDiverged = ref.label().equals(Minima.DIVERGED) && dl4j.label().equals(Minima.DIVERGED);
            double diff = bothDiverged ? 0 : Minima.distance(ref.x(), dl4j.x());
            int split = Common.splitStep(ref.path(), dl4j.path());
            if (ref.label().equals(dl4j.label()) && (bothDiverged || diff <= AGREE_TOL)) {
                agree++;
            } else if (split >= Common.CHAOS_MIN_STEPS) {
                // identical orbits for many steps that then part: rounding amplified by unstable dynamics
                chaotic++;
            }
            curve.add("engine", "dl4j", "series", "endpoint", "step", compareAt, "value", dl4j.value(),
                    "x0", starts.get(i)[0], "y0", starts.get(i)[1], "x", dl4j.x()[0], "y", dl4j.x()[1],
                    "label", dl4j.label(), "status", dl4j.converged() ? "converged" : "-", "diff", diff);
        }
        double dl4jMs = (System.nanoTime() - t0) / 1e6;
        StringBuilder endpointCounts = new StringBuilder();
        counts.forEach((k, v) -> endpointCounts.append(endpointCounts.length() == 0 ? "" : "; ").append(k)
                .append('=').append(v));
        int[] steps = Arrays.stream(ends).mapToInt(End::steps).sorted().toArray();
        Metric.Values v = Metric.values(metrics)
                .put("starts", n)
                .put("share_global", global / n)
                .put("share_local", local / n)
                .put("share_stationary", counts.get(Minima.STATIONARY) / (double) n)
                .put("share_not_converged", counts.get(Minima.NOT_CONVERGED) / (double) n)
                .put("share_diverged", counts.get(Minima.DIVERGED) / (double) n)
                .put("share_sum", global / n + local / n + counts.get(Minima.STATIONARY) / (double) n
                        + counts.get(Minima.NOT_CONVERGED) / (double) n + counts.get(Minima.DIVERGED) / (double) n)
                .put("endpoint_counts", endpointCounts.toString())
                .put("f_star", f.minimumValue())
                .put("final_value_global_mean", globalRuns == 0 ? null : globalValueSum / globalRuns)
                .put("gap_max", gapMax)
                .put("steps_median", (double) steps[steps.length / 2])
                .put("dl4j_runs", subset.size())
                .put("dl4j_agree", agree)
                .put("dl4j_chaotic", chaotic)
                .put("dl4j_steps", dl4jSteps)
                .put("dl4j_ms", dl4jMs);
        return Outcome.ok(v.map(), curve);
    }

    /** Up to {@code k} start indices, taking the next unused start of each endpoint class in turn. */
    static List<Integer> stratified(End[] ends, int k) {
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < ends.length; i++) {
            byLabel.computeIfAbsent(ends[i].label(), x -> new ArrayList<>()).add(i);
        }
        List<Integer> picked = new ArrayList<>();
        for (int round = 0; picked.size() < k; round++) {
            boolean any = false;
            for (List<Integer> members : byLabel.values()) {
                if (round < members.size() && picked.size() < k) {
                    picked.add(members.get(round));
                    any = true;
                }
            }
            if (!any) {
                break;
            }
        }
        picked.sort(Integer::compare);
        return picked;
    }

    /** The reference cut at {@code steps} steps (or earlier if its stop rule holds or it diverges). */
    End referenceRun(TestFunction f, String opt, double lr, double[] start, int steps, List<Minimum> minima) {
        Trajectory t = GradientDescent.run(f, Updaters.create(opt, lr), start, steps,
                StopRule.gradientNormBelow(gradTol));
        return new End(t.x(), t.finalValue(), t.iterations(), Minima.classify(minima, f, t, endpointTol, gradTol),
                t.status() == Status.CONVERGED, t.points());
    }

    /** DL4J: exactly {@code steps} updater steps from {@code start} (fewer only if the point stops being finite). */
    End dl4jRun(String fn, String opt, double lr, double[] start, int steps, List<Minimum> minima) {
        SameDiffDescent d = SameDiffDescent.function(fn, start[0], start[1], Optimizers.updater(opt, lr));
        double f0 = d.value();
        boolean diverged = false;
        List<double[]> path = new ArrayList<>();
        path.add(d.point());
        for (int s = 0; s < steps; s++) {
            d.step();
            double[] p = d.point();
            path.add(p);
            if (!Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                diverged = true;
                break;
            }
        }
        double[] end = d.point();
        double value = diverged ? Double.NaN : d.value();
        diverged |= !Double.isFinite(value)
                || Math.abs(value - f0) > GradientDescent.BLOW_UP * Math.max(1, Math.abs(f0));
        double gradNorm = diverged ? Double.NaN : Minima.norm(d.gradient());
        String label = Minima.classify(minima, end, diverged, gradNorm, endpointTol, gradTol);
        return new End(end, value, steps, label, gradNorm <= gradTol, path);
    }

    /**
     * The largest learning rate at which {@code optimizer} can converge to a minimum whose Hessian's largest
     * eigenvalue is {@code lambdaMax} (linear stability), or NaN where no closed form is used.
     */
    static double criticalLr(String optimizer, double lambdaMax) {
        return switch (optimizer) {
            case "sgd" -> Theory.criticalLearningRate(lambdaMax);
            // heavy ball v = mu v + g, x -= lr v: stable iff lr lambda < 2 (1 + mu)
            case "momentum" -> 2 * (1 + HeavyBall.DEFAULT_MOMENTUM) / lambdaMax;
            case "nesterov" -> Theory.nesterovCriticalLearningRate(lambdaMax, Nesterov.DEFAULT_MOMENTUM);
            default -> Double.NaN;
        };
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        Columns<CellResult> table = columns("case", "optimizer", "lr", "starts", "share_global", "share_local",
                "share_stationary", "share_not_converged", "share_diverged", "share_sum", "f_star",
                "final_value_global_mean", "gap_max", "steps_median", "dl4j_runs", "dl4j_agree", "dl4j_chaotic")
                .markdown("function", r -> coord(r, "case")).markdown("optimizer", r -> coord(r, "optimizer"))
                .markdown("lr", r -> coord(r, "lr")).markdown("starts", r -> r.metric("starts"))
                .markdown("at_global", r -> r.metric("share_global"))
                .markdown("at_local", r -> r.metric("share_local"))
                .markdown("stationary", r -> r.metric("share_stationary"))
                .markdown("not_converged", r -> r.metric("share_not_converged"))
                .markdown("diverged", r -> r.metric("share_diverged")).markdown("sum", r -> r.metric("share_sum"))
                .markdown("f_star", r -> r.metric("f_star"))
                .markdown("final_f_at_global", r -> r.metric("final_value_global_mean") == null ? "-"
                        : r.metric("final_value_global_mean"))
                .markdown("max_gap_to_minimum", r -> r.metric("gap_max"))
                .markdown("median_steps", r -> r.metric("steps_median"))
                .markdown("dl4j_agrees", r -> (long) r.number("dl4j_agree") + "/" + (long) r.number("dl4j_runs")
                        + (r.number("dl4j_chaotic") > 0 ? " (+" + (long) r.number("dl4j_chaotic") + " chaotic)" : ""))
                .markdown("dl4j_max_diff", LocalMinimaPart::maxDiff);
        int theoryCases = 0;
        List<String> violations = new ArrayList<>();
        List<String> disagree = new ArrayList<>();
        for (CellResult r : rows) {
            if (r.number("dl4j_agree") + r.number("dl4j_chaotic") != r.number("dl4j_runs")) {
                disagree.add(label(r) + " " + maxDiff(r));
            }
            // linear stability: no run may converge to a minimum whose critical step size is below its lr
            List<Minimum> minima = catalogue.get(coord(r, "case"));
            double lr = lr(r);
            for (Minimum m : minima) {
                double crit = criticalLr(coord(r, "optimizer"), m.lambdaMax());
                if (Double.isNaN(crit) || lr <= crit) {
                    continue;
                }
                theoryCases++;
                long converged = points(r).stream().filter(c -> "reference".equals(c.get("engine"))
                        && m.label().equals(c.get("label")) && "converged".equals(c.get("status"))).count();
                if (converged > 0) {
                    violations.add(label(r) + " at "
                            + m.label() + ": " + converged + " runs");
                }
            }
        }
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Gradient descent from a jittered %dx%d grid of starts over each "
                + "function's box; a run stops when its gradient norm is at most %s or after %d steps. An end point "
                + "within %s of a minimizer counts as at that minimum; `stationary` = stopped elsewhere (a saddle "
                + "or maximum); `not_converged` = still moving at the budget; `diverged` = non-finite or blown up. "
                + "Shares are of all starts and sum to 1. `dl4j_agrees`: of a subset of starts (every endpoint "
                + "class in turn), how many DL4J runs (SameDiff gradient + DL4J updater) are in the same class "
                + "within %s of the reference after the same number of steps: the reference's own step count, "
                + "or %d for runs longer than that (then both points are classified at that step). `chaotic`: "
                + "runs whose two orbits stayed within 1e-9 for at least 10 steps and then parted (rounding "
                + "differences amplified by unstable dynamics), counted apart from agreement and disagreement.%n%n",
                grid, grid, Table.readable(gradTol), maxSteps, Table.readable(endpointTol),
                Table.readable(AGREE_TOL), dl4jMaxSteps));
        text.append(table.markdown(rows).toMarkdown()).append('\n');
        text.append(perMinimum(rows));
        long agreed = rows.stream().mapToLong(r -> (long) (r.number("dl4j_agree") + r.number("dl4j_chaotic"))).sum();
        return new Section(text.toString(), table.csv(rows), figures(rows), List.of(dependOnStart(rows),
                globalSharePartial(rows),
                theoryCases == 0 ? notTested(STABILITY, "no (minimum, optimizer, lr) of this run has lr above its "
                        + "bound", STABILITY_BOUND) : verdict(STABILITY, theoryCases + " (minimum, optimizer, lr) "
                        + "above the bound; converged there: " + (violations.isEmpty() ? "none"
                        : String.join(", ", violations)), "none (" + STABILITY_BOUND + ")", violations.isEmpty(),
                        "bound 2/lambda_max of each minimum (exact Hessian)"),
                verdict(DL4J_AGREE, agreed + " of " + rows.stream().mapToLong(r -> (long) r.number("dl4j_runs"))
                        .sum() + " runs (chaotic included)" + (disagree.isEmpty() ? "" : "; disagree, max diff: "
                        + String.join(", ", disagree)), "same end point class within " + Table.readable(AGREE_TOL)
                        + ", or a chaotic orbit", disagree.isEmpty(), "bound " + Table.readable(AGREE_TOL)
                        + " on the end points' distance")));
    }

    private Claim dependOnStart(List<CellResult> rows) {
        List<String> measured = new ArrayList<>();
        boolean holds = true;
        for (CellResult r : rows) {
            if (r.number("share_diverged") < 1) {
                long reached = catalogue.get(coord(r, "case")).stream()
                        .filter(m -> counts(r).getOrDefault(m.label(), 0) > 0).count();
                measured.add(label(r) + ": " + reached);
                holds &= reached >= 2;
            }
        }
        return measured.isEmpty() ? notTested(DEPEND, "every setting diverged", ">= 2 minima reached")
                : verdict(DEPEND, "minima reached: " + String.join(", ", measured), ">= 2 per setting", holds,
                "exact count of the minima the starts reached (end point within endpoint_tol)");
    }

    private Claim globalSharePartial(List<CellResult> rows) {
        List<String> measured = new ArrayList<>();
        boolean holds = true;
        for (CellResult r : rows) {
            if (r.number("share_diverged") < 1 && catalogue.get(coord(r, "case")).stream().anyMatch(m -> !m.global())) {
                measured.add(label(r) + ": " + Table.readable(r.number("share_global")));
                holds &= r.number("share_global") > 0 && r.number("share_global") < 1;
            }
        }
        return measured.isEmpty() ? notTested(PARTIAL, "no function with local minima in a setting that did not all "
                + "diverge", "0 < share_global < 1") : verdict(PARTIAL, "share_global: " + String.join(", ", measured),
                "0 < share_global < 1 per setting", holds, "exact count: a start that reached a global minimum "
                        + "and one that did not, per setting");
    }

    /** Per function: each minimum's share under every (optimizer, lr), beside its curvature and critical lrs. */
    private String perMinimum(List<CellResult> rows) {
        StringBuilder sb = new StringBuilder();
        Map<String, List<CellResult>> byFunction = new LinkedHashMap<>();
        rows.forEach(r -> byFunction.computeIfAbsent(coord(r, "case"), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<CellResult>> e : byFunction.entrySet()) {
            List<String> columns = new ArrayList<>(List.of("endpoint", "f", "global", "lambda_max",
                    "lr_crit_sgd", "lr_crit_momentum"));
            for (CellResult r : e.getValue()) {
                columns.add(coord(r, "optimizer") + " " + coord(r, "lr"));
            }
            Table t = new Table(columns);
            List<Minimum> minima = catalogue.get(e.getKey());
            List<String> labels = new ArrayList<>();
            minima.forEach(m -> labels.add(m.label()));
            labels.addAll(List.of(Minima.STATIONARY, Minima.NOT_CONVERGED, Minima.DIVERGED));
            for (String label : labels) {
                Minimum m = Minima.byLabel(minima, label);
                List<Object> row = new ArrayList<>();
                row.add(label);
                row.add(m == null ? "-" : m.value());
                row.add(m == null ? "-" : m.global() ? "yes" : "no");
                row.add(m == null ? "-" : m.lambdaMax());
                row.add(m == null ? "-" : criticalLr("sgd", m.lambdaMax()));
                row.add(m == null ? "-" : criticalLr("momentum", m.lambdaMax()));
                for (CellResult r : e.getValue()) {
                    row.add(counts(r).getOrDefault(label, 0) / r.number("starts"));
                }
                t.add(row);
            }
            sb.append("Share of starts ending at each point, ").append(e.getKey()).append(":\n\n")
                    .append(t.toMarkdown()).append('\n');
        }
        return sb.toString();
    }

    /** Largest distance between a DL4J end point and the reference's in this cell ("-" without DL4J runs). */
    static Object maxDiff(CellResult r) {
        double[] diffs = points(r).stream().filter(c -> "dl4j".equals(c.get("engine")) && c.get("diff") != null)
                .mapToDouble(c -> ((Number) c.get("diff")).doubleValue()).toArray();
        if (diffs.length == 0) {
            return "-";
        }
        double max = 0;
        for (double d : diffs) {
            max = Double.isNaN(d) || Double.isNaN(max) ? Double.NaN : Math.max(max, d);
        }
        return max;
    }

    static Map<String, Integer> counts(CellResult r) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String part : str(r, "endpoint_counts").split("; ")) {
            int eq = part.lastIndexOf('=');
            if (eq > 0) {
                counts.put(part.substring(0, eq), Integer.parseInt(part.substring(eq + 1)));
            }
        }
        return counts;
    }

    /** For each function, the basins of the setting with the most converged starts: start points by end point. */
    private List<Figure> figures(List<CellResult> rows) {
        Map<String, CellResult> best = new LinkedHashMap<>();
        for (CellResult r : rows) {
            double settled = 1 - r.number("share_not_converged") - r.number("share_diverged");
            CellResult b = best.get(coord(r, "case"));
            if (b == null || settled > 1 - b.number("share_not_converged") - b.number("share_diverged")) {
                best.put(coord(r, "case"), r);
            }
        }
        List<Figure> figures = new ArrayList<>();
        for (CellResult r : best.values()) {
            Map<String, List<double[]>> byLabel = new LinkedHashMap<>();
            for (Map<String, Object> c : points(r)) {
                if ("reference".equals(c.get("engine"))) {
                    byLabel.computeIfAbsent((String) c.get("label"), k -> new ArrayList<>())
                            .add(new double[] {((Number) c.get("x0")).doubleValue(),
                                ((Number) c.get("y0")).doubleValue()});
                }
            }
            List<Figure.Series> series = new ArrayList<>();
            byLabel.forEach((label, pts) -> series.add(Figure.Series.points("from here to " + label,
                    pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray())));
            List<Minimum> minima = catalogue.get(coord(r, "case"));
            series.add(Figure.Series.points("minima", minima.stream().mapToDouble(m -> m.x()[0]).toArray(),
                    minima.stream().mapToDouble(m -> m.x()[1]).toArray()));
            figures.add(new Figure.Lines("basins-" + coord(r, "case"), String.format(Locale.ROOT,
                    "Where each start ends: %s, %s lr=%s", coord(r, "case"), coord(r, "optimizer"), coord(r, "lr")),
                    "x0", "y0", false, false, series));
        }
        return figures;
    }
}
