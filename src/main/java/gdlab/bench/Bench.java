package gdlab.bench;

import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.reference.Updaters;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What a training step and a whole sweep cost here, side by side in one run. Step cells time DL4J's {@code fit},
 * the plain-Java reference, ND4J's gemm on the step's matrix products, and the training loop before and after the
 * benchmarks' speed-ups, interleaved window by window (see {@link Windows}). The sweep cell runs another experiment's
 * small sweep through the usual harness with 1 and 2 workers and splits its wall time into the cells' own code and
 * the harness around them. The table states each goal as a ratio and whether it was reached; the load average is
 * recorded with every cell, since timings taken while other processes hold the cores are distorted.
 *
 * <p>Cells run one at a time ({@code workers = 1}): a second cell running beside a timed one would be timed too.
 */
public final class Bench implements Experiment {
    static final String STEP = "step";
    static final String SWEEP = "sweep";
    /** The workloads of a step cell, in the order they take turns. */
    static final List<String> KINDS = List.of("fit", "reference", "gemm", "loop_before", "loop_after");

    /**
     * cells.csv holds only what was measured (timings, all {@code *_ms}) and what the shapes fix (params, FLOPs): the
     * ratios, GFLOP/s and the load are derived in {@link #summarize}, so that a comparison of two runs (compare,
     * the baseline test) judges the reproducible columns and leaves the timings alone, as for every experiment.
     */
    static final List<String> STEP_METRICS = List.of("params", "mflop_per_step", "fit_ms", "fit_min_ms",
            "fit_max_ms", "reference_ms", "gemm_ms", "loop_before_ms", "loop_after_ms");
    static final List<String> SUMMARY_COLUMNS = List.of("net", "batch", "dtype", "params", "mflop_per_step",
            "fit_ms", "reference_ms", "dl4j_over_reference", "gemm_ms", "fit_gflops", "gemm_gflops", "gemm_share",
            "loop_before_ms", "loop_after_ms", "loop_speedup", "loop_overhead", "fit_spread", "load_1m");
    static final List<String> SWEEP_PER_WORKERS = List.of("wall_ms", "cell_sum_ms", "training_sum_ms", "prepare_ms",
            "summarize_ms", "rest_ms", "plots_ms");
    /** Per cell: each window's ms per step (measure fit_ms, ...), each sweep run, and the load at start and end. */
    static final List<String> CURVE = List.of("round", "measure", "value");

    /** The goals of the benchmarks issue, as ratios. */
    static final double MAX_HARNESS_SHARE = 0.03;
    static final double MIN_SPEEDUP = 1.8;
    static final double MIN_GEMM_SHARE = 0.5;
    static final int GEMM_GOAL_MIN_BATCH = 256;

    private final Function<String, Experiment> experiments;
    private Spec spec;
    private List<Integer> sweepWorkers;
    private List<String> metrics = STEP_METRICS;
    private LoadAverage loadAtStart;
    private Map<String, Object> environment;
    private volatile double warmupMs = Double.NaN;

    /** @param experiments a fresh experiment by name (bad input for an unknown one): the sweeps it times */
    public Bench(Function<String, Experiment> experiments) {
        this.experiments = experiments;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String question() {
        return "What does a training step, and a whole sweep, cost here (DL4J vs reference vs gemm, 1 vs 2 workers)?";
    }

    @Override
    public List<Param> params() {
        List<String> optimizers = Optimizers.UPDATERS.stream().filter(Updaters.NAMES::contains).toList();
        return List.of(
                new Param("net", "layer sizes joined by '-', e.g. 64-32-10",
                        s -> s.matches("[1-9][0-9]{0,5}(-[1-9][0-9]{0,5})+"), true, "MLPs timed (inputs-hidden...-classes)"),
                Param.integer("batch", 1, 1 << 16, true, "minibatch sizes timed"),
                Param.choice("dtype", Networks.DTYPES, true, "ND4J data types timed (the reference is always double)"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "hidden-layer activation"),
                Param.choice("optimizer", optimizers, false, "updater of DL4J and the reference"),
                Param.real("lr", 0, false, "learning rate"),
                Param.integer("windows", 1, 1000, false, "timed windows per workload (after one warm-up window)"),
                Param.real("window_seconds", 0, false, "length of one window"),
                Param.realIn("warmup_seconds", 0, 3600, false,
                        "JIT warm-up before the first timed cell (DL4J needs ~10 s in a fresh JVM)"),
                Param.text("sweep", "none, or an experiment name followed by key=value overrides",
                        "the small sweep timed with each number of workers"),
                Param.integer("sweep_workers", 1, 256, true, "worker counts the sweep is run with"),
                Param.integer("sweep_repeats", 1, 100, false, "runs of the sweep per worker count (median kept)"));
    }

    /** Timings ({@code *_ms}) and what the shapes and the sweep fix (settings); nothing else is recorded. */
    @Override
    public List<Metric> metrics() {
        return metrics.stream().map(n -> n.endsWith("_ms") ? Metric.timing(n) : Metric.setting(n)).toList();
    }

    @Override
    public List<String> curveColumns() {
        return CURVE;
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        this.spec = spec;
        if (spec.integer(Harness.WORKERS) != 1) {
            throw new BadInputException("bad value '" + spec.string(Harness.WORKERS) + "' for workers; allowed: 1 "
                    + "(bench times one cell at a time; the sweep part sets its own workers with sweep_workers)");
        }
        sweepWorkers = spec.list("sweep_workers").stream().map(Integer::parseInt).distinct().toList();
        List<String> sweep = sweepWords();
        if (!sweep.get(0).equals("none")) {
            try {
                experiments.apply(sweep.get(0));
            } catch (BadInputException e) {
                throw new BadInputException("bad value '" + spec.string("sweep") + "' for sweep: " + e.getMessage());
            }
            if (sweep.get(0).equals(name())) {
                throw new BadInputException("bad value '" + spec.string("sweep") + "' for sweep: bench cannot time "
                        + "itself");
            }
            sweepOverrides(sweep);
        }
        metrics = new ArrayList<>(STEP_METRICS);
        metrics.add("sweep_cells");
        for (int w : sweepWorkers) {
            SWEEP_PER_WORKERS.forEach(m -> metrics.add("w" + w + "_" + m));
        }
        loadAtStart = LoadAverage.now();
        environment = Nd4jSetup.describe();

        List<Cell> cells = new ArrayList<>();
        for (String net : spec.list("net")) {
            StepCase.sizes(net);
            for (String dtype : spec.list("dtype")) {
                for (String batch : spec.list("batch")) {
                    cells.add(cell(cells.size(), STEP, net, batch, dtype));
                }
            }
        }
        if (!sweep.get(0).equals("none")) {
            cells.add(cell(cells.size(), SWEEP, String.join(" ", sweep), "-", "-"));
        }
        return cells;
    }

    private static Cell cell(int index, String part, String net, String batch, String dtype) {
        Map<String, String> coords = new LinkedHashMap<>();
        coords.put("part", part);
        coords.put("net", net);
        coords.put("batch", batch);
        coords.put("dtype", dtype);
        return new Cell(index, coords);
    }

    private List<String> sweepWords() {
        List<String> words = Arrays.stream(spec.string("sweep").trim().split("\\s+")).filter(w -> !w.isEmpty())
                .toList();
        return words.isEmpty() ? List.of("none") : words;
    }

    private Map<String, String> sweepOverrides(List<String> words) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String w : words.subList(1, words.size())) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("bad value '" + spec.string("sweep") + "' for sweep; allowed: none, or "
                        + "an experiment name followed by key=value overrides (got '" + w + "')");
            }
            overrides.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return overrides;
    }

    @Override
    public CellResult run(Cell cell) {
        return cell.get("part").equals(STEP) ? runStep(cell) : runSweep(cell);
    }

    private Object[] emptyMetrics() {
        return new Object[metrics.size()];
    }

    /** A cell's values by metric name (every metric of this run, null where the cell does not measure it). */
    private Map<String, Object> named(Object[] values) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            byName.put(metrics.get(i), values[i]);
        }
        return byName;
    }

    private void put(Object[] values, String column, Object value) {
        values[metrics.indexOf(column)] = value;
    }

    /** JIT warm-up once per run, before the first timed step: every workload on a mid-size case. */
    private synchronized void warmUp() {
        if (!Double.isNaN(warmupMs)) {
            return;
        }
        long t0 = System.nanoTime();
        double seconds = spec.real("warmup_seconds");
        if (seconds > 0) {
            StepCase c = new StepCase(new int[] {64, 32, 10}, 32, DataType.FLOAT, spec.string("activation"),
                    spec.string("optimizer"), spec.real("lr"), 1);
            double slice = Math.min(0.5, seconds / KINDS.size());
            while (System.nanoTime() - t0 < seconds * 1e9) {
                c.fitWindow(slice);
                c.referenceWindow(slice / 4);
                c.gemmWindow(slice / 4);
                c.loop(true, slice / 2);
                c.loop(false, slice / 2);
            }
        }
        warmupMs = (System.nanoTime() - t0) / 1e6;
    }

    private CellResult runStep(Cell cell) {
        warmUp();
        double load = LoadAverage.now().oneMinute();
        StepCase c = new StepCase(StepCase.sizes(cell.get("net")), cell.integer("batch"),
                Networks.dtype(cell.get("dtype")), spec.string("activation"), spec.string("optimizer"),
                spec.real("lr"), Harness.seeds(spec).get(0));
        Map<String, Windows.Workload> workloads = new LinkedHashMap<>();
        workloads.put("fit", c::fitWindow);
        workloads.put("reference", c::referenceWindow);
        workloads.put("gemm", c::gemmWindow);
        workloads.put("loop_before", s -> c.loop(true, s));
        workloads.put("loop_after", s -> c.loop(false, s));
        Map<String, double[]> ms = Windows.interleaved(workloads, spec.integer("windows"),
                spec.real("window_seconds"));
        double fit = Windows.median(ms.get("fit"));
        double reference = Windows.median(ms.get("reference"));
        double gemm = Windows.median(ms.get("gemm"));
        double before = Windows.median(ms.get("loop_before"));
        double after = Windows.median(ms.get("loop_after"));
        double flops = c.flopsPerStep();
        Object[] m = emptyMetrics();
        put(m, "params", c.parameterCount());
        put(m, "mflop_per_step", flops / 1e6);
        put(m, "fit_ms", fit);
        put(m, "fit_min_ms", Windows.min(ms.get("fit")));
        put(m, "fit_max_ms", Arrays.stream(ms.get("fit")).max().orElse(Double.NaN));
        put(m, "reference_ms", reference);
        put(m, "gemm_ms", gemm);
        put(m, "loop_before_ms", before);
        put(m, "loop_after_ms", after);
        List<List<Object>> curve = new ArrayList<>();
        for (String kind : KINDS) {
            double[] w = ms.get(kind);
            for (int i = 0; i < w.length; i++) {
                curve.add(List.of(i + 1, kind + "_ms", w[i]));
            }
        }
        curve.add(List.of(0, "load_1m", load));
        curve.add(List.of(1, "load_1m", LoadAverage.now().oneMinute()));
        return new CellResult(cell, CellResult.Status.OK, "", named(m), curve);
    }

    private CellResult runSweep(Cell cell) {
        List<String> words = Arrays.asList(cell.get("net").split(" "));
        String experiment = words.get(0);
        Map<String, String> overrides = sweepOverrides(words);
        double load = LoadAverage.now().oneMinute();
        int most = sweepWorkers.stream().mapToInt(Integer::intValue).max().orElse(1);
        // one run first, not kept: class loading, JIT and the plotting library's first use
        SweepProbe.run(experiments.apply(experiment), overrides, most, environment);
        Map<Integer, List<SweepProbe.Result>> runs = new LinkedHashMap<>();
        sweepWorkers.forEach(w -> runs.put(w, new ArrayList<>()));
        int repeats = spec.integer("sweep_repeats");
        List<List<Object>> curve = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            List<Integer> order = new ArrayList<>(sweepWorkers);
            if (r % 2 == 1) {
                java.util.Collections.reverse(order); // 1,2 then 2,1: a drift in load hits both alike
            }
            for (int w : order) {
                SweepProbe.Result result = SweepProbe.run(experiments.apply(experiment), overrides, w,
                        environment);
                runs.get(w).add(result);
                curve.add(List.of(r + 1, "w" + w + "_wall_ms", result.wallMs()));
                curve.add(List.of(r + 1, "w" + w + "_cell_sum_ms", result.cellMsSum()));
            }
        }
        Object[] m = emptyMetrics();
        put(m, "sweep_cells", runs.get(sweepWorkers.get(0)).get(0).cells());
        for (int w : sweepWorkers) {
            List<SweepProbe.Result> rs = runs.get(w);
            put(m, "w" + w + "_wall_ms", median(rs, SweepProbe.Result::wallMs));
            put(m, "w" + w + "_cell_sum_ms", median(rs, SweepProbe.Result::cellMsSum));
            put(m, "w" + w + "_training_sum_ms", median(rs, SweepProbe.Result::trainingMsSum));
            put(m, "w" + w + "_prepare_ms", median(rs, SweepProbe.Result::prepareMs));
            put(m, "w" + w + "_summarize_ms", median(rs, SweepProbe.Result::summarizeMs));
            put(m, "w" + w + "_rest_ms", median(rs, SweepProbe.Result::restMs));
            put(m, "w" + w + "_plots_ms", median(rs, SweepProbe.Result::plotsMs));
        }
        curve.add(List.of(0, "load_1m", load));
        curve.add(List.of(1, "load_1m", LoadAverage.now().oneMinute()));
        return new CellResult(cell, CellResult.Status.OK, "", named(m), curve);
    }

    private static double median(List<SweepProbe.Result> rs, java.util.function.ToDoubleFunction<SweepProbe.Result> f) {
        return Windows.median(rs.stream().mapToDouble(f).toArray());
    }

    @Override
    public Report summarize(List<CellResult> results) {
        LoadAverage loadAtEnd = LoadAverage.now();
        List<CellResult> steps = results.stream()
                .filter(r -> r.cell().get("part").equals(STEP) && r.status() == CellResult.Status.OK).toList();
        CellResult sweep = results.stream()
                .filter(r -> r.cell().get("part").equals(SWEEP) && r.status() == CellResult.Status.OK)
                .findFirst().orElse(null);
        Table table = new Table(SUMMARY_COLUMNS);
        for (CellResult r : steps) {
            List<Object> row = new ArrayList<>();
            row.add(r.cell().get("net"));
            row.add(r.cell().integer("batch"));
            row.add(r.cell().get("dtype"));
            for (String column : SUMMARY_COLUMNS.subList(3, SUMMARY_COLUMNS.size())) {
                row.add(val(r, column));
            }
            table.add(row);
        }

        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Machine: %s, %s cores; ND4J %s (%s, platform %s, native binary "
                        + "built for %s; this CPU: %s), BLAS %s, OPENBLAS_CORETYPE=%s, OMP_NUM_THREADS=%s; per "
                        + "worker: libnd4j threads %s (set once by OMP_NUM_THREADS when the library loads; ND4J's "
                        + "setMaxThreads does not lower it), BLAS "
                        + "threads %d; Java %s (GC: %s).%n%n",
                environment.get("cpu_model"), environment.get("cores"), environment.get("nd4j_version"),
                environment.get("nd4j_backend"), environment.get("javacpp_platform"),
                environment.get("nd4j_binary_level"), environment.get("cpu_optimal_level"),
                environment.get("blas_vendor"),
                blank(environment.get("openblas_coretype")), blank(environment.get("omp_num_threads")),
                org.nd4j.linalg.factory.Nd4j.getEnvironment().maxThreads(),
                org.nd4j.linalg.factory.Nd4j.factory().blas().getMaxThreads(), environment.get("java_version"),
                environment.get("java_gc")));
        md.append(String.format(Locale.ROOT, "**Load average** (1, 5, 15 min) at start: %s; at end: %s; %d cores.%s%n%n",
                loadAtStart, loadAtEnd, Runtime.getRuntime().availableProcessors(),
                loadAtStart.overloaded() || loadAtEnd.overloaded()
                        ? " **Other processes held the cores during this run: every timing below is distorted "
                        + "(slower and noisier than this machine alone); ratios measured side by side suffer less.**"
                        : ""));
        if (!steps.isEmpty()) {
            md.append(String.format(Locale.ROOT, "### Per training step%n%nMLP (%s hidden, softmax + cross-entropy), "
                            + "%s lr %s; medians of %d interleaved windows of %s s after a %.1f s JIT warm-up and one "
                            + "warm-up window each; the reference is plain Java in double for both dtypes.%n%n",
                    spec.string("activation"), spec.string("optimizer"), spec.string("lr"), spec.integer("windows"),
                    spec.string("window_seconds"), warmupMs / 1000, spec.string("window_seconds")));
            md.append(table.toMarkdown()).append('\n');
        }
        Table sweepTable = null;
        if (sweep != null) {
            sweepTable = sweepTable(sweep);
            md.append(String.format(Locale.ROOT, "### Per sweep%n%n`%s`, %s cells, median of %d runs per worker "
                            + "count (after one run not kept), through the usual harness into a temporary folder.%n%n",
                    sweep.cell().get("net"), sweep.metric("sweep_cells"), spec.integer("sweep_repeats")));
            md.append(sweepTable.toMarkdown()).append('\n');
        }
        md.append("### Goals (ratios from this run)\n\n");
        md.append(goals(steps, sweep).toMarkdown()).append('\n');
        md.append("""
                Columns: *_ms are milliseconds per training step (medians over windows); fit = DL4J `fit` on one \
                minibatch already in an INDArray; reference = the plain-Java reference (`gdlab.reference.Mlp` + \
                updater) on the same minibatch; gemm = the step's matrix products alone (forward, weight gradient, \
                input gradient per layer) with ND4J's gemm into preallocated arrays; mflop_per_step = 6 x batch x \
                sum(nIn x nOut); fit_gflops and gemm_gflops = those FLOPs over fit_ms and gemm_ms; gemm_share = \
                fit_gflops / gemm_gflops (= gemm_ms / fit_ms); dl4j_over_reference = fit_ms / reference_ms; \
                loop_before_ms and loop_after_ms = one update of the training loop over shuffled epochs before the \
                benchmarks (a getRows copy per step) and now (Trainer: one gather per epoch, views per step), as the \
                loop times itself; loop_speedup = before / after; loop_overhead = loop_after_ms / fit_ms - 1 (the \
                loop's cost beyond fit); fit_spread = (max - min) / median of the fit windows; load_1m = the \
                1-minute load average during the cell. Sweep: cell_sum_ms = time inside the experiment's cells \
                (build, convert, train, evaluate), training_sum_ms = the training loop's update time, \
                harness_share = 1 - cell_sum / (workers x wall), outside_training_share = 1 - training_sum / \
                (workers x wall), rest_ms = wall - prepare - cell_sum / workers - summarize (worker pool, run \
                folder, git, plots); plots_ms = drawing the sweep's figures once more after it, alone (the plots' \
                part of rest_ms).

                """);
        return new Report(table, md.toString(), false, figures(steps, sweep));
    }

    /**
     * A measured column of a cell, or one derived from them: for steps fit_spread, dl4j_over_reference, fit_gflops,
     * gemm_gflops, gemm_share, loop_speedup, loop_overhead; for the sweep w{N}_cells_per_min, w{N}_harness_share,
     * w{N}_outside_training_share, sweep_speedup; for both load_1m (the higher of the cell's start and end).
     */
    double val(CellResult r, String column) {
        if (metrics.contains(column)) {
            return r.number(column);
        }
        if (column.equals("load_1m")) {
            return r.curve().stream().filter(p -> "load_1m".equals(p.get(1)))
                    .mapToDouble(p -> ((Number) p.get(2)).doubleValue()).max().orElse(Double.NaN);
        }
        if (r.cell().get("part").equals(STEP)) {
            double fit = val(r, "fit_ms");
            double mflop = val(r, "mflop_per_step");
            return switch (column) {
                case "fit_spread" -> (val(r, "fit_max_ms") - val(r, "fit_min_ms")) / fit;
                case "dl4j_over_reference" -> fit / val(r, "reference_ms");
                case "fit_gflops" -> mflop / fit;
                case "gemm_gflops" -> mflop / val(r, "gemm_ms");
                case "gemm_share" -> val(r, "gemm_ms") / fit;
                case "loop_speedup" -> val(r, "loop_before_ms") / val(r, "loop_after_ms");
                case "loop_overhead" -> val(r, "loop_after_ms") / fit - 1;
                default -> throw new IllegalArgumentException("no column '" + column + "' for a step cell");
            };
        }
        if (column.equals("sweep_speedup")) {
            return val(r, "w" + sweepWorkers.get(sweepWorkers.size() - 1) + "_cells_per_min")
                    / val(r, "w" + sweepWorkers.get(0) + "_cells_per_min");
        }
        int cut = column.indexOf('_');
        int workers = Integer.parseInt(column.substring(1, cut));
        String p = column.substring(0, cut + 1);
        double wall = val(r, p + "wall_ms");
        return switch (column.substring(cut + 1)) {
            case "cells_per_min" -> val(r, "sweep_cells") / (wall / 60_000.0);
            case "harness_share" -> 1 - val(r, p + "cell_sum_ms") / (workers * wall);
            case "outside_training_share" -> 1 - val(r, p + "training_sum_ms") / (workers * wall);
            default -> throw new IllegalArgumentException("no column '" + column + "' for the sweep cell");
        };
    }

    private static String blank(Object value) {
        String s = String.valueOf(value);
        return s.isEmpty() ? "(unset)" : s;
    }

    private Table sweepTable(CellResult sweep) {
        Table t = new Table("workers", "wall_ms", "cells_per_min", "speedup", "cell_sum_ms", "training_sum_ms",
                "harness_share", "outside_training_share", "prepare_ms", "summarize_ms", "rest_ms", "plots_ms", "load_1m");
        double base = val(sweep, "w" + sweepWorkers.get(0) + "_cells_per_min");
        for (int w : sweepWorkers) {
            String p = "w" + w + "_";
            t.add(w, val(sweep, p + "wall_ms"), val(sweep, p + "cells_per_min"),
                    val(sweep, p + "cells_per_min") / base, val(sweep, p + "cell_sum_ms"),
                    val(sweep, p + "training_sum_ms"), val(sweep, p + "harness_share"),
                    val(sweep, p + "outside_training_share"), val(sweep, p + "prepare_ms"),
                    val(sweep, p + "summarize_ms"), val(sweep, p + "rest_ms"),
                    val(sweep, p + "plots_ms"), val(sweep, "load_1m"));
        }
        return t;
    }

    /** The three goals, with the measured value, whether it was reached, and why not where it was not. */
    private Table goals(List<CellResult> steps, CellResult sweep) {
        Table t = new Table("goal", "target", "measured", "met", "why (measured)");
        if (sweep != null) {
            int one = sweepWorkers.get(0);
            String p = "w" + one + "_";
            double share = val(sweep, p + "harness_share");
            double wall = val(sweep, p + "wall_ms");
            String why = share < MAX_HARNESS_SHARE ? "" : String.format(Locale.ROOT,
                    "of %.0f ms wall with %d worker, %.0f ms were outside the cells: prepare %.0f, summarize %.0f, "
                            + "pool + run folder + git + plots %.0f (drawing the plots alone: %.0f)",
                    wall, one, share * wall, val(sweep, p + "prepare_ms"),
                    val(sweep, p + "summarize_ms"), val(sweep, p + "rest_ms"),
                    val(sweep, p + "plots_ms"));
            t.add("harness overhead, " + one + " worker (wall time outside the cells' own code)",
                    "< " + percent(MAX_HARNESS_SHARE), percent(share) + String.format(Locale.ROOT,
                            " (outside training updates: %s)",
                            percent(val(sweep, p + "outside_training_share"))),
                    share < MAX_HARNESS_SHARE ? "yes" : "no", why);
            if (sweepWorkers.size() > 1) {
                int two = sweepWorkers.get(sweepWorkers.size() - 1);
                String q = "w" + two + "_";
                double speedup = val(sweep, "sweep_speedup");
                double cellsOne = val(sweep, p + "cell_sum_ms");
                double cellsTwo = val(sweep, q + "cell_sum_ms");
                double serial = val(sweep, q + "prepare_ms") + val(sweep, q + "summarize_ms")
                        + val(sweep, q + "rest_ms");
                double bound = wall / (serial + cellsOne / two);
                String whyNot = speedup >= MIN_SPEEDUP ? "" : String.format(Locale.ROOT,
                        "the cells' own time summed to %.0f ms with %d workers against %.0f ms with %d (%.2fx: a cell "
                                + "is slower while another runs beside it%s); the time not covered by cells on every "
                                + "worker (prepare, summarize, run folder, plots, and workers idle while the last "
                                + "cells finish) was %.0f ms, which alone caps the speed-up at %.2fx",
                        cellsTwo, two, cellsOne, one, cellsTwo / cellsOne,
                        val(sweep, "load_1m") > Runtime.getRuntime().availableProcessors()
                                ? String.format(Locale.ROOT, ", and other processes held the cores: load %.1f on %d",
                                val(sweep, "load_1m"), Runtime.getRuntime().availableProcessors())
                                : "", serial, bound);
                t.add(two + " workers vs " + one + " (cells per minute)", ">= " + MIN_SPEEDUP + "x",
                        String.format(Locale.ROOT, "%.2fx", speedup), speedup >= MIN_SPEEDUP ? "yes" : "no",
                        whyNot);
            }
        }
        List<CellResult> big = steps.stream().filter(r -> r.cell().integer("batch") >= GEMM_GOAL_MIN_BATCH).toList();
        if (!big.isEmpty()) {
            long met = big.stream().filter(r -> val(r, "gemm_share") >= MIN_GEMM_SHARE).count();
            CellResult worst = big.stream().min((a, b) -> Double.compare(val(a, "gemm_share"),
                    val(b, "gemm_share"))).orElseThrow();
            CellResult best = big.stream().max((a, b) -> Double.compare(val(a, "gemm_share"),
                    val(b, "gemm_share"))).orElseThrow();
            StringBuilder why = new StringBuilder();
            for (CellResult r : big) {
                if (val(r, "gemm_share") < MIN_GEMM_SHARE) {
                    double fit = val(r, "fit_ms");
                    double gemm = val(r, "gemm_ms");
                    why.append(String.format(Locale.ROOT, "%s%s B=%s %s: %.2f of %.2f ms outside the products",
                            why.length() == 0 ? "" : "; ", r.cell().get("net"), r.cell().get("batch"),
                            r.cell().get("dtype"), fit - gemm, fit));
                }
            }
            if (why.length() > 0) {
                why.insert(0, "time of the step not in gemm (activations, softmax, loss, bias adds, updater, "
                        + "DL4J's per-op dispatch): ");
            }
            t.add("DL4J fit vs gemm GFLOP/s at batch >= " + GEMM_GOAL_MIN_BATCH, ">= " + percent(MIN_GEMM_SHARE),
                    String.format(Locale.ROOT, "%d of %d rows; worst %s (%s B=%s %s), best %s (%s B=%s %s)", met,
                            big.size(), percent(val(worst, "gemm_share")), worst.cell().get("net"),
                            worst.cell().get("batch"), worst.cell().get("dtype"),
                            percent(val(best, "gemm_share")), best.cell().get("net"),
                            best.cell().get("batch"), best.cell().get("dtype")),
                    met == big.size() ? "yes" : met == 0 ? "no" : "partly", why.toString());
        }
        return t;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private List<Figure> figures(List<CellResult> steps, CellResult sweep) {
        List<Figure> figures = new ArrayList<>();
        if (!steps.isEmpty()) {
            List<Figure.Series> ms = new ArrayList<>();
            List<Figure.Series> gflops = new ArrayList<>();
            Map<String, List<CellResult>> byNet = new LinkedHashMap<>();
            for (CellResult r : steps) {
                byNet.computeIfAbsent(r.cell().get("net") + " " + r.cell().get("dtype"), k -> new ArrayList<>()).add(r);
            }
            for (Map.Entry<String, List<CellResult>> e : byNet.entrySet()) {
                List<CellResult> g = e.getValue();
                double[] b = g.stream().mapToDouble(r -> r.cell().integer("batch")).toArray();
                ms.add(Figure.Series.line("DL4J " + e.getKey(), b, column(g, "fit_ms")));
                gflops.add(Figure.Series.line("fit " + e.getKey(), b, column(g, "fit_gflops")));
                gflops.add(Figure.Series.points("gemm " + e.getKey(), b, column(g, "gemm_gflops")));
            }
            byNet.entrySet().stream().filter(e -> e.getKey().endsWith(" " + spec.list("dtype").get(0)))
                    .forEach(e -> ms.add(Figure.Series.points("reference " + e.getKey().split(" ")[0],
                            e.getValue().stream().mapToDouble(r -> r.cell().integer("batch")).toArray(),
                            column(e.getValue(), "reference_ms"))));
            figures.add(new Figure.Lines("ms-per-step", "Milliseconds per training step (DL4J fit, reference)",
                    "batch size (log)", "ms per step (log)", true, true, ms));
            figures.add(new Figure.Lines("gflops", "Achieved GFLOP/s: DL4J fit (lines) and gemm alone (points)",
                    "batch size (log)", "GFLOP/s (log)", true, true, gflops));
            List<String> cats = new ArrayList<>();
            List<Double> speedups = new ArrayList<>();
            for (CellResult r : steps) {
                cats.add(r.cell().get("net") + " B=" + r.cell().get("batch") + " " + r.cell().get("dtype"));
                speedups.add(val(r, "loop_speedup"));
            }
            figures.add(new Figure.Bars("loop-speedup", "Training loop, before / after (x faster per update)",
                    "before / after", false, cats, speedups.stream().mapToDouble(Double::doubleValue).toArray(), null));
        }
        if (sweep != null) {
            List<String> cats = sweepWorkers.stream().map(w -> w + (w == 1 ? " worker" : " workers")).toList();
            double[] cpm = sweepWorkers.stream().mapToDouble(w -> val(sweep, "w" + w + "_cells_per_min"))
                    .toArray();
            figures.add(new Figure.Bars("sweep-cells-per-minute", "Sweep throughput: cells per minute",
                    "cells per minute", false, cats, cpm, null));
        }
        return figures;
    }

    private double[] column(List<CellResult> rows, String name) {
        return rows.stream().mapToDouble(r -> val(r, name)).toArray();
    }
}
