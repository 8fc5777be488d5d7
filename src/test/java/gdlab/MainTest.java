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
        return run(props);
    }

    static Run run(Map<String, String> props) {
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
                + String.join(", ", gdlab.Registry.names()) + System.lineSeparator());
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
                {"seeds", "1,1"},            // a repeated sweep value
                {"batch_size", "32,32"},
                {"batch_size", "full,320"},  // two values, one cell (quick: 320 training examples)
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
        assertThat(run("experiment", "batch-modes", "quick", "true", "batch_size", "full,320").err())
                .isEqualTo("gdlab: cells 0 and 2 are the same (mode=batch batch_size=320 lr=2 seed=1): two sweep"
                        + " values resolve to one; list each setting once" + System.lineSeparator());
        assertThat(run("experiment", "batch-modes", "quick", "true", "seeds", "1,1").err())
                .contains("bad value '1,1' for seeds: 1 is listed twice");
        assertThat(noResults()).isTrue();
    }

    @Test
    void aMissingSpecFileIsBadInput() throws IOException {
        Run r = run("experiment", "batch-modes", "spec", results.resolve("none.properties").toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("spec file not found");
        assertThat(noResults()).isTrue();
    }

    /** What Main sees under {@code mvn -q compile exec:java}, besides the user's keys (a recorded snapshot). */
    static Properties mavenExecJavaProperties() throws IOException {
        Properties p = new Properties();
        try (var in = MainTest.class.getResourceAsStream("mvn-exec-java-properties.txt")) {
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(name -> p.setProperty(name, "x"));
        }
        return p;
    }

    @Test
    void theJvmsMavensAndLibrariesPropertiesPassThroughAndEveryOtherIsAKey() throws IOException {
        Properties p = mavenExecJavaProperties();
        System.getProperties().forEach(p::put);      // this test JVM's (surefire's, ND4J's) as well
        p.setProperty("skipTests", "true");
        p.setProperty("org.bytedeco.javacpp.nopointergc", "true");
        p.setProperty("spark.master", "local[2]");
        p.setProperty("experiment", "batch-modes");
        p.setProperty("batch_size", "1,32");
        p.setProperty("maxEpochs", "1");
        p.setProperty("lr.batch", "9");
        assertThat(Main.userProperties(p)).containsOnlyKeys("experiment", "batch_size", "maxEpochs", "lr.batch");
    }

    @Test
    void noExperimentKeyIsMistakenForAnOutsideProperty() {
        for (String name : gdlab.Registry.names()) {
            var params = gdlab.sweep.Harness.allParams(gdlab.Registry.create(name).params());
            assertThat(params).as(name).noneMatch(param -> OutsideProperties.contains(param.key()));
        }
    }

    @Test
    void aMisspeltKeyOnTheCommandLineExits2WithTheClosestKey() throws IOException {
        String[][] cases = {
                {"maxEpochs", "max_epochs"},
                {"lr.batch", "lr_batch"},
                {"LR-Mini-Batch", "lr_mini_batch"},
                {"max_epoch", "max_epochs"},
                {"seed", "seeds"},
        };
        for (String[] c : cases) {
            Properties system = mavenExecJavaProperties();
            system.setProperty("experiment", "batch-modes");
            system.setProperty("quick", "true");
            system.setProperty(c[0], "1");
            Map<String, String> props = Main.userProperties(system);
            props.put("results_dir", results.toString());
            Run r = run(props);
            assertThat(r.status()).as(c[0]).isEqualTo(2);
            assertThat(r.err()).isEqualTo("gdlab: unknown key '" + c[0] + "'; did you mean '" + c[1] + "'?"
                    + System.lineSeparator());
        }
        assertThat(noResults()).isTrue();
    }

    @Test
    void aKeyFarFromEveryKnownOneListsThemAll() {
        Run r = run("experiment", "batch-modes", "quick", "true", "colour", "red");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("gdlab: unknown key 'colour'; known: ").contains("batch_size, data, dtype")
                .hasLineCount(1);
        Run compare = run(Map.of("experiment", "compare", "baseLine", "x"));
        assertThat(compare.status()).isEqualTo(2);
        assertThat(compare.err()).startsWith("gdlab: unknown key 'baseLine' for compare; did you mean 'baseline'?");
    }
}
