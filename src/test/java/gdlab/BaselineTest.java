package gdlab;

import gdlab.experiment.Registry;
import gdlab.report.Compare;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every experiment has a committed baseline (results/baseline/NAME, its quick setting; refresh with
 * scripts/update-baselines) and a fresh quick run compares {@code same} with it on every row: nothing worse,
 * nothing better, no group missing on either side. The relative tolerance 1e-6 allows for the last bits that
 * another CPU's kernels change; seeds' confidence intervals absorb the rest.
 */
class BaselineTest {
    @TempDir
    static Path results;

    @TestFactory
    Stream<DynamicTest> freshQuickRunsMatchTheirBaselines() {
        return Registry.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path baseline = Path.of("results/baseline", name);
            assertThat(baseline.resolve("cells.csv")).as("committed baseline for " + name).isRegularFile();
            Map<String, String> props = new LinkedHashMap<>(Map.of("experiment", name, "quick", "true",
                    "quiet", "true", "results_dir", results.toString()));
            PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            int status = Main.run(props, sink, sink);
            assertThat(status).as(name + " exit status").isIn(0, 1);
            Path fresh = results.resolve(name).resolve("latest");
            assertThat(Files.isDirectory(fresh)).isTrue();
            Compare.Result r = Compare.run(Map.of("baseline", baseline.toString(), "candidate", fresh.toString(),
                    "tolerance", "1e-6"));
            assertThat(r.worse()).as(name + ":\n" + Compare.markdown(r)).isZero();
            assertThat(r.better()).as(name + ":\n" + Compare.markdown(r)).isZero();
            assertThat(r.oneSided()).as(name + ":\n" + Compare.markdown(r)).isZero();
        }));
    }
}
