package gdlab;

import gdlab.report.RunFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What happens when results cannot be written: a clear error, and nothing earlier damaged. */
class ReliabilityTest {
    static final Path DEV_FULL = Path.of("/dev/full");

    @Test
    void aFullDiskIsAClearErrorAndLeavesTheOldSummaryWhole(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.exists(DEV_FULL), "needs /dev/full (Linux)");
        RunFolder run = RunFolder.create(tmp, "x", "h", LocalDateTime.of(2026, 1, 1, 0, 0));
        run.writeAtomically("summary.md", "the earlier summary");
        Files.createSymbolicLink(run.file("summary.md.tmp"), DEV_FULL);   // every write of the temp file fails
        assertThatThrownBy(() -> run.writeAtomically("summary.md", "a new summary"))
                .isInstanceOf(RunFolder.ResultWriteException.class).hasMessageContaining("No space left on device");
        assertThat(Files.readString(run.file("summary.md"))).isEqualTo("the earlier summary");

        Files.createSymbolicLink(run.file("cells.csv"), DEV_FULL);
        assertThatThrownBy(() -> run.appendRecord("cells.csv", List.of("a"), List.of(1)))
                .isInstanceOf(RunFolder.ResultWriteException.class).hasMessageContaining("cells.csv")
                .hasMessageContaining("No space left on device");
    }

    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    @Test
    void anUnusableResultsFolderIsAClearErrorAndEarlierRunsStayAsTheyWere(@TempDir Path tmp) throws IOException {
        Map<String, String> props = new LinkedHashMap<>(Map.of("experiment", "batch-modes", "quick", "true",
                "max_epochs", "1", "seeds", "1", "quiet", "true", "results_dir", tmp.toString()));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(Main.run(props, sink, sink)).isZero();
        Map<String, String> before = snapshot(tmp);

        Path notAFolder = Files.writeString(tmp.resolve("batch-modes-file"), "x");
        props.put("results_dir", notAFolder.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, sink, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("gdlab: bad value '" + notAFolder + "' for results_dir: cannot create ").hasLineCount(1);
        Files.delete(notAFolder);
        assertThat(snapshot(tmp)).isEqualTo(before);
    }
}
