package gdlab.experiment;

import gdlab.Main;
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

import static gdlab.experiment.BatchModesTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** learning-rate on its quick setting: the theory-backed claims of its hypothesis, measured. */
class LearningRateTest {
    @TempDir
    static Path results;
    static String stdout;
    static List<Map<String, String>> cells;

    @BeforeAll
    static void runQuick() throws IOException {
        stdout = run(results, Map.of(), 0);
        cells = rows(results.resolve("learning-rate/latest/cells.csv"));
    }

    static String run(Path dir, Map<String, String> extra, int expectedStatus) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "learning-rate");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedStatus);
        return expectedStatus == 0 ? out.toString(StandardCharsets.UTF_8) : err.toString(StandardCharsets.UTF_8);
    }

    static Map<String, String> only(String problem, String task) {
        List<Map<String, String>> found = cells.stream()
                .filter(r -> r.get("problem").equals(problem) && r.get("task").equals(task)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    static List<Map<String, String>> sweep(String problem, String mode) {
        return cells.stream().filter(r -> r.get("problem").equals(problem) && r.get("task").equals("sweep")
                && r.get("mode").equals(mode)).toList();
    }

    static double num(Map<String, String> r, String column) {
        return Double.parseDouble(r.get(column));
    }

    @Test
    void divergenceEdgeFoundByBisectionIsWithinTwoPercentOfTwoOverLambdaMax() {
        Map<String, String> edge = only("quadratic", "edge");
        double predicted = num(edge, "predicted_lr");
        assertThat(predicted).isCloseTo(2 / 4.0, within(1e-9)); // lambda_max = 4 by construction
        assertThat(num(edge, "measured_lr") / predicted).isCloseTo(1, within(0.02));
        assertThat(num(edge, "reference_lr") / predicted).isCloseTo(1, within(0.02));
        assertThat(stdout).contains("predicted_edge_2_over_lambda_max").contains("| yes ");
    }

    @Test
    void bestConstantLearningRateIsNearTwoOverLambdaMinPlusLambdaMax() {
        Map<String, String> best = only("quadratic", "best-lr");
        assertThat(num(best, "predicted_lr")).isCloseTo(2 / (0.4 + 4.0), within(1e-9));
        assertThat(num(best, "measured_lr") / num(best, "predicted_lr")).isCloseTo(1, within(0.03));
        assertThat(num(best, "measured_rate")).isCloseTo(num(best, "predicted_rate"), within(0.01));
    }

    @Test
    void fullBatchLeastSquaresDivergesExactlyAboveTheCriticalRateAndOvershootsAboveHalfOfIt() {
        List<Map<String, String>> full = sweep("quadratic", "batch");
        assertThat(full).isNotEmpty();
        for (Map<String, String> r : full) {
            double ratio = num(r, "lr_ratio");
            assertThat(r.get("regime").equals("diverged")).as("ratio %s", ratio).isEqualTo(ratio > 1);
            // the top-eigenvector component changes sign every step exactly when lr lambda_max > 1
            if (ratio < 1) {
                assertThat(num(r, "overshoot_share")).as("ratio %s", ratio).isEqualTo(ratio > 0.5 ? 1.0 : 0.0);
            }
        }
        assertThat(regime(full, 1e-4)).isEqualTo("too-slow");
        assertThat(regime(full, 0.9)).isEqualTo("converged");
    }

    static String regime(List<Map<String, String>> runs, double ratio) {
        return runs.stream().filter(r -> num(r, "lr_ratio") == ratio).findFirst().orElseThrow().get("regime");
    }

    @Test
    void dl4jLeastSquaresRunsMatchTheReferenceEpochByEpoch() {
        List<Map<String, String>> ls = cells.stream()
                .filter(r -> r.get("problem").equals("quadratic") && r.get("task").equals("sweep")).toList();
        assertThat(ls).hasSizeGreaterThan(5);
        for (Map<String, String> r : ls) {
            assertThat(num(r, "ref_mismatch_epochs")).as(r.toString()).isZero();
        }
    }

    @Test
    void theMlpShowsBothFailureRegimes() {
        for (String mode : List.of("batch", "mini-batch")) {
            List<Map<String, String>> runs = sweep("digits-mlp", mode);
            double smallest = runs.stream().mapToDouble(r -> num(r, "lr_ratio")).min().orElseThrow();
            double largest = runs.stream().mapToDouble(r -> num(r, "lr_ratio")).max().orElseThrow();
            assertThat(regime(runs, smallest)).isEqualTo("too-slow");
            assertThat(regime(runs, largest)).isIn("diverged", "oscillating");
            assertThat(runs).anyMatch(r -> r.get("regime").equals("converged"));
        }
        assertThat(stdout).contains("### Best learning rate per batch size");
    }

    @Test
    void regimesFollowTheirDefinitions() {
        assertThat(LearningRate.regime(true, 0.1, 1, 0.5, 0, 0)).isEqualTo("diverged");
        assertThat(LearningRate.regime(false, 1.2, 1, 0.5, 0, 0)).isEqualTo("diverged");
        assertThat(LearningRate.regime(false, 0.4, 1, 0.5, 0.5, 1)).isEqualTo("converged");
        assertThat(LearningRate.regime(false, 0.6, 1, 0.5, 0.3, 0)).isEqualTo("oscillating");
        assertThat(LearningRate.regime(false, 0.6, 1, 0.5, 0, 1)).isEqualTo("oscillating");
        assertThat(LearningRate.regime(false, 0.6, 1, 0.5, 0.1, 0)).isEqualTo("too-slow");
        assertThat(LearningRate.upShare(new double[]{4, 3, 3.5, 2, 2.5}, 0, 1)).isEqualTo(0.5);
        assertThat(LearningRate.signAlternation(List.of(1.0, -0.5, 0.25, 0.2))).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void searchesFindAKnownEdgeAndAKnownMinimum() {
        LearningRate.EdgeSearch s = LearningRate.EdgeSearch.of(lr -> lr > 0.3, 0.005);
        assertThat(s.lo()).isLessThanOrEqualTo(0.3);
        assertThat(s.hi()).isGreaterThan(0.3);
        assertThat(s.hi() / s.lo() - 1).isLessThanOrEqualTo(0.005);
        double[] best = LearningRate.minimizeRate(lr -> lr > 0.5 ? Double.POSITIVE_INFINITY
                : Math.max(1 - 0.4 * lr, 4 * lr - 1), 30);
        assertThat(best[0]).isCloseTo(2 / 4.4, within(1e-4));
    }

    @Test
    void inconsistentSpectrumIsBadInput(@TempDir Path dir) {
        String err = run(dir, Map.of("lambda_max", "1"), 2);
        assertThat(err).contains("lambda_max").contains("condition");
    }
}
