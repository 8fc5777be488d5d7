package gdlab.bench;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The bench experiment end to end on a tiny setting: the run folder, the table's columns, and values that are
 * positive and finite, with every ratio computed from the measured columns. Nothing here asserts a speed: timings
 * on a shared machine are not a test.
 */
class BenchTest {
    @TempDir
    static Path results;
    static Path run;
    static String stdout;

    static final String SMALL_SWEEP = "batch-modes quick=true max_epochs=1 seeds=1 max_examples=60 curve_batch_sizes=none";
    static final Map<String, String> TINY = Map.ofEntries(Map.entry("net", "4-10-3"), Map.entry("batch", "1,8"),
            Map.entry("dtype", "float,double"), Map.entry("windows", "2"), Map.entry("window_seconds", "0.02"),
            Map.entry("warmup_seconds", "0.2"), Map.entry("sweep", SMALL_SWEEP), Map.entry("sweep_repeats", "1"),
            Map.entry("sweep_engines", "local,processes"), Map.entry("breakdown", SMALL_SWEEP),
            Map.entry("breakdown_net", "4-10-3"));

    record Result(int status, String out, String err) {
    }

    static Result main(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(TINY);
        props.put("experiment", "bench");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void runTiny() {
        Result r = main(results, Map.of());
        assertThat(r.status()).as(r.err()).isZero();
        stdout = r.out();
        run = results.resolve("bench/latest");
    }

    static List<Map<String, String>> rows(Path file) throws IOException {
        return Csv.rows(Files.readString(file));
    }

    static double num(Map<String, String> row, String column) {
        assertThat(row).containsKey(column);
        return Double.parseDouble(row.get(column));
    }

    @Test
    void writesTheRunFolderWithTablesAndPlots() {
        for (String f : List.of("run.json", "cells.csv", "curves.csv", "summary.csv", "summary.md",
                "ms-per-step.png", "gflops.png", "loop-speedup.png", "sweep-cells-per-minute.png")) {
            assertThat(run.resolve(f)).isRegularFile();
        }
        assertThat(stdout).startsWith("# bench").contains("**Load average**").contains("### Per training step")
                .contains("### Per sweep").contains("### Checks").doesNotContain("### Goals")
                .contains("| fit_ms ").contains("### Where a sweep's wall time goes").contains("| in_sweep_step_ms ");
    }

    /** Every claim of the hypothesis, a finding judged from this run's timings: none can fail the run. */
    @Test
    void claimsAreTheHypothesisJudgedAsFindings() throws IOException {
        List<Map<String, String>> claims = rows(run.resolve("claims.csv"));
        assertThat(claims).extracting(c -> c.get("claim")).containsExactly("dl4j_floor", "gemm_share",
                "loop_adds_little", "harness_share", "worker_jvms_scale", "in_process_workers_do_not",
                "in_sweep_step_as_alone");
        assertThat(claims).allSatisfy(c -> assertThat(c.get("kind")).isEqualTo("finding"));
        // the tiny grid has no 784-100-10 and no batch >= 256; it has the sweep on both engines and the breakdown
        assertThat(claims).filteredOn(c -> c.get("verdict").equals("not tested")).extracting(c -> c.get("claim"))
                .containsExactly("dl4j_floor", "gemm_share");
    }

    @Test
    void stepTableHasTheColumnsAndSaneValues() throws IOException {
        List<Map<String, String>> rows = rows(run.resolve("summary.csv"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).keySet()).containsExactlyElementsOf(Bench.SUMMARY_COLUMNS);
        for (Map<String, String> r : rows) {
            for (String c : List.of("params", "mflop_per_step", "fit_ms", "reference_ms", "dl4j_over_reference",
                    "gemm_ms", "fit_gflops", "gemm_gflops", "gemm_share", "loop_before_ms", "loop_after_ms",
                    "loop_speedup")) {
                assertThat(num(r, c)).as(c).isPositive().isFinite();
            }
            assertThat(num(r, "loop_overhead")).isGreaterThan(-1).isFinite();
            assertThat(num(r, "fit_spread")).isGreaterThanOrEqualTo(0).isFinite();
            int batch = Integer.parseInt(r.get("batch"));
            assertThat(num(r, "params")).isEqualTo(4 * 10 + 10 + 10 * 3 + 3);
            assertThat(num(r, "mflop_per_step")).isCloseTo(6.0 * batch * (4 * 10 + 10 * 3) / 1e6, within(1e-12));
            double fit = num(r, "fit_ms");
            double gemm = num(r, "gemm_ms");
            double mflop = num(r, "mflop_per_step");
            assertThat(num(r, "dl4j_over_reference")).isCloseTo(fit / num(r, "reference_ms"), within(1e-9 * fit));
            assertThat(num(r, "gemm_share")).isCloseTo(gemm / fit, within(1e-12));
            assertThat(num(r, "fit_gflops")).isCloseTo(mflop / fit, within(1e-12));
            assertThat(num(r, "gemm_gflops")).isCloseTo(mflop / gemm, within(1e-12));
            assertThat(num(r, "loop_speedup")).isCloseTo(num(r, "loop_before_ms") / num(r, "loop_after_ms"),
                    within(1e-9));
            assertThat(num(r, "load_1m")).isGreaterThanOrEqualTo(0);
        }
        assertThat(rows).extracting(r -> r.get("dtype") + " " + r.get("batch"))
                .containsExactly("float 1", "float 8", "double 1", "double 8");
    }

    static Map<String, String> part(String part) throws IOException {
        return rows(run.resolve("cells.csv")).stream().filter(r -> r.get("part").equals(part)).findFirst()
                .orElseThrow();
    }

    @Test
    void sweepPartMeasuresOneAndTwoWorkersOnEachEngine() throws IOException {
        Map<String, String> sweep = part("sweep");
        assertThat(num(sweep, "sweep_cells")).isEqualTo(3);
        for (String p : List.of("local_w1_", "local_w2_", "processes_w1_", "processes_w2_")) {
            for (String c : List.of("wall_ms", "training_sum_ms", "prepare_ms", "summarize_ms", "plots_ms")) {
                assertThat(num(sweep, p + c)).as(p + c).isPositive().isFinite();
            }
        }
        for (String p : List.of("local_w1_", "local_w2_")) {
            assertThat(num(sweep, p + "cell_sum_ms")).as(p).isPositive().isFinite();
            assertThat(num(sweep, p + "training_sum_ms")).isLessThanOrEqualTo(num(sweep, p + "cell_sum_ms"));
        }
        // the cells ran in worker JVMs: their own time is not seen here
        assertThat(num(sweep, "processes_w2_cell_sum_ms")).isNaN();
        assertThat(num(sweep, "local_w1_cell_sum_ms")).isLessThan(num(sweep, "local_w1_wall_ms"));
        // the ratios in the tables are computed from these columns
        for (String p : List.of("local_w2_", "processes_w2_")) {
            double speedup = num(sweep, "local_w1_wall_ms") / num(sweep, p + "wall_ms");
            assertThat(stdout).contains(String.format(java.util.Locale.ROOT, "| %.2fx ", speedup));
        }
        double share = 1 - num(sweep, "local_w1_cell_sum_ms") / num(sweep, "local_w1_wall_ms");
        assertThat(stdout).contains(String.format(java.util.Locale.ROOT, "| %.1f%% (outside training", 100 * share));
    }

    @Test
    void breakdownPartsAddUpToTheWallTime() throws IOException {
        Map<String, String> b = part("breakdown");
        assertThat(num(b, "breakdown_cells")).isEqualTo(3);
        for (String c : List.of("wall_ms", "prepare_ms", "cell_sum_ms", "training_sum_ms", "summarize_ms")) {
            assertThat(num(b, "breakdown_" + c)).as(c).isPositive().isFinite();
        }
        assertThat(num(b, "breakdown_training_sum_ms")).isLessThanOrEqualTo(num(b, "breakdown_cell_sum_ms"));
        double parts = num(b, "breakdown_prepare_ms") + num(b, "breakdown_cell_sum_ms")
                + num(b, "breakdown_summarize_ms") + num(b, "breakdown_rest_ms");
        assertThat(parts).isCloseTo(num(b, "breakdown_wall_ms"), within(1e-6 * parts));
        // one in-sweep step per cell, with its batch size (the round)
        List<Map<String, String>> steps = rows(run.resolve("curves.csv")).stream()
                .filter(r -> r.get("measure").equals("in_sweep_step_ms")).toList();
        assertThat(steps).hasSize(3);
        steps.forEach(r -> assertThat(num(r, "value")).isPositive().isFinite());
    }

    @Test
    void cellsHoldOnlyTimingsAndWhatTheShapesFix() throws IOException {
        // compare and the baseline test judge every cells.csv column but the timings (*_ms)
        List<String> header = Csv.parse(Files.readString(run.resolve("cells.csv"))).get(0);
        List<String> metrics = header.subList(header.indexOf("dtype") + 1, header.indexOf("status"));
        assertThat(metrics).isNotEmpty().allMatch(c -> c.endsWith("_ms")
                || List.of("params", "mflop_per_step", "sweep_cells", "breakdown_cells").contains(c));
    }

    @Test
    void timesOneCellAtATime(@TempDir Path other) {
        Result r = main(other, Map.of("workers", "2"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("workers").contains("one cell at a time");
        assertThat(other.resolve("bench")).doesNotExist();
    }

    @Test
    void rejectsABadSweep(@TempDir Path other) {
        Result r = main(other, Map.of("sweep", "bench"));
        assertThat(r.status()).isEqualTo(2);
        assertThat(main(other, Map.of("sweep", "nosuch")).err()).contains("unknown experiment 'nosuch'");
        assertThat(main(other, Map.of("sweep", "batch-modes quick")).err()).contains("key=value");
        assertThat(main(other, Map.of("breakdown", "nosuch")).err()).contains("for breakdown")
                .contains("unknown experiment 'nosuch'");
        Result noOne = main(other, Map.of("sweep_workers", "2"));
        assertThat(noOne.status()).isEqualTo(2);
        assertThat(noOne.err()).contains("bad value '2' for sweep_workers").contains("1 in it");
    }

    @Test
    void gemmOfAStepMatchesMmul() {
        StepCase c = new StepCase(new int[] {5, 4, 3}, 6, org.nd4j.linalg.api.buffer.DataType.DOUBLE, "relu", "sgd",
                0.1, 1);
        c.gemm();
        assertThat(c.flopsPerStep()).isEqualTo(6.0 * 6 * (5 * 4 + 4 * 3));
        assertThat(c.checkGemm()).isLessThan(1e-12);
    }
}
