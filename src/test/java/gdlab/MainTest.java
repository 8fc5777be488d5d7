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
                .isEqualTo("gdlab: cells 0 and 2 are the same (part=modes mode=batch batch_size=320 lr_ratio=0.9 "
                        + "lr=0.8404 seed=1): two sweep"
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
        assertThat(r.err()).startsWith("gdlab: unknown key 'colour'; known: ").contains("batch_size, curve_batch_sizes").contains("data, dtype")
                .hasLineCount(1);
        Run compare = run(Map.of("experiment", "compare", "baseLine", "x"));
        assertThat(compare.status()).isEqualTo(2);
        assertThat(compare.err()).startsWith("gdlab: unknown key 'baseLine' for compare; did you mean 'baseline'?");
    }

    @Test
    void helpAlonePrintsTheUsageAndTheListAndExits0() {
        Run r = run(Map.of("help", "true"));
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("usage: mvn -q compile exec:java -Dexperiment=NAME")
                .contains("-Dexperiment=runs").containsPattern("\n  batch-modes +How do batch, stochastic and mini-batch");
        assertThat(r.err()).isEmpty();
        assertThat(run(Map.of("help", "false")).status()).isEqualTo(2);   // no help asked, no experiment
        Run bad = run(Map.of("help", "yes"));
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("gdlab: bad value 'yes' for help; allowed: true or false"
                + System.lineSeparator());
    }

    @Test
    void helpForAnExperimentPrintsItsQuestionClaimsAndEveryKeyWithDefaultQuickValueAndMeaning() throws IOException {
        Run r = run("experiment", "batch-modes", "help", "true");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("batch-modes: How do batch, stochastic and mini-batch gradient descent differ")
                .contains("\n  [updates_per_epoch] Batch GD (B = N) makes 1 update per epoch")
                .contains("\n  [mini_batch_fraction_of_time] Mini-batch GD reaches the target in a fraction");
        var spec = gdlab.spec.SpecFile.read(Path.of("experiments/batch-modes.properties"));
        String lrLine = r.out().lines().filter(l -> l.startsWith("| lr_mini_batch ")).findFirst().orElseThrow();
        assertThat(lrLine.split("\\s*\\|\\s*")).containsSubsequence("lr_mini_batch",
                spec.values().get("lr_mini_batch"));
        String batchLine = r.out().lines().filter(l -> l.startsWith("| batch_size ")).findFirst().orElseThrow();
        assertThat(batchLine).contains(spec.values().get("batch_size")).contains("a comma list is a sweep axis");
        String examplesLine = r.out().lines().filter(l -> l.startsWith("| max_examples ")).findFirst().orElseThrow();
        assertThat(examplesLine.split("\\s*\\|\\s*")).containsSubsequence("max_examples",
                spec.values().get("max_examples"), spec.quick().get("max_examples"));
        assertThat(r.out()).contains("| workers ").contains("| results_dir ").contains("Keys every experiment has");
        assertThat(noResults()).isTrue();
    }

    @Test
    void helpCoversEveryKeyOfEveryExperimentAndOfCompareAndRuns() {
        for (String name : gdlab.Registry.names()) {
            Run r = run(Map.of("experiment", name, "help", "true"));
            assertThat(r.status()).as(name + ": " + r.err()).isZero();
            for (var param : gdlab.sweep.Harness.allParams(gdlab.Registry.create(name).params())) {
                assertThat(r.out()).as(name).contains("| " + param.key() + " ")
                        .contains(param.description().replace("|", "\\|"));
            }
            var claims = gdlab.report.Claim.sentences(
                    gdlab.spec.SpecFile.read(Path.of("experiments/" + name + ".properties")).hypothesis());
            assertThat(claims).as(name).isNotEmpty();
            claims.forEach(c -> assertThat(r.out()).contains("  [" + c.getKey() + "] " + c.getValue() + "\n"));
        }
        assertThat(run(Map.of("experiment", "compare", "help", "true")).out()).contains("| tolerance ")
                .contains("1e-9");
        assertThat(run(Map.of("experiment", "runs", "help", "true")).out()).contains("| results_dir | results ");
        Run unknown = run(Map.of("experiment", "x", "help", "true"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("gdlab: unknown experiment 'x'");
    }

    @Test
    void runsOfAResultsDirThatDoesNotExistIsBadInputAndAnUnknownKeyIsNamed() {
        Run missing = run(Map.of("experiment", "runs", "results_dir", results.resolve("nothing").toString()));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).startsWith("gdlab: bad value '" + results.resolve("nothing") + "' for results_dir:"
                + " no such folder").hasLineCount(1);
        Run empty = run(Map.of("experiment", "runs", "results_dir", results.toString()));
        assertThat(empty.status()).isZero();
        assertThat(empty.out()).isEqualTo("no runs under " + results + "\n");
        Run key = run(Map.of("experiment", "runs", "result_dir", "x"));
        assertThat(key.status()).isEqualTo(2);
        assertThat(key.err()).startsWith("gdlab: unknown key 'result_dir' for runs; did you mean 'results_dir'?");
    }
}
