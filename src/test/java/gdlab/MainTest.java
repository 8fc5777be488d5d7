package gdlab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @TempDir
    Path results;

    record Run(int status, String out, String err) {
    }

    Run run(String... keyValues) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("results_dir", results.toString());
        props.put("quiet", "true");
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    boolean noResults() throws IOException {
        try (var s = Files.list(results)) {
            return s.findAny().isEmpty();
        }
    }

    @Test
    void listPrintsEveryExperimentWithItsQuestion() {
        Run r = run("experiment", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("batch-modes").contains("How do batch, stochastic and mini-batch");
    }

    @Test
    void noExperimentPrintsUsageAndTheListAndExits2() {
        Run r = run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("usage: mvn -q compile exec:java -Dexperiment=NAME").contains("batch-modes");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownExperimentNamesTheKnownOnes() throws IOException {
        Run r = run("experiment", "x");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("gdlab: unknown experiment 'x'; known: "
                + String.join(", ", gdlab.experiment.Registry.names()) + System.lineSeparator());
        assertThat(noResults()).isTrue();
    }

    @Test
    void badInputExitsWith2AndWritesNothing() throws IOException {
        String[][] cases = {
                {"max_epoch", "3"},          // unknown key
                {"lr_batch", "-1"},          // lr <= 0
                {"lr_stochastic", "0"},
                {"batch_size", "0"},         // batch size 0
                {"batch_size", "1,abc"},
                {"batch_size", "100000"},    // > N
                {"seeds", "0"},
                {"workers", "two"},
                {"dtype", "half"},
                {"data", "mnist"},
                {"engine", "spark"},         // only with the spark build
                {"engine", "cluster"},
        };
        for (String[] c : cases) {
            Run r = run("experiment", "batch-modes", "quick", "true", c[0], c[1]);
            assertThat(r.status()).as(c[0] + "=" + c[1]).isEqualTo(2);
            assertThat(r.err()).as(c[0] + "=" + c[1]).startsWith("gdlab: ").contains(c[0]).hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
        Run big = run("experiment", "batch-modes", "quick", "true", "batch_size", "100000");
        assertThat(big.err()).contains("larger than the 320 training examples")
                .contains("allowed: 1, full, or an integer from 2 to 320");
        assertThat(noResults()).isTrue();
    }

    @Test
    void aMissingSpecFileIsBadInput() throws IOException {
        Run r = run("experiment", "batch-modes", "spec", results.resolve("none.properties").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("spec file not found");
        assertThat(noResults()).isTrue();
    }

    @Test
    void onlySnakeCaseSystemPropertiesAreGdlabKeys() {
        Properties p = new Properties();
        p.setProperty("java.version", "17");
        p.setProperty("javacpp.platform", "linux-x86_64");
        p.setProperty("skipTests", "true");
        p.setProperty("experiment", "batch-modes");
        p.setProperty("batch_size", "1,32");
        assertThat(Main.userProperties(p)).containsOnlyKeys("experiment", "batch_size");
    }
}
