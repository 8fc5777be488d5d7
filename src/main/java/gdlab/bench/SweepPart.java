package gdlab.bench;

import gdlab.report.Figure;
import gdlab.report.Table;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Bench's sweep cell: another experiment's small sweep through the usual harness on each engine with each number of
 * workers ({@code local} in-process workers, {@code processes} worker JVMs), its cells per minute side by side, and
 * its wall time split into the cells' own code and the harness around them.
 */
final class SweepPart {
    /** Per engine and worker count, in cells.csv. */
    static final List<String> PER_RUN = List.of("wall_ms", "cell_sum_ms", "training_sum_ms", "prepare_ms",
            "summarize_ms", "rest_ms", "plots_ms");
    /** The goal: the most workers against one in-process worker. */
    static final double MIN_SPEEDUP = 1.6;

    private final Function<String, Experiment> experiments;
    private final List<String> engines;
    private final List<Integer> workers;
    private final Map<String, Object> environment;

    SweepPart(Function<String, Experiment> experiments, List<String> engines, List<Integer> workers,
              Map<String, Object> environment) {
        this.experiments = experiments;
        this.engines = engines;
        this.workers = workers;
        this.environment = environment;
    }

    /** Column prefix of one engine and worker count, e.g. {@code processes_w2_}. */
    static String prefix(String engine, int workers) {
        return engine + "_w" + workers + "_";
    }

    /** The runs compared: every engine with every worker count. */
    List<String> runs() {
        List<String> runs = new ArrayList<>();
        engines.forEach(e -> workers.forEach(w -> runs.add(prefix(e, w))));
        return runs;
    }

    List<String> metricNames() {
        List<String> names = new ArrayList<>(List.of("sweep_cells"));
        runs().forEach(p -> PER_RUN.forEach(m -> names.add(p + m)));
        return names;
    }

    /** Runs the sweep: one run not kept, then {@code repeats} rounds over every engine and worker count. */
    Map<String, Object> run(Cell cell, int repeats, List<List<Object>> curve) {
        List<String> words = List.of(cell.get("net").split(" "));
        Map<String, String> overrides = Bench.overrides(words, cell.get("net"));
        int most = Collections.max(workers);
        // class loading, JIT and the plotting library's first use
        SweepProbe.run(experiments.apply(words.get(0)), overrides, "local", most, environment);
        Map<String, List<SweepProbe.Result>> byRun = new LinkedHashMap<>();
        for (int r = 0; r < repeats; r++) {
            List<String> order = new ArrayList<>(runs());
            if (r % 2 == 1) {
                Collections.reverse(order);   // a drift in load hits every run alike
            }
            for (String p : order) {
                String engine = p.substring(0, p.indexOf("_w"));
                int w = Integer.parseInt(p.substring(p.indexOf("_w") + 2, p.length() - 1));
                SweepProbe.Result result = SweepProbe.run(experiments.apply(words.get(0)), overrides, engine, w,
                        environment);
                byRun.computeIfAbsent(p, k -> new ArrayList<>()).add(result);
                curve.add(List.of(r + 1, p + "wall_ms", result.wallMs()));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sweep_cells", byRun.values().iterator().next().get(0).cells());
        byRun.forEach((p, rs) -> {
            m.put(p + "wall_ms", median(rs, SweepProbe.Result::wallMs));
            m.put(p + "cell_sum_ms", median(rs, SweepProbe.Result::cellMsSum));
            m.put(p + "training_sum_ms", median(rs, SweepProbe.Result::trainingMsSum));
            m.put(p + "prepare_ms", median(rs, SweepProbe.Result::prepareMs));
            m.put(p + "summarize_ms", median(rs, SweepProbe.Result::summarizeMs));
            m.put(p + "rest_ms", median(rs, SweepProbe.Result::restMs));
            m.put(p + "plots_ms", median(rs, SweepProbe.Result::plotsMs));
        });
        return m;
    }

    static double median(List<SweepProbe.Result> rs, ToDoubleFunction<SweepProbe.Result> f) {
        return Windows.median(rs.stream().mapToDouble(f).toArray());
    }

    /**
     * A derived column of the sweep cell: {@code <engine>_w<N>_cells_per_min}, {@code _speedup} (over one local
     * worker), {@code _harness_share} (1 - cell_sum / (workers x wall)), {@code _outside_training_share}.
     */
    static double derived(Function<String, Double> val, String column) {
        int cut = column.indexOf("_w");
        int end = column.indexOf('_', cut + 2);
        int n = Integer.parseInt(column.substring(cut + 2, end));
        String p = column.substring(0, end + 1);
        double wall = val.apply(p + "wall_ms");
        return switch (column.substring(end + 1)) {
            case "cells_per_min" -> val.apply("sweep_cells") / (wall / 60_000.0);
            case "speedup" -> derived(val, p + "cells_per_min") / derived(val, "local_w1_cells_per_min");
            case "harness_share" -> 1 - val.apply(p + "cell_sum_ms") / (n * wall);
            case "outside_training_share" -> 1 - val.apply(p + "training_sum_ms") / (n * wall);
            default -> throw new IllegalArgumentException("no column '" + column + "' for the sweep cell");
        };
    }

    Table table(Function<String, Double> val) {
        Table t = new Table("engine", "workers", "wall_ms", "cells_per_min", "speedup", "cell_sum_ms",
                "training_sum_ms", "harness_share", "outside_training_share", "prepare_ms", "summarize_ms", "rest_ms",
                "plots_ms");
        for (String e : engines) {
            for (int w : workers) {
                String p = prefix(e, w);
                t.add(e, w, val.apply(p + "wall_ms"), val.apply(p + "cells_per_min"), val.apply(p + "speedup"),
                        val.apply(p + "cell_sum_ms"), val.apply(p + "training_sum_ms"), val.apply(p + "harness_share"),
                        val.apply(p + "outside_training_share"), val.apply(p + "prepare_ms"),
                        val.apply(p + "summarize_ms"), val.apply(p + "rest_ms"), val.apply(p + "plots_ms"));
            }
        }
        return t;
    }

    Figure figure(Function<String, Double> val) {
        List<String> cats = new ArrayList<>();
        List<Double> cpm = new ArrayList<>();
        for (String e : engines) {
            for (int w : workers) {
                cats.add(e + ", " + w + (w == 1 ? " worker" : " workers"));
                cpm.add(val.apply(prefix(e, w) + "cells_per_min"));
            }
        }
        return new Figure.Bars("sweep-cells-per-minute", "Sweep throughput: cells per minute", "cells per minute",
                false, cats, cpm.stream().mapToDouble(Double::doubleValue).toArray(), null);
    }
}
