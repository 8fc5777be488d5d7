package gdlab.experiment.learningrate;

import gdlab.Main;
import gdlab.experiment.RunFiles;
import gdlab.report.Claim;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.RunFiles.rows;
import static gdlab.experiment.RunFiles.claim;
import static gdlab.experiment.RunFiles.quick;
import static gdlab.experiment.RunFiles.with;
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
    void divergenceEdgeFoundByBisectionIsWithinTwoPercentOfTwoOverLambdaMax() throws IOException {
        Map<String, String> edge = only("quadratic", "edge");
        double predicted = num(edge, "predicted_lr");
        assertThat(predicted).isCloseTo(2 / 4.0, within(1e-9)); // lambda_max = 4 by construction
        assertThat(num(edge, "measured_lr") / predicted).isCloseTo(1, within(0.02));
        assertThat(num(edge, "reference_lr") / predicted).isCloseTo(1, within(0.02));
        assertThat(stdout).contains("| lr_crit_predicted | lr_edge_measured |");
        // summary.csv: each row with its problem's predicted and measured edge (the MLP has no edge search)
        List<Map<String, String>> summary = rows(results.resolve("learning-rate/latest/summary.csv"));
        assertThat(summary).filteredOn(r -> r.get("problem").equals("quadratic")).isNotEmpty().allSatisfy(r -> {
            assertThat(num(r, "lr_crit_predicted")).isCloseTo(predicted, within(1e-12));
            assertThat(num(r, "lr_edge_measured")).isEqualTo(num(edge, "measured_lr"));
        });
        assertThat(summary).filteredOn(r -> r.get("problem").equals("digits-mlp")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("lr_edge_measured")).isEmpty());
        assertThat(claimRow("divergence_edge").get("verdict")).isEqualTo("holds");
        assertThat(claimRow("divergence_edge").get("measured")).startsWith("quadratic: DL4J 0.50");
    }

    @Test
    void bestConstantLearningRateIsNearTwoOverLambdaMinPlusLambdaMax() {
        Map<String, String> best = only("quadratic", "best-lr");
        assertThat(num(best, "predicted_lr")).isCloseTo(2 / (0.4 + 4.0), within(1e-9));
        assertThat(num(best, "measured_lr") / num(best, "predicted_lr")).isCloseTo(1, within(0.03));
        assertThat(num(best, "measured_rate")).isCloseTo(num(best, "predicted_rate"), within(0.01));
        assertThat(claimRow("best_lr").get("verdict")).isEqualTo("holds");
        assertThat(claimRow("best_rate").get("verdict")).isEqualTo("holds");
    }

    @Test
    void fullBatchLeastSquaresDivergesExactlyAboveTheCriticalRateAndOvershootsAboveHalfOfIt() {
        List<Map<String, String>> full = sweep("quadratic", "batch");
        assertThat(full).isNotEmpty();
        for (Map<String, String> r : full) {
            double ratio = num(r, "lr_ratio");
            assertThat(r.get("regime").equals("diverged")).as("ratio %s", ratio).isEqualTo(ratio > 1);
            // the top-eigenvector component changes sign every step exactly when lr lambda_max > 1, the step where
            // the run blew up included (at 10 x lr_crit that is the first)
            assertThat(num(r, "overshoot_share")).as("ratio %s", ratio).isEqualTo(ratio > 0.5 ? 1.0 : 0.0);
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
        assertThat(claimRow("dl4j_matches_reference").get("measured")).startsWith("0 of " + ls.size()
                + " runs disagree; largest relative difference");
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

    // ---------------------------------------------------------------- claims

    static Map<String, String> claimRow(String id) {
        try {
            return rows(results.resolve("learning-rate/latest/claims.csv")).stream()
                    .filter(c -> c.get("claim").equals(id)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> hypothesisIds() {
        return Claim.sentences(SpecFile.read(Path.of("experiments/learning-rate.properties")).hypothesis()).stream()
                .map(Map.Entry::getKey).toList();
    }

    /** Each sentence of the hypothesis is a claim of claims.csv, in its order, with a verdict; no claim is extra. */
    @Test
    void everySentenceOfTheHypothesisIsAClaimWithAVerdict() throws IOException {
        String hypothesis = SpecFile.read(Path.of("experiments/learning-rate.properties")).hypothesis();
        List<Map<String, String>> claims = rows(results.resolve("learning-rate/latest/claims.csv"));
        assertThat(claims).extracting(c -> List.of(c.get("claim"), c.get("statement"))).containsExactlyElementsOf(
                Claim.sentences(hypothesis).stream().map(e -> List.of(e.getKey(), e.getValue())).toList());
        assertThat(claims).allSatisfy(c -> assertThat(c.get("verdict")).isIn("holds", "does not hold",
                "not distinguishable"));
        assertThat(claims).allSatisfy(c -> assertThat(c.get("support")).as(c.get("claim")).isNotBlank());
        assertThat(claims).filteredOn(c -> c.get("kind").equals("integrity")).extracting(c -> c.get("claim") + ": "
                + c.get("verdict")).containsExactly("divergence_edge: holds", "best_lr: holds", "best_rate: holds",
                "dl4j_matches_reference: holds");
        assertThat(stdout).contains("### Checks").contains("every integrity check passes")
                .doesNotContain("within_2_percent");
    }

    /** The quick run's cells, read back from its run folder. */
    static List<CellResult> results() throws IOException {
        return RunFiles.results(results.resolve("learning-rate/latest"), new LearningRate());
    }

    @Test
    void anEdgeAwayFromTwoOverLambdaMaxFailsTheIntegrityCheckAndTheRun() throws IOException {
        LearningRate experiment = quick(new LearningRate());
        List<CellResult> clean = results();
        Report report = experiment.summarize(clean);
        assertThat(report.fails()).isFalse();
        assertThat(report.claims()).extracting(Claim::id).containsExactlyElementsOf(hypothesisIds());

        List<CellResult> perturbed = new ArrayList<>(clean);
        perturbed.replaceAll(r -> r.cell().get("task").equals("edge")
                ? with(r, "measured_lr", r.number("predicted_lr") * 1.05) : r);
        Report wrong = experiment.summarize(perturbed);
        Claim edge = claim(wrong, "divergence_edge");
        assertThat(edge.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(edge.failsTheRun()).isTrue();
        assertThat(edge.measured()).contains("(1.05 x)");
        assertThat(wrong.fails()).isTrue();
    }

    @Test
    void aRunThatDisagreesWithTheReferenceFailsTheRun() throws IOException {
        List<CellResult> perturbed = new ArrayList<>(results());
        int i = 0;
        while (!perturbed.get(i).cell().get("task").equals("sweep")
                || !perturbed.get(i).cell().get("problem").equals("quadratic")) {
            i++;
        }
        perturbed.set(i, with(perturbed.get(i), "ref_mismatch_epochs", 3.0));
        Report report = quick(new LearningRate()).summarize(perturbed);
        assertThat(claim(report, "dl4j_matches_reference").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(claim(report, "dl4j_matches_reference").measured()).startsWith("1 of ");
        assertThat(report.fails()).isTrue();
    }

    @Test
    void aRunWithoutLeastSquaresLeavesItsTheoryNotTested() throws IOException {
        List<CellResult> mlpOnly = results().stream().filter(r -> r.cell().get("problem").equals("digits-mlp"))
                .toList();
        Report report = quick(new LearningRate()).summarize(mlpOnly);
        assertThat(report.claims()).extracting(c -> c.id() + ": " + c.verdict()).startsWith(
                "divergence_edge: not tested", "best_lr: not tested", "best_rate: not tested",
                "dl4j_matches_reference: not tested");
        for (String id : List.of("full_batch_converges_below_crit", "full_batch_diverges_above_crit",
                "least_squares_fails_above_crit")) {
            assertThat(claim(report, id).verdict()).as(id).isEqualTo(Claim.Verdict.NOT_TESTED);
            assertThat(claim(report, id).measured()).as(id).startsWith("the run has no");
        }
        assertThat(claim(report, "mlp_both_failure_regimes").verdict()).isNotEqualTo(Claim.Verdict.NOT_TESTED);
        assertThat(report.fails()).isFalse();
    }

    @Test
    void regimesFollowTheirDefinitions() {
        assertThat(Measures.regime(true, 0.1, 1, 0.5, 0, 0)).isEqualTo("diverged");
        assertThat(Measures.regime(false, 1.2, 1, 0.5, 0, 0)).isEqualTo("diverged");
        assertThat(Measures.regime(false, 0.4, 1, 0.5, 0.5, 1)).isEqualTo("converged");
        assertThat(Measures.regime(false, 0.6, 1, 0.5, 0.3, 0)).isEqualTo("oscillating");
        assertThat(Measures.regime(false, 0.6, 1, 0.5, 0, 1)).isEqualTo("oscillating");
        assertThat(Measures.regime(false, 0.6, 1, 0.5, 0.1, 0)).isEqualTo("too-slow");
        assertThat(Measures.upShare(new double[]{4, 3, 3.5, 2, 2.5}, 0, 1)).isEqualTo(0.5);
        assertThat(Measures.signAlternation(List.of(1.0, -0.5, 0.25, 0.2))).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void searchesFindAKnownEdgeAndAKnownMinimum() {
        EdgeSearch s = EdgeSearch.of(lr -> lr > 0.3, 0.005);
        assertThat(s.lo()).isLessThanOrEqualTo(0.3);
        assertThat(s.hi()).isGreaterThan(0.3);
        assertThat(s.hi() / s.lo() - 1).isLessThanOrEqualTo(0.005);
        // lr = 1, 0.5, 0.25 bracket [0.25, 1]: then 9 bisections; lr = 1, 2, 4 bracket [2, 4]: then 8
        assertThat(s.runs()).isEqualTo(12);
        assertThat(EdgeSearch.of(lr -> lr > 3, 0.005).runs()).isEqualTo(11);
        RateSearch best = RateSearch.of(lr -> lr > 0.5 ? Double.POSITIVE_INFINITY
                : Math.max(1 - 0.4 * lr, 4 * lr - 1), 30);
        assertThat(best.lr()).isCloseTo(2 / 4.4, within(1e-4));
        assertThat(best.rate()).isCloseTo(1 - 0.4 * 2 / 4.4, within(1e-3));
    }

    @Test
    void inconsistentSpectrumIsBadInput(@TempDir Path dir) {
        String err = run(dir, Map.of("lambda_max", "1"), 2);
        assertThat(err).contains("lambda_max").contains("condition");
    }
}
