package gdlab.report;

import gdlab.spec.BadInputException;
import gdlab.spec.Param;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two runs (or the groups of one run) cell group by cell group. Each metric is judged by its declared
 * {@link Metric.Kind}: a measure is better or worse only beyond the tolerance and, where both sides have two or
 * more seeds, beyond noise (their 95% confidence intervals do not overlap); a discrepancy against its bound; an
 * outcome is the same or changed; a setting is never better or worse, only listed when it differs.
 *
 * <p>Two runs are compared only when they are comparable: the same experiment and the same data (unless
 * {@code allow_different=true}); every other spec key that differs is named above the table.
 *
 * <p>Groups join on the sweep coordinates without the seed. With {@code by=KEY}, the groups of one run are
 * compared against the group whose KEY is {@code base_value} (default: the first in the grid); coordinates that
 * KEY alone determines (a mode's batch size, say) are left out of the join.
 */
public final class Compare {
    public static final List<Param> PARAMS = List.of(
            Param.text("baseline", "a run folder", "the run compared against"),
            Param.text("candidate", "a run folder", "the run being judged"),
            Param.text("run", "a run folder", "with by: the run whose groups are compared"),
            Param.text("by", "a sweep key of the run", "compare the groups of one run along this key"),
            Param.text("base_value", "a value of the by key", "with by: the group compared against"),
            new Param("tolerance", "a number >= 0 (relative difference below which values are the same)",
                    Compare::nonNegativeNumber, false,
                    "relative difference below which measures are the same"),
            new Param("float_tolerance", "a number >= 0 (the same, for values computed in float)",
                    Compare::nonNegativeNumber, false,
                    "relative difference below which measures computed in float are the same"),
            Param.text("metrics", "comma-separated metric columns", "which metrics (default: all but timings)"),
            Param.bool("allow_different", "compare runs of different data anyway"),
            Param.bool("quiet", "no notes on stderr"),
            Param.text("out", "a folder path", "where compare.md, compare.json and the curve overlays go (default: "
                    + "a compare-vs-<baseline> folder in the candidate's run folder)"));

    public static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("baseline", ""),
            Map.entry("candidate", ""), Map.entry("run", ""), Map.entry("by", ""), Map.entry("base_value", ""),
            Map.entry("tolerance", "1e-9"), Map.entry("float_tolerance", "1e-5"), Map.entry("metrics", ""),
            Map.entry("allow_different", "false"), Map.entry("quiet", "false"), Map.entry("out", ""));

    /** The spec keys that choose the data: runs that differ in one are not comparable. */
    static final List<String> DATA_KEYS = List.of("data", "label", "max_examples", "test_fraction", "split_seed",
            "problems", "image");

    /** Spec keys that say how a run was carried out, not what it computed. */
    static final Set<String> HOW_KEYS = Set.of("workers", "quiet", "results_dir", "resume", "engine", "svg", "stack");

    private static boolean nonNegativeNumber(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) && v >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One run's cells and what its run.json says about it. */
    record Run(Path dir, String experiment, List<String> coords, List<Metric> metrics, Map<String, String> spec,
               String started, String commit, List<Map<String, String>> rows) {

        Run withRows(List<Map<String, String>> subset) {
            return new Run(dir, experiment, coords, metrics, spec, started, commit, subset);
        }

        Metric metric(String name) {
            return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElse(Metric.measure(name));
        }

        /** "folder (started TIME, commit HASH)" */
        String describe() {
            return dir + " (started " + started + ", commit " + commit + ")";
        }
    }

    /**
     * The outcome.
     *
     * @param runs           the runs compared, one line each
     * @param specDiffers    the spec keys that differ between the runs ("key: a -> b")
     * @param settingsDiffer groups x setting columns whose values differ: not judged, but the groups are then not
     *                       like for like
     * @param pairs          the groups present on both sides, whose curves {@link CompareFiles} overlays
     * @param baseName       what the table calls the compared-against side ("baseline", "optimizer=sgd")
     */
    public record Result(Table table, List<String> runs, List<String> specDiffers, long better, long same,
                         long worse, long changed, long settingsDiffer, long oneSided, List<Pair> pairs,
                         String baseName) {
    }

    /**
     * One group on both sides: its label ("mode=batch, batch_size=320") and the cells of each side's run folder.
     */
    public record Pair(String label, Path baseDir, List<String> baseCells, Path candDir, List<String> candCells) {
    }

    public static Result run(Map<String, String> settings) {
        Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
        s.putAll(settings);
        Tolerance tolerance = new Tolerance(Double.parseDouble(s.get("tolerance")),
                Double.parseDouble(s.get("float_tolerance")));
        List<String> metrics = s.get("metrics").isBlank() ? null : List.of(s.get("metrics").split("\\s*,\\s*"));
        String by = s.get("by");
        if (by.isBlank()) {
            if (s.get("baseline").isBlank() || s.get("candidate").isBlank()) {
                throw new BadInputException("compare needs -Dbaseline=DIR and -Dcandidate=DIR (run folders), "
                        + "or -Dby=KEY -Drun=DIR to compare the groups of one run");
            }
            Run base = read(Path.of(s.get("baseline")));
            Run cand = read(Path.of(s.get("candidate")));
            if (!base.experiment().equals(cand.experiment())) {
                throw new BadInputException("cannot compare runs of different experiments: " + base.experiment()
                        + " and " + cand.experiment());
            }
            List<String> differs = specDiffers(base.spec(), cand.spec());
            List<String> dataDiffers = differs.stream()
                    .filter(d -> DATA_KEYS.contains(d.substring(0, d.indexOf(':')))).toList();
            if (!dataDiffers.isEmpty() && !Boolean.parseBoolean(s.get("allow_different"))) {
                throw new BadInputException("cannot compare runs of different data (" + String.join("; ", dataDiffers)
                        + "): baseline " + base.dir() + ", candidate " + cand.dir()
                        + "; add -Dallow_different=true to compare them anyway");
            }
            List<String> keys = new ArrayList<>(cand.coords());
            keys.remove("seed");
            return table(keys, groups(base, keys), groups(cand, keys), base, cand, metricsOf(cand, metrics),
                    tolerance, "baseline", "candidate",
                    List.of("baseline: " + base.describe(), "candidate: " + cand.describe()), differs);
        }
        String runDir = !s.get("run").isBlank() ? s.get("run") : s.get("candidate");
        if (runDir.isBlank()) {
            throw new BadInputException("compare with -Dby=" + by + " needs -Drun=DIR");
        }
        Run run = read(Path.of(runDir));
        if (!run.coords().contains(by) || by.equals("seed")) {
            List<String> allowed = new ArrayList<>(run.coords());
            allowed.remove("seed");
            throw new BadInputException("bad value '" + by + "' for by; allowed: " + String.join(", ", allowed));
        }
        List<String> values = run.rows().stream().map(r -> r.get(by)).distinct().toList();
        String baseValue = s.get("base_value").isBlank() ? values.get(0) : s.get("base_value");
        if (!values.contains(baseValue)) {
            throw new BadInputException("bad value '" + baseValue + "' for base_value; allowed: "
                    + String.join(", ", values));
        }
        List<String> keys = new ArrayList<>();
        for (String c : run.coords()) {
            if (!c.equals("seed") && !c.equals(by) && !determinedBy(run, by, c)) {
                keys.add(c);
            }
        }
        List<String> withBy = new ArrayList<>(keys);
        withBy.add(0, by);
        Map<List<String>, List<Map<String, String>>> baseGroups =
                groups(run.withRows(run.rows().stream().filter(r -> r.get(by).equals(baseValue)).toList()), keys);
        Map<List<String>, List<Map<String, String>>> base = new LinkedHashMap<>();
        Map<List<String>, List<Map<String, String>>> cand = new LinkedHashMap<>();
        for (String v : values) {
            if (v.equals(baseValue)) {
                continue;
            }
            groups(run.withRows(run.rows().stream().filter(r -> r.get(by).equals(v)).toList()), keys)
                    .forEach((k, rows) -> {
                        List<String> key = new ArrayList<>(k);
                        key.add(0, v);
                        cand.put(key, rows);
                        if (baseGroups.containsKey(k)) {
                            base.put(key, baseGroups.get(k));
                        }
                    });
        }
        return table(withBy, base, cand, run, run, metricsOf(run, metrics), tolerance, by + "=" + baseValue,
                "group", List.of("run: " + run.describe()), List.of());
    }

    /** "key: a -> b" for every spec key (how a run was carried out aside) whose value differs. */
    static List<String> specDiffers(Map<String, String> base, Map<String, String> cand) {
        Set<String> all = new TreeSet<>(base.keySet());
        all.addAll(cand.keySet());
        List<String> differs = new ArrayList<>();
        for (String k : all) {
            String a = base.getOrDefault(k, "(unset)");
            String b = cand.getOrDefault(k, "(unset)");
            if (!HOW_KEYS.contains(k) && !a.equals(b)) {
                differs.add(k + ": " + a + " -> " + b);
            }
        }
        return differs;
    }

    /** Whether each value of {@code by} comes with one value of {@code column} only. */
    private static boolean determinedBy(Run run, String by, String column) {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        run.rows().forEach(r -> seen.computeIfAbsent(r.get(by), k -> new LinkedHashSet<>()).add(r.get(column)));
        return seen.values().stream().allMatch(v -> v.size() == 1);
    }

    private static List<Metric> metricsOf(Run run, List<String> requested) {
        if (requested == null) {
            List<Metric> m = new ArrayList<>(run.metrics().stream()
                    .filter(x -> x.kind() != Metric.Kind.TIMING).toList());
            m.add(Metric.measure("not_ok"));
            return m;
        }
        List<String> known = Metric.names(run.metrics());
        for (String c : requested) {
            if (!known.contains(c) && !c.equals("not_ok")) {
                throw new BadInputException("bad value '" + c + "' for metrics; allowed: "
                        + String.join(", ", known) + ", not_ok");
            }
        }
        // a timing named on the command line is judged as a measure
        return requested.stream().map(c -> {
            Metric m = run.metric(c);
            return m.kind() == Metric.Kind.TIMING ? Metric.measure(c) : m;
        }).toList();
    }

    private static Map<List<String>, List<Map<String, String>>> groups(Run run, List<String> keys) {
        Map<List<String>, List<Map<String, String>>> groups = new LinkedHashMap<>();
        for (Map<String, String> row : run.rows()) {
            List<String> key = keys.stream().map(k -> Objects.requireNonNullElse(row.get(k), "")).toList();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
        }
        return groups;
    }

    private static Result table(List<String> keys, Map<List<String>, List<Map<String, String>>> base,
                                Map<List<String>, List<Map<String, String>>> cand, Run baseRun, Run candRun,
                                List<Metric> metrics, Tolerance tolerance, String baseName, String candName,
                                List<String> runs, List<String> specDiffers) {
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(List.of("metric", baseName, candName, "delta", "verdict"));
        Table t = new Table(columns);
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<List<String>> all = new LinkedHashSet<>(base.keySet());
        all.addAll(cand.keySet());
        List<Pair> pairs = new ArrayList<>();
        for (List<String> key : all) {
            List<Map<String, String>> b = base.get(key);
            List<Map<String, String>> c = cand.get(key);
            if (b != null && c != null) {
                List<String> label = new ArrayList<>();
                for (int i = 0; i < keys.size(); i++) {
                    label.add(keys.get(i) + "=" + key.get(i));
                }
                pairs.add(new Pair(String.join(", ", label), baseRun.dir(), b.stream().map(r -> r.get("cell"))
                        .toList(), candRun.dir(), c.stream().map(r -> r.get("cell")).toList()));
            }
            if (b == null || c == null) {
                List<Object> row = new ArrayList<>(key);
                row.addAll(List.of("-", b == null ? "-" : "present", c == null ? "-" : "present", "-",
                        b == null ? "only in " + candName : "only in " + baseName));
                t.add(row);
                counts.merge("one-sided", 1L, Long::sum);
                continue;
            }
            for (Metric metric : metrics) {
                Side sb = new Side(b, metric, baseRun.spec().get("dtype"));
                Side sc = new Side(c, metric, candRun.spec().get("dtype"));
                String verdict = verdict(metric, sb, sc, tolerance);
                counts.merge(verdict, 1L, Long::sum);
                List<Object> row = new ArrayList<>(key);
                row.addAll(List.of(metric.name(), sb.pretty(), sc.pretty(), sb.stats().n() == 0
                        || sc.stats().n() == 0 ? "-" : sc.stats().mean() - sb.stats().mean(), verdict));
                t.add(row);
            }
        }
        return new Result(t, runs, specDiffers, counts.getOrDefault("better", 0L), counts.getOrDefault("same", 0L),
                counts.getOrDefault("worse", 0L), counts.getOrDefault("changed", 0L),
                counts.getOrDefault("setting differs", 0L), counts.getOrDefault("one-sided", 0L), pairs, baseName);
    }

    /** One group's values of one metric. */
    record Side(List<Map<String, String>> rows, Metric metric, String runDtype) {

        List<Object> values() {
            if (metric.name().equals("not_ok")) {
                return List.of((double) rows.stream().filter(r -> !"ok".equals(r.get("status"))).count());
            }
            return rows.stream().map(r -> Csv.value(Objects.requireNonNullElse(r.get(metric.name()), ""))).toList();
        }

        Stats stats() {
            List<Double> numbers = new ArrayList<>();
            values().forEach(v -> {
                if (v instanceof Number n) {
                    numbers.add(n.doubleValue());
                }
            });
            return Stats.of(numbers);
        }

        /** The data type the rows were computed in: their dtype column, else the run's dtype key (may be null). */
        String dtype() {
            return rows.isEmpty() ? runDtype : rows.get(0).getOrDefault("dtype", runDtype);
        }

        /** The largest bound of its rows (NaN when a row's bound cannot be told). */
        double bound() {
            double bound = 0;
            for (Map<String, String> r : rows) {
                bound = Math.max(bound, metric.bound().forRow(r, runDtype));
            }
            return rows.isEmpty() ? Double.NaN : bound;
        }

        /** The distinct non-numeric values, sorted (outcomes and settings). */
        Set<String> distinct() {
            Set<String> d = new TreeSet<>();
            values().forEach(v -> d.add(Csv.format(v)));
            return d;
        }

        String pretty() {
            if (metric.kind() == Metric.Kind.OUTCOME || metric.kind() == Metric.Kind.SETTING) {
                return String.join(" / ", distinct());
            }
            Stats s = stats();
            return s.n() < 2 || !(s.ci95() > 0) ? s.pretty()
                    : Table.readable(s.mean()) + " ± " + Table.readable(s.ci95());
        }
    }

    /**
     * Relative differences below which measures are the same: {@code forDouble} for values computed in double
     * (or of unknown type), {@code forFloat} for those computed in float, whose last bits (a relative 1e-7 per
     * operation) change with the CPU's BLAS kernels.
     */
    record Tolerance(double forDouble, double forFloat) {
        double of(Side side) {
            return "float".equals(side.dtype()) ? forFloat : forDouble;
        }
    }

    static String verdict(Metric metric, Side b, Side c, Tolerance tolerance) {
        if (metric.kind() == Metric.Kind.SETTING) {
            return b.distinct().equals(c.distinct()) ? "same" : "setting differs";
        }
        if (metric.kind() == Metric.Kind.OUTCOME) {
            return b.values().stream().map(Csv::format).sorted().toList()
                    .equals(c.values().stream().map(Csv::format).sorted().toList()) ? "same" : "changed";
        }
        if (metric.bound() != null) {
            // rounding decides its last digits: a difference within the bound is no difference
            double bound = Math.max(b.bound(), c.bound());
            Stats sb = b.stats();
            Stats sc = c.stats();
            if (sb.n() == sc.n() && sb.n() > 0 && Math.abs(sc.mean() - sb.mean()) <= bound) {
                return "same";
            }
        }
        return measureVerdict(metric, b.stats(), c.stats(), Math.max(tolerance.of(b), tolerance.of(c)));
    }

    static String measureVerdict(Metric metric, Stats b, Stats c, double tolerance) {
        if (b.n() == 0 && c.n() == 0) {
            return "same";
        }
        if (b.n() == 0 || c.n() == 0) {
            // a metric that exists on one side only (e.g. a target reached by one run): reaching is better
            boolean candidateHas = c.n() > 0;
            return candidateHas == !metric.name().contains("_to_target") ? "better" : "worse";
        }
        double delta = c.mean() - b.mean();
        double scale = Math.max(Math.abs(b.mean()), Math.abs(c.mean()));
        if (Math.abs(delta) <= tolerance * scale || delta == 0) {
            return "same";
        }
        if (b.n() >= 2 && c.n() >= 2 && b.ciHigh() >= c.ciLow() && c.ciHigh() >= b.ciLow()) {
            return "same";
        }
        return (delta > 0) == metric.higherIsBetter() ? "better" : "worse";
    }

    @SuppressWarnings("unchecked")
    static Run read(Path dir) {
        Path folder = dir;
        try {
            if (Files.isRegularFile(folder)) {
                folder = folder.resolveSibling(Files.readString(folder).strip());
            }
            Path runJson = folder.resolve("run.json");
            Path cells = folder.resolve("cells.csv");
            if (!Files.isRegularFile(runJson) || !Files.isRegularFile(cells)) {
                throw new BadInputException("not a run folder (no run.json and cells.csv): " + dir.toAbsolutePath());
            }
            Map<String, Object> info = (Map<String, Object>) Json.parse(Files.readString(runJson));
            List<String> coords = ((List<Object>) info.getOrDefault("coords", List.of())).stream()
                    .map(String::valueOf).toList();
            List<String> names = ((List<Object>) info.getOrDefault("metrics", List.of())).stream()
                    .map(String::valueOf).toList();
            Map<String, String> spec = new LinkedHashMap<>();
            if (info.get("spec") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> spec.put(String.valueOf(k), String.valueOf(v)));
            }
            List<Map<String, String>> rows;
            try {
                rows = Csv.rows(Files.readString(cells));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(cells + ": " + e.getMessage(), e);
            }
            Path real = folder.toRealPath();
            return new Run(real, String.valueOf(info.get("experiment")), coords,
                    Metric.fromJson(names, info.get("metric_kinds")), spec,
                    String.valueOf(info.getOrDefault("started", "?")),
                    String.valueOf(info.getOrDefault("git_commit", "?")), rows);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException("cannot read run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The Markdown printed to stdout. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        r.runs().forEach(line -> sb.append("- ").append(line).append('\n'));
        sb.append(r.specDiffers().isEmpty() ? "- spec: the same (how the runs were carried out aside)\n"
                : "- spec keys that differ: " + String.join("; ", r.specDiffers()) + "\n");
        sb.append('\n').append(r.table().toMarkdown());
        sb.append(String.format(Locale.ROOT, "%nMeasures: mean ± 95%% confidence half-width over seeds; a difference "
                + "counts only beyond the tolerance and, with 2+ seeds on both sides, when the intervals do not "
                + "overlap. Discrepancies (rounding-level differences that should be near zero), and measures that "
                + "declare their rounding, are the same when they differ by less than their bound. Outcomes are the same or changed; settings are "
                + "not judged: a differing setting means the groups are not like for like.%n"
                + "%d better, %d same, %d worse, %d changed, %d settings differ, %d groups on one side only%n",
                r.better(), r.same(), r.worse(), r.changed(), r.settingsDiffer(), r.oneSided()));
        return sb.toString();
    }
}
