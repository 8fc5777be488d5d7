package gdlab.basics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The measurements of one cell, in the order they were taken, with simple look-ups. */
public final class Measurements {
    private final List<Measurement> all = new ArrayList<>();

    public Measurements() {
    }

    public Measurements(List<List<Object>> rows) {
        rows.forEach(r -> all.add(Measurement.of(r)));
    }

    public void add(String part, String series, Number x, String quantity, double value) {
        all.add(new Measurement(part, series, x, quantity, value));
    }

    public List<Measurement> all() {
        return List.copyOf(all);
    }

    public List<List<Object>> rows() {
        return all.stream().map(Measurement::toRow).toList();
    }

    public List<Measurement> where(String part, String series, String quantity) {
        Predicate<Measurement> p = m -> m.part().equals(part)
                && (series == null || m.series().equals(series))
                && (quantity == null || m.quantity().equals(quantity));
        return all.stream().filter(p).toList();
    }

    /** The one value of (part, series, quantity) without an x; throws when there is none. */
    public double value(String part, String series, String quantity) {
        return where(part, series, quantity).stream().filter(m -> m.x() == null).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + part + "/" + series + "/" + quantity))
                .value();
    }

    /** The value of (part, series, quantity) at x, or NaN. */
    public double at(String part, String series, String quantity, double x) {
        return where(part, series, quantity).stream().filter(m -> m.x() != null && m.xValue() == x)
                .mapToDouble(Measurement::value).findFirst().orElse(Double.NaN);
    }

    /** The x values of (part, series, quantity), in order. */
    public double[] xs(String part, String series, String quantity) {
        return where(part, series, quantity).stream().mapToDouble(Measurement::xValue).toArray();
    }

    /** The values of (part, series, quantity), in order. */
    public double[] values(String part, String series, String quantity) {
        return where(part, series, quantity).stream().mapToDouble(Measurement::value).toArray();
    }

    /** The distinct series of a part, in order of first appearance. */
    public List<String> series(String part) {
        return all.stream().filter(m -> m.part().equals(part)).map(Measurement::series).distinct().toList();
    }
}
