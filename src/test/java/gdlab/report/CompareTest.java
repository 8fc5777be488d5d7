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
}
