package gdlab.sweep;

import gdlab.report.Stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The cells of one setting over its seeds: every cell whose coordinates, the seed aside, are {@code key}. What a
 * summary table's row says about a setting (mean, std, 95% interval, k of n reached, how many diverged) comes
 * from here, so every experiment counts them the same way.
 *
 * @param key   the coordinates the cells share, in grid order
 * @param cells the cells, in grid order
 */
public record SeedGroup(Map<String, String> key, List<CellResult> cells) {

    public static final String SEED = "seed";

    public SeedGroup {
        key = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(key));
        cells = List.copyOf(cells);
    }

    /** Groups by every coordinate but the seed, in the order each group's first cell appears. */
    public static List<SeedGroup> of(List<CellResult> results) {
        return group(results, r -> {
            Map<String, String> k = new LinkedHashMap<>(r.coords());
            k.remove(SEED);
            return k;
        });
    }

    /** Groups by the named coordinates only (the others, the seed among them, vary within a group). */
    public static List<SeedGroup> by(List<CellResult> results, String... keys) {
        return group(results, r -> {
            Map<String, String> k = new LinkedHashMap<>();
            for (String name : keys) {
                k.put(name, r.cell().get(name));
            }
            return k;
        });
    }

    private static List<SeedGroup> group(List<CellResult> results,
                                         java.util.function.Function<CellResult, Map<String, String>> keyOf) {
        Map<Map<String, String>, List<CellResult>> groups = new LinkedHashMap<>();
        for (CellResult r : results) {
            groups.computeIfAbsent(keyOf.apply(r), k -> new ArrayList<>()).add(r);
        }
        return groups.entrySet().stream().map(e -> new SeedGroup(e.getKey(), e.getValue())).toList();
    }

    /** The first group whose coordinate {@code name} is {@code value}. */
    public static Optional<SeedGroup> find(List<SeedGroup> groups, String name, String value) {
        return groups.stream().filter(g -> value.equals(g.key.get(name))).findFirst();
    }

    public String get(String name) {
        String v = key.get(name);
        if (v == null) {
            throw new IllegalArgumentException("group " + key + " has no coordinate '" + name + "'");
        }
        return v;
    }

    public int integer(String name) {
        return Integer.parseInt(get(name));
    }

    public double real(String name) {
        return Double.parseDouble(get(name));
    }

    /** {@code name=value name=value}, for measured-value sentences. */
    public String label() {
        return key.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** How many cells (seeds) the group has. */
    public int size() {
        return cells.size();
    }

    /** The cells that trained (ok or diverged); a failed cell has no metrics. */
    public List<CellResult> finished() {
        return cells.stream().filter(r -> r.status() != CellResult.Status.FAILED).toList();
    }

    public long diverged() {
        return count(r -> r.status() == CellResult.Status.DIVERGED);
    }

    public long failed() {
        return count(r -> r.status() == CellResult.Status.FAILED);
    }

    public long count(Predicate<CellResult> which) {
        return cells.stream().filter(which).count();
    }

    /** Mean, std and 95% interval of a metric over the finished cells (values that are not finite are left out). */
    public Stats stats(String metric) {
        return stats(r -> r.number(metric));
    }

    public Stats stats(ToDoubleFunction<CellResult> value) {
        return Stats.of(finished().stream().mapToDouble(value).toArray());
    }

    /** Stats of the log of a positive metric (a wall time: its spread is multiplicative). */
    public Stats logStats(String metric) {
        return stats(r -> Math.log(r.number(metric)));
    }

    /** How many finished cells have a value for {@code metric} (e.g. reached the target), out of all cells. */
    public long reached(String metric) {
        return finished().stream().filter(r -> r.metric(metric) != null).count();
    }

    /** "k/n": {@link #reached} out of {@link #size}. */
    public String reachedOf(String metric) {
        return reached(metric) + "/" + size();
    }
}
