package gdlab.experiment.gradientbasics;

import gdlab.Main;
import gdlab.basics.GradientCheck;
import gdlab.basics.Measurement;
import gdlab.dl4j.Nd4jSetup;
import gdlab.experiment.RunFiles;
import gdlab.report.Claim;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
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
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** gradient-basics on its quick setting: each claim of its hypothesis, read back from the run folder. */
class GradientBasicsTest {
    @TempDir
    static Path results;
    static Path run;
    static String stdout;
    static List<Map<String, String>> curves;

    @BeforeAll
    static void runQuick() throws IOException {
        Outcome o = runMain(results, Map.of());
        assertThat(o.status()).as(o.err()).isZero();
        stdout = o.out();
        run = results.resolve("gradient-basics/latest");
        curves = RunFiles.rows(run.resolve("curves.csv"));
    }

    record Outcome(int status, String out, String err) {
    }

    static Outcome runMain(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "gradient-basics");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The curve rows of one part, grouped by cell. */
    static Map<String, List<Map<String, String>>> part(String part) {
        return curves.stream().filter(r -> r.get("part").equals(part))
                .collect(Collectors.groupingBy(r -> r.get("data") + " seed " + r.get("seed"), LinkedHashMap::new,
                        Collectors.toList()));
    }

    static double value(List<Map<String, String>> rows, String series, String quantity, String x) {
        return rows.stream().filter(r -> r.get("series").equals(series) && r.get("quantity").equals(quantity)
                        && r.get("x").equals(x)).mapToDouble(r -> Double.parseDouble(r.get("value"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + series + "/" + quantity + " at '" + x + "'"));
    }

    static double[] values(List<Map<String, String>> rows, String series, String quantity) {
        return rows.stream().filter(r -> r.get("series").equals(series) && r.get("quantity").equals(quantity))
                .mapToDouble(r -> Double.parseDouble(r.get("value"))).toArray();
    }

    @Test
    void printsTheFourTablesAndPassesItsChecks() {
        for (String f : List.of("run.json", "cells.csv", "curves.csv", "summary.csv", "summary.md",
                "step-direction-digits.png", "sgd-loss.png")) {
            assertThat(run.resolve(f)).isRegularFile();
        }
        assertThat(stdout).startsWith("# gradient-basics")
                .contains("## 1. What is a loss function", "## 2. Is the derivative what backprop computes?",
                        "## 3. Why step along the negative gradient?", "## 4. How does the network learn")
                .contains("| data   | loss ", "| data   | block ", "| data   | eta ", "| data   | step ")
                .contains("### Checks", "15 of 15 claims hold; every integrity check passes")
                .doesNotContain("FAIL").doesNotContain("DISAGREE");
    }

    @Test
    void finiteDifferencesAgreeWithBackpropInEveryBlock() {
        Map<String, List<Map<String, String>>> cells = part("gradient-check");
        assertThat(cells).containsOnlyKeys("digits seed 1", "iris seed 1");
        for (Map.Entry<String, List<Map<String, String>>> cell : cells.entrySet()) {
            List<Map<String, String>> rows = cell.getValue();
            TreeSet<String> blocks = rows.stream().map(r -> r.get("series")).filter(s -> !s.equals("all"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(blocks).as(cell.getKey()).containsExactly("0_W", "0_b", "1_W", "1_b");
            for (String block : blocks) {
                assertThat(values(rows, block, "near_kink")).as("tanh has no kink").containsOnly(0.0);
                double[] bp = values(rows, block, "backprop");
                double[] fd = values(rows, block, "finite_difference");
                assertThat(bp).as(cell.getKey() + " " + block).isNotEmpty().hasSameSizeAs(fd);
                assertThat(GradientCheck.relativeError(bp, fd)).as(cell.getKey() + " " + block).isLessThan(1e-6);
                for (int i = 0; i < bp.length; i++) {
                    if (Math.abs(bp[i]) >= 1e-3) {
                        assertThat(GradientCheck.relativeError(bp[i], fd[i])).as(cell.getKey() + " " + block + " #"
                                + i + " g = " + bp[i]).isLessThan(1e-6);
                    }
                }
            }
            assertThat(value(rows, "all", "reference_max_abs_diff", "")).as(cell.getKey()).isLessThan(1e-12);
        }
    }

    @Test
    void aSmallStepAlongMinusGLowersTheLossAndAlongPlusGRaisesIt() {
        for (Map.Entry<String, List<Map<String, String>>> cell : part("step-direction").entrySet()) {
            String smallest = smallestEta(cell.getValue());
            assertThat(value(cell.getValue(), "-g", "loss_change", smallest)).as(cell.getKey()).isNegative();
            assertThat(value(cell.getValue(), "+g", "loss_change", smallest)).as(cell.getKey()).isPositive();
            double loss0 = value(cell.getValue(), "start", "loss", "");
            assertThat(value(cell.getValue(), "-g", "loss_after", smallest)).isLessThan(loss0);
            assertThat(value(cell.getValue(), "+g", "loss_after", smallest)).isGreaterThan(loss0);
        }
    }

    @Test
    void theDecreaseAtTheSmallestEtaIsWithinOnePercentOfEtaGSquared() {
        for (Map.Entry<String, List<Map<String, String>>> cell : part("step-direction").entrySet()) {
            String smallest = smallestEta(cell.getValue());
            double gg = value(cell.getValue(), "start", "gradient_norm_squared", "");
            double decrease = -value(cell.getValue(), "-g", "loss_change", smallest);
            assertThat(decrease / (Double.parseDouble(smallest) * gg)).as(cell.getKey()).isCloseTo(1.0, within(0.01));
            // and curvature shows at the largest eta: the prediction no longer holds there
            String largest = largestEta(cell.getValue());
            double far = -value(cell.getValue(), "-g", "loss_change", largest);
            assertThat(far / (Double.parseDouble(largest) * gg)).as(cell.getKey()).isLessThan(0.5);
        }
    }

    @Test
    void aRandomDirectionChangesTheLossFarLessThanTheGradientAtSmallEta() {
        for (Map.Entry<String, List<Map<String, String>>> cell : part("step-direction").entrySet()) {
            String smallest = smallestEta(cell.getValue());
            double random = Math.abs(value(cell.getValue(), "random", "loss_change", smallest));
            double down = Math.abs(value(cell.getValue(), "-g", "loss_change", smallest));
            assertThat(random).as(cell.getKey()).isLessThan(0.5 * down);
        }
    }

    @Test
    void dl4jLossValuesEqualTheReferences() {
        for (Map.Entry<String, List<Map<String, String>>> cell : part("losses").entrySet()) {
            for (String loss : List.of("mcxent+softmax", "mse+softmax", "xent+sigmoid")) {
                double dl4j = value(cell.getValue(), loss, "loss_dl4j", "");
                double ref = value(cell.getValue(), loss, "loss_reference", "");
                assertThat(dl4j).as(cell.getKey() + " " + loss).isPositive();
                assertThat(Math.abs(dl4j - ref) / ref).as(cell.getKey() + " " + loss).isLessThan(1e-12);
                assertThat(value(cell.getValue(), loss, "gradient_max_abs_diff", "")).isLessThan(1e-12);
            }
            assertThat(value(cell.getValue(), "network", "score_dl4j", ""))
                    .isEqualTo(value(cell.getValue(), "mcxent+softmax", "loss_dl4j", ""));
        }
    }

    @Test
    void softmaxWithCrossEntropyHasGradientPMinusYAndSquaredErrorDoesNot() {
        for (Map.Entry<String, List<Map<String, String>>> cell : part("losses").entrySet()) {
            String q = "gradient_max_abs_minus_a_minus_y";
            assertThat(value(cell.getValue(), "mcxent+softmax", q, "")).as(cell.getKey()).isLessThan(1e-15);
            assertThat(value(cell.getValue(), "xent+sigmoid", q, "")).as(cell.getKey()).isLessThan(1e-12);
            assertThat(value(cell.getValue(), "mse+softmax", q, "")).as(cell.getKey()).isGreaterThan(0.1);
        }
    }

    @Test
    void sgdStepsMoveTheWeightsAndBiasesOfEveryLayerAndLowerTheLoss() {
        for (Map.Entry<String, List<Map<String, String>>> cell : part("sgd").entrySet()) {
            List<Map<String, String>> rows = cell.getValue();
            double[] loss = values(rows, "loss", "train_loss");
            assertThat(loss).hasSize(21);
            assertThat(loss[20]).as(cell.getKey()).isLessThan(0.7 * loss[0]);
            for (String block : List.of("0_W", "0_b", "1_W", "1_b")) {
                double[] change = values(rows, block, "change_norm");
                assertThat(change[0]).isZero();
                assertThat(change[1]).as(cell.getKey() + " " + block + " after one step").isPositive();
                assertThat(change[20]).as(cell.getKey() + " " + block).isGreaterThan(change[1]);
            }
            assertThat(value(rows, "reference", "max_abs_param_diff", "")).isLessThan(1e-10);
        }
    }

    @Test
    void cellsCsvCountsNoMismatchWithTheReferenceAndNoDisagreeingBlock() throws IOException {
        List<Map<String, String>> cells = RunFiles.rows(run.resolve("cells.csv"));
        assertThat(cells).extracting(r -> r.get("data")).containsExactly("digits", "iris");
        for (Map<String, String> r : cells) {
            assertThat(r).containsEntry("status", "ok").containsEntry("reference_checks", "10")
                    .containsEntry("reference_mismatches", "0").containsEntry("fd_blocks_over_tolerance", "0")
                    .containsEntry("fd_near_kink", "0");
            assertThat(Double.parseDouble(r.get("first_order_ratio_smallest_eta"))).isCloseTo(1.0, within(0.01));
        }
    }

    @Test
    void summaryCsvHoldsTheStepTableOneRowPerDataSetAndEta() throws IOException {
        List<Map<String, String>> summary = RunFiles.rows(run.resolve("summary.csv"));
        // quick: 1e-5 .. 100, one step size per decade
        assertThat(summary).hasSize(2 * 8);
        assertThat(summary.get(0)).containsEntry("data", "digits").containsEntry("eta", "1.0e-5")
                .containsKey("ratio_minus_g");
    }

    @Test
    void aCheckThatCannotPassFailsTheRun(@TempDir Path dir) throws IOException {
        Outcome o = runMain(dir, Map.of("data", "iris", "fd_tolerance", "1e-14", "sgd_steps", "3"));
        assertThat(o.status()).isEqualTo(1);
        assertThat(o.out()).contains("1 integrity check FAILS").contains("DISAGREE");
        assertThat(claims(dir)).filteredOn(c -> !c.get("verdict").equals("holds"))
                .extracting(c -> c.get("claim") + ": " + c.get("verdict"))
                .containsExactly("finite_differences_match_backprop: does not hold");
    }

    static List<Map<String, String>> claims(Path dir) throws IOException {
        return RunFiles.rows(dir.resolve("gradient-basics/latest/claims.csv"));
    }

    /** Each sentence of the hypothesis is a claim of claims.csv, in its order; the quick run holds every one. */
    @Test
    void everySentenceOfTheHypothesisIsAClaimThatHolds() throws IOException {
        String hypothesis = SpecFile.read(Path.of("experiments/gradient-basics.properties")).hypothesis();
        assertThat(claims(results)).extracting(c -> Map.entry(c.get("claim"), c.get("statement")))
                .containsExactlyElementsOf(Claim.sentences(hypothesis)).hasSize(15);
        assertThat(claims(results)).allSatisfy(c -> {
            assertThat(c.get("verdict")).as(c.toString()).isEqualTo("holds");
            assertThat(c.get("measured")).isNotBlank();
            assertThat(c.get("expected")).isNotBlank();
        });
        assertThat(claims(results)).filteredOn(c -> c.get("kind").equals("finding")).extracting(c -> c.get("claim"))
                .containsExactly("curvature_takes_over", "random_direction_barely_changes");
    }

    /** A DL4J loss value moved 1e-9 relative off the reference's fails its integrity check, and only that one. */
    @Test
    void aPerturbedLossValueFailsItsIntegrityCheck() {
        Nd4jSetup.singleThreadedOps();
        GradientBasics experiment = new GradientBasics();
        Spec spec = Spec.resolve("gradient-basics", Harness.allParams(experiment.params()), Harness.defaults(),
                SpecFile.read(Path.of("experiments/gradient-basics.properties")),
                Map.of("data", "iris", "seeds", "1", "fd_samples", "2", "etas_per_decade", "1", "sgd_steps", "3"));
        List<CellResult> results = experiment.prepare(spec).stream().map(experiment::run).toList();
        Report clean = experiment.summarize(results);
        assertThat(clean.fails()).isFalse();
        assertThat(clean.claims()).allSatisfy(c -> assertThat(c.verdict()).as(c.toString())
                .isEqualTo(Claim.Verdict.HOLDS));

        CellResult r = results.get(0);
        List<List<Object>> curve = r.curve().stream().map(Measurement::of).map(m -> m.part().equals("losses")
                && m.series().equals("mse+softmax") && m.quantity().equals("loss_dl4j")
                ? new Measurement(m.part(), m.series(), m.x(), m.quantity(), m.value() * (1 + 1e-9)) : m)
                .map(Measurement::toRow).toList();
        Report perturbed = experiment.summarize(List.of(new CellResult(r.cell(), r.status(), r.message(),
                r.metrics(), curve)));
        assertThat(perturbed.fails()).isTrue();
        assertThat(perturbed.claims()).filteredOn(c -> c.verdict() != Claim.Verdict.HOLDS)
                .extracting(Claim::id, Claim::verdict)
                .containsExactly(tuple("loss_values_match_reference", Claim.Verdict.DOES_NOT_HOLD));
    }

    @Test
    void sameSpecAndSeedGiveTheSameCellsApartFromTimings(@TempDir Path dir) throws IOException {
        Map<String, String> small = Map.of("data", "iris", "seeds", "2", "sgd_steps", "5", "workers", "2");
        assertThat(runMain(dir.resolve("a"), small).status()).isZero();
        Map<String, String> oneWorker = new LinkedHashMap<>(small);
        oneWorker.put("workers", "1");
        assertThat(runMain(dir.resolve("b"), oneWorker).status()).isZero();
        List<Map<String, String>> a = RunFiles.withoutTimings(RunFiles.rows(dir.resolve("a/gradient-basics/latest/cells.csv")));
        List<Map<String, String>> b = RunFiles.withoutTimings(RunFiles.rows(dir.resolve("b/gradient-basics/latest/cells.csv")));
        assertThat(a).hasSize(2).isEqualTo(b);
        assertThat(Files.readString(dir.resolve("a/gradient-basics/latest/curves.csv")))
                .isEqualTo(Files.readString(dir.resolve("b/gradient-basics/latest/curves.csv")));
    }

    @Test
    void resumingAFinishedRunReadsItsMeasurementsBackIntoTheSameTables(@TempDir Path dir) {
        Map<String, String> small = new LinkedHashMap<>(Map.of("data", "iris", "sgd_steps", "3"));
        Outcome first = runMain(dir, small);
        small.put("resume", "latest");
        Outcome again = runMain(dir, small);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(withoutTimingLine(again.out())).isEqualTo(withoutTimingLine(first.out()))
                .contains("every integrity check passes");
    }

    static String withoutTimingLine(String markdown) {
        return markdown.lines().filter(l -> !l.contains(" cells (")).collect(Collectors.joining("\n"));
    }

    @Test
    void badStepRangeOrBatchSizeIsBadInput(@TempDir Path dir) throws IOException {
        Outcome range = runMain(dir, Map.of("eta_min", "1", "eta_max", "0.1"));
        assertThat(range.status()).isEqualTo(2);
        assertThat(range.err()).contains("eta_max");
        Outcome batch = runMain(dir, Map.of("data", "iris", "batch_size", "151"));
        assertThat(batch.status()).isEqualTo(2);
        assertThat(batch.err()).contains("batch_size").contains("150");
        try (var s = Files.list(dir)) {
            assertThat(s.findAny()).isEmpty();
        }
    }

    static String smallestEta(List<Map<String, String>> rows) {
        return rows.stream().filter(r -> r.get("series").equals("-g")).map(r -> r.get("x"))
                .min((x, y) -> Double.compare(Double.parseDouble(x), Double.parseDouble(y))).orElseThrow();
    }

    static String largestEta(List<Map<String, String>> rows) {
        return rows.stream().filter(r -> r.get("series").equals("-g")).map(r -> r.get("x"))
                .max((x, y) -> Double.compare(Double.parseDouble(x), Double.parseDouble(y))).orElseThrow();
    }
}
