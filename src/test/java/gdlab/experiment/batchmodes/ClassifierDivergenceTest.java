package gdlab.experiment.batchmodes;

import gdlab.Main;
import gdlab.data.IdxFiles;
import gdlab.dl4j.Trainer;
import gdlab.experiment.RunFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * batch-modes' default learning rates on high-contrast images with many pixels: the softmax net blows up, DL4J clips
 * its cross-entropy near 23, and the cell must read {@code diverged}, not {@code ok} with the target not reached.
 */
class ClassifierDivergenceTest {
    @TempDir
    Path tmp;

    /** An IDX file: magic, dimensions, unsigned bytes. */
    static void idx(Path file, int magic, int[] dims, byte[] body) throws IOException {
        IdxFiles.write(file, IdxFiles.idx(magic, dims, body), false);
    }

    /**
     * {@code n} black-and-white {@code side x side} images of 10 classes: each class a random pattern of 0 and 255
     * pixels, each image its class's pattern with a tenth of the pixels flipped.
     */
    String images(int n, int side, double flip, double brightness) throws IOException {
        Random random = new Random(5);
        int pixels = side * side;
        boolean[][] patterns = new boolean[10][pixels];
        for (boolean[] p : patterns) {
            for (int i = 0; i < pixels; i++) {
                p[i] = random.nextBoolean();
            }
        }
        byte[] x = new byte[n * pixels];
        byte[] y = new byte[n];
        for (int k = 0; k < n; k++) {
            y[k] = (byte) (k % 10);
            double s = 1 - brightness * random.nextDouble();
            for (int i = 0; i < pixels; i++) {
                boolean on = patterns[k % 10][i] ^ random.nextDouble() < flip;
                x[k * pixels + i] = (byte) Math.round(s * (on ? 255 : 100));
            }
        }
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        idx(images, 0x803, new int[]{n, side, side}, x);
        idx(labels, 0x801, new int[]{n}, y);
        return "idx:" + images + "+" + labels;
    }

    @Test
    void aBlownUpSoftmaxNetIsDivergedWithItsReason() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "batch-modes");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", tmp.resolve("results").toString());
        props.put("data", images(400, 16, 0.3, 0.9));
        props.put("batch_size", "full,32");
        // the absolute rates (lr_batch = 2, lr_mini_batch = 0.5) are far above this data's lr_crit
        props.put("lr_unit", "abs");
        props.put("curve_batch_sizes", "none");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        List<Map<String, String>> cells = RunFiles.rows(tmp.resolve("results/batch-modes/latest/cells.csv"));
        assertThat(cells).hasSize(4);                 // batch and mini-batch, 2 seeds
        for (Map<String, String> c : cells) {
            assertThat(c.get("status")).as(c.toString()).isEqualTo("diverged");
            assertThat(c.get("message")).matches("final training loss \\d+(\\.\\d+)? above the initial \\d\\.\\d+");
            double loss = Double.parseDouble(c.get("final_train_loss"));
            assertThat(loss).isBetween(15.0, 23.0);   // clipped by DL4J: never 100 x the initial ~2.7
            assertThat(Double.parseDouble(c.get("test_accuracy"))).isLessThan(0.3);
            assertThat(c.get("epochs_to_target")).isEmpty();
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains(Trainer.DIVERGENCE_RULE);
        assertThat(table).containsPattern("\\| batch +\\| 320 .*\\| not reached \\(0/2, 2 diverged\\)")
                .containsPattern("\\| mini-batch +\\| 32 .*\\| not reached \\(0/2, 2 diverged\\)");
    }
}
