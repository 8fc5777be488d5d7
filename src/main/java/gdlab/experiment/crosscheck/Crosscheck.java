package gdlab.experiment.crosscheck;

import gdlab.crosscheck.CellCheck;
import gdlab.crosscheck.Diff;
import gdlab.crosscheck.OptionCheck;
import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances;
import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.experiment.Keys;
import gdlab.reference.GradientNormalization;
import gdlab.reference.Updaters;
import gdlab.report.Metric;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.GdMode.BATCH;
import static gdlab.experiment.GdMode.MINI_BATCH;
import static gdlab.experiment.GdMode.STOCHASTIC;
import static gdlab.report.Metric.discrepancy;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * DL4J against the independent reference, stage by stage: forward output, loss, gradient, one update, {@code steps}
 * updates and {@code epochs} shuffled epochs, for every updater x batch mode x data type on the shipped data sets.
 * A row fails when the relative difference exceeds its tolerance ({@link Tolerances}); any failure makes the run
 * exit with status 1. Stages 7-14 train again with one training option each (a learning-rate schedule, a gradient
 * normalization, L2; {@link OptionCheck}). A solver section sets DL4J's line-search solvers beside the reference's.
 */
public final class Crosscheck implements Experiment {
    static final List<String> MODES = List.of(BATCH, STOCHASTIC, MINI_BATCH);
    /** The updaters checked: DL4J's nine plus gdlab's heavy-ball momentum. */
    static final List<String> UPDATERS = Updaters.NAMES;

    /** The stages after updates: the reference's own rounding drift and the papers' forms are measured there. */
    static final List<Stage> UPDATED = List.of(Stage.STEP_1, Stage.STEPS, Stage.EPOCHS);
    static final List<Metric> DECLARED;
    static final List<String> CURVE = List.of("step", "epochs_done", "params_abs_diff", "params_rel_diff",
            "drift_rel_diff");

    static {
        // every difference is judged against its stage's tolerance: its last digits are the CPU's rounding
        List<Metric> m = new ArrayList<>();
        for (Stage s : Stage.values()) {
            m.add(discrepancy(s.label() + "_abs_diff", bound(s)));
            m.add(discrepancy(s.label() + "_rel_diff", bound(s)));
        }
        for (String kind : List.of("drift_", "paper_")) {
            for (Stage s : UPDATED) {
                m.add(discrepancy(kind + s.label() + "_rel_diff", bound(s)));
            }
        }
        for (Stage s : Stage.OPTIONS) {
            m.add(discrepancy("drift_" + s.label() + "_rel_diff", bound(s)));
            if (OptionCheck.normalization(s) != GradientNormalization.NONE) {
                m.add(measure(s.label() + "_active_share"));
            }
        }
        m.add(discrepancy("step_1_rel_diff_exact_hyper", bound(Stage.STEP_1)));
        m.addAll(List.of(setting("n_train"), setting("n_params"), setting("updates_per_epoch"),
                setting("total_steps"), measure("initial_loss"), measure("final_loss"), timing("dl4j_ms"),
                timing("reference_ms")));
        DECLARED = List.copyOf(m);
    }

    private static Metric.Bound bound(Stage stage) {
        return Metric.Bound.byDtype(Tolerances.DOUBLE.get(stage), Tolerances.FLOAT.get(stage));
    }

    private final double perturbation;
    private Spec spec;
    private final Map<String, Dataset> train = new LinkedHashMap<>();

    public Crosscheck() {
        this(0.0);
    }

    /** With {@code perturbation} added to one DL4J weight before the comparison: for tests that prove it can fail. */
    Crosscheck(double perturbation) {
        this.perturbation = perturbation;
    }

    @Override
    public String name() {
        return "crosscheck";
    }

    @Override
    public String question() {
        return "Does DL4J compute exactly what gradient descent should (checked against an independent reference)?";
    }

    static String lrKey(String updater) {
        return "lr_" + updater;
    }

    @Override
    public List<Param> params() {
        List<Param> p = new ArrayList<>(List.of(
                Datasets.axisParam(),
                Datasets.labelParam(),
                Param.choice("updaters", UPDATERS, true, "updaters to check (momentum = gdlab's heavy ball)"),
                Param.choice("modes", MODES, true,
                        "batch (B = N), stochastic (B = 1), mini-batch (B = mini_batch_size)"),
                Param.choice("dtypes", Networks.DTYPES, true, "DL4J data types"),
                Keys.activation("hidden-layer activation"),
                Param.integer("hidden_iris", 1, 4096, false, "hidden units of the iris net"),
                Param.integer("hidden_digits", 1, 4096, false, "hidden units of the digits net"),
                Param.integer("hidden", 1, 4096, false, "hidden units of the net of a CSV or IDX data set"),
                Keys.maxExamples("use only this many examples of each data set (0 = all)"),
                Keys.splitSeed("seed of the example order and subset"),
                Param.integer("mini_batch_size", 2, 1_000_000, false, "B of the mini-batch mode"),
                Param.realIn("stochastic_lr_scale", 1e-6, 1, false, "learning rates are multiplied by this in "
                        + "stochastic mode (single-example steps at the batch rate make trajectories chaotic)"),
                Param.integer("steps", 1, 1_000_000, false, "updates before stage 5 (steps) is compared"),
                Param.integer("epochs", 1, 10_000, false, "shuffled epochs before stage 6 (epochs) is compared"),
                Param.bool("options", "run the option stages 7-14 (a schedule, a gradient normalization, L2)"),
                Param.choice("option_modes", MODES, true, "modes in which the option stages run"),
                Param.integer("option_epochs", 1, 10_000, false, "shuffled epochs of each option stage"),
                Param.real("schedule_gamma", 0, false, "ITERATION schedule of stage 7: lr / (1 + gamma i)"),
                Param.realIn("epoch_decay", 1e-6, 1, false, "EPOCH schedule of stage 8: lr x epoch_decay^epoch"),
                Param.real("clip_l2", 0, false, "threshold of the L2 clip stages 9-10"),
                Param.real("clip_value", 0, false, "threshold of the element-wise clip stage 11"),
                Param.real("l2", 0, false, "L2 coefficient of stage 14"),
                Param.bool("solvers", "run the solver section (DL4J line GD, CG, L-BFGS vs the reference's)"),
                Param.integer("solver_params", 2, 1000, false,
                        "parameters n of the least-squares problem of the solver section"),
                Param.integer("solver_examples", 2, 100_000, false, "examples m of the least-squares problem (>= n)"),
                Param.real("solver_condition", 1, false, "condition number of the least-squares Hessian (about)"),
                Param.integer("solver_max_iterations", 1, 1_000_000, false, "iterations K each solver may take"),
                Param.real("solver_target", 0, false, "relative loss (f - f*) / (f0 - f*) counted as reached")));
        for (String u : UPDATERS) {
            if (!u.equals("adadelta")) {
                p.add(Param.real(lrKey(u), 0, false, "learning rate of " + u));
            }
        }
        return p;
    }

    @Override
    public List<Metric> metrics() {
        return DECLARED;
    }

    @Override
    public List<String> curveColumns() {
        return CURVE;
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        this.spec = spec;
        int b = spec.integer("mini_batch_size");
        for (String name : spec.list("data")) {
            Dataset d = Split.of(Datasets.load(name, spec.string("label")), 0.0, spec.longValue("split_seed"),
                    spec.integer("max_examples")).train();
            if (b >= d.size()) {
                throw new BadInputException("bad value '" + b + "' for mini_batch_size: " + name + " has "
                        + d.size() + " examples; allowed: an integer from 2 to " + (d.size() - 1));
            }
            train.put(name, d);
        }
        if (spec.integer("solver_examples") < spec.integer("solver_params")) {
            throw new BadInputException("bad value '" + spec.string("solver_examples") + "' for solver_examples: "
                    + "fewer examples than solver_params = " + spec.string("solver_params")
                    + "; allowed: an integer >= solver_params");
        }
        List<Cell> cells = new ArrayList<>();
        for (String data : spec.list("data")) {
            for (String updater : spec.list("updaters")) {
                for (String mode : spec.list("modes")) {
                    for (String dtype : spec.list("dtypes")) {
                        for (long seed : Harness.seeds(spec)) {
                            Map<String, String> c = new LinkedHashMap<>();
                            c.put("data", data);
                            c.put("updater", updater);
                            c.put("mode", mode);
                            c.put("batch_size", String.valueOf(batchSize(mode, train.get(data).size(), b)));
                            c.put("dtype", dtype);
                            c.put("lr", updater.equals("adadelta") ? "none" : lr(spec, updater, mode));
                            c.put("seed", String.valueOf(seed));
                            cells.add(new Cell(cells.size(), c));
                        }
                    }
                }
            }
        }
        return cells;
    }

    /** The learning rate of a cell: the updater's, scaled down in stochastic mode. */
    static String lr(Spec spec, String updater, String mode) {
        java.math.BigDecimal lr = new java.math.BigDecimal(spec.string(lrKey(updater)));
        if (mode.equals(STOCHASTIC)) {
            lr = lr.multiply(new java.math.BigDecimal(spec.string("stochastic_lr_scale")));
        }
        // decimal arithmetic, so 0.1 x 0.1 is written 0.01 (not 0.010000000000000002)
        return lr.stripTrailingZeros().toPlainString();
    }

    static int batchSize(String mode, int n, int miniBatch) {
        return switch (mode) {
            case BATCH -> n;
            case STOCHASTIC -> 1;
            case MINI_BATCH -> miniBatch;
            default -> throw new IllegalArgumentException("unknown mode " + mode);
        };
    }

    int[] sizes(String data) {
        Dataset d = train.get(data);
        return new int[]{d.numFeatures(), hidden(spec, data), d.numClasses()};
    }

    /** Hidden units of {@code data}'s net: {@code hidden_iris}, {@code hidden_digits}, or {@code hidden} for a file. */
    static int hidden(Spec spec, String data) {
        return spec.integer(Datasets.SHIPPED.contains(data) ? "hidden_" + data : "hidden");
    }

    @Override
    public CellResult run(Cell cell) {
        String data = cell.get("data");
        Dataset d = train.get(data);
        String updater = cell.get("updater");
        double lr = updater.equals("adadelta") ? Double.NaN : cell.real("lr");
        CellCheck check = new CellCheck(d, sizes(data), spec.string("activation"), updater, lr,
                cell.integer("batch_size"), Networks.dtype(cell.get("dtype")), cell.longValue("seed"),
                spec.integer("steps"), spec.integer("epochs"), perturbation);
        CellCheck.Outcome o = check.run();
        Metric.Values metrics = Metric.values(DECLARED);
        OptionCheck options = new OptionCheck(check, spec.integer("option_epochs"), new OptionCheck.Settings(
                spec.real("schedule_gamma"), spec.real("epoch_decay"), spec.real("clip_l2"), spec.real("clip_value"),
                spec.real("l2")));
        for (Stage s : Stage.OPTIONS) {
            // a stage the cell does not run leaves its columns empty
            OptionCheck.Result r = ran(spec, s, updater, cell.get("mode")) ? options.run(s) : null;
            metrics.put(s.label() + "_abs_diff", r == null ? null : r.diff().abs())
                    .put(s.label() + "_rel_diff", r == null ? null : r.diff().rel())
                    .put("drift_" + s.label() + "_rel_diff", r == null ? null : r.drift().rel());
            if (OptionCheck.normalization(s) != GradientNormalization.NONE) {
                metrics.put(s.label() + "_active_share", r == null ? null : r.activeShare());
            }
        }
        for (Stage s : Stage.values()) {
            if (s.isOption()) {
                continue;
            }
            Diff diff = o.diffs().get(s);
            metrics.put(s.label() + "_abs_diff", diff == null ? null : diff.abs())
                    .put(s.label() + "_rel_diff", rel(diff));
        }
        for (Stage s : UPDATED) {
            metrics.put("drift_" + s.label() + "_rel_diff", rel(o.drift().get(s)))
                    .put("paper_" + s.label() + "_rel_diff", rel(o.paper().get(s)));
        }
        int[] sizes = sizes(data);
        int nParams = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            nParams += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        metrics.put("step_1_rel_diff_exact_hyper", rel(o.stepWithExactHyper())).put("n_train", d.size())
                .put("n_params", nParams).put("updates_per_epoch", o.updatesPerEpoch())
                .put("total_steps", o.totalSteps()).put("initial_loss", o.initialLoss())
                .put("final_loss", o.finalLoss()).put("dl4j_ms", o.dl4jMs()).put("reference_ms", o.referenceMs());
        List<List<Object>> curve = new ArrayList<>();
        for (CellCheck.Point p : o.curve()) {
            curve.add(List.of(p.step(), p.epochsDone(), p.params().abs(), p.params().rel(), p.drift().rel()));
        }
        return new CellResult(cell, CellResult.Status.OK, "", metrics.map(), curve);
    }

    /** Whether a cell of {@code updater} in {@code mode} runs {@code stage}: stages 1-6 always, 7-14 when asked. */
    static boolean ran(Spec spec, Stage stage, String updater, String mode) {
        return !stage.isOption() || (spec.bool("options") && spec.list("option_modes").contains(mode)
                && OptionCheck.applies(stage, updater));
    }

    private static Double rel(Diff diff) {
        return diff == null ? null : diff.rel();
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return CrosscheckSummary.of(spec, results, train).report();
    }
}
