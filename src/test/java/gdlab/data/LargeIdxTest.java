package gdlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static gdlab.experiment.RunFiles.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large IDX files: images stream into their rows with progress on stderr; and a 60,000 x 784 set (Fashion-MNIST's
 * training size) trains an epoch of batch-modes' mini-batch mode in a JVM of -Xmx2g. That one takes a minute or
 * more, so it runs only when asked: {@code mvn -o test -Dtest=gdlab.data.LargeIdxTest -Dgdlab.large=true}.
 */
class LargeIdxTest {

    /** An IDX pair of {@code count} 28 x 28 images whose pixels lean on their class (so a net can learn it). */
    static String write(Path dir, int count, long seed) throws IOException {
        Path images = dir.resolve("large-images-idx3-ubyte");
        Path labels = dir.resolve("large-labels-idx1-ubyte");
        SplittableRandom random = new SplittableRandom(seed);
        int[] y = new int[count];
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(labels)))) {
            out.writeInt(0x801);
            out.writeInt(count);
            for (int i = 0; i < count; i++) {
                y[i] = random.nextInt(10);
                out.writeByte(y[i]);
            }
        }
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(images),
                1 << 16))) {
            out.writeInt(0x803);
            out.writeInt(count);
            out.writeInt(28);
            out.writeInt(28);
            byte[] image = new byte[784];
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < 784; p++) {
                    boolean on = p / 78 == y[i];
                    image[p] = (byte) (random.nextInt(on ? 128 : 64) + (on ? 127 : 0));
                }
                out.write(image);
            }
        }
        return "idx:" + images + "+" + labels;
    }

    @Test
    void aLargeImageFileReportsItsProgressAndReadsEveryPixel(@TempDir Path dir) throws IOException {
        int count = (int) (Idx.PROGRESS_BYTES / 784) + 10;
        String[] files = write(dir, count, 3).substring(4).split("\\+");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Dataset d = Idx.read(Path.of(files[0]), Path.of(files[1]), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        assertThat(d.size()).isEqualTo(count);
        assertThat(d.numFeatures()).isEqualTo(784);
        String progress = err.toString(StandardCharsets.UTF_8);
        assertThat(progress.lines()).hasSizeBetween(10, 11).last().asString()
                .isEqualTo("reading large-images-idx3-ubyte: " + count + " of " + count + " images (100%)");
        // the last image is the file's last 784 bytes
        byte[] raw = Files.readAllBytes(Path.of(files[0]));
        for (int p = 0; p < 784; p++) {
            assertThat(d.features()[count - 1][p]).isEqualTo(raw[raw.length - 784 + p] & 0xFF);
        }

        ByteArrayOutputStream small = new ByteArrayOutputStream();
        String[] few = write(Files.createDirectories(dir.resolve("small")), 50, 4).substring(4).split("\\+");
        Idx.read(Path.of(few[0]), Path.of(few[1]), new PrintStream(small, true, StandardCharsets.UTF_8));
        assertThat(small.size()).as("a small file says nothing").isZero();
    }

    @Test
    @EnabledIfSystemProperty(named = "gdlab.large", matches = "true")
    void sixtyThousandImagesTrainAnEpochInATwoGigabyteHeap(@TempDir Path dir) throws Exception {
        String data = write(dir, 60_000, 5);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path results = dir.resolve("results");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx2g", "-cp", classpath));
        for (Map.Entry<String, String> e : Map.of("experiment", "batch-modes", "data", data, "batch_size", "32",
                "max_epochs", "1", "seeds", "1", "workers", "1", "curve_batch_sizes", "none",
                "results_dir", results.toString()).entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.add("gdlab.Main");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        assertThat(p.waitFor(20, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(dir.resolve("out.txt"));
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("60000 of 60000 images (100%)");
        List<Map<String, String>> cells = rows(results.resolve("batch-modes/latest/cells.csv"));
        assertThat(cells).hasSize(1);
        assertThat(cells.get(0)).containsEntry("status", "ok").containsEntry("n_train", "48000")
                .containsEntry("epochs_run", "1").containsEntry("updates_per_epoch", "1500");
    }
}
