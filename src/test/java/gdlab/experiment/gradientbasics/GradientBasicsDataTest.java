package gdlab.experiment.gradientbasics;

import gdlab.data.IdxFiles;

import gdlab.experiment.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static gdlab.data.IdxFiles.idx;
import static gdlab.experiment.gradientbasics.GradientBasicsTest.Outcome;
import static gdlab.experiment.gradientbasics.GradientBasicsTest.runMain;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * gradient-basics on data written here: a class-label CSV and an IDX image pair in one run (data is a sweep axis),
 * each net sized from its data, a reproducible subsample, and the inputs it refuses, named.
 */
class GradientBasicsDataTest {
    @TempDir
    static Path dir;
    static String csv;
    static String idx;
    static Outcome both;
    static List<Map<String, String>> cells;

    @BeforeAll
    static void runOnBoth() throws IOException {
        Random random = new Random(11);
        StringBuilder text = new StringBuilder("f1,f2,f3,f4,kind\n");
        for (int i = 0; i < 90; i++) {
            boolean m = i % 2 == 0;
            text.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%s%n", (m ? 1 : -1) + random.nextGaussian(),
                    random.nextGaussian(), 2 * random.nextGaussian(), (m ? 0.5 : 0) + random.nextGaussian(),
                    m ? "M" : "B"));
        }
        csv = "csv:" + Files.writeString(dir.resolve("blobs.csv"), text);
        // 40 images of 4 x 4 pixels, 3 classes: a bright row per class, noise elsewhere; the first pixel always 0
        int n = 40;
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 3);
            for (int p = 1; p < 16; p++) {
                pixels[i * 16 + p] = (byte) (p / 4 == i % 3 + 1 ? 200 + random.nextInt(50) : random.nextInt(60));
            }
        }
        Path images = write("tiny-images-idx3-ubyte.gz", idx(0x803, new int[]{n, 4, 4}, pixels), true);
        Path labelFile = write("tiny-labels-idx1-ubyte", idx(0x801, new int[]{n}, labels), false);
        idx = "idx:" + images + "+" + labelFile;
        both = runMain(dir.resolve("both"), Map.of("data", csv + "," + idx, "label", "kind"));
        assertThat(both.status()).as(both.err()).isZero();
        cells = RunFiles.rows(dir.resolve("both/gradient-basics/latest/cells.csv"));
    }

    @Test
    void eachDataSetIsACellWithANetSizedFromIt() {
        assertThat(cells).extracting(r -> r.get("data")).containsExactly(csv, idx);
        // auto: 2 x inputs between 8 and 32: 4 inputs -> 8 hidden, 16 pixels -> 32
        Map<String, String> c = cells.get(0);
        assertThat(c).containsEntry("hidden", "8").containsEntry("n_examples", "90")
                .containsEntry("n_params", String.valueOf(4 * 8 + 8 + 8 * 2 + 2));
        Map<String, String> i = cells.get(1);
        assertThat(i).containsEntry("hidden", "32").containsEntry("n_examples", "40")
                .containsEntry("n_params", String.valueOf(16 * 32 + 32 + 32 * 3 + 3));
        assertThat(cells).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("ok");
            assertThat(r.get("reference_mismatches")).isEqualTo("0");
            assertThat(r.get("fd_blocks_over_tolerance")).isEqualTo("0");
            assertThat(r.get("sgd_steps")).isEqualTo("20");
        });
        assertThat(both.out()).contains(csv + " 4-8-2 (90 examples)").contains(idx + " 16-32-3 (40 examples)")
                .contains("| data ");
    }

    @Test
    void everyClaimHoldsAndTheSgdClaimNamesTheRunsSteps() throws IOException {
        List<Map<String, String>> claims = RunFiles.rows(dir.resolve("both/gradient-basics/latest/claims.csv"));
        assertThat(claims).hasSize(15).allSatisfy(cl -> assertThat(cl.get("verdict")).as(cl.get("claim"))
                .isEqualTo("holds"));
        assertThat(claims).filteredOn(cl -> cl.get("claim").equals("sgd_lowers_loss")).singleElement()
                .satisfies(cl -> assertThat(cl.get("expected")).contains("after 20 steps"))
                .satisfies(cl -> assertThat(cl.get("statement")).doesNotContain("50"));
        Path run = dir.resolve("both/gradient-basics/latest");
        for (String figure : List.of("step-direction-blobs.png", "sgd-change-blobs.png",
                "step-direction-tiny-images-idx3-ubyte.png", "sgd-change-tiny-images-idx3-ubyte.png")) {
            assertThat(run.resolve(figure)).isNotEmptyFile();
        }
        // the pixel that is 0 in every image is constant: its 32 weights get a gradient of exactly 0
        assertThat(both.out()).contains("32 of the 512 entries of 0_W");
    }

    @Test
    void maxExamplesTakesTheSameSeededSubsampleEveryRunAndHiddenCanBeSet() throws IOException {
        List<List<Map<String, String>>> runs = new java.util.ArrayList<>();
        for (String name : List.of("sub1", "sub2")) {
            Outcome o = runMain(dir.resolve(name), Map.of("data", csv, "label", "kind", "max_examples", "50",
                    "hidden", "5", "sgd_steps", "3"));
            assertThat(o.status()).as(o.err()).isZero();
            runs.add(RunFiles.withoutTimings(RunFiles.rows(dir.resolve(name + "/gradient-basics/latest/cells.csv"))));
        }
        assertThat(runs.get(0)).singleElement().satisfies(r -> assertThat(r).containsEntry("n_examples", "50")
                .containsEntry("hidden", "5").containsEntry("n_params", String.valueOf(4 * 5 + 5 + 5 * 2 + 2)));
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void whatItCannotUseIsNamedWithExitStatus2() throws IOException {
        StringBuilder text = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 60; i++) {
            text.append(i % 5).append(',').append(i % 7).append(',').append(0.37 * i + 0.01).append('\n');
        }
        String continuous = "csv:" + Files.writeString(dir.resolve("measured.csv"), text);
        Path bad = dir.resolve("bad");
        Outcome label = runMain(bad, Map.of("data", continuous, "label", "y"));
        assertThat(label.status()).isEqualTo(2);
        assertThat(label.err()).contains("measured.csv").contains("continuous");
        Outcome column = runMain(bad, Map.of("data", csv, "label", "nope"));
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err()).contains("nope");
        Outcome hidden = runMain(bad, Map.of("data", csv, "label", "kind", "hidden", "0"));
        assertThat(hidden.status()).isEqualTo(2);
        assertThat(hidden.err()).contains("hidden").contains("auto");
        Path fewLabels = write("few-labels", idx(0x801, new int[]{3}, new byte[3]), false);
        Outcome mismatch = runMain(bad, Map.of("data", idx.substring(0, idx.indexOf('+') + 1) + fewLabels));
        assertThat(mismatch.status()).isEqualTo(2);
        assertThat(mismatch.err()).contains("few-labels");
        Outcome noPair = runMain(bad, Map.of("data", "idx:" + fewLabels));
        assertThat(noPair.status()).isEqualTo(2);
        assertThat(noPair.err()).contains("data");
        assertThat(bad).doesNotExist();
    }

    /** {@link IdxFiles#write} into this test's folder. */
    static Path write(String name, byte[] content, boolean gzip) throws IOException {
        return IdxFiles.write(dir.resolve(name), content, gzip);
    }
}
