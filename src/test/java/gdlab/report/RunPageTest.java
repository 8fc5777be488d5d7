package gdlab.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunPageTest {
    static Map<String, Object> runInfo() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("quick", "true");
        spec.put("seeds", "2");
        spec.put("label", "<b>species</b> & co");
        spec.put("lr", "0.5");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", "demo");
        info.put("hypothesis", "You should see: [a] A.");
        info.put("status", "finished");
        info.put("seeds", List.of(1.0, 2.0));
        info.put("spec", spec);
        info.put("overridden", List.of("lr", "quick"));
        info.put("git_commit", "abc123");
        info.put("java_version", "17.0.15");
        info.put("cpu_model", "<cpu>");
        info.put("metric_kinds", Map.of("x", Map.of("kind", "measure")));
        info.put("wall_time_ms", 1234.0);
        return info;
    }

    @Test
    void settingsListTheOverriddenKeysFirstThenTheRestInSpecOrder() {
        String html = RunPage.settings(runInfo());
        assertThat(html).containsSubsequence("<code>lr</code>", "<code>quick</code>", "<code>seeds</code>",
                "<code>label</code>");
        assertThat(html).contains("<tr class=\"overridden\"><td><code>lr</code></td><td>0.5</td><td>command line")
                .contains("<td><code>seeds</code></td><td>2</td><td>spec file or default</td>");
    }

    @Test
    void valuesAreEscaped() {
        String html = RunPage.html("20260101-000000-abcdef0", "# demo: q\n", runInfo(), Map.of());
        assertThat(html).contains("&lt;b&gt;species&lt;/b&gt; &amp; co").contains("&lt;cpu&gt;")
                .doesNotContain("<b>species").doesNotContain("<cpu>");
    }

    @Test
    void provenanceNamesTheRunCommitVersionsAndMachineButNotTheDeclarations() {
        String html = RunPage.provenance("r1", runInfo());
        assertThat(html).containsSubsequence("<code>run</code></td><td>r1", "<code>experiment</code></td><td>demo",
                        "<code>status</code></td><td>finished", "<code>seeds</code></td><td>1, 2",
                        "<code>git_commit</code></td><td>abc123", "<code>java_version</code></td><td>17.0.15")
                .contains("<code>wall_time_ms</code></td><td>1234<")
                .doesNotContain("metric_kinds").doesNotContain("hypothesis").doesNotContain("overridden");
    }

    @Test
    void writeInlinesTheFolderFiguresAndTitlesThePageWithTheRun(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("loss.png"), HtmlTest.PNG);
        RunFolder folder = RunFolder.open(dir);
        RunPage.write(folder, "# demo: what?\n\n![Loss](loss.png)\n", runInfo());
        String html = Files.readString(dir.resolve(RunPage.FILE));
        assertThat(html).contains("<title>demo: what? (" + dir.getFileName() + ")</title>")
                .contains("src=\"data:image/png;base64,").doesNotContain("src=\"loss.png");
    }

    @Test
    void aFolderWithSummaryAndRunJsonGetsItsPageAndOneWithoutIsBadInput(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("loss.png"), HtmlTest.PNG);
        Files.writeString(dir.resolve("summary.md"), "# demo: what?\n\n| a |\n| - |\n| 1 |\n\n![Loss](loss.png)\n");
        Files.writeString(dir.resolve("run.json"), Json.write(runInfo()));
        RunPage.writeFrom(dir);
        assertThat(Files.readString(dir.resolve(RunPage.FILE))).contains("<td>1</td>")
                .contains("src=\"data:image/png;base64,").contains("<code>git_commit</code></td><td>abc123");
        Files.delete(dir.resolve("run.json"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunPage.writeFrom(dir))
                .isInstanceOf(gdlab.spec.BadInputException.class).hasMessageContaining("run.json");
    }
}
