package gdlab.experiment.cnninit;

import gdlab.Main;
import gdlab.experiment.RunFiles;
import gdlab.report.Claim;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** cnn-init on its quick setting: the symmetry claim and the initial gradient ratios, measured. */
class CnnInitTest {
    @TempDir
    static Path results;
    static Path run;
    static String stdout;
    static List<Map<String, String>> cells;
    static List<Map<String, String>> claims;

    @BeforeAll
    static void runQuick() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "cnn-init");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", results.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        stdout = out.toString(StandardCharsets.UTF_8);
        run = results.resolve("cnn-init/latest");
        cells = RunFiles.rows(run.resolve("cells.csv"));
        claims = RunFiles.rows(run.resolve("claims.csv"));
    }

    static Map<String, String> cell(String activation, String init) {
        return cells.stream().filter(r -> r.get("activation").equals(activation) && r.get("init").equals(init))
                .findFirst().orElseThrow();
    }

    static double num(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void zeroInitLeavesEveryHiddenUnitIdentical() {
        for (String act : List.of("relu", "sigmoid")) {
            Map<String, String> r = cell(act, "zero");
            assertThat(r.get("status")).isEqualTo("ok");
            assertThat(num(r, "conv_distinct")).as(act + " filters").isEqualTo(1);
            assertThat(num(r, "dense_distinct")).as(act + " dense units").isEqualTo(1);
            assertThat(num(r, "dense_spread")).isLessThanOrEqualTo(1e-4 * num(r, "dense_scale"));
        }
        // with sigmoid (0.5 out for 0 in) the dense weights do move: identical copies, not untouched zeros
        assertThat(num(cell("sigmoid", "zero"), "dense_scale")).isGreaterThan(1e-3);
        assertThat(num(cell("relu", "zero"), "dense_scale")).isZero();
        assertThat(claims.get(0)).containsEntry("claim", "zero_init_identical_units")
                .containsEntry("verdict", "holds");
    }

    /** claims.csv states the spec's hypothesis, claim by claim, each with a verdict; the integrity checks hold. */
    @Test
    void everyClaimHasAVerdictAndTheIntegrityChecksHold() throws IOException {
        List<Map.Entry<String, String>> hypothesis = Claim.sentences(
                SpecFile.read(Path.of("experiments/cnn-init.properties")).hypothesis());
        assertThat(hypothesis).hasSize(6);
        assertThat(claims.stream().map(c -> Map.entry(c.get("claim"), c.get("statement"))).toList())
                .isEqualTo(hypothesis);
        claims.forEach(c -> {
            assertThat(c.get("verdict")).isIn("holds", "does not hold", "not distinguishable", "not tested");
            if (c.get("kind").equals("integrity")) {
                assertThat(c.get("verdict")).as(c.get("claim")).isEqualTo("holds");
            }
        });
        // one seed and 160 test images cannot tell sigmoid's inits apart, nor He + relu within 0.02 of the best:
        // the findings say so, not "holds"
        assertThat(claims.get(3)).containsEntry("claim", "sigmoid_poor_init_slow")
                .containsEntry("verdict", "not distinguishable");
        assertThat(claims.get(3).get("support")).contains("2 SE").contains("seed noise unknown");
        assertThat(claims.get(5)).containsEntry("claim", "he_relu_among_best")
                .containsEntry("verdict", "not distinguishable");
        assertThat(claims.get(5).get("support")).contains("cannot resolve the margin");
    }

    /** A zero-init cell whose dense units came out distinct fails the symmetry check, and the run with it. */
    @Test
    void aBrokenSymmetryFailsItsIntegrityCheck() throws IOException {
        List<CellResult> results = RunFiles.results(run, new CnnInit()).stream().map(r -> {
            Map<String, Object> metrics = new LinkedHashMap<>(r.metrics());
            if (r.cell().get("init").equals("zero")) {
                metrics.put("dense_distinct", 2L);
            }
            return new CellResult(r.cell(), r.status(), r.message(), metrics, r.curve());
        }).toList();
        List<Claim> claims = CnnInitClaims.of(SeedGroup.of(results), List.of("sgd"), 10, 160, 0.05);
        assertThat(claims.get(0).id()).isEqualTo("zero_init_identical_units");
        assertThat(claims.get(0).failsTheRun()).as(claims.get(0).measured()).isTrue();
        assertThat(claims.get(1).failsTheRun()).isFalse();
    }

    /** The same check reports distinct units when they are: it can fail. */
    @Test
    void randomInitsGiveDistinctUnits() {
        for (String act : List.of("relu", "sigmoid")) {
            for (String init : List.of("small-uniform", "xavier", "he")) {
                Map<String, String> r = cell(act, init);
                assertThat(num(r, "conv_distinct")).as(act + " " + init).isEqualTo(num(r, "conv_filters"));
                assertThat(num(r, "dense_distinct")).as(act + " " + init).isEqualTo(num(r, "dense_units"));
                assertThat(num(r, "dense_spread")).isGreaterThan(1e-3 * num(r, "dense_scale"));
            }
        }
        assertThat(num(cell("relu", "xavier"), "dense_spread")).isGreaterThan(0.01);
    }

    @Test
    void sigmoidWithTinyWeightsHasAVanishingFirstLayerGradient() {
        double sigmoidSmall = num(cell("sigmoid", "small-uniform"), "grad_ratio_first_last");
        double reluHe = num(cell("relu", "he"), "grad_ratio_first_last");
        assertThat(sigmoidSmall).isLessThan(0.01);
        assertThat(reluHe).isGreaterThan(0.1);
        // and it learns nothing in the quick budget while relu + he does
        assertThat(num(cell("sigmoid", "small-uniform"), "test_accuracy")).isLessThan(0.2);
        assertThat(num(cell("relu", "he"), "test_accuracy")).isGreaterThan(0.8);
    }

    @Test
    void writesTablesAndFigures() {
        assertThat(stdout).startsWith("# cnn-init").contains("### Test accuracy after 3 epochs, sgd")
                .contains("Initial weights as DL4J draws them");
        assertThat(run.resolve("test-accuracy-sgd.png")).isRegularFile();
        assertThat(run.resolve("gradient-ratio.png")).isRegularFile();
    }
}
