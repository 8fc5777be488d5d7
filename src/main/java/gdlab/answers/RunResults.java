package gdlab.answers;

import gdlab.report.Csv;
import gdlab.report.Json;
import gdlab.spec.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one finished run of an experiment says, as the answers page reads it: its folder, run.json, claims.csv and
 * summary.csv. The run is the experiment's latest under the results folder when that one finished; otherwise the
 * committed baseline (marked so); otherwise there is none.
 *
 * @param dir      the run folder (a real path: {@code latest} resolved)
 * @param baseline true when it is the committed baseline, not a run of the results folder
 * @param info     run.json
 * @param claims   claims.csv's rows, in the hypothesis's order
 * @param summary  summary.csv's rows
 */
record RunResults(Path dir, boolean baseline, Map<String, Object> info, List<Map<String, String>> claims,
                  List<Map<String, String>> summary) {

    /**
     * The run that answers for {@code experiment}: its latest run under {@code resultsDir} when finished (with a
     * claims.csv), else its committed baseline under {@code baselineDir}, else none.
     */
    static Optional<RunResults> find(String experiment, Path resultsDir, Path baselineDir) {
        Path latest = resultsDir.resolve(experiment).resolve("latest");
        try {
            if (Files.isRegularFile(latest)) {
                // a text pointer where symbolic links are not available
                latest = latest.resolveSibling(Files.readString(latest, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read " + latest + ": " + e.getMessage(), e);
        }
        if (finished(latest)) {
            return Optional.of(read(latest, false));
        }
        Path committed = baselineDir.resolve(experiment);
        return finished(committed) ? Optional.of(read(committed, true)) : Optional.empty();
    }

    private static boolean finished(Path dir) {
        return Files.isRegularFile(dir.resolve("run.json")) && Files.isRegularFile(dir.resolve("claims.csv"))
                && Files.isRegularFile(dir.resolve("summary.csv"));
    }

    @SuppressWarnings("unchecked")
    static RunResults read(Path dir, boolean baseline) {
        try {
            Path real = dir.toRealPath();
            Object info = Json.parse(Files.readString(real.resolve("run.json"), StandardCharsets.UTF_8));
            if (!(info instanceof Map<?, ?>)) {
                throw new BadInputException("malformed " + real.resolve("run.json") + ": not a JSON object");
            }
            return new RunResults(real, baseline, (Map<String, Object>) info,
                    Csv.rows(Files.readString(real.resolve("claims.csv"), StandardCharsets.UTF_8)),
                    Csv.rows(Files.readString(real.resolve("summary.csv"), StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException("cannot read run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The run's id: its folder's name ({@code 20261204-113759-3df44e9}, or the experiment for a baseline). */
    String id() {
        return dir.getFileName().toString();
    }

    String text(String key) {
        Object v = info.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    /** run.json's resolved spec, as text. */
    Map<String, String> spec() {
        Map<String, String> spec = new LinkedHashMap<>();
        if (info.get("spec") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> spec.put(String.valueOf(k), String.valueOf(v)));
        }
        return spec;
    }

    /** The keys the run's command line set, with the values it gave them. */
    Map<String, String> overrides() {
        Map<String, String> spec = spec();
        Map<String, String> set = new LinkedHashMap<>();
        if (info.get("overridden") instanceof List<?> keys) {
            keys.forEach(k -> set.put(String.valueOf(k), spec.getOrDefault(String.valueOf(k), "")));
        }
        return set;
    }

    Optional<Map<String, String>> claim(String id) {
        return claims.stream().filter(c -> id.equals(c.get("claim"))).findFirst();
    }

    /** Summary rows whose columns have the given values. */
    List<Map<String, String>> rows(Map<String, String> where) {
        return summary.stream().filter(r -> where.entrySet().stream()
                .allMatch(e -> e.getValue().equals(r.get(e.getKey())))).toList();
    }
}
