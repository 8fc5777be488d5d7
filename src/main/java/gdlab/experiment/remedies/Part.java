package gdlab.experiment.remedies;

import gdlab.experiment.ExperimentPart;
import gdlab.report.Binomial;
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
 * One row of the remedies experiment: a failure of gradient descent and its remedy on the same problem, seeds and
 * budget. A part has its spec keys, its cells (coordinates in {@link #COORDS}: the remedy, off or one of its named
 * variants, is a coordinate), how a cell runs, its section of the summary and its claims. {@link #prepare} runs once;
 * {@link #run} may run on several threads at once and only reads what {@code prepare} built.
 */
abstract class Part extends ExperimentPart {
    /** The coordinates every cell has, in cells.csv order ("-" where a part has no such axis). */
    static final List<String> COORDS = List.of("part", "case", "remedy", "lr", "seed");
    /** The curve columns, shared by every part. */
    static final List<String> CURVE = List.of("series", "step", "value");
    /** The remedy coordinate of a cell without one: the failure as it is. */
    static final String OFF = "off";

    Part(String name, String title, List<Metric> metrics, Claim... claims) {
        super(name, title, metrics, claims);
    }

    /** A claim checked against a bound or an exact value: {@code support} names it ("bound 5% in every cell"). */
    static Claim verdict(Claim c, String measured, String expected, boolean holds, String support) {
        return judged(c, measured, expected, holds ? Claim.Verdict.HOLDS : Claim.Verdict.DOES_NOT_HOLD, support);
    }

    static Claim judged(Claim c, String measured, String expected, Claim.Verdict verdict, String support) {
        return new Claim(c.id(), c.kind(), c.statement(), measured, expected, verdict, support);
    }

    /**
     * The verdict of one or more comparisons that must all go the stated way: holds when every one is
     * distinguishable (its interval or test excludes "no difference") and as stated, does not hold when one is
     * distinguishable and goes the other way, otherwise not distinguishable.
     */
    static Claim.Verdict allAsStated(List<boolean[]> asStatedAndDistinguishable) {
        if (asStatedAndDistinguishable.stream().anyMatch(c -> c[1] && !c[0])) {
            return Claim.Verdict.DOES_NOT_HOLD;
        }
        return !asStatedAndDistinguishable.isEmpty() && asStatedAndDistinguishable.stream().allMatch(c -> c[0] && c[1])
                ? Claim.Verdict.HOLDS : Claim.Verdict.NOT_DISTINGUISHABLE;
    }

    /** Whether a share of {@code a} runs can ever lie above a share of {@code b} runs: a/a's and 0/b's intervals. */
    static boolean wilsonCanSeparate(int a, int b) {
        return Binomial.wilson(a, a)[0] > Binomial.wilson(0, b)[1];
    }

    /** "clip-l2 5/5 [0.5655, 1]": a share and its Wilson 95% interval. */
    static String wilsonText(String label, int k, int n) {
        double[] ci = Binomial.wilson(k, n);
        return label + " " + k + "/" + n + " [" + Table.readable(ci[0]) + ", " + Table.readable(ci[1]) + "]";
    }

    /** A claim whose design cannot reach significance: not tested, with the numbers and why. */
    static Claim cannotReach(Claim c, String measured, String expected, String why) {
        return new Claim(c.id(), c.kind(), c.statement(), measured + "; " + why, expected, Claim.Verdict.NOT_TESTED,
                "");
    }

    /** Coordinates in {@link #COORDS} order. */
    static Map<String, String> coords(String part, String kase, String remedy, Object lr, Object seed) {
        Map<String, String> c = new LinkedHashMap<>();
        List<Object> values = List.of(part, kase, remedy, lr, seed);
        for (int i = 0; i < COORDS.size(); i++) {
            c.put(COORDS.get(i), String.valueOf(values.get(i)));
        }
        return c;
    }

    /** A part's grid: the failure as it is (remedy {@link #OFF}), then each named remedy, seeds 1..seeds, at lr. */
    static List<Map<String, String>> offAndRemedies(String part, String kase, List<String> remedies, String lr,
                                                   int seeds) {
        List<Map<String, String>> cells = new ArrayList<>();
        for (String remedy : java.util.stream.Stream.concat(java.util.stream.Stream.of(OFF), remedies.stream())
                .toList()) {
            for (int s = 1; s <= seeds; s++) {
                cells.add(coords(part, kase, remedy, lr, s));
            }
        }
        return cells;
    }

    /** A deep net's layer sizes: the inputs, {@code layers} hidden layers of {@code width}, the outputs. */
    static int[] deepSizes(int inputs, int width, int layers, int outputs) {
        int[] sizes = new int[layers + 2];
        Arrays.fill(sizes, width);
        sizes[0] = inputs;
        sizes[layers + 1] = outputs;
        return sizes;
    }

    /** One of a cell's {@link #COORDS}. */
    static String coord(CellResult r, String key) {
        return r.cell().get(key);
    }

    /** A group's mean as a number column and "mean ± std" for people. */
    static <T> Columns<T> statsColumn(Columns<T> c, String name, java.util.function.Function<T, gdlab.report.Stats> s) {
        return c.csv(name + "_mean", t -> s.apply(t).mean()).csv(name + "_ci95", t -> s.apply(t).ci95())
                .markdown(name, t -> s.apply(t).pretty());
    }

    /** A cell's curve as a line: {@code value} against {@code step} of one series. */
    static Figure.Series line(String label, CellResult r, String series) {
        List<double[]> points = new ArrayList<>();
        for (List<Object> row : r.curve()) {
            if (series.equals(row.get(0))) {
                points.add(new double[] {((Number) row.get(1)).doubleValue(), ((Number) row.get(2)).doubleValue()});
            }
        }
        return Figure.Series.line(label, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
    }

    /** Curve rows: (series, step, value). */
    static final class Curve extends CurveRows {
        Curve add(String series, Number step, Number value) {
            rows.add(Arrays.asList(series, step, value));
            return this;
        }
    }
}
