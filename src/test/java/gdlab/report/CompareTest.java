package gdlab.report;

import gdlab.spec.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompareTest {
    @TempDir
    Path tmp;

    /** A run folder with cells (optimizer, seed) -> final_loss, test_accuracy. */
    Path run(String name, Map<String, double[]> lossBySeedPerOptimizer, double accuracy) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", "demo");
        info.put("coords", List.of("optimizer", "seed"));
        info.put("metrics", List.of("final_loss", "test_accuracy", "epoch_time_ms"));
        Files.writeString(dir.resolve("run.json"), Json.write(info));
        Table cells = new Table("cell", "optimizer", "seed", "final_loss", "test_accuracy", "epoch_time_ms",
                "status", "message");
        int i = 0;
        for (Map.Entry<String, double[]> e : lossBySeedPerOptimizer.entrySet()) {
            for (int s = 0; s < e.getValue().length; s++) {
                cells.add(i++, e.getKey(), s + 1, e.getValue()[s], accuracy, 100.0 * (i + 1), "ok", "");
            }
        }
        Files.writeString(dir.resolve("cells.csv"), cells.toCsv());
        return dir;
    }

    static Map<String, String> args(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], String.valueOf(kv[i + 1]));
        }
        return m;
    }

    static List<String> verdicts(Compare.Result r) {
        List<String> v = new ArrayList<>();
        r.table().rows().forEach(row -> v.add(row.get(0) + "/" + row.get(1) + "=" + row.get(row.size() - 1)));
        return v;
    }

    @Test
    void identicalRunsAreTheSameEverywhereAndTimingsAreLeftOut() throws IOException {
        Map<String, double[]> losses = Map.of("sgd", new double[]{0.5, 0.52, 0.49});
        Path a = run("a", losses, 0.9);
        Path b = run("b", losses, 0.9);
        Compare.Result r = Compare.run(args("baseline", a, "candidate", b));
        assertThat(r.worse()).isZero();
        assertThat(r.better()).isZero();
        assertThat(verdicts(r)).containsExactly("sgd/final_loss=same", "sgd/test_accuracy=same", "sgd/not_ok=same");
    }

    @Test
    void aClearRegressionIsWorseButNoiseIsNot() throws IOException {
        Path base = run("base", Map.of("sgd", new double[]{0.50, 0.51, 0.49}), 0.9);
        Path worse = run("worse", Map.of("sgd", new double[]{0.80, 0.81, 0.79}), 0.8);
        Compare.Result r = Compare.run(args("baseline", base, "candidate", worse));
        assertThat(verdicts(r)).contains("sgd/final_loss=worse", "sgd/test_accuracy=worse");
        assertThat(r.worse()).isEqualTo(2);

        Path noisy = run("noisy", Map.of("sgd", new double[]{0.40, 0.62, 0.52}), 0.9);
        assertThat(verdicts(Compare.run(args("baseline", base, "candidate", noisy)))).contains("sgd/final_loss=same");

        Path better = run("better", Map.of("sgd", new double[]{0.20, 0.21, 0.19}), 0.95);
        assertThat(verdicts(Compare.run(args("baseline", base, "candidate", better))))
                .contains("sgd/final_loss=better", "sgd/test_accuracy=better");
    }

    @Test
    void toleranceDecidesForSingleSeeds() throws IOException {
        Path base = run("b1", Map.of("sgd", new double[]{0.5}), 0.9);
        Path near = run("n1", Map.of("sgd", new double[]{0.5000001}), 0.9);
        assertThat(verdicts(Compare.run(args("baseline", base, "candidate", near)))).contains("sgd/final_loss=worse");
        assertThat(verdicts(Compare.run(args("baseline", base, "candidate", near, "tolerance", "1e-3"))))
                .contains("sgd/final_loss=same");
    }

    @Test
    void groupsOnOneSideAreListedNotDropped() throws IOException {
        Path base = run("x", Map.of("sgd", new double[]{0.5}), 0.9);
        Path cand = run("y", new LinkedHashMap<>(Map.of("sgd", new double[]{0.5}, "adam", new double[]{0.3})), 0.9);
        Compare.Result r = Compare.run(args("baseline", base, "candidate", cand));
        assertThat(r.oneSided()).isEqualTo(1);
        assertThat(verdicts(r)).contains("adam/-=only in candidate");
    }

    @Test
    void byComparesTheGroupsOfOneRun() throws IOException {
        Map<String, double[]> losses = new LinkedHashMap<>();
        losses.put("sgd", new double[]{0.50, 0.51, 0.49});
        losses.put("adam", new double[]{0.20, 0.21, 0.19});
        Path one = run("one", losses, 0.9);
        Compare.Result r = Compare.run(args("run", one, "by", "optimizer"));
        assertThat(verdicts(r)).containsExactly("adam/final_loss=better", "adam/test_accuracy=same",
                "adam/not_ok=same");
        assertThatThrownBy(() -> Compare.run(args("run", one, "by", "lr")))
                .isInstanceOf(BadInputException.class).hasMessage("bad value 'lr' for by; allowed: optimizer");
        assertThatThrownBy(() -> Compare.run(args("run", one, "by", "optimizer", "base_value", "rmsprop")))
                .hasMessage("bad value 'rmsprop' for base_value; allowed: sgd, adam");
    }

    @Test
    void missingFoldersAreBadInput() {
        assertThatThrownBy(() -> Compare.run(args("baseline", tmp.resolve("nope"), "candidate", tmp)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a run folder");
        assertThatThrownBy(() -> Compare.run(args("candidate", tmp)))
                .isInstanceOf(BadInputException.class).hasMessageContaining("compare needs -Dbaseline=DIR");
    }

    /** A one-seed run folder whose cells are given as rows of column -> value, with declared metrics and spec. */
    Path declared(String name, List<Metric> metrics, Map<String, String> spec, List<Map<String, Object>> cells)
            throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", "demo");
        info.put("started", "2026-12-01T10:00:00Z");
        info.put("git_commit", "abc1234");
        info.put("spec", spec);
        info.put("coords", List.of("case", "seed"));
        info.put("metrics", Metric.names(metrics));
        info.put("metric_kinds", Metric.toJson(metrics));
        Files.writeString(dir.resolve("run.json"), Json.write(info));
        List<String> header = new ArrayList<>(List.of("cell", "case", "seed"));
        header.addAll(Metric.names(metrics));
        header.addAll(List.of("status", "message"));
        Table t = new Table(header);
        int i = 0;
        for (Map<String, Object> c : cells) {
            List<Object> row = new ArrayList<>(List.of(i++, c.getOrDefault("case", "a"), 1));
            metrics.forEach(m -> row.add(c.get(m.name())));
            row.addAll(List.of("ok", ""));
            t.add(row);
        }
        Files.writeString(dir.resolve("cells.csv"), t.toCsv());
        return dir;
    }

    static final List<Metric> KINDS = List.of(
            Metric.discrepancy("output_rel_diff", Metric.Bound.byDtype(1e-12, 1e-5)),
            Metric.discrepancy("dense_spread", Metric.Bound.relativeTo("dense_scale", 1e-4)),
            Metric.measure("dense_scale"), Metric.setting("n_train"), Metric.outcome("regime"),
            Metric.measure("final_loss"));

    static Map<String, Object> cell(double diff, double spread, double scale, int nTrain, String regime,
                                    double loss) {
        return Map.of("output_rel_diff", diff, "dense_spread", spread, "dense_scale", scale, "n_train", nTrain,
                "regime", regime, "final_loss", loss);
    }

    static Map<String, String> verdictByMetric(Compare.Result r) {
        Map<String, String> v = new LinkedHashMap<>();
        r.table().rows().forEach(row -> v.put(String.valueOf(row.get(1)), String.valueOf(row.get(row.size() - 1))));
        return v;
    }

    @Test
    void aDiscrepancyIsJudgedAgainstItsBoundNotByRelativeChange() throws IOException {
        Map<String, String> spec = Map.of("data", "iris", "dtype", "double");
        Path base = declared("base", KINDS, spec, List.of(cell(1.1102230246251565e-16, 0, 1e-3, 600, "converged",
                0.5)));
        // rounding on another CPU: the difference doubles and a zero spread becomes 1e-10, all within the bounds
        Path otherCpu = declared("cpu", KINDS, spec, List.of(cell(2.220446049250313e-16, 1.164e-10, 1e-3, 600,
                "converged", 0.5)));
        Compare.Result same = Compare.run(args("baseline", base, "candidate", otherCpu));
        assertThat(verdictByMetric(same)).containsEntry("output_rel_diff", "same").containsEntry("dense_spread",
                "same");
        assertThat(same.worse() + same.better()).isZero();
        // judged as a measure, the same pair differs by half its size: worse at any relative tolerance below 0.5
        assertThat(Compare.measureVerdict(Metric.measure("output_rel_diff"), Stats.of(new double[]{1.1e-16}),
                Stats.of(new double[]{2.2e-16}), 0.4)).isEqualTo("worse");

        Path broken = declared("broken", KINDS, spec, List.of(cell(3e-12, 2e-7, 1e-3, 600, "converged", 0.5)));
        assertThat(verdictByMetric(Compare.run(args("baseline", base, "candidate", broken))))
                .containsEntry("output_rel_diff", "worse").containsEntry("dense_spread", "worse");
        assertThat(verdictByMetric(Compare.run(args("baseline", broken, "candidate", base))))
                .containsEntry("output_rel_diff", "better");
    }

    @Test
    void aFloatRunGetsTheFloatBoundAndTheFloatTolerance() throws IOException {
        Map<String, String> spec = Map.of("data", "iris", "dtype", "float");
        Path base = declared("fb", KINDS, spec, List.of(cell(1e-7, 0, 1, 600, "converged", 2.3026018142700195)));
        Path other = declared("fc", KINDS, spec, List.of(cell(8e-6, 0, 1, 600, "converged", 2.3025915145874025)));
        assertThat(verdictByMetric(Compare.run(args("baseline", base, "candidate", other))))
                .containsEntry("output_rel_diff", "same").containsEntry("final_loss", "same");
        assertThat(verdictByMetric(Compare.run(args("baseline", base, "candidate", other, "float_tolerance", "0"))))
                .containsEntry("final_loss", "better");
        Path doubles = declared("fd", KINDS, Map.of("data", "iris", "dtype", "double"),
                List.of(cell(1e-16, 0, 1, 600, "converged", 2.3025915145874025)));
        assertThat(verdictByMetric(Compare.run(args("baseline", declared("fe", KINDS, Map.of("data", "iris",
                "dtype", "double"), List.of(cell(1e-16, 0, 1, 600, "converged", 2.3026018142700195))),
                "candidate", doubles)))).containsEntry("final_loss", "better");
    }

    @Test
    void settingsAreNeverBetterOrWorseAndOutcomesChange() throws IOException {
        Map<String, String> spec = Map.of("data", "iris");
        Path base = declared("sb", KINDS, spec, List.of(cell(0, 0, 1, 600, "converged", 0.5)));
        Path cand = declared("sc", KINDS, spec, List.of(cell(0, 0, 1, 580, "diverged", 0.5)));
        Compare.Result r = Compare.run(args("baseline", base, "candidate", cand));
        assertThat(verdictByMetric(r)).containsEntry("n_train", "setting differs").containsEntry("regime",
                "changed");
        assertThat(r.settingsDiffer()).isEqualTo(1);
        assertThat(r.changed()).isEqualTo(1);
        assertThat(r.better() + r.worse()).isZero();
    }

    @Test
    void runsOfDifferentDataAreRefusedUnlessAllowedAndBothRunsAreNamed() throws IOException {
        Path digits = declared("d", KINDS, Map.of("data", "digits", "lr", "0.5", "workers", "1"),
                List.of(cell(0, 0, 1, 1438, "converged", 0.5)));
        Path csv = declared("c", KINDS, Map.of("data", "csv:/tmp/x.csv", "lr", "0.3", "workers", "2"),
                List.of(cell(0, 0, 1, 38, "converged", 0.5)));
        assertThatThrownBy(() -> Compare.run(args("baseline", digits, "candidate", csv)))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("cannot compare runs of different data (data: digits -> csv:/tmp/x.csv)")
                .hasMessageContaining("-Dallow_different=true");
        Compare.Result r = Compare.run(args("baseline", digits, "candidate", csv, "allow_different", "true"));
        assertThat(r.specDiffers()).containsExactly("data: digits -> csv:/tmp/x.csv", "lr: 0.5 -> 0.3");
        assertThat(Compare.markdown(r)).contains("baseline: " + digits.toRealPath()
                + " (started 2026-12-01T10:00:00Z, commit abc1234)").contains("candidate: " + csv.toRealPath())
                .contains("spec keys that differ: data: digits -> csv:/tmp/x.csv; lr: 0.5 -> 0.3");
    }
}
