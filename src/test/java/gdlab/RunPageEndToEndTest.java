package gdlab;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A quick batch-modes run, once, into a results folder whose name needs escaping: its report.html holds what its
 * summary.md holds (every table, every figure inline), its settings and provenance; {@code runs} lists it.
 */
class RunPageEndToEndTest {
    @TempDir
    static Path tmp;
    static Path resultsDir;
    static Path run;
    static String html;
    static String summary;

    @BeforeAll
    static void runQuickBatchModes() throws IOException {
        resultsDir = tmp.resolve("a<b>&c");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "batch-modes");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("max_epochs", "10");
        props.put("results_dir", resultsDir.toString());
        MainTest.Run r = MainTest.run(props);
        assertThat(r.status()).as(r.err()).isZero();
        run = resultsDir.resolve("batch-modes/latest").toRealPath();
        html = Files.readString(run.resolve("report.html"));
        summary = Files.readString(run.resolve("summary.md"));
    }

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void everyTableOfTheSummaryIsATableAndEveryFigureIsInline() {
        int summaryTables = count(summary, "^\\| -+ \\|");
        assertThat(summaryTables).isGreaterThanOrEqualTo(3);
        assertThat(count(html, "<table>")).isEqualTo(summaryTables + 2);   // + settings and provenance
        int figures = count(summary, "!\\[[^]]*]\\([^)]+\\.png\\)");
        assertThat(figures).isGreaterThanOrEqualTo(3);
        assertThat(count(html, "<img ")).isEqualTo(figures);
        assertThat(count(html, "<img src=\"data:image/png;base64,[A-Za-z0-9+/=]{1000,}\"")).isEqualTo(figures);
        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=\"http")
                .doesNotContain("is missing");
        assertThat(html).contains("<h1>batch-modes: How do batch, stochastic and mini-batch")
                .contains("<h3>Checks</h3>").contains("<td class=\"verdict v-holds\">holds</td>");
        assertThat(count(html, "class=\"verdict v-")).isEqualTo(count(summary, "^\\| [a-z_]+ +\\| (integrity|finding) "));
    }

    @Test
    void settingsShowTheOverriddenKeysFirstAndValuesEscaped() {
        String settings = html.substring(html.indexOf("<h2>Settings</h2>"), html.indexOf("<h2>Provenance</h2>"));
        List<String> keys = Pattern.compile("<tr( class=\"overridden\")?><td><code>([a-z_]+)</code>").matcher(settings)
                .results().map(m -> (m.group(1) == null ? "" : "*") + m.group(2)).toList();
        assertThat(keys.subList(0, 4)).containsExactly("*quick", "*quiet", "*max_epochs", "*results_dir");
        assertThat(keys.subList(4, keys.size())).allMatch(k -> !k.startsWith("*")).contains("seeds", "batch_size",
                "lr_mini_batch");
        assertThat(html).contains("a&lt;b&gt;&amp;c").doesNotContain("a<b>&c");
    }

    @Test
    void provenanceNamesTheRunCommitVersionsAndMachine() {
        String provenance = html.substring(html.indexOf("<h2>Provenance</h2>"));
        assertThat(provenance).contains("<code>run</code></td><td>" + run.getFileName())
                .contains("<code>status</code></td><td>finished").contains("<code>git_commit</code>")
                .contains("<code>dl4j_version</code></td><td>1.0.0-M2.1").contains("<code>java_version</code>")
                .contains("<code>cpu_model</code>").contains("<code>cores</code>");
    }

    @Test
    void runsListsTheRun() {
        MainTest.Run r = MainTest.run(Map.of("experiment", "runs", "results_dir", resultsDir.toString()));
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(RunsTest.cells(lines.get(2))).containsSubsequence("batch-modes",
                "batch-modes/" + run.getFileName(), "finished", "9", "9", "0", "0", "quick=true max_epochs=10");
    }

    @Test
    void aResumedRunWritesItsPageToo() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("resumed/batch-modes/run"));
        try (var files = Files.list(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Files.delete(copy.resolve("report.html"));
        Files.delete(copy.resolve("summary.md"));
        List<String> cells = List.of(Files.readString(copy.resolve("cells.csv")).split("\r\n"));
        Files.writeString(copy.resolve("cells.csv"), String.join("\r\n", cells.subList(0, 5)) + "\r\n");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "batch-modes");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("max_epochs", "10");
        props.put("results_dir", tmp.resolve("resumed").toString());
        props.put("resume", copy.toString());
        MainTest.Run r = MainTest.run(props);
        assertThat(r.status()).as(r.err()).isZero();
        String page = Files.readString(copy.resolve("report.html"));
        assertThat(page).contains("4 of them from the interrupted run")
                .contains("<code>resumed</code></td><td>4</td>").contains("<code>status</code></td><td>finished");
    }
}
