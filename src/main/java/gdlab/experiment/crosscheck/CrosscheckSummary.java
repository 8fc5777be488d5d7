package gdlab.experiment.crosscheck;

import gdlab.crosscheck.SolverCheck;
import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances.Verdict;
import gdlab.crosscheck.Tolerances;
import gdlab.data.Dataset;
import gdlab.reference.Updaters;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * crosscheck's summary: the long table (one row per cell and stage), the worst difference per stage, the FAIL and
 * DRIFT rows, every cell, the informative sections and the solvers; the claims are CrosscheckClaims.
 */
final class CrosscheckSummary {

    /** One stage of one cell, as in summary.csv. */
    record Row(CellResult cell, Stage stage, Double abs, Double rel, double tolerance, Double drift, Verdict verdict) {
        String get(String key) {
            return cell.cell().get(key);
        }
    }

    private final Spec spec;
    private final List<CellResult> results;
    private final Map<String, Dataset> train;
    private final List<Row> rows = new ArrayList<>();

    private CrosscheckSummary(Spec spec, List<CellResult> results, Map<String, Dataset> train) {
        this.spec = spec;
        this.results = results;
        this.train = train;
        for (CellResult r : results) {
            for (Stage s : Stage.values()) {
                if (!Crosscheck.ran(spec, s, r.cell().get("updater"), r.cell().get("mode"))) {
                    continue;
                }
                String dtype = r.cell().get("dtype");
                Double abs = number(r, s.label() + "_abs_diff");
                Double rel = number(r, s.label() + "_rel_diff");
                Double drift = Crosscheck.UPDATED.contains(s) || s.isOption()
                        ? number(r, "drift_" + s.label() + "_rel_diff") : null;
                Verdict v = r.status() == CellResult.Status.OK ? Tolerances.verdict(s, dtype, rel, drift)
                        : Verdict.FAIL;
                rows.add(new Row(r, s, abs, rel, Tolerances.of(s, dtype), drift, v));
            }
        }
    }

    static CrosscheckSummary of(Spec spec, List<CellResult> results, Map<String, Dataset> train) {
        return new CrosscheckSummary(spec, results, train);
    }

    static Double number(CellResult r, String column) {
        Object v = r.metric(column);
        return v == null ? null : ((Number) v).doubleValue();
    }

    List<Row> rows() {
        return rows;
    }

    /** summary.csv: one row per cell and stage. */
    static final Columns<Row> LONG = coordinates("data", "updater", "mode", "batch_size", "dtype", "lr", "seed")
            .add("stage", r -> r.stage().label())
            .add("max_abs_diff", Row::abs)
            .add("max_rel_diff", Row::rel)
            .add("tolerance", Row::tolerance)
            .add("rounding_drift_rel", Row::drift)
            .add("verdict", Row::verdict);

    /** Columns of a row's cell coordinates, by name. */
    private static Columns<Row> coordinates(String... keys) {
        Columns<Row> c = new Columns<>();
        for (String k : keys) {
            c.add(k, r -> r.get(k));
        }
        return c;
    }

    Report report() {
        StringBuilder md = new StringBuilder();
        long failed = count(rows, Verdict.FAIL);
        long drift = count(rows, Verdict.DRIFT);
        md.append(setup()).append('\n');
        md.append("### Worst difference per stage and data type\n\n").append(WORST.markdown(byStage()).toMarkdown())
                .append('\n');
        if (failed > 0) {
            md.append("### FAIL rows\n\n").append(rowColumns().add("note", r -> r.cell().message())
                    .markdown(rows.stream().filter(r -> r.verdict() == Verdict.FAIL).toList()).toMarkdown())
                    .append('\n');
        }
        if (drift > 0) {
            md.append(String.format(Locale.ROOT, """
                    ### DRIFT rows: beyond the tolerance, explained by amplified rounding

                    These trajectories amplify rounding: the reference itself, with rounding-size noise injected, \
                    ends this far from its own noiseless run (rounding_drift_rel), and DL4J is within %sx of that. \
                    At this many updates the endpoints cannot be compared more tightly by any floating-point \
                    implementation; lower the learning rate (or stochastic_lr_scale) or the budget to resolve more.

                    The last column (float rows) is the same cell in double: where it agrees to its double \
                    tolerance, DL4J's formulas are the reference's, and the float difference is float rounding \
                    carried along.

                    """, Table.readable(Tolerances.DRIFT_FACTOR)));
            md.append(rowColumns().add("same_cell_double_rel_diff", this::doubleTwin)
                    .markdown(rows.stream().filter(r -> r.verdict() == Verdict.DRIFT).toList()).toMarkdown())
                    .append('\n');
        }
        md.append("### Every cell (max relative difference per stage)\n\n").append(wideTable().toMarkdown())
                .append('\n');
        md.append(OptionsSection.of(spec, rows));
        md.append(paperSection());
        md.append(floatHyperSection());
        SolverCheck check = new SolverCheck(spec.integer("solver_params"), spec.integer("solver_examples"),
                spec.real("solver_condition"), spec.integer("solver_max_iterations"), spec.real("solver_target"),
                spec.longValue("split_seed"));
        SolverCheck.Outcome solvers = spec.bool("solvers") ? check.run() : null;
        if (solvers != null) {
            md.append(solverSection(check, solvers));
        }
        md.append(OptionsSection.defects());
        md.insert(0, headline(failed, drift, solvers));
        return new Report(LONG.csv(rows), md.toString(), List.of(worstPerUpdaterFigure()),
                CrosscheckClaims.of(rows, check, solvers));
    }

    /**
     * Per updater and dtype, the worst max_rel_diff over every stage and cell as a multiple of its row's tolerance:
     * below 1 passes. Log scale, floored at 1e-8 (exact agreement); NaN or a missing value is drawn at 1e3.
     */
    private Figure worstPerUpdaterFigure() {
        Map<String, Double> worst = new LinkedHashMap<>();
        for (Row r : rows) {
            String key = r.get("updater") + " " + r.get("dtype");
            double ratio = r.rel() == null || r.rel().isNaN() ? 1e3 : Math.min(1e3, r.rel() / r.tolerance());
            worst.merge(key, Math.max(1e-8, ratio), Math::max);
        }
        return new Figure.Bars("worst-difference-per-updater",
                "DL4J vs reference: worst difference per updater / tolerance (below 1 passes)",
                "(max_rel_diff / tolerance)", true, List.copyOf(worst.keySet()),
                worst.values().stream().mapToDouble(Double::doubleValue).toArray(), null);
    }

    static long count(List<Row> rows, Verdict v) {
        return rows.stream().filter(r -> r.verdict() == v).count();
    }

    private String setup() {
        StringBuilder sb = new StringBuilder();
        List<String> nets = new ArrayList<>();
        for (Map.Entry<String, Dataset> e : train.entrySet()) {
            Dataset d = e.getValue();
            nets.add(String.format(Locale.ROOT, "%s %d-%d-%d (%d examples)", e.getKey(), d.numFeatures(),
                    Crosscheck.hidden(spec, e.getKey()), d.numClasses(), d.size()));
        }
        sb.append(String.format(Locale.ROOT, """
                Nets: %s; %s hidden layer, softmax output, multi-class cross-entropy, Xavier init, seeded. DL4J's \
                initial parameters are copied into the reference, which computes in double; for float cells the \
                reference gets exactly DL4J's float inputs: data, initial parameters and updater hyperparameters \
                rounded to float. Both sides see the same minibatches (one seeded shuffle per epoch, shared). \
                Stages 1-2 use the whole training set at the initial parameters, 3-4 the first minibatch, 5 is \
                after %d updates, 6 after %d shuffled epochs. Every updater runs in DL4J's form (see "Paper \
                forms" for the distance to the papers'). Stochastic mode uses the learning rates x %s.

                **max_rel_diff = max|DL4J - reference| / max|reference|** over the compared vector (outputs, \
                gradient or parameters); a normwise relative difference, robust to entries near zero. NaN fails. \
                **rounding_drift_rel** (stages 4-6) is the same distance between the reference and its shadow: \
                the reference again with rounding-size noise injected (parameters x (1 +- u) after every update, \
                gradient entries +- u x the mean |per-example term|, u = 2^-53 double, 2^-24 float): how far \
                rounding alone carries this trajectory. A stage 5-6 row beyond its tolerance but within %sx the \
                drift is DRIFT (not a failure); everything else beyond its tolerance is FAIL (exit status 1).

                """, String.join(", ", nets), spec.string("activation"), spec.integer("steps"), spec.integer("epochs"),
                spec.string("stochastic_lr_scale"), Table.readable(Tolerances.DRIFT_FACTOR)));
        Table tol = new Table("stage", "meaning", "double_tolerance", "float_tolerance");
        for (Stage s : Stage.values()) {
            tol.add(s.title(), s.meaning().replace("`steps`", spec.string("steps"))
                    .replace("`epochs`", spec.string("epochs")).replace("`option_epochs`", spec.string("option_epochs"))
                    .replace("`l2`", spec.string("l2")), Tolerances.DOUBLE.get(s), Tolerances.FLOAT.get(s));
        }
        sb.append(tol.toMarkdown());
        return sb.toString();
    }

    /** The rows of one stage and data type. */
    record StageRows(Stage stage, String dtype, List<Row> rows) {
        long count(Verdict v) {
            return CrosscheckSummary.count(rows, v);
        }
    }

    /** Per data type and stage, the rows of the run (the pairs with none left out). */
    private List<StageRows> byStage() {
        List<StageRows> out = new ArrayList<>();
        for (String dtype : List.of("double", "float")) {
            for (Stage s : Stage.values()) {
                List<Row> g = rows.stream().filter(r -> r.stage() == s && r.get("dtype").equals(dtype)).toList();
                if (!g.isEmpty()) {
                    out.add(new StageRows(s, dtype, g));
                }
            }
        }
        return out;
    }

    private static final Columns<StageRows> WORST = new Columns<StageRows>()
            .add("stage", g -> g.stage().title())
            .add("dtype", StageRows::dtype)
            .add("rows", g -> g.rows().size())
            .add("pass", g -> g.count(Verdict.PASS))
            .add("drift", g -> g.count(Verdict.DRIFT))
            .add("fail", g -> g.count(Verdict.FAIL))
            .add("worst_rel_diff", g -> worst(g.rows()).rel())
            .add("worst_abs_diff", g -> g.rows().stream().mapToDouble(r -> rank(r.abs())).reduce(0, Math::max))
            .add("tolerance", g -> Tolerances.of(g.stage(), g.dtype()))
            .add("worst_cell", g -> cellName(worst(g.rows())));

    /** The row with the largest max_rel_diff, NaN and missing ranking worst (the first of equals). */
    static Row worst(List<Row> rows) {
        return rows.stream().max((a, b) -> Double.compare(rank(a.rel()), rank(b.rel()))).orElseThrow();
    }

    /** NaN and missing rank worst. */
    private static double rank(Double v) {
        return v == null || v.isNaN() ? Double.POSITIVE_INFINITY : v;
    }

    private static String cellName(Row r) {
        return r.get("data") + " " + r.get("updater") + " " + r.get("mode") + " " + r.get("dtype")
                + (r.cell().status() == CellResult.Status.OK ? "" : " (" + r.cell().status() + ")");
    }

    /** The columns of the FAIL and DRIFT tables, but their last. */
    private static Columns<Row> rowColumns() {
        return coordinates("data", "updater", "mode", "dtype", "lr")
                .add("stage", r -> r.stage().title())
                .add("max_abs_diff", Row::abs)
                .add("max_rel_diff", Row::rel)
                .add("tolerance", Row::tolerance)
                .add("rounding_drift_rel", Row::drift)
                .add("rel_diff_over_drift", r -> r.rel() == null || r.drift() == null || r.drift() == 0 ? null
                        : r.rel() / r.drift())
                .add("verdict", Row::verdict);
    }

    /** A float row's stage in the same cell in double, as "max_rel_diff verdict" ("-" for a double row). */
    private String doubleTwin(Row r) {
        return r.get("dtype").equals("double") ? "-" : rows.stream().filter(o -> o.stage() == r.stage()
                        && o.get("dtype").equals("double") && o.get("data").equals(r.get("data"))
                        && o.get("updater").equals(r.get("updater")) && o.get("mode").equals(r.get("mode"))
                        && o.get("seed").equals(r.get("seed")))
                .findFirst().map(t -> Table.readable(t.rel()) + " " + t.verdict()).orElse("-");
    }

    private Table wideTable() {
        List<String> cols = new ArrayList<>(List.of("data", "updater", "mode", "dtype", "lr"));
        List<Stage> stages = Stage.all().stream().filter(s -> rows.stream().anyMatch(r -> r.stage() == s)).toList();
        for (Stage s : stages) {
            cols.add(s.title());
        }
        cols.addAll(List.of("loss_before", "loss_after", "verdict"));
        Table t = new Table(cols);
        Map<CellResult, List<Row>> byCell = new LinkedHashMap<>();
        rows.forEach(r -> byCell.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<CellResult, List<Row>> e : byCell.entrySet()) {
            CellResult c = e.getKey();
            List<Object> row = new ArrayList<>(List.of(c.cell().get("data"), c.cell().get("updater"),
                    c.cell().get("mode"), c.cell().get("dtype"), c.cell().get("lr")));
            Verdict worst = Verdict.PASS;
            for (Stage s : stages) {
                Row r = e.getValue().stream().filter(x -> x.stage() == s).findFirst().orElse(null);
                row.add(r == null ? "" : r.rel() == null ? "-" : Table.readable(r.rel())
                        + (r.verdict() == Verdict.PASS ? "" : " " + r.verdict()));
                worst = r != null && r.verdict().compareTo(worst) > 0 ? r.verdict() : worst;
            }
            row.add(c.metric("initial_loss"));
            row.add(c.metric("final_loss"));
            row.add(c.status() == CellResult.Status.OK ? worst.toString() : "FAIL (" + c.message() + ")");
            t.add(row);
        }
        return t;
    }

    /**
     * The two answers first: DL4J against its own documented formulas (the pass/fail verdict), and how far those
     * formulas are from the papers' (informative), so a reader does not take the first for the second.
     */
    private String headline(long failed, long drift, SolverCheck.Outcome solvers) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "**DL4J computes what it documents:** %d/%d rows PASS (%d DRIFT, %d FAIL) against the reference "
                        + "written in DL4J's own formulas.", rows.size() - failed - drift, rows.size(), drift, failed));
        List<String> departures = new ArrayList<>();
        for (String u : Updaters.WITH_PAPER_VARIANT) {
            Double after = max(ran(u, "double"), "paper_steps_rel_diff");
            if (after != null) {
                departures.add(u + " " + Table.readable(after) + (u.equals("adam")
                        ? " (DL4J's Adam is Kingma & Ba's own efficient form, their section 2: eps's place only)" : ""));
            }
        }
        if (!departures.isEmpty()) {
            sb.append(" **Where those formulas depart from the papers** (max relative distance of the parameters "
                    + "after ").append(spec.integer("steps")).append(" updates, double; see \"Paper forms\"): ")
                    .append(String.join("; ", departures)).append('.');
        }
        if (solvers != null) {
            sb.append(" DL4J's CONJUGATE_GRADIENT takes ")
                    .append(solvers.cgVersusLineGd() == 0 ? "exactly" : "not")
                    .append(" the steps of its line-search gradient descent, and its LBFGS last moves at iteration ")
                    .append(solvers.lbfgsLastChange()).append(" (see \"Solvers\").");
        }
        return sb.append("\n\n").toString();
    }

    /** Informative: how far DL4J's form of each updater is from its paper's, on the same trajectories. */
    private String paperSection() {
        Table t = new Table("updater", "cells", "after_1_update", "after_steps", "after_epochs", "paper_form");
        for (String u : Updaters.WITH_PAPER_VARIANT) {
            List<CellResult> cells = ran(u, "double");
            if (cells.isEmpty()) {
                continue;
            }
            t.add(u, cells.size(), max(cells, "paper_step_1_rel_diff"), max(cells, "paper_steps_rel_diff"),
                    max(cells, "paper_epochs_rel_diff"), PAPER_FORMS.get(u));
        }
        if (t.rows().isEmpty()) {
            return "";
        }
        return """
                ### Paper forms: where DL4J's formulas depart from the papers (informative, not pass/fail)

                Max relative distance between DL4J's parameters and the reference run with the paper's form of \
                the updater, over the double cells (same start, same minibatches). DL4J's form is what the \
                crosscheck checks; this table is the size of each departure on these nets.

                """ + t.toMarkdown() + '\n';
    }

    static final Map<String, String> PAPER_FORMS = Map.of(
            "adam", "eps added to sqrt of the bias-corrected v (DL4J: to sqrt of the uncorrected v)",
            "nadam", "v bias-corrected (DL4J: not corrected, first step ~31.6x larger)",
            "amsgrad", "eps on the corrected v_hat (DL4J: on the uncorrected)",
            "adagrad", "history starts at 0 (DL4J: at eps = 1e-6)",
            "rmsprop", "cache starts at 0 (DL4J: at eps = 1e-8)");

    /** The cells of {@code updater} in {@code dtype} that ran. */
    private List<CellResult> ran(String updater, String dtype) {
        return results.stream().filter(r -> r.cell().get("updater").equals(updater)
                && r.cell().get("dtype").equals(dtype) && r.status() == CellResult.Status.OK).toList();
    }

    private static Double max(List<CellResult> cells, String column) {
        double m = Double.NaN;
        for (CellResult c : cells) {
            Double v = number(c, column);
            if (v != null && (Double.isNaN(m) || v > m || v.isNaN())) {
                m = v;
            }
        }
        return Double.isNaN(m) ? null : m;
    }

    /** Float cells: one update with float-rounded hyperparameters (what DL4J uses) against exact ones. */
    private String floatHyperSection() {
        Table t = new Table("updater", "float_cells", "step_1_rel_diff_float_hyper", "step_1_rel_diff_exact_hyper");
        for (String u : Crosscheck.UPDATERS) {
            List<CellResult> cells = ran(u, "float");
            if (!cells.isEmpty()) {
                t.add(u, cells.size(), max(cells, "step_1_rel_diff"), max(cells, "step_1_rel_diff_exact_hyper"));
            }
        }
        if (t.rows().isEmpty()) {
            return "";
        }
        return """
                ### Float hyperparameters

                DL4J's updater kernels cast their hyperparameters to the array type, so a float net runs with \
                beta2 = 0.999f = 0.99900001287 and computes 1 - beta2 = 9.99987e-4, 1.3e-5 relative off 1e-3. \
                Where v is not bias-corrected (Nadam) every update is then ~6.4e-6 relative larger than with the \
                exact beta2 (Adam's bias correction cancels it). The float cells give the reference the same \
                float-valued hyperparameters; the last column is DL4J after one update against the reference with \
                the exact ones (max over the float cells).

                """ + t.toMarkdown() + '\n';
    }

    private String solverSection(SolverCheck check, SolverCheck.Outcome o) {
        int k = check.maxIterations();
        StringBuilder sb = new StringBuilder("### Solvers: DL4J's line-search solvers against the reference's\n\n");
        sb.append(String.format(Locale.ROOT, """
                Least squares f(w) = (1/m) ||Xw - y||^2 with n = %d parameters, m = %d examples, Hessian (2/m) X'X \
                with eigenvalues geometric from 1/%s to 1 (condition number %s), y = X w* (f* = 0), start w = 0, \
                full batch, DOUBLE. DL4J: one-layer identity network without bias, MSE, updater Sgd(1.0) (the \
                search direction is the mean gradient), DL4J's other defaults; one fit() per iteration. Reference: \
                the same function as a Quadratic (DL4J's initial loss matches it to %s relative). Iterations \
                until (f - f*) / (f0 - f*) <= %s, or "not reached in %d"; relative loss after 1, 10, 100 \
                iterations and at the end.

                """, check.n(), check.m(), Table.readable(check.kappa()), Table.readable(check.kappa()),
                Table.readable(o.dl4jVersusQuadratic()), Table.readable(check.target()), k));
        Table t = new Table("dl4j_solver", "dl4j_iterations", "dl4j_rel_loss_1", "dl4j_rel_loss_10",
                "dl4j_rel_loss_100", "dl4j_rel_loss_end", "dl4j_status", "reference_solver", "reference_iterations",
                "reference_rel_loss_end", "reference_status");
        for (SolverCheck.Row r : o.rows()) {
            t.add(r.dl4jName(), iterations(r.dl4j(), k), r.dl4j().relativeLossAt(1), r.dl4j().relativeLossAt(10),
                    r.dl4j().relativeLossAt(100), r.dl4j().finalRelativeLoss(), r.dl4j().status(), r.referenceName(),
                    iterations(r.reference(), k), r.reference().finalRelativeLoss(), r.reference().status());
        }
        sb.append(t.toMarkdown()).append('\n');
        SolverCheck.Run refCg = CrosscheckClaims.solver(o, "CONJUGATE_GRADIENT").reference();
        SolverCheck.Run lbfgs = CrosscheckClaims.solver(o, "LBFGS").dl4j();
        sb.append(String.format(Locale.ROOT, """
                - Reference CG (exact line search on the quadratic) needs %s iterations for n = %d.
                - DL4J's CONJUGATE_GRADIENT against DL4J's LINE_GRADIENT_DESCENT, parameters after every \
                iteration: max |difference| = %s%s
                - DL4J's LBFGS last changed its parameters at iteration %d of %d%s
                """, refCg.iterationsToTarget() == null ? "more than " + k : refCg.iterationsToTarget(), check.n(),
                Table.readable(o.cgVersusLineGd()), o.cgVersusLineGd() == 0
                        ? ": DL4J's CG takes exactly the steps of its line-search gradient descent. Its Polak-Ribiere "
                        + "beta = (g - g_last).g / g_last.g_last is 0 at every iteration: g_last is the same buffer "
                        + "as g in DL4J's source, so CG degenerates to steepest descent."
                        : " (DL4J's CG differs from its line GD).",
                o.lbfgsLastChange(), lbfgs.relativeLoss().length - 1,
                lbfgs.iterationsToTarget() == null
                        ? ": it stalls and never reaches the target. Its source computes the curvature "
                        + "sy = dot(previousParameters, previousGradient), x.g where s.y belongs (and keeps m = 4 "
                        + "pairs). Upstream: deeplearning4j #760."
                        : "."));
        sb.append('\n');
        return sb.toString();
    }

    private static String iterations(SolverCheck.Run run, int k) {
        return run.iterationsToTarget() == null ? "not reached in " + k : String.valueOf(run.iterationsToTarget());
    }
}
