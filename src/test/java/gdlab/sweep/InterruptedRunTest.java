package gdlab.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** SIGTERM (what Ctrl-C's SIGINT does too) during a run: run.json says interrupted, stderr says how to finish it. */
class InterruptedRunTest {
    static final Map<String, String> SPEC = Map.of("experiment", "batch-modes", "quick", "true", "max_epochs", "40",
            "seeds", "1", "workers", "1", "quiet", "true");

    @Test
    void sigtermMarksTheRunInterruptedAndPrintsTheResumeCommand(@TempDir Path tmp) {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            Path results = tmp.resolve("results");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "gdlab.Main"));
            Map<String, String> props = new LinkedHashMap<>(SPEC);
            props.put("results_dir", results.toString());
            props.forEach((k, v) -> command.add(k + "=" + v));
            Path stderr = tmp.resolve("stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(stderr.toFile()).directory(new File(System.getProperty("user.dir")));
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process child = pb.start();
            try {
                Path run = results.resolve("batch-modes/latest");
                while (ResumeTest.dataRows(run.resolve("cells.csv")) < 1 && child.isAlive()) {
                    Thread.sleep(20);
                }
                assertThat(child.isAlive()).as("child still running when terminated").isTrue();
                child.destroy();     // SIGTERM: the JVM runs its shutdown hooks
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

                Path folder = run.toRealPath();
                assertThat(Files.readString(folder.resolve("run.json"))).contains("\"status\": \"interrupted\"");
                List<String> lines = Files.readAllLines(stderr);
                assertThat(lines.get(lines.size() - 1)).isEqualTo("gdlab: interrupted; finish it with: "
                        + "mvn -q compile exec:java -Dexperiment=batch-modes -Dmax_epochs=40 -Dquick=true -Dquiet=true"
                        + " -Dresults_dir=" + results + " -Dseeds=1 -Dworkers=1 -Dresume=" + folder);

                // the command finishes it
                ResumeTest.Result resumed = ResumeTest.main(results, Map.of("max_epochs", "40", "seeds", "1",
                        "resume", folder.toString()));
                assertThat(resumed.status()).as(resumed.err()).isZero();
                assertThat(Files.readString(folder.resolve("run.json"))).contains("\"status\": \"finished\"");
                assertThat(ResumeTest.dataRows(folder.resolve("cells.csv"))).isEqualTo(6);   // 3 modes, 3 curve batch sizes
            } finally {
                child.destroyForcibly();
            }
        });
    }
}
