package gdlab;

import gdlab.report.Json;
import gdlab.report.RunFolder;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.sweep.Harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code -Dexperiment=runs}: every run folder under results_dir, newest first, as one Markdown table: when it
 * started, its experiment and folder, its status from run.json, its cells by status from cells.csv, the keys set on
 * its command line, and how many of its claims hold and how many integrity checks fail from claims.csv.
 *
 * <p>A run folder is any folder holding a run.json, at most two levels below results_dir: the runs
 * ({@code <experiment>/<run>}) and the committed baselines ({@code baseline/<experiment>}), which the run column
 * tells apart. The {@code latest} links are not followed, so no run is listed twice. A run.json that cannot be
 * read is a row saying so rather than the end of the listing.
 */
final class Runs {
    static final List<Param> PARAMS = List.of(
            Param.text(Harness.RESULTS_DIR, "a folder path", "the folder whose run folders are listed"));
    static final Map<String, String> DEFAULTS = Map.of(Harness.RESULTS_DIR, "results");

    static final List<String> COLUMNS = List.of("started", "experiment", "run", "status", "cells", "ok", "diverged",
            "failed", "overridden", "claims_hold", "checks_fail");

    private Runs() {
    }

    /** One listed run; {@code started} orders them. */
    record Row(Instant started, List<String> values) {
    }

    /** The table of the runs under {@code resultsDir}, or a line saying there are none. */
    static String markdown(Path resultsDir) {
        if (!Files.isDirectory(resultsDir)) {
            throw new BadInputException("bad value '" + resultsDir + "' for results_dir: no such folder ("
                    + resultsDir.toAbsolutePath() + "); allowed: a folder holding run folders (nothing has run yet?)");
        }
        List<Row> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(resultsDir, 3)) {
            for (Path runJson : files.filter(f -> f.getFileName().toString().equals("run.json")
                    && Files.isRegularFile(f)).toList()) {
                rows.add(row(resultsDir, runJson.getParent()));
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read results_dir " + resultsDir + ": " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            return "no runs under " + resultsDir + "\n";
        }
        rows.sort(Comparator.comparing(Row::started).reversed()
                .thenComparing(r -> r.values().get(COLUMNS.indexOf("run"))));
        Table table = new Table(COLUMNS);
        rows.forEach(r -> table.add(r.values()));
        return table.toMarkdown();
    }

    static Row row(Path resultsDir, Path dir) {
        String run = resultsDir.relativize(dir).toString().replace('\\', '/');
        Map<?, ?> info;
        try {
            info = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("run.json"), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return new Row(Instant.MIN, List.of("-", dir.getParent().getFileName().toString(), run,
                    "unreadable run.json", "-", "-", "-", "-", "-", "-", "-"));
        }
        Instant started = started(info.get("started"));
        List<String> values = new ArrayList<>();
        values.add(started == Instant.MIN ? "-" : started.truncatedTo(ChronoUnit.SECONDS).toString());
        values.add(String.valueOf(info.get("experiment")));
        values.add(run);
        values.add(String.valueOf(info.get("status")));
        values.add(info.get("cells") instanceof Number n ? String.valueOf(n.longValue()) : "-");
        values.addAll(cellCounts(RunFolder.open(dir)));
        values.add(overridden(info));
        values.addAll(claimCounts(RunFolder.open(dir)));
        return new Row(started, values);
    }

    private static Instant started(Object value) {
        try {
            return Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    /** ok, diverged, failed: the finished cells in cells.csv by status. */
    static List<String> cellCounts(RunFolder folder) {
        List<List<String>> records;
        try {
            records = folder.committedRecords("cells.csv");
        } catch (BadInputException e) {
            return List.of("?", "?", "?");
        }
        if (records.isEmpty()) {
            return List.of("0", "0", "0");
        }
        int status = records.get(0).indexOf("status");
        return Stream.of("ok", "diverged", "failed").map(s -> String.valueOf(records.stream().skip(1)
                .filter(r -> status >= 0 && status < r.size() && r.get(status).equals(s)).count())).toList();
    }

    /** The keys set on the command line that change what is computed, with their values (results_dir etc. left out). */
    static String overridden(Map<?, ?> info) {
        if (!(info.get("overridden") instanceof List<?> keys)) {
            return "-";
        }
        Map<?, ?> spec = info.get("spec") instanceof Map<?, ?> m ? m : Map.of();
        List<String> shown = keys.stream().map(String::valueOf).filter(k -> !Harness.HOW_KEYS.contains(k))
                .map(k -> k + "=" + spec.get(k)).toList();
        return shown.isEmpty() ? "-" : String.join(" ", shown);
    }

    /** claims_hold ({@code held/all}) and checks_fail (integrity checks that do not hold), or "-" before claims.csv. */
    static List<String> claimCounts(RunFolder folder) {
        List<List<String>> records;
        try {
            records = folder.committedRecords("claims.csv");
        } catch (BadInputException e) {
            return List.of("?", "?");
        }
        if (records.isEmpty()) {
            return List.of("-", "-");
        }
        int kind = records.get(0).indexOf("kind");
        int verdict = records.get(0).indexOf("verdict");
        List<List<String>> claims = records.subList(1, records.size()).stream()
                .filter(r -> kind >= 0 && verdict >= 0 && r.size() > Math.max(kind, verdict)).toList();
        long hold = claims.stream().filter(r -> r.get(verdict).equals("holds")).count();
        long fail = claims.stream().filter(r -> r.get(kind).equals("integrity")
                && r.get(verdict).equals("does not hold")).count();
        return List.of(hold + "/" + claims.size(), String.valueOf(fail));
    }
}
