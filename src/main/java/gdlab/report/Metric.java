package gdlab.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cells.csv metric column and what kind of number it holds, declared once where the experiment declares its
 * metrics. The kind decides how {@link Compare} (and so the baseline test) judges two runs:
 * <ul>
 *   <li>{@link Kind#MEASURE}: a result (a loss, an accuracy, a count of epochs): better or worse beyond the
 *   tolerance and, with seeds, beyond noise. Accuracies and reached-target counts are better higher, the rest
 *   lower. A measure computed as a small difference of larger numbers (a rise of the validation loss) may
 *   declare the {@link Bound} of its rounding: differences within it are no difference.</li>
 *   <li>{@link Kind#DISCREPANCY}: a difference that should be (near) zero: DL4J against the reference, a spread
 *   between units that should be identical. Its size is rounding, which changes with the CPU and the BLAS
 *   kernels (1e-16 against 2e-16 is a 100% change), so it is judged against its {@link Bound}: two runs whose
 *   values are all within the bound are the same; crossing the bound is worse (or better). Values beyond the
 *   bound on both sides (a documented difference, such as DL4J's Nadam against the paper's) compare as a
 *   measure.</li>
 *   <li>{@link Kind#SETTING}: describes the set-up (training examples, updates per epoch, bytes of activations):
 *   never better or worse; runs whose settings differ are not comparable.</li>
 *   <li>{@link Kind#OUTCOME}: a category (converged / diverged, a regime): the same or changed.</li>
 *   <li>{@link Kind#TIMING}: wall time, a property of the machine: compared only when asked for.</li>
 * </ul>
 *
 * @param name  the column name
 * @param kind  what it holds
 * @param bound for a discrepancy, the largest value that still counts as agreement; for a measure, optionally its
 *              rounding; null otherwise
 */
public record Metric(String name, Kind kind, Bound bound) {

    public enum Kind {
        MEASURE, DISCREPANCY, SETTING, OUTCOME, TIMING;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DISCREPANCY ? bound == null : bound != null && kind != Kind.MEASURE) {
            throw new IllegalArgumentException(name + ": a discrepancy needs a bound; only a measure may add one");
        }
    }

    public static Metric measure(String name) {
        return new Metric(name, Kind.MEASURE, null);
    }

    /** A measure whose last digits are rounding up to {@code rounding}, e.g. a difference of two losses. */
    public static Metric measure(String name, Bound rounding) {
        return new Metric(name, Kind.MEASURE, Objects.requireNonNull(rounding, "rounding"));
    }

    public static Metric setting(String name) {
        return new Metric(name, Kind.SETTING, null);
    }

    public static Metric outcome(String name) {
        return new Metric(name, Kind.OUTCOME, null);
    }

    public static Metric timing(String name) {
        return new Metric(name, Kind.TIMING, null);
    }

    public static Metric discrepancy(String name, Bound bound) {
        return new Metric(name, Kind.DISCREPANCY, bound);
    }

    /** Several measures at once. */
    public static List<Metric> measures(String... names) {
        return java.util.Arrays.stream(names).map(Metric::measure).toList();
    }

    /** Several settings at once. */
    public static List<Metric> settings(String... names) {
        return java.util.Arrays.stream(names).map(Metric::setting).toList();
    }

    /** Higher is better for accuracies and reached-target counts and shares; lower for everything else. */
    public boolean higherIsBetter() {
        return name.contains("accuracy") || name.startsWith("reached") || name.endsWith("_reached");
    }

    public static List<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::name).toList();
    }

    /** The declarations as run.json keeps them: name -> {kind, bound}. */
    /** Starts a cell's metric values, by name: {@code Metric.values(DECLARED).put("loss", 0.5).map()}. */
    public static Values values(List<Metric> declared) {
        return new Values(names(declared));
    }

    /**
     * A cell's metric values, keyed by name. Only declared names are accepted, each once, and {@link #map()} needs
     * every declared name (a value may be null: a target not reached), so a typo or a forgotten metric is an error
     * where the cell is measured, not a blank column.
     */
    public static final class Values {
        private final List<String> declared;
        private final Map<String, Object> values = new java.util.LinkedHashMap<>();

        private Values(List<String> declared) {
            this.declared = declared;
        }

        public Values put(String name, Object value) {
            if (!declared.contains(name)) {
                throw new IllegalArgumentException("metric '" + name + "' is not declared; declared: " + declared);
            }
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("metric '" + name + "' is set twice");
            }
            values.put(name, value);
            return this;
        }

        public Map<String, Object> map() {
            List<String> missing = declared.stream().filter(n -> !values.containsKey(n)).toList();
            if (!missing.isEmpty()) {
                throw new IllegalStateException("metrics not set: " + missing);
            }
            return java.util.Collections.unmodifiableMap(values);
        }
    }

    public static Map<String, Object> toJson(List<Metric> metrics) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (Metric m : metrics) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("kind", m.kind().label());
            if (m.bound() != null) {
                entry.put("bound", m.bound().toJson());
            }
            json.put(m.name(), entry);
        }
        return json;
    }

    /**
     * Reads what {@link #toJson} wrote. A run folder from before kinds were recorded has none: its metrics are
     * measures, and names ending in {@code _ms} timings, as they were judged then.
     */
    @SuppressWarnings("unchecked")
    public static List<Metric> fromJson(List<String> names, Object json) {
        Map<String, Object> kinds = json instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return names.stream().map(n -> {
            if (kinds.get(n) instanceof Map<?, ?> entry) {
                Kind kind = Kind.of(String.valueOf(entry.get("kind")));
                return new Metric(n, kind, entry.get("bound") == null ? null : Bound.fromJson(entry.get("bound")));
            }
            return n.endsWith("_ms") || n.contains("_ms_") ? timing(n) : measure(n);
        }).toList();
    }

    /**
     * The largest value of a discrepancy that still counts as agreement, for one row of cells.csv: a number, a
     * number per data type (rounding of a float computation is ~1e8 times that of a double one: the row's
     * {@code dtype} column, or the run's {@code dtype} key, picks it), or a factor of another column of the same
     * row (a spread between units relative to the units' scale).
     *
     * @param perDtype  dtype name -> bound (one entry {@code "*"} for any dtype)
     * @param scaleBy   the column the bound is a factor of, or null
     */
    public record Bound(Map<String, Double> perDtype, String scaleBy) {
        public Bound {
            perDtype = Map.copyOf(perDtype);
            if (perDtype.isEmpty() || perDtype.values().stream().anyMatch(v -> !(v >= 0))) {
                throw new IllegalArgumentException("a bound needs values >= 0, got " + perDtype);
            }
        }

        public static Bound of(double value) {
            return new Bound(Map.of("*", value), null);
        }

        public static Bound byDtype(double forDouble, double forFloat) {
            return new Bound(Map.of("double", forDouble, "float", forFloat), null);
        }

        /** {@code factor} times the row's value of {@code column}. */
        public static Bound relativeTo(String column, double factor) {
            return new Bound(Map.of("*", factor), column);
        }

        /**
         * The bound for one row; NaN when it cannot be told (no dtype to pick by, no scale value), in which case
         * the value is judged as a measure.
         */
        public double forRow(Map<String, String> row, String runDtype) {
            Double base = perDtype.get("*");
            if (base == null) {
                String dtype = row.getOrDefault("dtype", runDtype);
                base = dtype == null ? null : perDtype.get(dtype);
            }
            if (base == null) {
                return Double.NaN;
            }
            if (scaleBy == null) {
                return base;
            }
            Object scale = Csv.value(Objects.requireNonNullElse(row.get(scaleBy), ""));
            return scale instanceof Number n ? base * Math.abs(n.doubleValue()) : Double.NaN;
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>(new java.util.TreeMap<>(perDtype));
            if (scaleBy != null) {
                json.put("times", scaleBy);
            }
            return json;
        }

        @SuppressWarnings("unchecked")
        static Bound fromJson(Object json) {
            Map<String, Double> values = new LinkedHashMap<>();
            String times = null;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) json).entrySet()) {
                if (e.getKey().equals("times")) {
                    times = String.valueOf(e.getValue());
                } else {
                    values.put(e.getKey(), ((Number) e.getValue()).doubleValue());
                }
            }
            return new Bound(values, times);
        }

        /** For people: "1e-12 (double), 1e-05 (float)" or "1e-4 x dense_scale". */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            new java.util.TreeMap<>(perDtype).forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ")
                    .append(Table.readable(v)).append(k.equals("*") ? "" : " (" + k + ")"));
            return scaleBy == null ? sb.toString() : sb + " x " + scaleBy;
        }
    }
}
