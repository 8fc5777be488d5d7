package gdlab.sweep;

import java.util.List;
import java.util.Map;

/**
 * What one cell produced: its status, the metric values (in the experiment's metric column order) and its curve
 * rows (in the experiment's curve column order). A diverged or failed cell is a result too, never a dropped row.
 */
public record CellResult(Cell cell, Status status, String message, List<Object> metrics, List<List<Object>> curve)
        implements java.io.Serializable {

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
        metrics = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(metrics));
        curve = List.copyOf(curve);
        message = message == null ? "" : message;
    }

    public static CellResult failed(Cell cell, Throwable error, int metricCount) {
        Object[] empty = new Object[metricCount];
        String what = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return new CellResult(cell, Status.FAILED, what, java.util.Arrays.asList(empty), List.of());
    }

    /** The metric in column {@code column} of {@code columns}. */
    public Object metric(List<String> columns, String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no metric column '" + column + "' in " + columns);
        }
        return metrics.get(i);
    }

    public double number(List<String> columns, String column) {
        Object v = metric(columns, column);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    public Map<String, String> coords() {
        return cell.coords();
    }
}
