package gdlab.report;

import gdlab.spec.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RunFolderTest {
    static final LocalDateTime NOW = LocalDateTime.of(2026, 1, 2, 3, 4, 5);

    @Test
    void layoutIsExperimentThenTimestampAndHashWithLatestPointingAtTheNewest(@TempDir Path root) throws IOException {
        RunFolder first = RunFolder.create(root, "batch-modes", "abc1234", NOW);
        RunFolder second = RunFolder.create(root, "batch-modes", "abc1234", NOW);
        assertThat(first.dir()).isEqualTo(root.resolve("batch-modes/20260102-030405-abc1234"));
        assertThat(second.dir().getFileName().toString()).isEqualTo("20260102-030405-abc1234-2");
        first.markLatest();
        second.markLatest();
        Path latest = root.resolve("batch-modes/latest");
        assertThat(latest.toRealPath()).isEqualTo(second.dir().toRealPath());
    }

    @Test
    void atomicWritesLeaveNoTemporaryFiles(@TempDir Path root) throws IOException {
        RunFolder run = RunFolder.create(root, "x", "h", NOW);
        run.writeAtomically("summary.md", "one");
        run.writeAtomically("summary.md", "two");
        assertThat(Files.readString(run.file("summary.md"))).isEqualTo("two");
        try (var files = Files.list(run.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("summary.md");
        }
    }

    @Test
    void appendWritesTheHeaderOnceThenWholeRecords(@TempDir Path root) throws IOException {
        RunFolder run = RunFolder.create(root, "x", "h", NOW);
        run.appendRecord("cells.csv", List.of("cell", "loss"), List.of(0, 0.5));
        run.appendRecord("cells.csv", List.of("cell", "loss"), List.of(1, 0.25));
        assertThat(Files.readString(run.file("cells.csv"))).isEqualTo("cell,loss\r\n0,0.5\r\n1,0.25\r\n");
    }

    @Test
    void anUnwritableResultsFolderIsAClearError(@TempDir Path root) throws IOException {
        Path locked = root.resolve("locked");
        Files.createDirectory(locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        assumeTrue(!Files.isWritable(locked), "running as a user who can write anywhere");
        assertThatThrownBy(() -> RunFolder.create(locked, "x", "h", NOW))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("bad value '" + locked + "' for results_dir: cannot create");
    }

    @Test
    void aResultsPathThatIsAFileIsAClearError(@TempDir Path root) throws IOException {
        Path file = Files.writeString(root.resolve("not-a-folder"), "x");
        assertThatThrownBy(() -> RunFolder.create(file, "x", "h", NOW))
                .isInstanceOf(BadInputException.class)
                .hasMessageStartingWith("bad value '" + file + "' for results_dir: cannot create " + file.resolve("x"))
                .hasMessageContaining("Not a directory")
                .hasMessageEndingWith("; allowed: a folder gdlab can create and write");
    }
}
