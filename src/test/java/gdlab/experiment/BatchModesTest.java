package gdlab.experiment;

import gdlab.Main;
import gdlab.report.Csv;
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
import java.util.stream.Collectors;

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

    /** cells.csv as a list of column -> value maps. */
    /** A CSV file of a run folder, one map per row (header name to field). */
    static List<Map<String, String>> rows(Path file) throws IOException {
        return Csv.rows(Files.readString(file));
    }

    static Map<String, List<Map<String, String>>> byMode() throws IOException {
        return rows(run.resolve("cells.csv")).stream().collect(Collectors.groupingBy(r -> r.get("mode")));
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
        assertThat(mean(modes.get("batch"), "loss_noise_cv", Double.NaN)).isZero();
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

    @Test
    void sameSpecAndSeedGiveTheSameCellsApartFromTimings(@TempDir Path other) throws IOException {
        Map<String, String> small = Map.of("max_epochs", "3", "seeds", "1", "workers", "2");
        runMain(other.resolve("a"), small);
        runMain(other.resolve("b"), Map.of("max_epochs", "3", "seeds", "1", "workers", "1"));
        List<Map<String, String>> a = withoutTimings(rows(other.resolve("a/batch-modes/latest/cells.csv")));
        List<Map<String, String>> b = withoutTimings(rows(other.resolve("b/batch-modes/latest/cells.csv")));
        assertThat(a).hasSize(3).isEqualTo(b);
    }

    static List<Map<String, String>> withoutTimings(List<Map<String, String>> rows) {
        rows.forEach(r -> r.keySet().removeIf(k -> k.endsWith("_ms")));
        return rows;
    }
}
