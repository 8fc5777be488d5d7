package gdlab.experiment.failure;

import gdlab.report.Claim;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One part of the failure-modes experiment: its spec keys, its cells (coordinates in {@link #COORDS}), how a cell
 * runs, and its section of the summary. {@link #prepare} runs once; {@link #run} may run on several threads at once and
 * only reads what {@code prepare} built.
 */
public interface Part {
    /** The coordinates every cell has, in cells.csv order ("-" where a part has no such axis). */
    List<String> COORDS = List.of("part", "case", "optimizer", "lr", "batch", "setting", "seed");

    String name();

    /** Heading of its section in summary.md. */
    String title();

    List<Param> params();

    /** Its metric columns (cells.csv holds the union over parts; absent values stay empty). */
    List<Metric> metrics();

    /** Its curve columns (curves.csv holds the union). */
    List<String> curveColumns();

    /** Loads what its cells need and returns their coordinates. */
    List<Map<String, String>> prepare(Spec spec);

    Outcome run(Cell cell);

    Section summarize(List<Row> rows);

    /** Its claims in hypothesis order (a run without this part reports each as not tested). */
    List<Check> checks();


    /** Coordinates in {@link #COORDS} order. */
    static Map<String, String> coords(String part, String kase, String optimizer, Object lr, String batch,
                                      String setting, Object seed) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("part", part);
        c.put("case", kase);
        c.put("optimizer", optimizer);
        c.put("lr", String.valueOf(lr));
        c.put("batch", batch);
        c.put("setting", setting);
        c.put("seed", String.valueOf(seed));
        return c;
    }

    /** What one cell produced: metrics by column name, curve rows by column name. */
    record Outcome(CellResult.Status status, String message, Map<String, Object> metrics,
                   List<Map<String, Object>> curve) {
        public static Outcome ok(Map<String, Object> metrics, List<Map<String, Object>> curve) {
            return new Outcome(CellResult.Status.OK, "", metrics, curve);
        }
    }

    /** A finished cell as a part reads it back. */
    record Row(Cell cell, CellResult.Status status, String message, Map<String, Object> metrics,
               List<Map<String, Object>> curve) {
        public String coord(String key) {
            return cell.get(key);
        }

        public Object get(String key) {
            return metrics.get(key);
        }

        public double num(String key) {
            Object v = metrics.get(key);
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        public String str(String key) {
            Object v = metrics.get(key);
            return v == null ? "" : v.toString();
        }
    }

    /** A part's section: its main table (also in summary.csv) and its {@link #checks} checked, in order. */
    record Section(String markdown, Table table, List<Figure> figures, List<Claim> claims) {
    }

    /** Builds a metrics map in a fixed order. */
    final class Values {
        private final Map<String, Object> map = new LinkedHashMap<>();

        public Values put(String key, Object value) {
            map.put(key, value);
            return this;
        }

        public Map<String, Object> map() {
            return map;
        }
    }

    /** Curve rows, each a map from curve column to value. */
    final class Curve {
        private final List<Map<String, Object>> rows = new ArrayList<>();

        public Curve add(Object... keyValues) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                row.put((String) keyValues[i], keyValues[i + 1]);
            }
            rows.add(row);
            return this;
        }

        public List<Map<String, Object>> rows() {
            return rows;
        }
    }
}
