package gdlab.report;

import gdlab.spec.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code compare} leaves on disk beside what it prints: {@code compare.md} (the printed Markdown, with the
 * figures), {@code compare.json} (the same table, machine-readable) and one figure per group present on both
 * sides overlaying the two runs' training curves (mean over seeds; baseline solid, candidate dashed). They go to
 * {@code -Dout}, by default a {@code compare-vs-<baseline>} (or {@code compare-by-<key>}) folder inside the
 * candidate's run folder.
 */
public final class CompareFiles {
    /** At most this many groups are drawn; the rest are named in compare.md. */
    static final int MAX_FIGURES = 12;

    /** Curve columns taken as the x axis, in order of preference. */
    private static final List<String> X_COLUMNS = List.of("epoch", "step", "iteration", "updates");

    private CompareFiles() {
    }

    /** Writes the files and returns their folder. */
    public static Path write(Compare.Result result, Map<String, String> settings) {
        Path out = folder(settings);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new BadInputException("bad value '" + out + "' for out: cannot create it (" + e.getMessage()
                    + "); allowed: a folder gdlab can create and write", e);
        }
        RunFolder folder = RunFolder.open(out);
        StringBuilder figures = new StringBuilder();
        Map<Path, Curves> curves = new HashMap<>();
        List<Compare.Pair> pairs = result.pairs();
        for (int i = 0; i < Math.min(pairs.size(), MAX_FIGURES); i++) {
            Compare.Pair p = pairs.get(i);
            Curves base = curves.computeIfAbsent(p.baseDir(), Curves::read);
            Curves cand = curves.computeIfAbsent(p.candDir(), Curves::read);
            if (base.y() == null || !base.y().equals(cand.y()) || !base.x().equals(cand.x())) {
                continue;
            }
            String name = "compare-curves-" + (i + 1);
            List<Figure.Series> series = List.of(base.series(result.baseName() + " (solid)", p.baseCells()),
                    cand.series("candidate (dashed)", p.candCells()).asDashed());
            boolean positive = series.stream().allMatch(s -> java.util.Arrays.stream(s.y())
                    .allMatch(v -> !Double.isFinite(v) || v > 0));
            Plots.write(new Figure.Lines(name, p.label(), base.x(), base.y(), false, positive, series), out);
            figures.append("![").append(p.label()).append("](").append(name).append(".png)\n\n");
        }
        if (pairs.size() > MAX_FIGURES) {
            figures.append(String.format(Locale.ROOT, "_%d more groups on both sides are not drawn._%n%n",
                    pairs.size() - MAX_FIGURES));
        }
        String markdown = Compare.markdown(result) + (figures.length() == 0 ? ""
                : "\n### Training curves, baseline solid and candidate dashed (mean over seeds)\n\n" + figures);
        folder.writeAtomically("compare.md", markdown);
        folder.writeAtomically("compare.json", Json.write(json(result)));
        return out;
    }

    /** compare.json: the runs, the spec keys that differ, the table's rows as objects, and the counts. */
    static Map<String, Object> json(Compare.Result r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", r.runs());
        json.put("spec_differs", r.specDiffers());
        json.put("columns", r.table().columns());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> row : r.table().rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int c = 0; c < row.size(); c++) {
                m.put(r.table().columns().get(c), row.get(c));
            }
            rows.add(m);
        }
        json.put("rows", rows);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("better", r.better());
        counts.put("same", r.same());
        counts.put("worse", r.worse());
        counts.put("changed", r.changed());
        counts.put("settings_differ", r.settingsDiffer());
        counts.put("one_sided", r.oneSided());
        json.put("counts", counts);
        return json;
    }

    /** {@code -Dout}, else a folder in the candidate's (or the one run's) folder named after what it is compared to. */
    static Path folder(Map<String, String> settings) {
        String out = settings.getOrDefault("out", "");
        if (!out.isBlank()) {
            return Path.of(out);
        }
        String by = settings.getOrDefault("by", "");
        String candidate = settings.getOrDefault("candidate", "");
        String one = settings.getOrDefault("run", "");
        if (!by.isBlank()) {
            return real(Path.of(one.isBlank() ? candidate : one)).resolve("compare-by-" + by);
        }
        Path run = real(Path.of(candidate));
        Path base = real(Path.of(settings.get("baseline")));
        Path parent = base.getParent();
        boolean committed = parent != null && parent.getFileName() != null
                && parent.getFileName().toString().equals("baseline");
        return run.resolve("compare-vs-" + (committed ? "baseline" : base.getFileName()));
    }

    /** A run folder's real path: {@code latest} followed, as a symbolic link or a text pointer. */
    private static Path real(Path dir) {
        try {
            Path d = Files.isRegularFile(dir) ? dir.resolveSibling(Files.readString(dir).strip()) : dir;
            return d.toRealPath();
        } catch (IOException e) {
            throw new BadInputException("cannot read run folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A run's curves.csv: its rows by cell, and the columns drawn (x: epoch, step, iteration or updates; y: the
     * training loss, else the first column named like a loss). {@code y} is null when the run has no such curve.
     */
    record Curves(Map<String, List<Map<String, String>>> byCell, String x, String y) {
        static Curves read(Path dir) {
            Path file = dir.resolve("curves.csv");
            if (!Files.isRegularFile(file)) {
                return new Curves(Map.of(), "", null);
            }
            try {
                List<Map<String, String>> rows = Csv.rows(Files.readString(file, StandardCharsets.UTF_8));
                List<String> header = rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet());
                String x = X_COLUMNS.stream().filter(header::contains).findFirst().orElse("");
                String y = header.contains("train_loss") ? "train_loss" : header.stream()
                        .filter(c -> c.contains("loss") && !c.endsWith("_std") && !c.endsWith("_ms")).findFirst()
                        .orElse(null);
                Map<String, List<Map<String, String>>> byCell = new LinkedHashMap<>();
                rows.forEach(r -> byCell.computeIfAbsent(r.get("cell"), k -> new ArrayList<>()).add(r));
                return new Curves(byCell, x, x.isEmpty() ? null : y);
            } catch (IOException | IllegalArgumentException e) {
                throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        /** The mean over the cells' curves, with their min..max spread. */
        Figure.Series series(String name, List<String> cells) {
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (String cell : cells) {
                List<Map<String, String>> points = byCell.getOrDefault(cell, List.of()).stream()
                        .filter(r -> number(r.get(y)) != null && number(r.get(x)) != null).toList();
                xs.add(points.stream().mapToDouble(r -> number(r.get(x))).toArray());
                ys.add(points.stream().mapToDouble(r -> number(r.get(y))).toArray());
            }
            return Figure.Series.overSeeds(name, xs, ys);
        }

        private static Double number(String value) {
            return Csv.value(value == null ? "" : value) instanceof Number n ? n.doubleValue() : null;
        }
    }
}
