package gdlab.bench;

import gdlab.report.Table;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Bench's breakdown cell: one whole sweep (by default batch-modes as the README runs it) with one in-process worker,
 * its wall time split into training (the training loop's updates), the rest of the cells' own code (building the
 * net, converting data, evaluating), and the harness (prepare, summarize, run folder, plots); and each cell's
 * training-loop time per update in the sweep, set beside the same step timed alone by the step cells.
 */
final class BreakdownPart {
    static final String PREFIX = "breakdown_";
    static final List<String> METRICS = List.of("breakdown_cells", "breakdown_wall_ms", "breakdown_prepare_ms",
            "breakdown_cell_sum_ms", "breakdown_training_sum_ms", "breakdown_summarize_ms", "breakdown_rest_ms");
    /** The curve's measure for a cell's in-sweep ms per update; the round is the batch size. */
    static final String STEP_MEASURE = "in_sweep_step_ms";

    private final Function<String, Experiment> experiments;
    private final Map<String, Object> environment;

    BreakdownPart(Function<String, Experiment> experiments, Map<String, Object> environment) {
        this.experiments = experiments;
        this.environment = environment;
    }

    Map<String, Object> run(Cell cell, List<List<Object>> curve) {
        List<String> words = List.of(cell.get("net").split(" "));
        SweepProbe.Result r = SweepProbe.run(experiments.apply(words.get(0)), Bench.overrides(words,
                cell.get("net")), "local", 1, environment);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("breakdown_cells", r.cells());
        m.put("breakdown_wall_ms", r.wallMs());
        m.put("breakdown_prepare_ms", r.prepareMs());
        m.put("breakdown_cell_sum_ms", r.cellMsSum());
        m.put("breakdown_training_sum_ms", r.trainingMsSum());
        m.put("breakdown_summarize_ms", r.summarizeMs());
        m.put("breakdown_rest_ms", r.restMs());
        r.steps().forEach(s -> curve.add(List.of(Integer.parseInt(s.batch()), STEP_MEASURE, s.ms())));
        return m;
    }

    /** Where the sweep's wall time went, with one worker: the parts add up to the wall time. */
    static Table wallTable(Function<String, Double> val) {
        double wall = val.apply("breakdown_wall_ms");
        double cells = val.apply("breakdown_cell_sum_ms");
        double training = val.apply("breakdown_training_sum_ms");
        Table t = new Table("part", "ms", "share");
        t.add("training (the training loop's updates)", training, training / wall);
        t.add("rest of the cells (build nets, convert data, evaluate)", cells - training, (cells - training) / wall);
        double prepare = val.apply("breakdown_prepare_ms");
        double summarize = val.apply("breakdown_summarize_ms");
        double rest = val.apply("breakdown_rest_ms");
        t.add("harness: prepare (load data, grid)", prepare, prepare / wall);
        t.add("harness: summarize", summarize, summarize / wall);
        t.add("harness: run folder, progress, plots", rest, rest / wall);
        t.add("wall", wall, 1.0);
        return t;
    }

    /** Per batch size of the sweep, in order: each of its cells' in-sweep ms per update. */
    static Map<Integer, List<Double>> inSweepSteps(CellResult breakdown) {
        Map<Integer, List<Double>> byBatch = new TreeMap<>();
        for (List<Object> p : breakdown.curve()) {
            if (STEP_MEASURE.equals(p.get(1))) {
                byBatch.computeIfAbsent(((Number) p.get(0)).intValue(), k -> new ArrayList<>())
                        .add(((Number) p.get(2)).doubleValue());
            }
        }
        return byBatch;
    }

    /** Per batch size of the sweep: the median in-sweep ms per update over its cells. */
    static Map<Integer, Double> inSweepMedians(CellResult breakdown) {
        Map<Integer, Double> medians = new TreeMap<>();
        inSweepSteps(breakdown).forEach((b, ms) -> medians.put(b,
                Windows.median(ms.stream().mapToDouble(Double::doubleValue).toArray())));
        return medians;
    }

    /**
     * Per batch size of the sweep: the median in-sweep ms per update over its cells, against the step cell of
     * {@code net} and {@code dtype} at that batch size timed alone (fit, and the training loop).
     */
    static Table stepTable(CellResult breakdown, List<CellResult> steps, String net, String dtype,
                           Function<CellResult, Function<String, Double>> val) {
        Map<Integer, List<Double>> byBatch = inSweepSteps(breakdown);
        Table t = new Table("batch", "cells", "in_sweep_step_ms", "isolated_fit_ms", "in_sweep_over_fit",
                "isolated_loop_ms", "in_sweep_over_loop");
        byBatch.forEach((batch, ms) -> {
            double inSweep = Windows.median(ms.stream().mapToDouble(Double::doubleValue).toArray());
            CellResult alone = steps.stream().filter(s -> s.cell().get("net").equals(net)
                    && s.cell().get("dtype").equals(dtype) && s.cell().integer("batch") == batch)
                    .findFirst().orElse(null);
            double fit = alone == null ? Double.NaN : val.apply(alone).apply("fit_ms");
            double loop = alone == null ? Double.NaN : val.apply(alone).apply("loop_after_ms");
            t.add(batch, ms.size(), inSweep, fit, inSweep / fit, loop, inSweep / loop);
        });
        return t;
    }
}
