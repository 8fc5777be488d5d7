package gdlab.experiment.failure;

import gdlab.Main;
import gdlab.experiment.RunFiles;
import gdlab.report.Claim;
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
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** failure-modes on its quick setting: what its hypothesis says, measured. */
class FailureModesTest {
    @TempDir
    static Path results;
    static Path run;
    static String stdout;

    @BeforeAll
    static void runQuick() {
        stdout = runMain(results, Map.of());
        run = results.resolve("failure-modes/latest");
    }

    static String runMain(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "failure-modes");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        return text;
    }

    static List<Map<String, String>> cells(String part) throws IOException {
        return RunFiles.rows(run.resolve("cells.csv")).stream().filter(r -> r.get("part").equals(part)).toList();
    }

    static double num(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void writesTheRunFolderWithOneSectionPerPart() throws IOException {
        for (String f : List.of("run.json", "cells.csv", "curves.csv", "summary.csv", "summary.md")) {
            assertThat(run.resolve(f)).isRegularFile();
        }
        assertThat(stdout).contains("## 1. Local minima", "## 2. The seed's claim", "## 3. Saddles and plateaus",
                "## 4. Vanishing gradients", "## 5. A bad step size");
        assertThat(RunFiles.rows(run.resolve("cells.csv"))).allSatisfy(r -> assertThat(r.get("status")).isNotEqualTo("failed"));
        Set<String> parts = RunFiles.rows(run.resolve("summary.csv")).stream().map(r -> r.get("part")).collect(Collectors.toSet());
        assertThat(parts).containsExactlyInAnyOrder("local-minima", "seed-claim", "saddle-plateau", "vanishing",
                "step-size");
    }

    @Test
    void deepSigmoidNetsFirstLayerGradientIsOrdersOfMagnitudeBelowItsLastWhileRelusIsNot() throws IOException {
        Map<String, List<Map<String, String>>> byActivation = cells("vanishing").stream()
                .collect(Collectors.groupingBy(r -> r.get("setting")));
        assertThat(byActivation).containsKeys("activation=sigmoid", "activation=relu");
        for (Map<String, String> r : byActivation.get("activation=sigmoid")) {
            assertThat(num(r, "grad_norm_first_init") * 100).isLessThanOrEqualTo(num(r, "grad_norm_last_init"));
            assertThat(num(r, "first_over_last_init")).isLessThanOrEqualTo(0.01);
        }
        for (Map<String, String> r : byActivation.get("activation=relu")) {
            assertThat(num(r, "grad_norm_first_init") * 100).isGreaterThan(num(r, "grad_norm_last_init"));
        }
        // DL4J's per-layer norms equal the reference Mlp's from the same parameters
        for (Map<String, String> r : cells("vanishing")) {
            assertThat(r.get("ref_agree")).isEqualTo("1");
        }
    }

    @Test
    void tooLargeAStepSizeIsADivergedRowWithItsStepNotAnException() throws IOException {
        List<Map<String, String>> rows = cells("step-size");
        Map<String, String> rosenbrockBig = rows.stream()
                .filter(r -> r.get("case").equals("rosenbrock") && r.get("lr").equals("0.01")).findFirst().orElseThrow();
        assertThat(rosenbrockBig.get("status")).isEqualTo("diverged");
        assertThat(rosenbrockBig.get("diverged_step")).isNotEmpty();
        assertThat(rosenbrockBig.get("ref_diverged_step")).isEqualTo(rosenbrockBig.get("diverged_step"));
        Map<String, String> mlpBig = rows.stream()
                .filter(r -> r.get("case").startsWith("digits") && r.get("lr").equals("1000")).findFirst().orElseThrow();
        assertThat(mlpBig.get("status")).isEqualTo("diverged");
        assertThat(Integer.parseInt(mlpBig.get("diverged_step"))).isPositive();
        // the small step sizes do not diverge
        assertThat(rows.stream().filter(r -> r.get("lr").equals("0.001") || r.get("lr").equals("1")))
                .isNotEmpty().allSatisfy(r -> assertThat(r.get("status")).isEqualTo("ok"));
        assertThat(rows).allSatisfy(r -> assertThat(r.get("agreement")).isIn("yes", "chaotic", ""));
        assertThat(stdout).contains("diverged at step");
    }

    @Test
    void localMinimaSharesSumToOnePerSettingAndDl4jEndsWhereTheReferenceEnds() throws IOException {
        List<Map<String, String>> rows = cells("local-minima");
        Set<String> settings = rows.stream().map(r -> r.get("case") + "|" + r.get("optimizer") + "|" + r.get("lr"))
                .collect(Collectors.toSet());
        assertThat(settings).hasSize(rows.size()).hasSize(3);
        for (Map<String, String> r : rows) {
            double sum = num(r, "share_global") + num(r, "share_local") + num(r, "share_stationary")
                    + num(r, "share_not_converged") + num(r, "share_diverged");
            assertThat(sum).as(r.get("case")).isCloseTo(1.0, within(1e-12));
            int counted = 0;
            int minimaReached = 0;
            for (String part : r.get("endpoint_counts").split("; ")) {
                int count = Integer.parseInt(part.substring(part.lastIndexOf('=') + 1));
                counted += count;
                if (part.startsWith("(") && count > 0) {
                    minimaReached++;
                }
            }
            assertThat(counted).isEqualTo(Integer.parseInt(r.get("starts")));
            // where GD ends depends on where it starts: several minima are reached
            assertThat(minimaReached).as(r.get("case")).isGreaterThanOrEqualTo(4);
            assertThat(Integer.parseInt(r.get("dl4j_runs"))).isPositive();
            assertThat(r.get("dl4j_agree")).isEqualTo(r.get("dl4j_runs"));
        }
        Map<String, String> camel = rows.stream().filter(r -> r.get("case").equals("six-hump-camel")).findFirst()
                .orElseThrow();
        assertThat(num(camel, "share_global")).isBetween(0.05, 0.95);
        assertThat(num(camel, "share_local")).isPositive();
    }

    @Test
    void saddleEscapeFollowsLinearTheoryAndNothingLeavesTheExactSaddleLine() throws IOException {
        List<Map<String, String>> saddle = cells("saddle-plateau").stream()
                .filter(r -> r.get("case").startsWith("saddle")).toList();
        assertThat(saddle).isNotEmpty();
        for (Map<String, String> r : saddle) {
            assertThat(r.get("engines_agree")).isEqualTo("1");
            if (r.get("setting").equals("y0=0")) {
                assertThat(r.get("escape_step")).as(r.get("optimizer")).isEmpty();
            }
        }
        Map<String, String> sgd = saddle.stream().filter(r -> r.get("optimizer").equals("sgd")
                && r.get("setting").equals("y0=1e-4")).findFirst().orElseThrow();
        // y_k = y0 (1 + 2 lr)^k: first k with y_k > 1 at lr 0.05 from 1e-4 is 97
        assertThat(sgd.get("escape_step")).isEqualTo("97").isEqualTo(sgd.get("theory_steps"));
        Map<String, String> adam = saddle.stream().filter(r -> r.get("optimizer").equals("adam")
                && r.get("setting").equals("y0=1e-4")).findFirst().orElseThrow();
        assertThat(num(adam, "escape_step")).isLessThan(num(sgd, "escape_step"));
        List<Map<String, String>> plateau = cells("saddle-plateau").stream()
                .filter(r -> r.get("case").startsWith("plateau")).toList();
        assertThat(plateau).allSatisfy(r -> assertThat(r.get("engines_agree")).isEqualTo("1"));
    }

    @Test
    void seedClaimComparesModesPairwiseAndXorRunsMatchTheReference() throws IOException {
        List<Map<String, String>> summary = RunFiles.rows(run.resolve("summary.csv")).stream()
                .filter(r -> r.get("part").equals("seed-claim")).toList();
        Map<String, String> stochastic = summary.stream().filter(r -> r.get("case").endsWith("+tilts")
                && r.get("mode").equals("stochastic")).findFirst().orElseThrow();
        Map<String, String> miniBatch = summary.stream().filter(r -> r.get("case").endsWith("+tilts")
                && r.get("mode").equals("mini-batch")).findFirst().orElseThrow();
        // at noise_std 10 (quick): single-term noise moves runs into the global basin, 8-term noise does not
        assertThat(stochastic.get("verdict")).isEqualTo("noise helped");
        assertThat(miniBatch.get("verdict")).isEqualTo("no measurable difference");
        assertThat(cells("seed-claim").stream().filter(r -> r.get("case").startsWith("xor")))
                .isNotEmpty().allSatisfy(r -> assertThat(r.get("engines_agree")).isEqualTo("1"));
        Map<String, Map<String, String>> claims = claims();
        assertThat(claims.get("stochastic_helps_moderate_noise").get("verdict")).isEqualTo("holds");
        // 3 XOR runs cannot reach p < 0.05 (McNemar's smallest p is 0.25): not tested, and not counted in k of n
        assertThat(claims.get("xor_no_help").get("verdict")).isEqualTo("not tested");
        assertThat(claims.get("xor_no_help").get("measured")).contains("too few runs");
        assertThat(claims.get("noise_rescues_in_a_window").get("verdict")).isEqualTo("not tested");
        assertThat(claims.get("xor_engines_agree").get("verdict")).isEqualTo("holds");
    }

    static Map<String, Map<String, String>> claims() throws IOException {
        Map<String, Map<String, String>> byId = new LinkedHashMap<>();
        RunFiles.rows(run.resolve("claims.csv")).forEach(r -> byId.put(r.get("claim"), r));
        return byId;
    }

    @Test
    void claimsAreTheHypothesisSentencesEachWithAVerdictAndEveryIntegrityCheckHolds() throws IOException {
        String hypothesis = gdlab.spec.SpecFile.read(Path.of("experiments", "failure-modes.properties")).hypothesis();
        List<Map<String, String>> rows = RunFiles.rows(run.resolve("claims.csv"));
        assertThat(rows.stream().map(r -> Map.entry(r.get("claim"), r.get("statement"))).toList())
                .containsExactlyElementsOf(Claim.sentences(hypothesis));
        assertThat(rows).allSatisfy(r -> assertThat(r.get("verdict")).isIn("holds", "does not hold",
                "not distinguishable", "not tested"));
        assertThat(Claim.HYPOTHESIS_START + String.join(" ", Claim.sentences(hypothesis).stream()
                .map(e -> "[" + e.getKey() + "] " + e.getValue()).toList())).isEqualTo(hypothesis);
        Map<String, String> verdicts = new LinkedHashMap<>();
        rows.stream().filter(r -> r.get("kind").equals("integrity")).forEach(r -> verdicts.put(r.get("claim"),
                r.get("verdict")));
        // the quick grid has no lr above a minimum's bound: part 1's theory check has nothing to test
        assertThat(verdicts).containsExactly(Map.entry("stability_bound", "not tested"),
                Map.entry("dl4j_ends_with_reference", "holds"), Map.entry("xor_engines_agree", "holds"),
                Map.entry("saddle_linear_theory", "holds"), Map.entry("saddle_line_never_left", "holds"),
                Map.entry("escape_engines_agree", "holds"), Map.entry("vanishing_engines_agree", "holds"),
                Map.entry("rosenbrock_stability_bound", "holds"), Map.entry("step_size_engines_agree", "holds"));
        Map<String, String> findings = new LinkedHashMap<>();
        rows.stream().filter(r -> r.get("kind").equals("finding")).forEach(r -> findings.put(r.get("claim"),
                r.get("verdict")));
        assertThat(findings).containsEntry("minima_depend_on_start", "holds")
                .containsEntry("global_share_partial", "holds").containsEntry("sigmoid_gradient_vanishes", "holds")
                .containsEntry("too_large_step_diverges", "holds")
                .containsEntry("saddle_closer_slower", "not tested").containsEntry("just_above_bound_neither",
                        "not tested");
        assertThat(stdout).contains("### Checks");
        // the quick relu net stays at chance (loss ln 10 after 1 epoch): "flat" is not said of a net that did not
        // learn, and "it learns" does not hold
        assertThat(findings).containsEntry("tanh_relu_flat", "not tested").containsEntry("tanh_relu_learn",
                "does not hold");
        assertThat(claims().get("tanh_relu_flat").get("measured")).contains("did not train");
        // 3 XOR runs per mode: an interval holding 1/3 also holds 2/3, so "about a third" is not distinguishable
        assertThat(claims().get("xor_third_stuck").get("verdict")).isEqualTo("not distinguishable");
    }

    @Test
    void sameSpecGivesTheSameCellsWhateverTheWorkers(@TempDir Path other) throws IOException {
        Map<String, String> small = Map.of("parts", "local-minima,saddle-plateau", "functions", "six-hump-camel",
                "grid", "3", "dl4j_starts", "1", "escape_optimizers", "adam", "saddle_y0", "1e-4", "workers", "2");
        runMain(other.resolve("a"), small);
        Map<String, String> one = new LinkedHashMap<>(small);
        one.put("workers", "1");
        runMain(other.resolve("b"), one);
        List<Map<String, String>> a = RunFiles.withoutTimings(RunFiles.rows(other.resolve("a/failure-modes/latest/cells.csv")));
        List<Map<String, String>> b = RunFiles.withoutTimings(RunFiles.rows(other.resolve("b/failure-modes/latest/cells.csv")));
        assertThat(a).isNotEmpty().isEqualTo(b);

        // resuming the finished run rebuilds every section from cells.csv and curves.csv alone: same summary
        String before = withoutFooter(Files.readString(other.resolve("a/failure-modes/latest/summary.md")));
        Map<String, String> resume = new LinkedHashMap<>(small);
        resume.put("resume", "latest");
        runMain(other.resolve("a"), resume);
        String after = withoutFooter(Files.readString(other.resolve("a/failure-modes/latest/summary.md")));
        assertThat(after).contains("## 1. Local minima", "## 3. Saddles").isEqualTo(before);
    }

    /** summary.md without its last line (cell counts, wall time, run folder). */
    static String withoutFooter(String summary) {
        String s = summary.strip();
        return s.substring(0, s.lastIndexOf('\n'));
    }

}
