package gdlab.experiment;

import gdlab.report.Claim;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment made of parts ({@link ExperimentPart}), each with its own keys, cells, section and claims. Each cell
 * belongs to one part (its {@code part} coordinate); cells.csv holds the union of the parts' metrics, curves.csv the
 * experiment's curve columns, the summary prints one section per part (the parts' tables in one summary.csv), and
 * the claims are the parts' in order (not tested for a part not run). A {@code parts} key chooses which run.
 */
public abstract class PartedExperiment implements Experiment {
    /** In report order; fresh with each experiment instance, since parts hold per-run state. */
    private final List<ExperimentPart> parts;
    private final List<String> curveColumns;
    private final Map<String, ExperimentPart> byName = new LinkedHashMap<>();
    private final List<Metric> metrics;

    protected PartedExperiment(List<? extends ExperimentPart> parts, List<String> curveColumns) {
        this.parts = List.copyOf(parts);
        this.curveColumns = curveColumns;
        parts.forEach(p -> byName.put(p.name, p));
        Map<String, Metric> m = new LinkedHashMap<>();
        for (ExperimentPart p : parts) {
            for (Metric metric : p.metrics) {
                Metric earlier = m.putIfAbsent(metric.name(), metric);
                if (earlier != null && !earlier.equals(metric)) {
                    throw new IllegalStateException("parts declare " + metric.name() + " differently: " + earlier
                            + " and " + metric);
                }
            }
        }
        metrics = List.copyOf(m.values());
    }

    @Override
    public List<Param> params() {
        Map<String, Param> all = new LinkedHashMap<>();
        all.put("parts", Param.choice("parts", List.copyOf(byName.keySet()), true, "which parts to run"));
        for (ExperimentPart p : parts) {
            p.params().forEach(param -> all.putIfAbsent(param.key(), param));
        }
        return List.copyOf(all.values());
    }

    @Override
    public List<Metric> metrics() {
        return metrics;
    }

    @Override
    public List<String> curveColumns() {
        return curveColumns;
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        List<Cell> cells = new ArrayList<>();
        for (ExperimentPart p : parts) {
            if (spec.list("parts").contains(p.name)) {
                for (Map<String, String> coords : p.prepare(spec)) {
                    cells.add(new Cell(cells.size(), coords));
                }
            }
        }
        return cells;
    }

    @Override
    public CellResult run(Cell cell) {
        ExperimentPart.Outcome o = byName.get(cell.get("part")).run(cell);
        Map<String, Object> values = new LinkedHashMap<>();
        metricColumns().forEach(col -> values.put(col, o.metrics().get(col)));
        return new CellResult(cell, o.status(), o.message(), values, o.curve());
    }

    @Override
    public Report summarize(List<CellResult> results) {
        List<CellResult> failedCells = results.stream().filter(r -> r.status() == CellResult.Status.FAILED).toList();
        List<SeedGroup> byPart = SeedGroup.by(results.stream().filter(r -> r.status() != CellResult.Status.FAILED)
                .toList(), "part");
        StringBuilder md = new StringBuilder();
        List<Table> tables = new ArrayList<>();
        List<String> tableParts = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        for (ExperimentPart p : parts) {
            SeedGroup g = SeedGroup.find(byPart, "part", p.name).orElse(null);
            if (g == null) {
                claims.addAll(p.notRun());
                continue;
            }
            ExperimentPart.Section s = p.summarize(g.cells());
            md.append("## ").append(p.title).append("\n\n").append(s.markdown().strip()).append("\n\n");
            tables.add(s.table());
            tableParts.add(p.name);
            figures.addAll(s.figures());
            claims.addAll(s.claims());
        }
        if (!failedCells.isEmpty()) {
            md.append("## Cells that failed\n\n");
            failedCells.forEach(r -> md.append("- ").append(r.cell().label()).append(": ").append(r.message())
                    .append('\n'));
        }
        return new Report(union(tableParts, tables), md.toString(), figures, claims);
    }

    /** One table for summary.csv: a {@code part} column, then every part's columns (empty where a part has none). */
    static Table union(List<String> names, List<Table> tables) {
        List<String> columns = new ArrayList<>(List.of("part"));
        for (Table t : tables) {
            t.columns().stream().filter(c -> !columns.contains(c)).forEach(columns::add);
        }
        Table out = new Table(columns);
        for (int i = 0; i < tables.size(); i++) {
            Table t = tables.get(i);
            for (List<Object> row : t.rows()) {
                List<Object> r = new ArrayList<>();
                for (String c : columns) {
                    r.add(c.equals("part") ? names.get(i) : t.columns().contains(c) ? row.get(t.columns().indexOf(c))
                            : null);
                }
                out.add(r);
            }
        }
        return out;
    }
}
