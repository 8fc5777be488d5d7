package gdlab.experiment.crosscheck;

import gdlab.Main;
import gdlab.experiment.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static gdlab.data.IdxFiles.idx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * crosscheck on data written here ("does DL4J compute gradient descent right on my data?"): a class-label CSV and an
 * IDX image pair beside iris in one run, each net sized from its data; and the data it refuses, named.
 */
class CrosscheckDataTest {
    /** Two updaters, mini-batch mode, both dtypes: every stage 1-6 on each data set, kept short. */
    static final Map<String, String> SMALL = Map.of("updaters", "sgd, adam", "modes", "mini-batch",
            "options", "false", "solvers", "false", "mini_batch_size", "8", "hidden", "5");
    @TempDir
    static Path dir;
    static String csv;
    static String idx;
    static int status;
    static String err;

    @BeforeAll
    static void runOnThree() throws IOException {
        Random random = new Random(5);
        StringBuilder text = new StringBuilder("a,b,c,kind\n");
        for (int i = 0; i < 60; i++) {
            int k = i % 3;
            text.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%s%n", k + random.nextGaussian(),
                    random.nextGaussian(), -k + 0.5 * random.nextGaussian(), "class-" + k));
        }
        csv = "csv:" + Files.writeString(dir.resolve("three.csv"), text);
        int n = 30;
        byte[] pixels = new byte[n * 9];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 2);
            for (int p = 0; p < 9; p++) {
                pixels[i * 9 + p] = (byte) ((p % 2 == i % 2 ? 150 : 0) + random.nextInt(100));
            }
        }
        Path images = Files.write(dir.resolve("img-idx3-ubyte"), idx(0x803, new int[]{n, 3, 3}, pixels));
        Path labelFile = Files.write(dir.resolve("lab-idx1-ubyte"), idx(0x801, new int[]{n}, labels));
        idx = "idx:" + images + "+" + labelFile;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        status = run(dir.resolve("three"), Map.of("data", "iris, " + csv + ", " + idx, "label", "kind"), e);
        err = e.toString(StandardCharsets.UTF_8);
    }

    static int run(Path results, Map<String, String> extra, ByteArrayOutputStream err) {
        Map<String, String> props = CrosscheckTest.props(results, SMALL);
        props.putAll(extra);
        return Main.run(props, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void everyStagePassesOnEachDataSetWithItsOwnNet() throws IOException {
        assertThat(status).as(err).isZero();
        Path run = dir.resolve("three/crosscheck/latest");
        List<Map<String, String>> cells = RunFiles.rows(run.resolve("cells.csv"));
        assertThat(cells.stream().map(c -> c.get("data")).distinct()).containsExactly("iris", csv, idx);
        assertThat(cells).hasSize(3 * 2 * 2);   // data x updaters x dtypes
        assertThat(cells).allSatisfy(c -> assertThat(c.get("status")).isEqualTo("ok"));
        List<Map<String, String>> rows = RunFiles.rows(run.resolve("summary.csv"));
        assertThat(rows).hasSize(cells.size() * 6);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("verdict")).as(r.toString()).isEqualTo("PASS"));
        String summary = Files.readString(run.resolve("summary.md"));
        assertThat(summary).contains("iris 4-8-3 (150 examples)").contains(csv + " 3-5-3 (60 examples)")
                .contains(idx + " 9-5-2 (30 examples)");
        List<Map<String, String>> claims = RunFiles.rows(run.resolve("claims.csv"));
        assertThat(claims).filteredOn(c -> List.of("output", "loss", "gradient", "step_1", "steps", "epochs")
                .contains(c.get("claim"))).hasSize(6).allSatisfy(c -> assertThat(c.get("verdict")).isEqualTo("holds"));
        assertThat(claims).filteredOn(c -> c.get("claim").equals("output")).extracting(c -> c.get("support"))
                .containsExactly("12/12 rows within 1e-12 (double) and 1e-5 (float)");
    }

    @Test
    void aContinuousLabelOrAMissingFileStopsTheRunNamingIt() throws IOException {
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            text.append(i).append(',').append(0.37 * i + 0.01).append('\n');
        }
        String regression = "csv:" + Files.writeString(dir.resolve("regression.csv"), text);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        assertThat(run(dir.resolve("bad"), Map.of("data", regression), e)).isEqualTo(2);
        assertThat(e.toString(StandardCharsets.UTF_8)).contains("label column 'y' looks continuous")
                .contains("classifiers");
        ByteArrayOutputStream missing = new ByteArrayOutputStream();
        assertThat(run(dir.resolve("bad"), Map.of("data", "iris, csv:" + dir.resolve("nope.csv")), missing))
                .isEqualTo(2);
        assertThat(missing.toString(StandardCharsets.UTF_8)).contains("data file not found").contains("nope.csv");
        assertThat(dir.resolve("bad")).doesNotExist();
    }
}
