package gdlab.experiment.failure;

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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When gradient descent fails, in five parts (see {@link Parts}): local minima, the seed's claim that stochastic
 * noise escapes them, saddles and plateaus, vanishing gradients, and a bad step size. Each cell belongs to one part
 * (its {@code part} coordinate); cells.csv and curves.csv hold the union of the parts' columns, the summary prints
 * one section with its tables per part, and the claims are the parts' in order (not tested for a part not run).
 */
public final class FailureModes implements Experiment {
    private final List<Part> parts = Parts.all();
    private final Map<String, Part> byName = new LinkedHashMap<>();
    private final List<Metric> metrics;
    private final List<String> curve;

    public FailureModes() {
        parts.forEach(p -> byName.put(p.name(), p));
        Map<String, Metric> m = new LinkedHashMap<>();
        Set<String> c = new LinkedHashSet<>();
        for (Part p : parts) {
            for (Metric metric : p.metrics()) {
                Metric earlier = m.putIfAbsent(metric.name(), metric);
                if (earlier != null && !earlier.equals(metric)) {
                    throw new IllegalStateException("parts declare " + metric.name() + " differently: " + earlier
                            + " and " + metric);
                }
            }
            c.addAll(p.curveColumns());
        }
        metrics = List.copyOf(m.values());
        curve = List.copyOf(c);
    }

    @Override
    public String name() {
        return "failure-modes";
    }

    @Override
    public String question() {
        return "When does gradient descent fail (local minima, saddles, plateaus, vanishing gradients, a bad step "
                + "size), and does stochastic noise rescue it?";
    }

    @Override
    public List<Param> params() {
        Map<String, Param> all = new LinkedHashMap<>();
        all.put("parts", Param.choice("parts", List.copyOf(byName.keySet()), true, "which parts to run"));
        for (Part p : parts) {
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
        return curve;
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        List<Cell> cells = new ArrayList<>();
        for (Part p : parts) {
            if (spec.list("parts").contains(p.name())) {
                for (Map<String, String> coords : p.prepare(spec)) {
                    cells.add(new Cell(cells.size(), coords));
                }
            }
        }
        return cells;
    }

    @Override
    public CellResult run(Cell cell) {
        Part.Outcome o = byName.get(cell.get("part")).run(cell);
        Map<String, Object> values = new LinkedHashMap<>();
        for (String col : metricColumns()) {
            values.put(col, o.metrics().get(col));
        }
        checkKeys(o.metrics().keySet(), metricColumns(), "metric");
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> point : o.curve()) {
            checkKeys(point.keySet(), curve, "curve");
            List<Object> row = new ArrayList<>();
            for (String col : curve) {
                row.add(point.get(col));
            }
            rows.add(row);
        }
        return new CellResult(cell, o.status(), o.message(), values, rows);
    }

    private static void checkKeys(Set<String> keys, List<String> columns, String what) {
        keys.stream().filter(k -> !columns.contains(k)).findFirst().ifPresent(k -> {
            throw new IllegalStateException("unknown " + what + " column '" + k + "'");
        });
    }

    @Override
    public Report summarize(List<CellResult> results) {
        Map<String, List<Part.Row>> byPart = new LinkedHashMap<>();
        List<CellResult> failedCells = new ArrayList<>();
        for (CellResult r : results) {
            if (r.status() == CellResult.Status.FAILED) {
                failedCells.add(r);
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>(r.metrics());
            m.values().removeIf(java.util.Objects::isNull);
            List<Map<String, Object>> points = new ArrayList<>();
            for (List<Object> row : r.curve()) {
                Map<String, Object> p = new LinkedHashMap<>();
                for (int i = 0; i < curve.size(); i++) {
                    if (row.get(i) != null) {
                        p.put(curve.get(i), row.get(i));
                    }
                }
                points.add(p);
            }
            byPart.computeIfAbsent(r.cell().get("part"), k -> new ArrayList<>())
                    .add(new Part.Row(r.cell(), r.status(), r.message(), m, points));
        }
        StringBuilder md = new StringBuilder();
        List<Table> tables = new ArrayList<>();
        List<String> tableParts = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        for (Part p : parts) {
            List<Part.Row> rows = byPart.get(p.name());
            if (rows == null) {
                p.checks().forEach(c -> claims.add(c.notTested("part " + p.name() + " is not in this run", "-")));
                continue;
            }
            Part.Section s = p.summarize(rows);
            md.append("## ").append(p.title()).append("\n\n").append(s.markdown().strip()).append("\n\n");
            tables.add(s.table());
            tableParts.add(p.name());
            figures.addAll(s.figures());
            claims.addAll(s.claims());
        }
        if (!failedCells.isEmpty()) {
            md.append("## Cells that failed\n\n");
            failedCells.forEach(r -> md.append("- ").append(r.cell().label()).append(": ").append(r.message())
                    .append('\n'));
        }
        return new Report(union(tableParts, tables), md.toString(), !failedCells.isEmpty(), figures, claims);
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
