package gdlab.sweep;

import gdlab.Main;
import gdlab.report.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A sweep killed with SIGKILL mid-run and resumed ends with the table of an uninterrupted run. */
class ResumeTest {
    static final Map<String, String> SPEC = Map.of("experiment", "batch-modes", "quick", "true", "max_epochs", "4",
            "workers", "1", "quiet", "true");

    record Result(int status, String out, String err) {
    }

    static Result main(Path results, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.put("results_dir", results.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<List<String>> withoutTimings(Path cellsCsv) throws IOException {
        List<List<String>> records = Csv.parse(Files.readString(cellsCsv));
        List<String> header = records.get(0);
        List<List<String>> kept = new ArrayList<>();
        for (List<String> r : records) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (!isTiming(header.get(i))) {
                    row.add(r.get(i));
                }
            }
            kept.add(row);
        }
        return kept;
    }

    /** Timing columns: {@code *_ms} in cells, {@code *_ms_mean}, {@code *_ms_std} ... in summaries. */
    static boolean isTiming(String column) {
        return column.endsWith("_ms") || column.contains("_ms_");
    }

    static long dataRows(Path cellsCsv) throws IOException {
        return Files.exists(cellsCsv) ? Files.readString(cellsCsv).split("\r\n").length - 1 : 0;
    }

    @Test
    void killNineThenResumeGivesTheUninterruptedTable(@TempDir Path tmp) throws Exception {
        Result whole = main(tmp.resolve("whole"), Map.of());
        assertThat(whole.status()).isZero();
        Path wholeRun = tmp.resolve("whole/batch-modes/latest");

        // the same sweep in a child JVM, killed with SIGKILL once some (not all) cells are done
        Path killed = tmp.resolve("killed");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "gdlab.Main"));
        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.put("results_dir", killed.toString());
        props.forEach((k, v) -> command.add(k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).directory(new File(System.getProperty("user.dir")));
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process child = pb.start();
        Path cells = killed.resolve("batch-modes/latest/cells.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (dataRows(cells) < 3 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("child still running when killed").isTrue();
        child.destroyForcibly();   // SIGKILL: no shutdown hooks, no finally blocks
        child.waitFor(30, TimeUnit.SECONDS);
        long before = dataRows(cells);
        assertThat(before).isBetween(3L, 5L);
        assertThat(killed.resolve("batch-modes/latest/summary.md")).doesNotExist();
        String text = Files.readString(cells);
        assertThat(text).endsWith("\r\n");     // only whole rows

        Result resumed = main(killed, Map.of("resume", "latest"));
        assertThat(resumed.status()).isZero();
        assertThat(withoutTimings(cells)).isEqualTo(withoutTimings(wholeRun.resolve("cells.csv")));
        assertThat(Files.readString(killed.resolve("batch-modes/latest/run.json"))).contains("\"resumed\": [" + before + "]");
        // the summary table (timing columns aside) is the uninterrupted run's
        assertThat(withoutTimings(killed.resolve("batch-modes/latest/summary.csv")))
                .isEqualTo(withoutTimings(wholeRun.resolve("summary.csv")));
        assertThat(dataRows(killed.resolve("batch-modes/latest/curves.csv")))
                .isEqualTo(dataRows(wholeRun.resolve("curves.csv")));
    }

    @Test
    void aChangedSpecIsRefusedWithWhatChanged(@TempDir Path tmp) {
        assertThat(main(tmp, Map.of("max_epochs", "1", "seeds", "1")).status()).isZero();
        Result changed = main(tmp, Map.of("max_epochs", "2", "seeds", "1", "resume", "latest"));
        assertThat(changed.status()).isEqualTo(2);
        assertThat(changed.err()).contains("the spec changed since it started (max_epochs: 1 -> 2)");
        Result again = main(tmp, Map.of("max_epochs", "1", "seeds", "1", "resume", "latest", "workers", "2"));
        assertThat(again.status()).as(again.err()).isZero();
    }

    @Test
    void resumingNothingIsBadInput(@TempDir Path tmp) {
        Result r = main(tmp, Map.of("resume", "latest"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("bad value 'latest' for resume: no run folder");
    }
}
