package gdlab.experiment.batchmodes;

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
import java.util.stream.Collectors;

import static gdlab.experiment.RunFiles.rows;
import static gdlab.experiment.RunFiles.withoutTimings;
import static gdlab.experiment.RunFiles.claim;
import static gdlab.experiment.RunFiles.quick;
import static gdlab.experiment.RunFiles.with;
import static org.assertj.core.api.Assertions.assertThat;

/** batch-modes on its quick setting: the claims of its hypothesis, measured. */
class BatchModesTest {
    @TempDir
    static Path results;
    static Path run;
    static String stdout;

    @BeforeAll
    static void runQuick() throws IOException {
        stdout = runMain(results, Map.of());
        run = results.resolve("batch-modes/latest");
    }

    static String runMain(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "batch-modes");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A CSV file of a run folder, one map per row (header name to field). */
    static Map<String, List<Map<String, String>>> byMode() throws IOException {
        return rows(run.resolve("cells.csv")).stream().filter(r -> r.get("part").equals(BatchModes.MODES))
                .collect(Collectors.groupingBy(r -> r.get("mode")));
    }

    static double mean(List<Map<String, String>> rows, String column, double missing) {
        return rows.stream().mapToDouble(r -> r.get(column).isEmpty() ? missing : Double.parseDouble(r.get(column)))
                .average().orElseThrow();
    }

    @Test
    void writesTheRunFolder() {
        for (String f : List.of("run.json", "cells.csv", "curves.csv", "summary.csv", "summary.md")) {
            assertThat(run.resolve(f)).isRegularFile();
        }
        assertThat(stdout).startsWith("# batch-modes").contains("| mode ").contains("The textbook table, measured");
    }

    @Test
    void stochasticMakesNUpdatesPerEpochAndBatchMakesOne() throws IOException {
        Map<String, List<Map<String, String>>> modes = byMode();
        assertThat(modes).containsOnlyKeys("batch", "stochastic", "mini-batch");
        for (Map<String, String> r : modes.get("stochastic")) {
            assertThat(r.get("updates_per_epoch")).isEqualTo(r.get("n_train"));
            assertThat(r.get("status")).isEqualTo("ok");
        }
        for (Map<String, String> r : modes.get("batch")) {
            assertThat(r.get("updates_per_epoch")).isEqualTo("1");
        }
        for (Map<String, String> r : modes.get("mini-batch")) {
            int n = Integer.parseInt(r.get("n_train"));
            assertThat(Integer.parseInt(r.get("updates_per_epoch"))).isEqualTo((n + 31) / 32);
        }
        assertThat(stdout).doesNotContain("| NO ");
    }

    @Test
    void stochasticHasTheNoisiestLoss() throws IOException {
        Map<String, List<Map<String, String>>> modes = byMode();
        double stochastic = mean(modes.get("stochastic"), "loss_noise_cv", Double.NaN);
        assertThat(stochastic).isGreaterThan(mean(modes.get("mini-batch"), "loss_noise_cv", Double.NaN));
        // one minibatch per epoch: no within-epoch spread to measure, n/a rather than 0 by construction
        assertThat(modes.get("batch")).extracting(r -> r.get("loss_noise_cv")).containsOnly("NaN");
    }

    @Test
    void miniBatchReachesTheTargetInFewerEpochsThanBatch() throws IOException {
        Map<String, List<Map<String, String>>> modes = byMode();
        int budget = 1 + modes.get("batch").stream().mapToInt(r -> Integer.parseInt(r.get("epochs_run"))).max()
                .orElseThrow();
        double mini = mean(modes.get("mini-batch"), "epochs_to_target", budget);
        double batch = mean(modes.get("batch"), "epochs_to_target", budget);
        assertThat(mini).isLessThan(budget);
        assertThat(mini).isLessThan(batch);
    }

    /** The hypothesis of the spec file as (id, sentence) pairs. */
    static List<Map.Entry<String, String>> hypothesisSentences() {
        return Claim.sentences(SpecFile.read(Path.of("experiments/batch-modes.properties")).hypothesis());
    }

    @Test
    void everySentenceOfTheHypothesisIsAClaimWithAVerdict() throws IOException {
        List<Map<String, String>> claims = rows(run.resolve("claims.csv"));
        assertThat(claims).extracting(c -> Map.entry(c.get("claim"), c.get("statement")))
                .containsExactlyElementsOf(hypothesisSentences());
        assertThat(claims).allSatisfy(c -> assertThat(c.get("verdict")).isIn("holds", "does not hold", "not tested",
                "not distinguishable"));
        assertThat(claims).filteredOn(c -> c.get("kind").equals("integrity")).extracting(c -> c.get("verdict"))
                .containsOnly("holds").hasSize(3);
        assertThat(claims).filteredOn(c -> c.get("claim").equals("updates_per_epoch"))
                .extracting(c -> c.get("measured")).containsExactly("batch 1, stochastic 320, mini-batch B=32 10");
        assertThat(stdout).contains("### Checks").contains("every integrity check passes");
    }

    /** The quick run's cells, read back from its folder. */
    static List<CellResult> results() throws IOException {
        return RunFiles.results(run, new BatchModes());
    }

    @Test
    void aWrongUpdateCountFailsTheIntegrityCheckAndTheRun() throws IOException {
        BatchModes experiment = quick(new BatchModes());
        List<CellResult> results = results();
        Report clean = experiment.summarize(results);
        assertThat(clean.fails()).isFalse();
        assertThat(clean.claims()).extracting(Claim::id).containsExactlyElementsOf(
                hypothesisSentences().stream().map(Map.Entry::getKey).toList());

        List<CellResult> perturbed = new ArrayList<>(results);
        int i = 0;
        while (!perturbed.get(i).cell().get("mode").equals("mini-batch")) {
            i++;
        }
        perturbed.set(i, with(perturbed.get(i), "updates_per_epoch", 11.0));   // N = 320, B = 32: 10
        Report report = experiment.summarize(perturbed);
        Claim updates = claim(report, "updates_per_epoch");
        assertThat(updates.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(updates.failsTheRun()).isTrue();
        assertThat(updates.measured()).contains("mini-batch B=32 10, 11 (textbook 10)");
        assertThat(report.fails()).isTrue();
        assertThat(report.markdown()).containsPattern("\\| mini-batch .*\\| 10, 11 +\\| NO ");
    }

    @Test
    void wrongActivationBytesFailTheMemoryCheck() throws IOException {
        BatchModes experiment = quick(new BatchModes());
        List<CellResult> results = new ArrayList<>(results());
        results.replaceAll(r -> r.cell().get("mode").equals("stochastic") ? with(r, "activation_bytes", 1e6) : r);
        Report report = experiment.summarize(results);
        assertThat(claim(report, "batch_most_memory").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(report.fails()).isTrue();
    }

    @Test
    void aRunWithoutBatchOrStochasticCellsLeavesTheirClaimsNotTested() throws IOException {
        List<CellResult> miniOnly = results().stream().filter(r -> r.cell().get("mode").equals("mini-batch")
                && r.cell().get("part").equals(BatchModes.MODES)).toList();
        Report report = quick(new BatchModes()).summarize(miniOnly);
        assertThat(report.claims()).extracting(c -> c.id() + ": " + c.verdict()).containsExactly(
                "updates_per_epoch: holds", "batch_smoothest_loss: not tested", "batch_below_crit_stable: not tested",
                "batch_most_memory: not tested",
                "batch_most_epochs: not tested", "stochastic_noisiest_loss: not tested",
                "stochastic_few_epochs: not tested", "stochastic_slowest_epochs: not tested",
                "mini_batch_epochs_near_stochastic: not tested", "mini_batch_fraction_of_time: not tested",
                "lambda_max_matches_reference: holds");
        assertThat(claim(report, "batch_most_epochs").measured()).contains("no batch cell");
        assertThat(claim(report, "mini_batch_fraction_of_time").measured()).contains("no stochastic cell");
        assertThat(report.fails()).isFalse();
    }

    @Test
    void sameSpecAndSeedGiveTheSameCellsApartFromTimings(@TempDir Path other) throws IOException {
        Map<String, String> small = Map.of("max_epochs", "3", "seeds", "1", "workers", "2",
                "curve_batch_sizes", "none");
        runMain(other.resolve("a"), small);
        runMain(other.resolve("b"), Map.of("max_epochs", "3", "seeds", "1", "workers", "1",
                "curve_batch_sizes", "none"));
        List<Map<String, String>> a = withoutTimings(rows(other.resolve("a/batch-modes/latest/cells.csv")));
        List<Map<String, String>> b = withoutTimings(rows(other.resolve("b/batch-modes/latest/cells.csv")));
        assertThat(a).hasSize(3).isEqualTo(b);
    }

}
