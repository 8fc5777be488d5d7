package gdlab.experiment.remedies;

import gdlab.Main;
import gdlab.experiment.RunFiles;
import gdlab.report.Claim;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
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
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * remedies on its quick setting: every claim checked, the numbers theory pins down, bad input refused, and the
 * overfitting part's table and claims (each shown able to go either way on perturbed results).
 */
class RemediesTest {
    @TempDir
    static Path results;
    static Path run;
    static Outcome quick;

    record Outcome(int status, String out, String err) {
    }

    @BeforeAll
    static void runQuick() {
        quick = runMain(results, Map.of());
        assertThat(quick.status()).as(quick.err()).isZero();
        run = results.resolve("remedies/latest");
    }

    static Outcome runMain(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "remedies");
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

    static List<Map<String, String>> part(String file, String part) throws IOException {
        return RunFiles.rows(run.resolve(file)).stream().filter(r -> r.get("part").equals(part)).toList();
    }

    static double num(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void claimsCsvHasEveryHypothesisClaimWithAVerdictAndNoIntegrityCheckFails() throws IOException {
        String hypothesis = SpecFile.read(Path.of("experiments/remedies.properties")).hypothesis();
        List<String> ids = Claim.sentences(hypothesis).stream().map(Map.Entry::getKey).toList();
        List<Map<String, String>> claims = RunFiles.rows(run.resolve("claims.csv"));
        assertThat(claims).extracting(r -> r.get("claim")).containsExactlyElementsOf(ids);
        assertThat(ids).contains("iterations_cut_as_predicted", "decay_ends_below_floor", "clipping_raises_stable_lr",
                "restarts_match_formula");
        assertThat(claims).allSatisfy(r -> assertThat(r.get("verdict")).isIn("holds", "does not hold",
                "not distinguishable"));
        // a verdict says what backs it: the interval, test or bound, with its value
        assertThat(claims).allSatisfy(r -> assertThat(r.get("support")).as(r.get("claim")).isNotBlank());
        assertThat(claims).filteredOn(r -> r.get("kind").equals("integrity"))
                .allSatisfy(r -> assertThat(r.get("verdict")).isEqualTo("holds"));
        for (String f : List.of("run.json", "cells.csv", "curves.csv", "summary.csv", "summary.md",
                "conditioning.png", "schedules.png", "clipping.png", "restarts.png", "overfitting.png")) {
            assertThat(run.resolve(f)).isRegularFile();
        }
    }

    @Test
    void standardizingCutsTheConditionNumberAndGdCountsWhatTheRateBoundSays() throws IOException {
        Map<String, Map<String, String>> byVariant = new LinkedHashMap<>();
        part("summary.csv", "conditioning").forEach(r -> byVariant.put(r.get("features"), r));
        double kRaw = num(byVariant.get("raw"), "condition_number");
        double kStd = num(byVariant.get("standardized"), "condition_number");
        // exact numbers of the iris Hessian, any machine: thousands raw, tens standardized
        assertThat(kRaw).isBetween(8000.0, 8300.0);
        assertThat(kStd).isBetween(27.0, 30.0);
        for (Map<String, String> r : byVariant.values()) {
            double k = num(r, "condition_number");
            assertThat(num(r, "rate_predicted")).isCloseTo((k - 1) / (k + 1), within(1e-12));
            // the bound: never more steps than ln(1/target) / (2 ln(1/rate)), and the raw run needs about that many
            assertThat(num(r, "iterations_mean")).isLessThanOrEqualTo(num(r, "iterations_predicted") + 1);
        }
        assertThat(num(byVariant.get("raw"), "iterations_mean") / num(byVariant.get("raw"), "iterations_predicted"))
                .isGreaterThan(0.99);
    }

    @Test
    void theFloorGrowsWithTheLearningRateAndDl4jsPolyScheduleGrows() throws IOException {
        List<Map<String, String>> rows = part("summary.csv", "schedules");
        Map<String, String> low = rows.stream().filter(r -> r.get("schedule").equals("constant")
                && num(r, "lr_start") == 0.1).findFirst().orElseThrow();
        Map<String, String> high = rows.stream().filter(r -> r.get("schedule").equals("constant")
                && num(r, "lr_start") == 0.3).findFirst().orElseThrow();
        assertThat(num(high, "floor_gap_mean")).isGreaterThan(3 * num(low, "floor_gap_mean"));
        Map<String, String> exp = rows.stream().filter(r -> r.get("schedule").equals("exponential")).findFirst()
                .orElseThrow();
        assertThat(num(exp, "lr_end")).isCloseTo(0.003, within(2e-4));
        assertThat(num(exp, "final_gap_mean")).isLessThan(num(high, "floor_gap_mean") / 10);
        Map<String, String> poly = rows.stream().filter(r -> r.get("schedule").equals("poly")).findFirst()
                .orElseThrow();
        assertThat(num(poly, "lr_end")).isGreaterThan(num(poly, "lr_start"));
        // the loop's per-minibatch fit(DataSet) is what the note reports on
        assertThat(quick.out()).contains("DL4J's counters after 10 epochs of one fit(DataSet) per minibatch");
    }

    @Test
    void clippingKeepsTheNetStableWhereWithoutItEverySeedDiverges() throws IOException {
        List<Map<String, String>> rows = part("summary.csv", "clipping");
        Map<String, String> off = rows.stream().filter(r -> r.get("remedy").equals("off") && num(r, "lr") == 2)
                .findFirst().orElseThrow();
        Map<String, String> clip = rows.stream().filter(r -> r.get("remedy").equals("clip-l2") && num(r, "lr") == 2)
                .findFirst().orElseThrow();
        assertThat(off.get("stable")).isEqualTo("0/5");
        assertThat(clip.get("stable")).isEqualTo("5/5");
        assertThat(num(clip, "test_accuracy_mean")).isGreaterThan(0.5);
    }

    @Test
    void aLargeVarianceInitExplodesTheGradientAndHeInitDoesNot() throws IOException {
        Map<String, Map<String, String>> byRemedy = new LinkedHashMap<>();
        part("summary.csv", "exploding").forEach(r -> byRemedy.put(r.get("remedy"), r));
        assertThat(num(byRemedy.get("off"), "grad_norm_init_mean"))
                .isGreaterThan(1000 * num(byRemedy.get("he"), "grad_norm_init_mean"));
        assertThat(byRemedy.get("off").get("stable")).isEqualTo("0/5");
        assertThat(byRemedy.get("clip-l2").get("stable")).isEqualTo("5/5");
        assertThat(byRemedy.get("he").get("stable")).isEqualTo("5/5");
    }

    /**
     * Measured on DL4J 1.0.0-M2.1 (ND4J native CPU): the batch-normalized net's backprop gradient equals central
     * differences of its training-mode score on a 32-example minibatch, and misses by up to ~10% (first BN gamma,
     * first weights) with all 1438 training digits as one batch (also with their first 1000; other subsets of 1040
     * agreed: size alone does not decide it). Pinned here: if a DL4J upgrade or another backend changes it, this
     * test says so.
     */
    @Test
    void dl4jsBatchNormGradientMissesFiniteDifferencesOnTheWholeTrainingSetAsOneBatch() {
        gdlab.data.Split split = gdlab.data.Split.of(gdlab.data.Datasets.load("digits"), 0.2, 42, 0);
        int[] sizes = {64, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 10};
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = gdlab.dl4j.Networks.deepClassifier(sizes, "sigmoid",
                org.deeplearning4j.nn.weights.WeightInit.XAVIER, true, new org.nd4j.linalg.learning.config.Sgd(0.1), 1,
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        org.nd4j.linalg.api.ndarray.INDArray x = gdlab.dl4j.Tensors.matrix(split.train().features(),
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        org.nd4j.linalg.api.ndarray.INDArray y = gdlab.dl4j.Tensors.oneHot(split.train().labels(), 10,
                org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        List<String> keys = List.of("0_W", "1_gamma", "1_beta", "20_W");
        double whole = VanishingPart.finiteDifferenceCheck(net, new org.nd4j.linalg.dataset.DataSet(x, y), keys)[1];
        int[] first = java.util.stream.IntStream.range(0, 32).toArray();
        double part = VanishingPart.finiteDifferenceCheck(net, new org.nd4j.linalg.dataset.DataSet(x.getRows(first),
                y.getRows(first)), keys)[1];
        assertThat(part).isLessThanOrEqualTo(1);
        assertThat(whole).isGreaterThan(100);
    }

    @Test
    void restartsRaiseTheShareAtTheGlobalMinimum() throws IOException {
        List<Map<String, String>> rows = part("summary.csv", "restarts");
        assertThat(rows).extracting(r -> r.get("restarts")).containsExactly("1", "2", "3", "5");
        double single = num(rows.get(0), "share_global");
        // styblinski-tang's global basin is about a quarter of the box
        assertThat(single).isBetween(0.15, 0.4);
        assertThat(num(rows.get(3), "share_global")).isGreaterThan(single);
    }

    @Test
    void aDl4jReferenceDisagreementOrAFailedGradientCheckFailsTheRun() throws IOException {
        List<CellResult> cells = RunFiles.results(run, RunFiles.quick(new Remedies()));
        Report intact = RunFiles.quick(new Remedies()).summarize(cells);
        assertThat(intact.fails()).isFalse();
        List<CellResult> perturbed = cells.stream().map(r -> r.cell().get("part").equals("conditioning")
                && r.cell().get("seed").equals("2") ? RunFiles.with(r, "dl4j_max_rel_diff", 1e-3) : r).toList();
        Report broken = RunFiles.quick(new Remedies()).summarize(perturbed);
        assertThat(broken.fails()).isTrue();
        assertThat(broken.claims()).filteredOn(Claim::failsTheRun).extracting(Claim::id)
                .containsExactly("conditioning_engines_agree");
        List<CellResult> badGradient = cells.stream().map(r -> r.cell().get("remedy").equals("batchnorm")
                ? RunFiles.with(r, "fd_worst_excess", 5.0) : r).toList();
        Report unchecked = RunFiles.quick(new Remedies()).summarize(badGradient);
        assertThat(unchecked.claims()).filteredOn(Claim::failsTheRun).extracting(Claim::id)
                .containsExactly("batchnorm_gradient_checked");
    }

    @Test
    void batchNormalizationAndHeInitLiftTheFirstLayersGradientByOrdersOfMagnitude() throws IOException {
        Map<String, Map<String, String>> byRemedy = new LinkedHashMap<>();
        part("summary.csv", "vanishing").forEach(r -> byRemedy.put(r.get("remedy"), r));
        assertThat(num(byRemedy.get("off"), "first_over_last_max")).isLessThan(1e-4);
        assertThat(num(byRemedy.get("relu-he"), "first_over_last_min")).isGreaterThan(0.1);
        assertThat(num(byRemedy.get("batchnorm"), "first_over_last_min")).isGreaterThan(0.1);
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws IOException {
        Outcome unknown = runMain(dir, Map.of("clip_remedies", "clip-l2,batchnorm"));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("batchnorm").contains("clip_remedies").contains("clip-value");
        Outcome lr = runMain(dir, Map.of("sched_lr", "0.1,0"));
        assertThat(lr.status()).isEqualTo(2);
        assertThat(lr.err()).contains("sched_lr").contains("> 0");
        Outcome noSingle = runMain(dir, Map.of("restart_counts", "2,3"));
        assertThat(noSingle.status()).isEqualTo(2);
        assertThat(noSingle.err()).contains("restart_counts").contains("must include 1");
        Outcome batch = runMain(dir, Map.of("sched_batch", "256"));
        assertThat(batch.status()).isEqualTo(2);
        assertThat(batch.err()).contains("sched_batch").contains("255");
        Outcome retain = runMain(dir, Map.of("of_retain", "0"));
        assertThat(retain.status()).isEqualTo(2);
        assertThat(retain.err()).contains("of_retain").contains("0.01 to 1");
        Outcome split = runMain(dir, Map.of("of_train", "1600"));
        assertThat(split.status()).isEqualTo(2);
        assertThat(split.err()).contains("of_train + of_validation").contains("1797");
        try (var s = Files.list(dir)) {
            assertThat(s.findAny()).isEmpty();
        }
    }

    @Test
    void theTableHasEachRemedyAndEarlyStoppingReturnsItsBestEpoch() throws IOException {
        Map<String, Map<String, String>> byRemedy = new LinkedHashMap<>();
        part("summary.csv", "overfitting").forEach(r -> byRemedy.put(r.get("remedy"), r));
        assertThat(byRemedy).containsOnlyKeys("off", "l2", "dropout", "early-stop");
        for (Map<String, String> r : byRemedy.values()) {
            assertThat(num(r, "val_loss_rise_mean")).isGreaterThanOrEqualTo(0);
            assertThat(num(r, "best_val_loss_mean")).isLessThanOrEqualTo(num(r, "final_val_loss_mean"));
            assertThat(num(r, "best_epoch_mean")).isLessThanOrEqualTo(num(r, "epochs_run_mean"));
            // the digits are learned: far above chance
            assertThat(num(r, "test_accuracy_mean")).isGreaterThan(0.8);
        }
        Map<String, String> early = byRemedy.get("early-stop");
        assertThat(num(early, "val_loss_rise_mean")).isZero();
        // the same run as off until it stops: the same best epoch and loss
        assertThat(num(early, "best_val_loss_mean")).isCloseTo(num(byRemedy.get("off"), "best_val_loss_mean"),
                within(1e-9));
        for (Map<String, String> cell : part("cells.csv", "overfitting")) {
            if (cell.get("remedy").equals("early-stop")) {
                // stopped patience (10) epochs after its best, or ran the whole budget (20 in quick)
                double run = num(cell, "epochs_run");
                assertThat(run == 20 || run == num(cell, "best_epoch") + 10).as(cell.toString()).isTrue();
            } else {
                assertThat(num(cell, "epochs_run")).isEqualTo(20);
            }
        }
        assertThat(run.resolve("overfitting.png")).isRegularFile();
    }

    @Test
    void theValidationLossIsDl4jsCrossEntropyWithoutAPenalty() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                .dataType(DataType.DOUBLE).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(3)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 20, 4);
        int[] labels = new int[20];
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 20, 3);
        for (int i = 0; i < 20; i++) {
            labels[i] = i % 3;
            y.putScalar(i, labels[i], 1);
        }
        assertThat(OverfittingPart.crossEntropy(net.output(x, false), labels))
                .isCloseTo(net.score(new DataSet(x, y)), within(1e-10));
    }

    /** The quick run's results with {@code change} applied to every overfitting cell, summarized again. */
    static Report perturbed(UnaryOperator<CellResult> change) throws IOException {
        List<CellResult> cells = RunFiles.results(run, RunFiles.quick(new Remedies())).stream()
                .map(r -> r.cell().get("part").equals("overfitting") ? change.apply(r) : r).toList();
        return RunFiles.quick(new Remedies()).summarize(cells);
    }

    static double seed(CellResult r) {
        return Double.parseDouble(r.cell().get("seed"));
    }

    @Test
    void aClearRiseAndRemediesThatRemoveItHoldWhileAWorseBestLossDoesNot() throws IOException {
        Report clear = perturbed(r -> switch (r.cell().get("remedy")) {
            case "off" -> RunFiles.with(RunFiles.with(r, "val_loss_rise", 0.05 + 0.001 * seed(r)), "best_val_loss",
                    0.30 + 0.001 * seed(r));
            case "l2" -> RunFiles.with(RunFiles.with(r, "val_loss_rise", 0.001 * seed(r)), "best_val_loss",
                    0.29 + 0.001 * seed(r));
            case "dropout" -> RunFiles.with(RunFiles.with(r, "val_loss_rise", 0.001 * seed(r)), "best_val_loss",
                    0.40 + 0.001 * seed(r));
            case "early-stop" -> RunFiles.with(r, "test_accuracy", 0.99 + 0.001 * seed(r));
            default -> r;
        });
        assertThat(RunFiles.claim(clear, "overfitting_val_loss_rises").verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(RunFiles.claim(clear, "overfitting_val_loss_rises").support()).contains("95% CI");
        assertThat(RunFiles.claim(clear, "l2_lowers_rise").verdict()).isEqualTo(Claim.Verdict.HOLDS);
        // dropout removed the rise but its best validation loss is worse, the intervals apart
        assertThat(RunFiles.claim(clear, "dropout_lowers_rise").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(RunFiles.claim(clear, "early_stopping_keeps_accuracy").verdict())
                .isEqualTo(Claim.Verdict.HOLDS);
        assertThat(clear.fails()).isFalse();
    }

    @Test
    void aRiseThatTouchesZeroOrEarlyStoppingThatLosesAccuracyIsNoVerdictOrDoesNotHold() throws IOException {
        Report flat = perturbed(r -> switch (r.cell().get("remedy")) {
            case "off" -> RunFiles.with(r, "val_loss_rise", seed(r) == 1 ? 0.0 : 0.01 * seed(r));
            case "early-stop" -> RunFiles.with(r, "test_accuracy", 0.5 + 0.001 * seed(r));
            default -> r;
        });
        assertThat(RunFiles.claim(flat, "overfitting_val_loss_rises").verdict())
                .isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(RunFiles.claim(flat, "early_stopping_keeps_accuracy").verdict())
                .isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(RunFiles.claim(flat, "early_stopping_keeps_accuracy").support()).startsWith("paired 95% CI");
    }
    @Test
    void aComparisonHoldsOnlyWhenEveryPartIsApartAndAsStatedAndTooFewSeedsAreNamed() {
        assertThat(Part.allAsStated(List.of(new boolean[] {true, true}, new boolean[] {true, true})))
                .isEqualTo(Claim.Verdict.HOLDS);
        assertThat(Part.allAsStated(List.of(new boolean[] {true, true}, new boolean[] {true, false})))
                .isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(Part.allAsStated(List.of(new boolean[] {true, false}, new boolean[] {false, true})))
                .isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(Part.allAsStated(List.of())).isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        // all against none stable: Wilson intervals come apart from four seeds a side, never with three
        assertThat(Part.wilsonCanSeparate(4, 4)).isTrue();
        assertThat(Part.wilsonCanSeparate(3, 3)).isFalse();
        assertThat(Part.wilsonText("clip-l2", 5, 5)).isEqualTo("clip-l2 5/5 [0.5655, 1]");
    }
}
