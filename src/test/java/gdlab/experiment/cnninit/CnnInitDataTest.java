package gdlab.experiment.cnninit;

import gdlab.data.IdxFiles;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static gdlab.data.IdxFiles.idx;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * cnn-init on images written here: an IDX pair of 8 x 9 images (the shape from its header) and a CSV of 6 x 6
 * pixels with {@code image=6x6}, each CNN shaped by its images and classes, the claims checked, and the image sizes
 * it cannot use refused with exit status 2, naming the numbers.
 */
class CnnInitDataTest {
    @TempDir
    static Path dir;
    static String idx;
    static String csv;
    static Outcome idxRun;

    record Outcome(int status, String out, String err) {
    }

    static Outcome runMain(Path results, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(Map.of("experiment", "cnn-init", "quick", "true",
                "quiet", "true", "results_dir", results.toString()));
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code n} images of h x w, 3 classes: class k brightens row k + 1, noise elsewhere. */
    static byte[] pixels(Random random, int n, int h, int w) {
        byte[] p = new byte[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < h * w; q++) {
                p[i * h * w + q] = (byte) (q / w == i % 3 + 1 ? 180 + random.nextInt(70) : random.nextInt(60));
            }
        }
        return p;
    }

    static byte[] labels(int n) {
        byte[] y = new byte[n];
        for (int i = 0; i < n; i++) {
            y[i] = (byte) (i % 3);
        }
        return y;
    }

    @BeforeAll
    static void writeTheImagesAndRunOnTheIdxPair() throws IOException {
        Random random = new Random(17);
        int n = 60;
        Path images = write("small-images-idx3-ubyte.gz", idx(0x803, new int[]{n, 8, 9}, pixels(random, n, 8, 9)),
                true);
        Path labelFile = write("small-labels-idx1-ubyte", idx(0x801, new int[]{n}, labels(n)), false);
        idx = "idx:" + images + "+" + labelFile;
        byte[] p = pixels(random, n, 6, 6);
        StringBuilder text = new StringBuilder();
        for (int q = 0; q < 36; q++) {
            text.append("p").append(q).append(',');
        }
        text.append("digit\n");
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < 36; q++) {
                text.append(p[i * 36 + q] & 0xFF).append(',');
            }
            text.append(i % 3).append('\n');
        }
        csv = "csv:" + Files.writeString(dir.resolve("pixels.csv"), text);
        idxRun = runMain(dir.resolve("idx"), Map.of("data", idx));
        assertThat(idxRun.status()).as(idxRun.err()).isZero();
    }

    @Test
    void theCnnTakesItsShapeFromTheIdxHeaderAndItsOutputsFromTheClasses() throws IOException {
        List<Map<String, String>> cells = RunFiles.rows(dir.resolve("idx/cnn-init/latest/cells.csv"));
        // quick: sgd, relu and sigmoid, the four inits, one seed; 60 images: 48 training, 12 test
        assertThat(cells).hasSize(8).allSatisfy(r -> {
            assertThat(r).containsEntry("n_train", "48").containsEntry("n_test", "12");
            // conv 8 x (3x3 + 1) = 80; 8x9 -> 6x7 -> pooled 3x3 x 8 = 72 inputs to dense 32: 72 x 32 + 32; output
            // 32 x 3 + 3
            assertThat(r).containsEntry("params", String.valueOf(80 + 72 * 32 + 32 + 32 * 3 + 3));
        });
        assertThat(idxRun.out()).contains("Data: " + idx + ", 48 training / 12 test examples (8x9, standardized "
                + "pixels)").contains("softmax 3 (float)").contains("| optimizer ");
    }

    @Test
    void theClaimsAreCheckedOnTheImages() throws IOException {
        Map<String, String> verdicts = new LinkedHashMap<>();
        RunFiles.rows(dir.resolve("idx/cnn-init/latest/claims.csv"))
                .forEach(c -> verdicts.put(c.get("claim"), c.get("verdict")));
        assertThat(verdicts).hasSize(6).containsEntry("zero_init_identical_units", "holds")
                .containsEntry("check_tells_units_apart", "holds");
        assertThat(verdicts.values()).allSatisfy(v -> assertThat(v).isNotBlank());
        // the initial-weights table uses the pooled map's 72 inputs and the 3 classes as fans
        assertThat(idxRun.out()).containsPattern("\\| xavier +\\| dense +\\| 72 +\\|")
                .containsPattern("\\| he +\\| output +\\| 32 +\\| 3 +\\|");
    }

    @Test
    void aCsvOfPixelsTakesItsShapeFromTheImageKeyAndASubsample() throws IOException {
        Outcome o = runMain(dir.resolve("csv"), Map.of("data", csv, "image", "6x6", "max_examples", "50",
                "init", "he,zero"));
        assertThat(o.status()).as(o.err()).isZero();
        List<Map<String, String>> cells = RunFiles.rows(dir.resolve("csv/cnn-init/latest/cells.csv"));
        // 6x6 -> 4x4 -> pooled 2x2 x 8 = 32 inputs to dense 32; 50 examples: 40 training, 10 test
        assertThat(cells).hasSize(4).allSatisfy(r -> assertThat(r).containsEntry("n_train", "40")
                .containsEntry("n_test", "10").containsEntry("params", String.valueOf(80 + 32 * 32 + 32 + 32 * 3 + 3)));
    }

    @Test
    void imagesItCannotUseAreNamedWithExitStatus2() throws IOException {
        Path bad = dir.resolve("bad");
        Outcome missing = runMain(bad, Map.of("data", csv));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("-Dimage=HxW").contains("36");
        Outcome wrong = runMain(bad, Map.of("data", csv, "image", "6x5"));
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.err()).contains("'6x5' for image").contains("30 pixels").contains("36 feature columns");
        Outcome idxWrong = runMain(bad, Map.of("data", idx, "image", "9x8"));
        assertThat(idxWrong.status()).isEqualTo(2);
        assertThat(idxWrong.err()).contains("'9x8' for image").contains("holds 8x9 images (its IDX header)");
        Outcome thin = runMain(bad, Map.of("data", csv, "image", "3x12"));
        assertThat(thin.status()).isEqualTo(2);
        assertThat(thin.err()).contains("'3x12' for image").contains("at least 4x4");
        Path tiny = write("tiny-images", idx(0x803, new int[]{60, 3, 3}, new byte[60 * 9]), false);
        Outcome small = runMain(bad, Map.of("data", "idx:" + tiny + "+" + idx.substring(idx.indexOf('+') + 1)));
        assertThat(small.status()).isEqualTo(2);
        assertThat(small.err()).contains("'3x3' for image (from the IDX header)").contains("at least 4x4");
        Outcome syntax = runMain(bad, Map.of("data", csv, "image", "6by6"));
        assertThat(syntax.status()).isEqualTo(2);
        assertThat(syntax.err()).contains("'6by6'").contains("HxW");
        StringBuilder text = new StringBuilder("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,y\n");
        for (int i = 0; i < 60; i++) {
            text.append("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,").append(i % 4).append(',').append(0.37 * i + 0.01)
                    .append('\n');
        }
        String continuous = "csv:" + Files.writeString(dir.resolve("measured.csv"), text);
        Outcome label = runMain(bad, Map.of("data", continuous, "label", "y", "image", "4x4"));
        assertThat(label.status()).isEqualTo(2);
        assertThat(label.err()).contains("measured.csv").contains("continuous");
        assertThat(bad).doesNotExist();
    }

    /** {@link IdxFiles#write} into this test's folder. */
    static Path write(String name, byte[] content, boolean gzip) throws IOException {
        return IdxFiles.write(dir.resolve(name), content, gzip);
    }
}
