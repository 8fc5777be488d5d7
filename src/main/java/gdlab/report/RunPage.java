package gdlab.report;

import gdlab.spec.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * report.html, a run folder's one page for people: summary.md rendered (its tables, the Checks section with each
 * claim's verdict in colour, its figures inline), then the run's settings (the keys set on the command line first)
 * and its provenance (status, git commit, versions, machine), both from run.json. Written beside summary.md, from
 * the same Markdown, whenever summary.md is written; a single file that needs nothing else to open.
 */
public final class RunPage {
    /** The page's file name in the run folder. */
    public static final String FILE = "report.html";

    /** run.json entries that are not provenance: shown elsewhere on the page, or declarations for compare. */
    private static final Set<String> NOT_PROVENANCE = Set.of("question", "hypothesis", "spec", "overridden", "coords",
            "metrics", "metric_kinds");

    private RunPage() {
    }

    /** Writes report.html into {@code folder}, inlining the PNG figures found there. */
    public static void write(RunFolder folder, String markdown, Map<String, ?> runInfo) {
        folder.writeAtomically(FILE, html(folder.dir().getFileName().toString(), markdown, runInfo,
                figures(folder.dir())));
    }

    /**
     * Writes report.html for a run folder that already holds its summary.md and run.json (a run made before pages
     * were written, a committed baseline); throws {@link gdlab.spec.BadInputException} when either is missing or
     * run.json is malformed.
     */
    public static void writeFrom(Path dir) {
        Map<?, ?> info;
        String markdown;
        try {
            markdown = Files.readString(dir.resolve("summary.md"), StandardCharsets.UTF_8);
            info = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("run.json"), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new BadInputException("cannot write the page of " + dir + ": its summary.md and run.json must be "
                    + "readable (" + e + ")", e);
        }
        Map<String, Object> runInfo = new LinkedHashMap<>();
        info.forEach((k, v) -> runInfo.put(String.valueOf(k), v));
        write(RunFolder.open(dir), markdown, runInfo);
    }

    /**
     * The page of run {@code runId}: {@code markdown} (its summary.md) with {@code images} inlined, then settings and
     * provenance from {@code runInfo} (run.json's content).
     */
    public static String html(String runId, String markdown, Map<String, ?> runInfo, Map<String, byte[]> images) {
        String title = markdown.lines().filter(l -> l.startsWith("# ")).findFirst().map(l -> l.substring(2).strip())
                .orElse(String.valueOf(runInfo.get("experiment")));
        return Html.document(title + " (" + runId + ")", Html.render(markdown, images)
                + settings(runInfo) + provenance(runId, runInfo));
    }

    /** The spec as resolved: the overridden keys first (marked), then every other key in the spec's order. */
    static String settings(Map<String, ?> runInfo) {
        if (!(runInfo.get("spec") instanceof Map<?, ?> spec)) {
            return "";
        }
        List<String> overridden = runInfo.get("overridden") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        StringBuilder rows = new StringBuilder();
        overridden.stream().filter(spec::containsKey).forEach(k ->
                rows.append(row("overridden", k, format(spec.get(k)), "command line")));
        spec.forEach((k, v) -> {
            if (!overridden.contains(String.valueOf(k))) {
                rows.append(row(null, String.valueOf(k), format(v), "spec file or default"));
            }
        });
        return "<h2>Settings</h2>\n<p>The keys set on the command line first, then the spec file's values and the "
                + "defaults (with <code>quick=true</code>, the spec file's <code>quick.*</code> values).</p>\n"
                + "<table>\n<thead>\n<tr><th>key</th><th>value</th><th>set by</th></tr>\n</thead>\n<tbody>\n"
                + rows + "</tbody>\n</table>\n";
    }

    /** Where and with what the run was made: every other run.json entry, in its order. */
    static String provenance(String runId, Map<String, ?> runInfo) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("run", runId);
        runInfo.forEach((k, v) -> {
            if (!NOT_PROVENANCE.contains(k)) {
                facts.put(k, v);
            }
        });
        StringBuilder rows = new StringBuilder();
        facts.forEach((k, v) -> rows.append(row(null, k, format(v), null)));
        return "<h2>Provenance</h2>\n<table>\n<thead>\n<tr><th>key</th><th>value</th></tr>\n</thead>\n<tbody>\n"
                + rows + "</tbody>\n</table>\n";
    }

    private static String row(String rowClass, String key, String value, String note) {
        return (rowClass == null ? "<tr>" : "<tr class=\"" + rowClass + "\">") + "<td><code>" + Html.escape(key)
                + "</code></td><td>" + Html.escape(value) + "</td>"
                + (note == null ? "" : "<td>" + Html.escape(note) + "</td>") + "</tr>\n";
    }

    /** A run.json value as read: whole numbers without ".0", lists comma-joined, objects as key=value. */
    static String format(Object value) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e15) {
            return String.valueOf(n.longValue());
        }
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(RunPage::format).toList());
        }
        if (value instanceof Map<?, ?> map) {
            return String.join(", ", map.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue()))
                    .toList());
        }
        return String.valueOf(value);
    }

    /** The PNG files of a run folder, by name. */
    static Map<String, byte[]> figures(Path dir) {
        Map<String, byte[]> images = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().toList()) {
                images.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new RunFolder.ResultWriteException("cannot read the figures of " + dir + ": " + e.getMessage(), e);
        }
        return images;
    }
}
