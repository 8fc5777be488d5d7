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

/**
 * Compares two runs (or the groups of one run) cell group by cell group: per metric, both means, the delta and
 * a verdict that only calls a difference when it is larger than the tolerance and, where both sides have two or
 * more seeds, larger than noise (their 95% confidence intervals do not overlap).
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
                    "relative difference below which values are the same"),
            Param.text("metrics", "comma-separated metric columns", "which metrics (default: all but timings)"),
            Param.bool("quiet", "no notes on stderr"));

    public static final Map<String, String> DEFAULTS = Map.of("baseline", "", "candidate", "", "run", "",
            "by", "", "base_value", "", "tolerance", "1e-9", "metrics", "", "quiet", "false");

    private static boolean nonNegativeNumber(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) && v >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One run's cells, as read from its folder. */
    record Run(Path dir, String experiment, List<String> coords, List<String> metrics, List<Map<String, String>> rows) {
    }

    /** The outcome: the table and whether any metric got worse. */
    public record Result(Table table, long better, long same, long worse, long oneSided) {
    }

    public static Result run(Map<String, String> settings) {
        Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
        s.putAll(settings);
        double tolerance = Double.parseDouble(s.get("tolerance"));
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
            List<String> keys = new ArrayList<>(cand.coords());
            keys.remove("seed");
            return table(keys, groups(base, keys), groups(cand, keys), metricsOf(cand, metrics), tolerance,
                    "baseline", "candidate");
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
        Run baseRows = new Run(run.dir(), run.experiment(), run.coords(), run.metrics(),
                run.rows().stream().filter(r -> r.get(by).equals(baseValue)).toList());
        Map<List<String>, List<Map<String, String>>> baseGroups = groups(baseRows, keys);
        Map<List<String>, List<Map<String, String>>> base = new LinkedHashMap<>();
        Map<List<String>, List<Map<String, String>>> cand = new LinkedHashMap<>();
        for (String v : values) {
            if (v.equals(baseValue)) {
                continue;
            }
            Run vRows = new Run(run.dir(), run.experiment(), run.coords(), run.metrics(),
                    run.rows().stream().filter(r -> r.get(by).equals(v)).toList());
            groups(vRows, keys).forEach((k, rows) -> {
                List<String> key = new ArrayList<>(k);
                key.add(0, v);
                cand.put(key, rows);
                if (baseGroups.containsKey(k)) {
                    base.put(key, baseGroups.get(k));
                }
            });
        }
        return table(withBy, base, cand, metricsOf(run, metrics), tolerance, by + "=" + baseValue, "group");
    }

    /** Whether each value of {@code by} comes with one value of {@code column} only. */
    private static boolean determinedBy(Run run, String by, String column) {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        run.rows().forEach(r -> seen.computeIfAbsent(r.get(by), k -> new LinkedHashSet<>()).add(r.get(column)));
        return seen.values().stream().allMatch(v -> v.size() == 1);
    }

    private static List<String> metricsOf(Run run, List<String> requested) {
        if (requested == null) {
            List<String> m = new ArrayList<>();
            for (String c : run.metrics()) {
                if (!c.endsWith("_ms") && !c.contains("_ms_")) {
                    m.add(c);
                }
            }
            m.add("not_ok");
            return m;
        }
        for (String c : requested) {
            if (!run.metrics().contains(c) && !c.equals("not_ok")) {
                throw new BadInputException("bad value '" + c + "' for metrics; allowed: "
                        + String.join(", ", run.metrics()) + ", not_ok");
            }
        }
        return requested;
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
                                Map<List<String>, List<Map<String, String>>> cand, List<String> metrics,
                                double tolerance, String baseName, String candName) {
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(List.of("metric", baseName, candName, "delta", "verdict"));
        Table t = new Table(columns);
        long better = 0;
        long same = 0;
        long worse = 0;
        long oneSided = 0;
        Set<List<String>> all = new LinkedHashSet<>(base.keySet());
        all.addAll(cand.keySet());
        for (List<String> key : all) {
            List<Map<String, String>> b = base.get(key);
            List<Map<String, String>> c = cand.get(key);
            if (b == null || c == null) {
                List<Object> row = new ArrayList<>(key);
                row.addAll(List.of("-", b == null ? "-" : "present", c == null ? "-" : "present", "-",
                        b == null ? "only in " + candName : "only in " + baseName));
                t.add(row);
                oneSided++;
                continue;
            }
            for (String metric : metrics) {
                Stats sb = stats(b, metric);
                Stats sc = stats(c, metric);
                String verdict = verdict(metric, sb, sc, tolerance);
                switch (verdict) {
                    case "better" -> better++;
                    case "worse" -> worse++;
                    default -> same++;
                }
                List<Object> row = new ArrayList<>(key);
                row.addAll(List.of(metric, pretty(sb), pretty(sc), sb.n() == 0 || sc.n() == 0 ? "-"
                        : sc.mean() - sb.mean(), verdict));
                t.add(row);
            }
        }
        return new Result(t, better, same, worse, oneSided);
    }

    private static String pretty(Stats s) {
        return s.n() < 2 || !(s.ci95() > 0) ? s.pretty() : Table.readable(s.mean()) + " ± " + Table.readable(s.ci95());
    }

    private static Stats stats(List<Map<String, String>> rows, String metric) {
        if (metric.equals("not_ok")) {
            return Stats.of(new double[]{rows.stream().filter(r -> !"ok".equals(r.get("status"))).count()});
        }
        List<Double> values = new ArrayList<>();
        for (Map<String, String> r : rows) {
            Object v = Csv.value(Objects.requireNonNullElse(r.get(metric), ""));
            if (v instanceof Number n) {
                values.add(n.doubleValue());
            }
        }
        return Stats.of(values);
    }

    /** Higher is better for accuracies and target-reached counts; lower for everything else (losses, steps). */
    static boolean higherIsBetter(String metric) {
        return metric.contains("accuracy") || metric.startsWith("reached") || metric.endsWith("_reached");
    }

    static String verdict(String metric, Stats b, Stats c, double tolerance) {
        if (b.n() == 0 && c.n() == 0) {
            return "same";
        }
        if (b.n() == 0 || c.n() == 0) {
            // a metric that exists on one side only (e.g. a target reached by one run): reaching is better
            boolean candidateHas = c.n() > 0;
            return candidateHas == !metric.contains("_to_target") ? "better" : "worse";
        }
        double delta = c.mean() - b.mean();
        double scale = Math.max(Math.abs(b.mean()), Math.abs(c.mean()));
        if (Math.abs(delta) <= tolerance * scale || delta == 0) {
            return "same";
        }
        if (b.n() >= 2 && c.n() >= 2 && b.ciHigh() >= c.ciLow() && c.ciHigh() >= b.ciLow()) {
            return "same";
        }
        return (delta > 0) == higherIsBetter(metric) ? "better" : "worse";
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
            List<String> metrics = ((List<Object>) info.getOrDefault("metrics", List.of())).stream()
                    .map(String::valueOf).toList();
            List<Map<String, String>> rows;
            try {
                rows = Csv.rows(Files.readString(cells));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(cells + ": " + e.getMessage(), e);
            }
            return new Run(folder, String.valueOf(info.get("experiment")), coords, metrics, rows);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException("cannot read run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The Markdown printed to stdout. */
    public static String markdown(Result r) {
        return r.table().toMarkdown() + String.format(Locale.ROOT,
                "%nValues: mean ± 95%% confidence half-width over seeds. A difference counts only when it exceeds "
                        + "the tolerance and, with 2+ seeds on both sides, the intervals do not overlap.%n"
                        + "%d better, %d same, %d worse, %d groups on one side only%n", r.better(), r.same(), r.worse(),
                r.oneSided());
    }
}
