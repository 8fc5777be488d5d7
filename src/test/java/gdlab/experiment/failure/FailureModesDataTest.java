package gdlab.experiment.failure;

import gdlab.Main;
import gdlab.experiment.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * failure-modes' network parts (vanishing, step size) on a CSV written here: nets sized from the data, their claims
 * checked, the summary saying which parts use the data, and a label it cannot use refused with exit status 2.
 */
class FailureModesDataTest {
    @TempDir
    static Path dir;
    static String csv;
    static Outcome run;
    static List<Map<String, String>> cells;

    record Outcome(int status, String out, String err) {
    }

    static Outcome runMain(Path results, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(Map.of("experiment", "failure-modes", "quick", "true",
                "quiet", "true", "results_dir", results.toString(), "parts", "vanishing,step-size"));
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void runOnACsv() throws IOException {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder("kind,a,b,c,d\n");
        String[] kinds = {"p", "q", "r"};
        for (int i = 0; i < 150; i++) {
            int k = i % 3;
            text.append(String.format(Locale.ROOT, "%s,%.4f,%.4f,%.4f,%.4f%n", kinds[k], 2 * k + random.nextGaussian(),
                    -k + random.nextGaussian(), random.nextGaussian(), k + random.nextGaussian()));
        }
        csv = "csv:" + Files.writeString(dir.resolve("blobs.csv"), text);
        run = runMain(dir.resolve("run"), Map.of("data", csv, "label", "kind"));
        assertThat(run.status()).as(run.err()).isZero();
        cells = RunFiles.rows(dir.resolve("run/failure-modes/latest/cells.csv"));
    }

    @Test
    void theNetworkPartsTrainNetsSizedFromTheData() {
        // 150 rows, test_fraction 0.2: 120 training examples of 4 features, 3 classes
        assertThat(cells).filteredOn(r -> r.get("part").equals("vanishing")).hasSize(2)
                .allSatisfy(r -> assertThat(r.get("case")).isEqualTo("blobs.csv 4-32x10-3"));
        assertThat(cells).filteredOn(r -> r.get("part").equals("step-size") && !r.get("case").equals("rosenbrock"))
                .hasSize(2).allSatisfy(r -> {
                    assertThat(r.get("case")).isEqualTo("blobs.csv 4-32-3 relu");
                    assertThat(r.get("agreement")).isEqualTo("yes");
                });
        assertThat(cells).filteredOn(r -> r.get("case").equals("rosenbrock")).hasSize(2);
        assertThat(run.out()).contains("Data: " + csv + ", used by the vanishing part and the step-size part's MLP; "
                + "local minima, the seed's claim, saddles/plateaus and Rosenbrock run on their own test functions")
                .contains("MLP on blobs.csv").contains("120 training / 30 test examples");
    }

    @Test
    void theNetworkPartsClaimsAreCheckedOnTheData() throws IOException {
        Map<String, String> verdicts = new LinkedHashMap<>();
        RunFiles.rows(dir.resolve("run/failure-modes/latest/claims.csv"))
                .forEach(c -> verdicts.put(c.get("claim"), c.get("verdict")));
        assertThat(verdicts).containsEntry("vanishing_engines_agree", "holds")
                .containsEntry("step_size_engines_agree", "holds").containsEntry("too_large_step_diverges", "holds")
                .containsEntry("minima_depend_on_start", "not tested");
        for (String id : List.of("sigmoid_gradient_vanishes", "sigmoid_accuracy_at_chance", "tanh_relu_learn")) {
            assertThat(verdicts.get(id)).as(id).isIn("holds", "does not hold", "not distinguishable");
        }
    }

    @Test
    void aLabelItCannotUseIsNamedWithExitStatus2() throws IOException {
        StringBuilder text = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 60; i++) {
            text.append(i % 5).append(',').append(i % 7).append(',').append(0.37 * i + 0.01).append('\n');
        }
        String continuous = "csv:" + Files.writeString(dir.resolve("measured.csv"), text);
        Path bad = dir.resolve("bad");
        Outcome label = runMain(bad, Map.of("data", continuous, "label", "y"));
        assertThat(label.status()).isEqualTo(2);
        assertThat(label.err()).contains("measured.csv").contains("continuous");
        Outcome column = runMain(bad, Map.of("data", csv, "label", "nope"));
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err()).contains("'nope'");
        assertThat(bad).doesNotExist();
    }
}
