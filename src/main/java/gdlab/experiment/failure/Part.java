package gdlab.experiment.failure;

import gdlab.experiment.ExperimentPart;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One part of the failure-modes experiment: its spec keys, its cells (coordinates in {@link #COORDS}), how a cell
 * runs, its section of the summary and its claims. {@link #prepare} runs once; {@link #run} may run on several threads
 * at once and only reads what {@code prepare} built.
 */
abstract class Part extends ExperimentPart {
    /** The coordinates every cell has, in cells.csv order ("-" where a part has no such axis). */
    static final List<String> COORDS = List.of("part", "case", "optimizer", "lr", "batch", "setting", "seed");
    /** The curve columns, shared by every part (a part leaves empty what it has no use for). {@code diff}: distance
     * of a DL4J end point from the reference's (rounding-level numbers stay out of cells.csv, which is compared
     * between machines). */
    static final List<String> CURVE = List.of("engine", "series", "step", "value", "x0", "y0", "x", "y", "label",
            "status", "diff");

    Part(String name, String title, List<Metric> metrics, Claim... claims) {
        super(name, title, metrics, claims);
    }

    /** The claim with its verdict and its support: the test, interval, bound or exact count behind it. */
    static Claim verdict(Claim c, String measured, String expected, boolean holds, String support) {
        return verdict(c, measured, expected, holds ? Claim.Verdict.HOLDS : Claim.Verdict.DOES_NOT_HOLD, support);
    }

    static Claim verdict(Claim c, String measured, String expected, Claim.Verdict verdict, String support) {
        return new Claim(c.id(), c.kind(), c.statement(), measured, expected, verdict, support);
    }

    /** Coordinates in {@link #COORDS} order. */
    static Map<String, String> coords(String part, String kase, String optimizer, Object lr, String batch,
                                      String setting, Object seed) {
        Map<String, String> c = new LinkedHashMap<>();
        List<Object> values = List.of(part, kase, optimizer, lr, batch, setting, seed);
        for (int i = 0; i < COORDS.size(); i++) {
            c.put(COORDS.get(i), String.valueOf(values.get(i)));
        }
        return c;
    }

    /**
     * A summary table of cells whose CSV columns are these coordinates, metrics or {@code status}, each under its own
     * name ({@code lr} as a number); the Markdown columns, worded for people, are added to it.
     */
    static Columns<CellResult> columns(String... csv) {
        Columns<CellResult> c = new Columns<>();
        for (String name : csv) {
            c.csv(name, r -> name.equals("lr") ? lr(r) : name.equals("status") ? r.status().toString()
                    : COORDS.contains(name) ? coord(r, name) : r.metric(name));
        }
        return c;
    }

    /** A cell's curve, each point by column name (empty columns left out). */
    static List<Map<String, Object>> points(CellResult r) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (List<Object> row : r.curve()) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (int i = 0; i < CURVE.size(); i++) {
                if (row.get(i) != null) {
                    p.put(CURVE.get(i), row.get(i));
                }
            }
            points.add(p);
        }
        return points;
    }

    /** A cell's curve as a line: {@code value} against {@code step}. */
    static Figure.Series line(String label, CellResult r) {
        return Figure.Series.line(label, r.series(CURVE, "step"), r.series(CURVE, "value"));
    }

    /** One of a cell's {@link #COORDS}. */
    static String coord(CellResult r, String key) {
        return r.cell().get(key);
    }

    /** A metric as text ("" without a value). */
    static String str(CellResult r, String metric) {
        Object v = r.metric(metric);
        return v == null ? "" : v.toString();
    }

    static double lr(CellResult r) {
        return Double.parseDouble(coord(r, "lr"));
    }

    /** "case optimizer lr=..." for measured-value sentences. */
    static String label(CellResult r) {
        return coord(r, "case") + " " + coord(r, "optimizer") + " lr=" + coord(r, "lr");
    }

    /** Curve rows, each given as column name, value, column name, value, ... */
    static final class Curve extends CurveRows {
        Curve add(Object... keyValues) {
            Object[] row = new Object[CURVE.size()];
            for (int i = 0; i + 1 < keyValues.length; i += 2) {
                int at = CURVE.indexOf((String) keyValues[i]);
                if (at < 0) {
                    throw new IllegalStateException("unknown curve column '" + keyValues[i] + "'");
                }
                row[at] = keyValues[i + 1];
            }
            rows.add(Arrays.asList(row));
            return this;
        }

        /** The training-loss curve of a DL4J run: the initial loss at step 0, then one point per epoch. */
        Curve trainLoss(double initial, List<gdlab.dl4j.Trainer.Epoch> epochs,
                        java.util.function.Function<gdlab.dl4j.Trainer.Epoch, Number> step) {
            add("engine", "dl4j", "series", "train_loss", "step", 0, "value", initial);
            epochs.forEach(e -> add("engine", "dl4j", "series", "train_loss", "step", step.apply(e),
                    "value", e.trainLoss()));
            return this;
        }
    }
}
