package gdlab.sweep;

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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The interrupt hook marks a running run interrupted, never a finished one, and is gone once the run ends. */
class InterruptHookTest {
    @TempDir
    Path root;

    @Test
    void anInterruptMarksTheRunAndPrintsHowToFinishIt() throws IOException {
        RunFolder folder = RunFolder.create(root, "x", "h", LocalDateTime.of(2026, 1, 1, 0, 0));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (InterruptHook hook = InterruptHook.install(folder, new LinkedHashMap<>(Map.of("status", "running")),
                "mvn ... -Dresume=" + folder.dir(), new PrintStream(err, true, StandardCharsets.UTF_8))) {
            hook.onShutdown();
        }
        assertThat(Files.readString(folder.file("run.json"))).contains("\"status\": \"interrupted\"");
        assertThat(err.toString(StandardCharsets.UTF_8).strip())
                .endsWith("gdlab: interrupted; finish it with: mvn ... -Dresume=" + folder.dir());
    }

    @Test
    void aFinishedRunIsLeftAloneAndTheHookIsRemoved() throws IOException {
        RunFolder folder = RunFolder.create(root, "x", "h", LocalDateTime.of(2026, 1, 1, 0, 0));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InterruptHook hook = InterruptHook.install(folder, Map.of("status", "running"), "mvn ...",
                new PrintStream(err, true, StandardCharsets.UTF_8));
        hook.finish(Map.of("status", "finished"));
        hook.onShutdown();     // SIGTERM just after the last write
        hook.close();
        assertThat(Files.readString(folder.file("run.json"))).contains("\"status\": \"finished\"");
        assertThat(err.size()).isZero();
        assertThat(Runtime.getRuntime().removeShutdownHook(hook.thread)).as("still registered").isFalse();
    }
}
