package gdlab.answers;

import gdlab.answers.Question.Source;
import gdlab.report.Csv;
import gdlab.report.Html;
import gdlab.report.RunFolder;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.UnknownKey;
import gdlab.sweep.Experiment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code -Dexperiment=report}: the answers page. Writes {@code ANSWERS.md} and {@code index.html} (the same text,
 * one self-contained page with the figures inlined) into the results folder: every classic question of
 * {@link Questions}, answered from the latest finished run of each experiment that answers it, or from its
 * committed baseline where the results folder has none, marked so; a run whose spec or code changed since is
 * marked stale. The answers are rebuilt from the runs every time: the page holds nothing of its own.
 */
public final class AnswersPage {
    public static final String RESULTS_DIR = "results_dir";
    public static final String BASELINE_DIR = "baseline_dir";

    public static final List<Param> PARAMS = List.of(
            Param.text(RESULTS_DIR, "a folder path", "the results folder: runs are read from it, the page written to it"),
            Param.text(BASELINE_DIR, "a folder path", "the committed baselines, used where the results folder has no run"),
            Param.bool("quiet", "no notes on stderr"));

    public static final Map<String, String> DEFAULTS = Map.of(RESULTS_DIR, "results",
            BASELINE_DIR, "results/baseline", "quiet", "false");

    private AnswersPage() {
    }

    /**
     * Checks the settings, writes both files, and prints where they went; exit status 0. An unknown key or a
     * malformed run folder is bad input, raised before anything is written.
     */
    public static int run(Map<String, String> settings, Function<String, Experiment> experiments, Clock clock,
                          PrintStream out) {
        for (String key : settings.keySet()) {
            if (PARAMS.stream().noneMatch(p -> p.key().equals(key))) {
                throw new BadInputException(UnknownKey.message(key, " for report",
                        PARAMS.stream().map(Param::key).toList()));
            }
        }
        PARAMS.stream().filter(p -> settings.containsKey(p.key())).forEach(p -> p.parse(settings.get(p.key())));
        Map<String, String> s = new LinkedHashMap<>(DEFAULTS);
        s.putAll(settings);
        Path results = real(Path.of(s.get(RESULTS_DIR)));
        Path baselines = Path.of(s.get(BASELINE_DIR)).toAbsolutePath().normalize();
        Page page = build(results, baselines, experiments, clock);
        try {
            Files.createDirectories(results);
        } catch (IOException e) {
            throw new BadInputException("bad value '" + s.get(RESULTS_DIR) + "' for results_dir: cannot create it ("
                    + e.getMessage() + "); allowed: a folder gdlab can create and write", e);
        }
        RunFolder folder = RunFolder.open(results);
        folder.writeAtomically("ANSWERS.md", page.markdown());
        folder.writeAtomically("index.html", page.html());
        out.println("answers: " + results.resolve("index.html") + " and " + results.resolve("ANSWERS.md") + " ("
                + page.fromRuns() + " experiments from runs, " + page.fromBaselines() + " from baselines, "
                + page.stale() + " stale, " + page.missing() + " not yet run)");
        return 0;
    }

    /** Both renderings of the page and what they were built from. */
    record Page(String markdown, String html, int fromRuns, int fromBaselines, int stale, int missing) {
    }

    static Page build(Path results, Path baselines, Function<String, Experiment> experiments, Clock clock) {
        Map<String, Optional<RunResults>> runs = new LinkedHashMap<>();
        Map<String, Staleness> staleness = new LinkedHashMap<>();
        for (Question q : Questions.ALL) {
            for (Source source : q.sources()) {
                runs.computeIfAbsent(source.experiment(), e -> RunResults.find(e, results, baselines));
            }
        }
        runs.forEach((e, run) -> run.ifPresent(r -> staleness.put(e, Staleness.of(r, experiments))));

        String title = "What gradient descent does: answers from gdlab's runs";
        StringBuilder intro = new StringBuilder("# " + title + "\n\n");
        intro.append("Each answer is written from the latest finished run of the experiments that answer it: the "
                + "verdicts of its claims (claims.csv), the numbers of its summary (summary.csv) and its figures. "
                + "Where the results folder has no run, the committed baseline (each experiment's quick setting) "
                + "answers, marked so. A run marked **stale** was built from other code or another spec than "
                + "today's. Rebuild this page with `mvn -q compile exec:java -Dexperiment=report`; generated "
                + clock.instant().truncatedTo(ChronoUnit.SECONDS) + ".\n\n");
        for (int i = 0; i < Questions.ALL.size(); i++) {
            String heading = heading(i);
            intro.append(i + 1).append(". [").append(Questions.ALL.get(i).title()).append("](#")
                    .append(Prose.anchor(heading)).append(")\n");
        }
        intro.append('\n');

        StringBuilder markdown = new StringBuilder(intro);
        StringBuilder body = new StringBuilder(Html.render(intro.toString(), Map.of()));
        Map<String, byte[]> images = new LinkedHashMap<>();
        for (int i = 0; i < Questions.ALL.size(); i++) {
            String section = section(Questions.ALL.get(i), heading(i), runs, staleness, results, images);
            markdown.append(section);
            body.append("<section id=\"").append(Prose.anchor(heading(i))).append("\">\n")
                    .append(Html.render(section, images)).append("</section>\n");
        }
        long fromRuns = runs.values().stream().filter(r -> r.isPresent() && !r.get().baseline()).count();
        long fromBaselines = runs.values().stream().filter(r -> r.isPresent() && r.get().baseline()).count();
        long stale = staleness.values().stream().filter(Staleness::stale).count();
        long missing = runs.values().stream().filter(Optional::isEmpty).count();
        return new Page(markdown.toString(), Html.document(title, body.toString()), (int) fromRuns,
                (int) fromBaselines, (int) stale, (int) missing);
    }

    private static String heading(int i) {
        return (i + 1) + ". " + Questions.ALL.get(i).title();
    }

    /** One question: per source, where its answer comes from, the sentences, the key table and the figures. */
    private static String section(Question q, String heading, Map<String, Optional<RunResults>> runs,
                                  Map<String, Staleness> staleness, Path results, Map<String, byte[]> images) {
        StringBuilder sb = new StringBuilder("## " + heading + "\n\n");
        for (Source source : q.sources()) {
            Optional<RunResults> found = runs.get(source.experiment());
            if (found.isEmpty()) {
                sb.append("**").append(source.experiment()).append(": not yet run.** No finished run under the "
                        + "results folder and no committed baseline; run it with `mvn -q compile exec:java "
                        + "-Dexperiment=").append(source.experiment()).append("`.\n\n");
                continue;
            }
            RunResults run = found.get();
            sb.append(provenance(run, staleness.get(source.experiment()), results)).append("\n\n");
            Map<String, Optional<Map<String, String>>> claims = Prose.claims(source, run);
            List<Map<String, String>> rows = Prose.rows(source, run);
            String measured = Prose.measuredSentence(source, rows);
            sb.append(Prose.verdictCount(claims)).append(measured.isEmpty() ? "" : " " + measured).append("\n\n");
            sb.append(Prose.claimLines(claims)).append('\n');
            String table = Prose.keyTable(source, rows, header(run));
            if (!table.isEmpty()) {
                sb.append(table).append('\n');
            }
            source.figures().stream().filter(f -> Files.isRegularFile(run.dir().resolve(f))).limit(2)
                    .forEach(f -> {
                        String path = link(results, run.dir().resolve(f));
                        images.put(path, read(run.dir().resolve(f)));
                        sb.append("![").append(source.experiment()).append(": ").append(f).append("](")
                                .append(path).append(")\n\n");
                    });
        }
        return sb.toString();
    }

    /** "_From run batch-modes/ID (quick setting, seeds 1, 2; started T) — its report._ **Stale:** ..." */
    private static String provenance(RunResults run, Staleness staleness, Path results) {
        String experiment = run.text("experiment");
        Path page = Files.isRegularFile(run.dir().resolve("report.html")) ? run.dir().resolve("report.html")
                : run.dir().resolve("summary.md");
        String from = run.baseline() ? "From the committed baseline of " + experiment + " (the results folder "
                + "has no run of it; " : "From run " + experiment + "/" + run.id() + " (";
        String quick = "true".equals(run.spec().get("quick")) ? "quick setting, " : "";
        String seeds = run.info().get("seeds") instanceof List<?> l ? "seeds " + String.join(", ", l.stream()
                .map(Table::readable).toList()) + ", " : "";
        String started = run.text("started").replaceAll("\\.\\d+Z$", "Z");
        StringBuilder sb = new StringBuilder("_" + from + quick + seeds + "started " + started + "): [" + (page.endsWith("report.html") ? "its report" : "its summary") + "]("
                + link(results, page) + ")._");
        if (staleness.stale()) {
            sb.append(" **Stale:** ").append(Prose.escape(String.join("; ", staleness.reasons()))).append('.');
        }
        return sb.toString();
    }

    /** The path of {@code file} as the page links it: relative to the results folder, with forward slashes. */
    static String link(Path results, Path file) {
        return results.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static List<String> header(RunResults run) {
        try {
            String text = Files.readString(run.dir().resolve("summary.csv"), StandardCharsets.UTF_8);
            List<List<String>> records = Csv.parse(text);
            return records.isEmpty() ? List.of() : records.get(0);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + run.dir().resolve("summary.csv") + ": " + e.getMessage(), e);
        }
    }

    /** The folder's real path when it exists (run folders are read through their real paths), else absolute. */
    private static Path real(Path dir) {
        try {
            return Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath().normalize();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
