package gdlab.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one cell produced: its status, the metric values by name (the experiment's declared metrics; cells.csv puts
 * them in declaration order) and its curve rows (in the experiment's curve column order). A diverged or failed cell
 * is a result too, never a dropped row; a failed cell has no metric values.
 */
public record CellResult(Cell cell, Status status, String message, Map<String, Object> metrics,
                         List<List<Object>> curve) implements java.io.Serializable {

    public enum Status {
        /** trained to the end of its budget */
        OK,
        /** the loss became NaN / infinite or blew up: a finding, not an error */
        DIVERGED,
        /** the cell threw; {@code message} says what */
        FAILED;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public CellResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        curve = List.copyOf(curve);
        message = message == null ? "" : message;
    }

    public static CellResult failed(Cell cell, Throwable error) {
        String what = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return new CellResult(cell, Status.FAILED, what, Map.of(), List.of());
    }

    /** The metric named {@code name}; null when the cell failed or the metric has no value (a target not reached). */
    public Object metric(String name) {
        if (status != Status.FAILED && !metrics.containsKey(name)) {
            throw new IllegalArgumentException("no metric '" + name + "' in " + metrics.keySet());
        }
        return metrics.get(name);
    }

    /** The metric named {@code name} as a double; NaN when it has no value. */
    public double number(String name) {
        Object v = metric(name);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /** One column of the curve, by its name in {@code columns} (the experiment's curve columns). */
    public double[] series(List<String> columns, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no curve column '" + column + "' in " + columns);
        }
        return curve.stream().mapToDouble(p -> p.get(i) == null ? Double.NaN : ((Number) p.get(i)).doubleValue())
                .toArray();
    }

    public Map<String, String> coords() {
        return cell.coords();
    }

    /** The metric values in {@code columns}' order, for a CSV row (blank where a failed cell has none). */
    List<Object> metricRow(List<String> columns) {
        if (status != Status.FAILED && !metrics.keySet().equals(new java.util.HashSet<>(columns))) {
            throw new IllegalStateException("cell " + cell.index() + " measured " + metrics.keySet()
                    + ", but its experiment declares " + columns);
        }
        List<Object> row = new ArrayList<>();
        columns.forEach(c -> row.add(metrics.get(c)));
        return row;
    }
}
