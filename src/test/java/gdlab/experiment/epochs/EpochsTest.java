package gdlab.experiment.epochs;

import gdlab.Main;
import gdlab.report.Claim;
import gdlab.experiment.RunFiles;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** epochs on its quick setting: the claims of its hypothesis, measured. */
class EpochsTest {
    @TempDir
    static Path results;
    static Path run;
    static String stdout;
    static List<Map<String, String>> cells;

    @BeforeAll
    static void runQuick() throws IOException {
        stdout = runMain(results, Map.of());
        run = results.resolve("epochs/latest");
        cells = RunFiles.rows(run.resolve("cells.csv"));
    }

    static String runMain(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "epochs");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Map<String, String>> bySeed(String order, String stopping) {
        return cells.stream().filter(r -> r.get("order").equals(order) && r.get("stopping").equals(stopping))
                .collect(Collectors.toMap(r -> r.get("seed"), r -> r));
    }

    static double num(Map<String, String> row, String column) {
        return Double.parseDouble(row.get(column));
    }

    @Test
    void writesTheRunFolderWithCurvesPerEpoch() throws IOException {
        assertThat(stdout).startsWith("# epochs").contains("| order ").contains("What the run shows");
        List<Map<String, String>> curves = RunFiles.rows(run.resolve("curves.csv"));
        for (Map<String, String> cell : cells) {
            long points = curves.stream().filter(c -> c.get("cell").equals(cell.get("cell"))).count();
            assertThat(points).as("epoch 0 plus one row per epoch run").isEqualTo(1 + (long) num(cell, "epochs_run"));
        }
        assertThat(curves.get(0).keySet()).contains("train_loss", "val_loss", "val_accuracy");
        for (String f : List.of("validation-loss.png", "train-vs-validation.png", "early-stopping.png")) {
            assertThat(run.resolve(f)).isRegularFile();
        }
    }

    /** Measure: validation loss and accuracy after the same short budget (compare_epoch), seed by seed. */
    @Test
    void shuffledBeatsClassSortedOnTheSameEpochBudget() {
        Map<String, Map<String, String>> shuffled = bySeed("shuffled", "budget");
        Map<String, Map<String, String>> sorted = bySeed("class-sorted", "budget");
        assertThat(shuffled).isNotEmpty().hasSameSizeAs(sorted);
        for (String seed : shuffled.keySet()) {
            assertThat(num(shuffled.get(seed), "val_loss_at_compare_epoch"))
                    .isLessThan(num(sorted.get(seed), "val_loss_at_compare_epoch"));
            assertThat(num(shuffled.get(seed), "val_accuracy_at_compare_epoch"))
                    .isGreaterThan(num(sorted.get(seed), "val_accuracy_at_compare_epoch"));
            assertThat(num(shuffled.get(seed), "epochs_to_val_target"))
                    .isLessThan(num(sorted.get(seed), "epochs_to_val_target"));
        }
        // the verdict rests on the seeds' 95% intervals, and says which
        assertThat(claims().get("sorted_worse_early").get("measured")).contains("x)");
        assertThat(claims().get("sorted_worse_early").get("support")).startsWith("95% CIs ");
    }

    @Test
    void theBudgetRunOverfitsAfterItsBestEpoch() {
        for (Map<String, String> r : bySeed("shuffled", "budget").values()) {
            assertThat(num(r, "best_epoch")).isGreaterThan(0).isLessThan(num(r, "epochs_run"));
            assertThat(num(r, "val_loss_rise")).as("validation loss rises after its minimum").isGreaterThan(0);
            assertThat(num(r, "final_train_loss")).as("while the training loss keeps falling")
                    .isLessThan(num(r, "best_val_loss") / 10);
        }
    }

    @Test
    void earlyStoppingStopsPatienceEpochsAfterTheBestEpochAndReturnsItsWeights() {
        Map<String, Map<String, String>> budget = bySeed("shuffled", "budget");
        for (Map.Entry<String, Map<String, String>> e : bySeed("shuffled", "early").entrySet()) {
            Map<String, String> r = e.getValue();
            Map<String, String> b = budget.get(e.getKey());
            assertThat(r.get("stopped_by")).isEqualTo("patience");
            assertThat(num(r, "epochs_past_best")).isEqualTo(10); // patience of the spec file
            assertThat(num(r, "epochs_run")).isLessThan(num(b, "epochs_run"));
            assertThat(num(r, "returned_epoch")).isEqualTo(num(r, "best_epoch"));
            // the minimum it found is the budget run's minimum up to where it stopped, and no higher than where
            // the budget run ends
            assertThat(num(r, "best_val_loss")).isLessThanOrEqualTo(num(b, "final_val_loss"));
            assertThat(num(r, "best_val_loss")).isGreaterThanOrEqualTo(num(b, "best_val_loss"));
        }
        assertThat(claims().get("early_follows_budget").get("verdict")).isEqualTo("holds");
        assertThat(claims().get("early_stops_after_patience").get("verdict")).isEqualTo("holds");
    }

    /** claims.csv by claim id. */
    static Map<String, Map<String, String>> claims() {
        Map<String, Map<String, String>> byId = new LinkedHashMap<>();
        try {
            RunFiles.rows(run.resolve("claims.csv")).forEach(c -> byId.put(c.get("claim"), c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byId;
    }

    @Test
    void everyClaimHasAVerdictAndTheIntegrityChecksHold() {
        String hypothesis = SpecFile.read(Path.of("experiments/epochs.properties")).hypothesis();
        assertThat(claims().values()).extracting(c -> Map.entry(c.get("claim"), c.get("statement")))
                .containsExactlyElementsOf(Claim.sentences(hypothesis)).hasSize(11);
        claims().values().forEach(c -> {
            assertThat(c.get("verdict")).isIn("holds", "does not hold", "not distinguishable", "not tested");
            if (c.get("kind").equals("integrity")) {
                assertThat(c.get("verdict")).as(c.get("claim")).isEqualTo("holds");
            }
        });
    }

    /** A run stopped one epoch late breaks the early-stopping rule: its integrity check fails the run. */
    @Test
    void anEarlyRunStoppedLateFailsItsIntegrityCheck() throws IOException {
        List<CellResult> late = RunFiles.results(run, new Epochs()).stream().map(r -> {
            if (!r.cell().get("stopping").equals("early") || !"patience".equals(r.metric("stopped_by"))) {
                return r;
            }
            Map<String, Object> metrics = new LinkedHashMap<>(r.metrics());
            metrics.put("epochs_past_best", (long) r.number("epochs_past_best") + 1);
            return new CellResult(r.cell(), r.status(), r.message(), metrics, r.curve());
        }).toList();
        Claim claim = EpochsClaims.stopsAfterPatience(SeedGroup.of(late), 10);
        assertThat(claim.failsTheRun()).as(claim.measured()).isTrue();
        assertThat(claim.measured()).contains("[11]");
    }

    /**
     * "class-sorted is no better at the end" holds only when its final validation loss is above the shuffled one's
     * beyond the seeds' 95% intervals; a difference inside them is not distinguishable, either way.
     */
    @Test
    void aFinalLossInsideTheSeedNoiseIsNotDistinguishable() throws IOException {
        List<CellResult> results = RunFiles.results(run, new Epochs());
        Map<String, Double> shuffledLoss = new LinkedHashMap<>();
        results.stream().filter(r -> r.cell().get("order").equals("shuffled"))
                .forEach(r -> shuffledLoss.put(r.cell().get("seed"), r.number("final_val_loss")));
        for (double shift : new double[] {-1e-3, 1e-3, 10}) {
            List<SeedGroup> groups = SeedGroup.of(results.stream().map(r -> !r.cell().get("order").equals("class-sorted")
                    ? r : RunFiles.with(r, "final_val_loss", shuffledLoss.get(r.cell().get("seed")) + shift)).toList());
            Claim c = EpochsClaims.sortedNoBetter(EpochsSummary.group(groups, Epochs.SHUFFLED, Epochs.BUDGET),
                    EpochsSummary.group(groups, Epochs.CLASS_SORTED, Epochs.BUDGET));
            assertThat(c.verdict()).as(shift + ": " + c.support())
                    .isEqualTo(shift == 10 ? Claim.Verdict.HOLDS : Claim.Verdict.NOT_DISTINGUISHABLE);
            assertThat(c.support()).startsWith(shift == 10 ? "95% CIs apart" : "95% CIs overlap");
        }
    }

    @Test
    void dl4jMatchesTheReferenceTrainerInEveryOrder() {
        for (Map<String, String> r : cells) {
            assertThat(num(r, "reference_epochs")).isEqualTo(3);
            assertThat(num(r, "reference_max_rel_diff")).as(r.get("order")).isLessThan(1e-5); // float
        }
    }

    /** In DOUBLE the replay agrees to rounding: the orders (fixed shuffle, class-sorted) are the same on both sides. */
    @Test
    void inDoubleTheReferenceReplayAgreesToRounding(@TempDir Path dir) throws IOException {
        runMain(dir, Map.of("dtype", "double", "max_epochs", "2", "seeds", "1", "stopping", "budget",
                "order", "shuffled,fixed,class-sorted", "reference_epochs", "2"));
        List<Map<String, String>> rows = RunFiles.rows(dir.resolve("epochs/latest/cells.csv"));
        assertThat(rows).hasSize(3);
        for (Map<String, String> r : rows) {
            assertThat(num(r, "reference_max_rel_diff")).as(r.get("order")).isLessThan(1e-12);
        }
    }

    @Test
    void classSortedIsAStableSortByLabel() {
        assertThat(Epochs.classSorted(new int[]{2, 0, 1, 0, 2, 1})).containsExactly(1, 3, 2, 5, 0, 4);
    }
}
