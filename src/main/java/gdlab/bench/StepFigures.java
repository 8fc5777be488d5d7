package gdlab.bench;

import gdlab.report.Figure;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** Bench's figures of the step cells: ms per step, GFLOP/s against gemm, and the training loop's speed-up. */
final class StepFigures {
    private StepFigures() {
    }

    /**
     * @param firstDtype the dtype the reference's points are drawn for (it is the same in both)
     * @param val        a measured or derived column of a step cell
     */
    static List<Figure> of(List<CellResult> steps, String firstDtype, BiFunction<CellResult, String, Double> val) {
        List<Figure> figures = new ArrayList<>();
        if (steps.isEmpty()) {
            return figures;
        }
        List<Figure.Series> ms = new ArrayList<>();
        List<Figure.Series> gflops = new ArrayList<>();
        Map<String, List<CellResult>> byNet = new LinkedHashMap<>();
        for (CellResult r : steps) {
            byNet.computeIfAbsent(r.cell().get("net") + " " + r.cell().get("dtype"), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<CellResult>> e : byNet.entrySet()) {
            List<CellResult> g = e.getValue();
            double[] b = g.stream().mapToDouble(r -> r.cell().integer("batch")).toArray();
            ms.add(Figure.Series.line("DL4J " + e.getKey(), b, column(g, "fit_ms", val)));
            gflops.add(Figure.Series.line("fit " + e.getKey(), b, column(g, "fit_gflops", val)));
            gflops.add(Figure.Series.points("gemm " + e.getKey(), b, column(g, "gemm_gflops", val)));
        }
        byNet.entrySet().stream().filter(e -> e.getKey().endsWith(" " + firstDtype))
                .forEach(e -> ms.add(Figure.Series.points("reference " + e.getKey().split(" ")[0],
                        e.getValue().stream().mapToDouble(r -> r.cell().integer("batch")).toArray(),
                        column(e.getValue(), "reference_ms", val))));
        figures.add(new Figure.Lines("ms-per-step", "Milliseconds per training step (DL4J fit, reference)",
                "batch size (log)", "ms per step (log)", true, true, ms));
        figures.add(new Figure.Lines("gflops", "Achieved GFLOP/s: DL4J fit (lines) and gemm alone (points)",
                "batch size (log)", "GFLOP/s (log)", true, true, gflops));
        List<String> cats = new ArrayList<>();
        List<Double> speedups = new ArrayList<>();
        for (CellResult r : steps) {
            cats.add(r.cell().get("net") + " B=" + r.cell().get("batch") + " " + r.cell().get("dtype"));
            speedups.add(val.apply(r, "loop_speedup"));
        }
        figures.add(new Figure.Bars("loop-speedup", "Training loop, before / after (x faster per update)",
                "before / after", false, cats, speedups.stream().mapToDouble(Double::doubleValue).toArray(), null));
        return figures;
    }

    private static double[] column(List<CellResult> rows, String name, BiFunction<CellResult, String, Double> val) {
        return rows.stream().mapToDouble(r -> val.apply(r, name)).toArray();
    }
}
