package gdlab.answers;

import gdlab.Registry;
import gdlab.report.Claim;
import gdlab.spec.BadInputException;
import gdlab.spec.SpecFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answers page, built from the committed baselines and from run folders made from them. */
class AnswersPageTest {
    private static final Path BASELINES = Path.of("results/baseline");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);

    private static AnswersPage.Page build(Path results) {
        return AnswersPage.build(results, BASELINES.toAbsolutePath(), Registry::create, CLOCK);
    }

    @Test
    void everyQuestionIsAnsweredInOrderFromTheBaselinesWhenNoRunExists(@TempDir Path results) {
        AnswersPage.Page page = build(results);
        int last = -1;
        for (Question q : Questions.ALL) {
            int at = page.markdown().indexOf("## " + (Questions.ALL.indexOf(q) + 1) + ". " + q.title());
            assertThat(at).as(q.title()).isGreaterThan(last);
            last = at;
        }
        assertThat(page.fromRuns()).isZero();
        assertThat(page.fromBaselines()).isGreaterThanOrEqualTo(8);
        assertThat(page.markdown()).contains("From the committed baseline of batch-modes")
                .contains("From the committed baseline of learning-rate");
        assertThat(page.html()).contains("<section id=\"4-how-do-batch-stochastic-and-mini-batch-gradient-descent-"
                + "differ\">").contains("src=\"data:image/png;base64,").doesNotContain("is missing");
        if (!Files.isDirectory(BASELINES.resolve(Questions.REMEDIES))) {
            assertThat(page.markdown()).contains("**remedies: not yet run.**");
            assertThat(page.missing()).isEqualTo(1);
        }
    }

    @Test
    void aClaimThatDoesNotHoldChangesTheSentence(@TempDir Path results) throws IOException {
        Path run = runFrom("batch-modes", results);
        String before = section(build(results).markdown(), 4);
        assertThat(before).contains("From run batch-modes/20261204-120000-abcdef0")
                .contains("**Holds.** Batch GD (B = N) makes 1 update per epoch");

        Path claims = run.resolve("claims.csv");
        String csv = Files.readString(claims);
        int line = csv.indexOf("updates_per_epoch,integrity");
        int end = csv.indexOf("\r\n", line);
        Files.writeString(claims, csv.substring(0, line) + csv.substring(line, end)
                .replaceFirst(",holds,", ",does not hold,") + csv.substring(end));
        String after = section(build(results).markdown(), 4);
        assertThat(after).doesNotContain("**Holds.** Batch GD (B = N) makes 1 update per epoch")
                .contains("**FAILS (an integrity check: gdlab or DL4J computes something wrong).** The hypothesis "
                        + "says: Batch GD (B = N) makes 1 update per epoch");
        assertThat(countLine(after)).isNotEqualTo(countLine(before));
    }

    @Test
    void theMeasuredSentenceAndKeyTableComeFromTheSummary(@TempDir Path results) throws IOException {
        Path run = runFrom("batch-modes", results);
        Path summary = run.resolve("summary.csv");
        Files.writeString(summary, Files.readString(summary).replaceFirst("\r\nbatch,320,", "\r\nbatch,123456,"));
        String answer = section(build(results).markdown(), 4);
        assertThat(answer).contains("batch (B = 123456)").contains("| batch      | 123456");
    }

    @Test
    void aRunWhoseSpecOrCommitDiffersIsMarkedStale(@TempDir Path results) throws IOException {
        Path run = runFrom("batch-modes", results);
        Path json = run.resolve("run.json");
        String info = Files.readString(json);
        RunResults fresh = RunResults.read(run, false);
        assertThat(Staleness.of(fresh, Registry::create).reasons()).noneMatch(r -> r.contains("spec changed"));

        Files.writeString(json, info.replaceAll("\"spec_hash\": \"[0-9a-f]+\"", "\"spec_hash\": \"0000000\"")
                .replaceAll("\"git_commit\": \"[^\"]+\"", "\"git_commit\": \"unknown\""));
        List<String> reasons = Staleness.of(RunResults.read(run, false), Registry::create).reasons();
        assertThat(reasons).anyMatch(r -> r.startsWith("the spec changed since"))
                .anyMatch(r -> r.contains("does not say which commit built it"));
        assertThat(section(build(results).markdown(), 4)).contains("**Stale:** the spec changed since");

        Files.writeString(json, info.replaceAll("\"git_commit\": \"[^\"]+\"",
                "\"git_commit\": \"" + "0123456789abcdef".repeat(2) + "01234567\""));
        assertThat(Staleness.of(RunResults.read(run, false), Registry::create).reasons())
                .anyMatch(r -> r.contains("is not in this repository"));
    }

    @Test
    void writesBothFilesAndRefusesAnUnknownKey(@TempDir Path results) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = AnswersPage.run(Map.of("results_dir", results.toString(), "baseline_dir", BASELINES.toString()),
                Registry::create, CLOCK, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).isZero();
        assertThat(results.resolve("index.html")).isNotEmptyFile();
        assertThat(results.resolve("ANSWERS.md")).isNotEmptyFile();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("index.html");
        assertThatThrownBy(() -> AnswersPage.run(Map.of("result_dir", "x"), Registry::create, CLOCK,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("result_dir")
                .hasMessageContaining("results_dir");
    }

    @Test
    void everyClaimAQuestionNamesIsInItsExperimentsHypothesis() {
        for (Question q : Questions.ALL) {
            for (Question.Source s : q.sources()) {
                Path spec = Path.of("experiments/" + s.experiment() + ".properties");
                if (s.experiment().equals(Questions.REMEDIES) && !Files.exists(spec)) {
                    continue;
                }
                List<String> ids = Claim.sentences(SpecFile.read(spec).hypothesis()).stream()
                        .map(Map.Entry::getKey).toList();
                assertThat(ids).as(q.title() + " / " + s.experiment()).containsAll(s.claims());
            }
        }
    }

    /** A run folder of {@code experiment} under {@code results}, copied from its baseline, as its latest run. */
    static Path runFrom(String experiment, Path results) throws IOException {
        Path run = Files.createDirectories(results.resolve(experiment).resolve("20261204-120000-abcdef0"));
        try (Stream<Path> files = Files.list(BASELINES.resolve(experiment))) {
            for (Path f : files.toList()) {
                Files.copy(f, run.resolve(f.getFileName()));
            }
        }
        Files.createSymbolicLink(results.resolve(experiment).resolve("latest"), run.getFileName());
        return run;
    }

    private static String section(String markdown, int number) {
        int start = markdown.indexOf("\n## " + number + ". ");
        int end = markdown.indexOf("\n## " + (number + 1) + ". ", start);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static String countLine(String section) {
        return section.lines().filter(l -> l.startsWith("Of its ")).findFirst().orElse("");
    }
}
