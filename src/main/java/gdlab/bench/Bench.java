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
 * small sweep through the usual harness on each engine with 1 and 2 workers ({@link SweepPart}); the breakdown cell
 * splits one whole sweep's wall time into training, the rest of the cells and the harness, and sets its in-sweep
 * steps beside the step cells ({@link BreakdownPart}). The hypothesis's claims ({@link BenchClaims}) judge the goals
 * from the measured values; the load average is recorded with every cell, since timings taken while other processes
 * hold the cores are distorted.
 *
 * <p>Cells run one at a time ({@code workers = 1}): a second cell running beside a timed one would be timed too.
 */
public final class Bench implements Experiment {
    static final String STEP = "step";
    static final String SWEEP = "sweep";
    static final String BREAKDOWN = "breakdown";
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
    /** Per cell: each window's ms per step (measure fit_ms, ...), each sweep run, and the load at start and end. */
    static final List<String> CURVE = List.of("round", "measure", "value");

    /** The goals of the benchmarks issue, as ratios (judged by {@link BenchClaims}). */
    static final double MAX_HARNESS_SHARE = 0.03;
    static final double MIN_GEMM_SHARE = 0.5;
    static final int GEMM_GOAL_MIN_BATCH = 256;

    private final Function<String, Experiment> experiments;
    private Spec spec;
    private SweepPart sweepPart;
    private BreakdownPart breakdownPart;
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
                Param.integer("sweep_workers", 1, 256, true, "worker counts the sweep is run with (1 among them)"),
                Param.choice("sweep_engines", List.of("local", "processes"), true,
                        "engines the sweep is run on (local among them)"),
                Param.text("breakdown", "none, or an experiment name followed by key=value overrides",
                        "the sweep whose wall time is broken down (one in-process worker)"),
                new Param("breakdown_net", "layer sizes joined by '-'", s -> s.matches("[1-9][0-9-]*"), false,
                        "the breakdown sweep's net: its step cells are set beside the sweep's steps"),
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
        List<Integer> sweepWorkers = spec.list("sweep_workers").stream().map(Integer::parseInt).distinct()
                .toList();
        List<String> engines = spec.list("sweep_engines").stream().distinct().toList();
        if (!sweepWorkers.contains(1) || !engines.contains("local")) {
            String key = sweepWorkers.contains(1) ? "sweep_engines" : "sweep_workers";
            throw new BadInputException("bad value '" + spec.raw(key) + "' for " + key + "; allowed: a list with "
                    + (sweepWorkers.contains(1) ? "local" : "1") + " in it (speed-ups are against one local worker)");
        }
        List<String> sweep = words("sweep");
        List<String> breakdown = words("breakdown");
        loadAtStart = LoadAverage.now();
        environment = Nd4jSetup.describe();
        sweepPart = new SweepPart(experiments, engines, sweepWorkers, environment);
        breakdownPart = new BreakdownPart(experiments, environment);
        metrics = new ArrayList<>(STEP_METRICS);
        if (!sweep.get(0).equals("none")) {
            metrics.addAll(sweepPart.metricNames());
        }
        if (!breakdown.get(0).equals("none")) {
            metrics.addAll(BreakdownPart.METRICS);
        }

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
        if (!breakdown.get(0).equals("none")) {
            cells.add(cell(cells.size(), BREAKDOWN, String.join(" ", breakdown), "-", "-"));
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

    /** The words of {@code key} (sweep or breakdown): an experiment and its overrides, checked; or none. */
    private List<String> words(String key) {
        List<String> words = Arrays.stream(spec.string(key).trim().split("\\s+")).filter(w -> !w.isEmpty())
                .toList();
        if (words.isEmpty() || words.get(0).equals("none")) {
            return List.of("none");
        }
        try {
            experiments.apply(words.get(0));
        } catch (BadInputException e) {
            throw new BadInputException("bad value '" + spec.string(key) + "' for " + key + ": " + e.getMessage());
        }
        if (words.get(0).equals(name())) {
            throw new BadInputException("bad value '" + spec.string(key) + "' for " + key + ": bench cannot time "
                    + "itself");
        }
        overrides(words, spec.string(key));
        return words;
    }

    /** The key=value words after the experiment's name; bad input if one is not. */
    static Map<String, String> overrides(List<String> words, String value) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String w : words.subList(1, words.size())) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("bad value '" + value + "' for the sweep; allowed: none, or "
                        + "an experiment name followed by key=value overrides (got '" + w + "')");
            }
            overrides.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return overrides;
    }

    @Override
    public CellResult run(Cell cell) {
        return cell.get("part").equals(STEP) ? runStep(cell) : runPart(cell);
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

    private CellResult runPart(Cell cell) {
        double load = LoadAverage.now().oneMinute();
        List<List<Object>> curve = new ArrayList<>();
        Map<String, Object> values = cell.get("part").equals(SWEEP)
                ? sweepPart.run(cell, spec.integer("sweep_repeats"), curve)
                : breakdownPart.run(cell, curve);
        Object[] m = emptyMetrics();
        values.forEach((k, v) -> put(m, k, v));
        curve.add(List.of(0, "load_1m", load));
        curve.add(List.of(1, "load_1m", LoadAverage.now().oneMinute()));
        return new CellResult(cell, CellResult.Status.OK, "", named(m), curve);
    }

    @Override
    public Report summarize(List<CellResult> results) {
        LoadAverage loadAtEnd = LoadAverage.now();
        List<CellResult> steps = results.stream()
                .filter(r -> r.cell().get("part").equals(STEP) && r.status() == CellResult.Status.OK).toList();
        CellResult sweep = part(results, SWEEP);
        CellResult breakdown = part(results, BREAKDOWN);
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
        if (sweep != null) {
            md.append(String.format(Locale.ROOT, "### Per sweep%n%n`%s`, %s cells, median of %d runs per engine and "
                            + "worker count (after one run not kept), through the usual harness into a temporary "
                            + "folder; speedup = cells per minute over one local worker's.%n%n",
                    sweep.cell().get("net"), sweep.metric("sweep_cells"), spec.integer("sweep_repeats")));
            md.append(sweepPart.table(c -> val(sweep, c)).toMarkdown()).append('\n');
        }
        if (breakdown != null) {
            md.append(String.format(Locale.ROOT, "### Where a sweep's wall time goes%n%n`%s`, %s cells, one "
                            + "in-process worker, after the other cells (a warm JVM).%n%n",
                    breakdown.cell().get("net"), breakdown.metric("breakdown_cells")));
            md.append(BreakdownPart.wallTable(c -> val(breakdown, c)).toMarkdown()).append('\n');
            md.append(String.format(Locale.ROOT, "Its training loop's ms per update, each cell's total over its "
                    + "updates (median over the cells of a batch size), beside the step cells of %s %s timed "
                    + "alone:%n%n", spec.string("breakdown_net"), spec.list("dtype").get(0)));
            md.append(BreakdownPart.stepTable(breakdown, steps, spec.string("breakdown_net"),
                    spec.list("dtype").get(0), r -> c -> val(r, c)).toMarkdown()).append('\n');
        }
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
                part of rest_ms); with worker JVMs (processes) the cells run elsewhere and cell_sum_ms is not seen \
                (NaN). Breakdown: in_sweep_step_ms = a cell's epoch_time_ms summed over its updates (the loop as it \
                times itself inside the sweep), over isolated_fit_ms (fit alone) and isolated_loop_ms (the loop \
                alone, loop_after_ms).

                """);
        List<Figure> figures = StepFigures.of(steps, spec.list("dtype").get(0), this::val);
        if (sweep != null) {
            figures.add(sweepPart.figure(c -> val(sweep, c)));
        }
        return new Report(table, md.toString(), figures, claims(steps, sweep, breakdown));
    }

    /** The hypothesis's claims, judged from this run's step, sweep and breakdown cells ({@link BenchClaims}). */
    private List<gdlab.report.Claim> claims(List<CellResult> steps, CellResult sweep, CellResult breakdown) {
        List<BenchClaims.Step> rows = steps.stream().map(r -> new BenchClaims.Step(r.cell().get("net"),
                r.cell().integer("batch"), r.cell().get("dtype"), val(r, "fit_ms"), val(r, "reference_ms"),
                val(r, "gemm_ms"), val(r, "loop_after_ms"))).toList();
        int most = spec.list("sweep_workers").stream().mapToInt(Integer::parseInt).max().orElse(1);
        BenchClaims.Sweep s = sweep == null ? null : new BenchClaims.Sweep(c -> val(sweep, c),
                spec.list("sweep_engines"), most, val(sweep, "load_1m"));
        return BenchClaims.of(rows, s, breakdown == null ? null : BreakdownPart.inSweepMedians(breakdown),
                spec.string("breakdown_net"), spec.list("dtype").get(0));
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
        return SweepPart.derived(c -> val(r, c), column);
    }

    private static CellResult part(List<CellResult> results, String part) {
        return results.stream().filter(r -> r.cell().get("part").equals(part) && r.status() == CellResult.Status.OK)
                .findFirst().orElse(null);
    }

    private static String blank(Object value) {
        String s = String.valueOf(value);
        return s.isEmpty() ? "(unset)" : s;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
