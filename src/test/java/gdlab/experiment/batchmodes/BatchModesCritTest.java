package gdlab.experiment.batchmodes;

import gdlab.Main;
import gdlab.data.Dataset;
import gdlab.data.Datasets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static gdlab.experiment.RunFiles.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Learning rates in units of lr_crit: on images unlike the digits (the digits upsampled to 28 x 28, 0-255, 784
 * features) batch-modes' absolute default rates diverge, the crit-relative ones train; and the steps-to-target curve.
 */
class BatchModesCritTest {

    /** Runs gdlab with the quick settings and {@code extra}; returns the exit status, stdout and stderr. */
    static String[] run(Path dir, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "batch-modes");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", dir.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[]{String.valueOf(status), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8)};
    }

    /** The shipped digits (8 x 8, 0-16) upsampled to 28 x 28 pixels of 0-255, as a gzipped IDX pair. */
    static String digits28(Path dir) throws IOException {
        Dataset d = Datasets.load("digits");
        Path images = dir.resolve("images-idx3-ubyte.gz");
        Path labels = dir.resolve("labels-idx1-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(images)))) {
            out.writeInt(0x803);
            out.writeInt(d.size());
            out.writeInt(28);
            out.writeInt(28);
            for (double[] x : d.features()) {
                for (int r = 0; r < 28; r++) {
                    for (int c = 0; c < 28; c++) {
                        out.writeByte((int) Math.round(x[(r * 8 / 28) * 8 + c * 8 / 28] * 255 / 16));
                    }
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(labels)))) {
            out.writeInt(0x801);
            out.writeInt(d.size());
            for (int y : d.labels()) {
                out.writeByte(Integer.parseInt(d.classNames().get(y)));
            }
        }
        return "idx:" + images + "+" + labels;
    }

    @Test
    void absoluteRatesDivergeOnOtherImagesAndCritRelativeOnesReachTheTarget(@TempDir Path dir) throws IOException {
        String data = digits28(dir);
        Map<String, String> settings = Map.of("data", data, "batch_size", "full, 32", "max_epochs", "20",
                "seeds", "1", "curve_batch_sizes", "none");
        Map<String, String> abs = new LinkedHashMap<>(settings);
        abs.put("lr_unit", "abs");
        String[] absRun = run(dir.resolve("abs"), abs);
        assertThat(absRun[0]).isEqualTo("0");
        List<Map<String, String>> absCells = rows(dir.resolve("abs/batch-modes/latest/cells.csv"));
        assertThat(absCells).extracting(r -> r.get("mode") + " " + r.get("status"))
                .containsExactly("batch diverged", "mini-batch diverged");
        // lr_batch = 2 is many times this data's lr_crit
        assertThat(Double.parseDouble(absCells.get(0).get("lr_ratio"))).isGreaterThan(5);

        Map<String, String> crit = new LinkedHashMap<>(settings);
        crit.put("lr_unit", "crit");
        String[] critRun = run(dir.resolve("crit"), crit);
        assertThat(critRun[0]).isEqualTo("0");
        List<Map<String, String>> cells = rows(dir.resolve("crit/batch-modes/latest/cells.csv"));
        assertThat(cells).allSatisfy(r -> {
            assertThat(r.get("status")).isEqualTo("ok");
            assertThat(r.get("epochs_to_target")).as(r.get("mode")).isNotEmpty();
            assertThat(Double.parseDouble(r.get("lr")) / Double.parseDouble(r.get("lr_ratio")))
                    .isCloseTo(lrCrit(critRun[1]), org.assertj.core.data.Percentage.withPercentage(0.2));
        });
        assertThat(critRun[1]).contains("lr_unit = crit").contains("batch 0.");
        String runJson = Files.readString(dir.resolve("crit/batch-modes/latest/run.json"));
        assertThat(runJson).contains("\"facts\"").contains("\"lr_crit\"").contains("\"lr_ratio_batch\": 0.9")
                .contains("\"lr_batch\": " + cells.get(0).get("lr"));
        assertThat(rows(dir.resolve("crit/batch-modes/latest/claims.csv")))
                .filteredOn(c -> c.get("claim").equals("batch_below_crit_stable"))
                .extracting(c -> c.get("verdict")).containsExactly("holds");
    }

    /** lr_crit as summary.md states it. */
    static double lrCrit(String summary) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("lr_crit = 2 / lambda_max = ([0-9.eE+-]+)")
                .matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void anUnknownLearningRateUnitIsRefusedByName(@TempDir Path dir) throws IOException {
        String[] r = run(dir, Map.of("lr_unit", "foo"));
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("'foo'").contains("lr_unit").contains("abs, crit");
        assertThat(dir.resolve("batch-modes")).doesNotExist();
        String[] ratios = run(dir, Map.of("curve_lr_ratios", "0.1, -1"));
        assertThat(ratios[0]).isEqualTo("2");
        assertThat(ratios[2]).contains("curve_lr_ratios");
    }

    /** A rate the unit would ignore is refused, so -Dlr_mini_batch=0.3 never silently changes nothing. */
    @Test
    void aRateOfTheOtherUnitIsRefusedNamingWhatToSetInstead(@TempDir Path dir) {
        String[] abs = run(dir, Map.of("lr_mini_batch", "0.3"));
        assertThat(abs[0]).isEqualTo("2");
        assertThat(abs[2]).contains("bad value '0.3' for lr_mini_batch: with lr_unit=crit it is not used")
                .contains("-Dlr_ratio_mini_batch=R").contains("-Dlr_unit=abs -Dlr_mini_batch=0.3");
        String[] ratio = run(dir, Map.of("lr_unit", "abs", "lr_ratio_batch", "0.5"));
        assertThat(ratio[0]).isEqualTo("2");
        assertThat(ratio[2]).contains("bad value '0.5' for lr_ratio_batch: with lr_unit=abs it is not used")
                .contains("-Dlr_unit=crit -Dlr_ratio_batch=0.5");
        assertThat(dir.resolve("batch-modes")).doesNotExist();
    }

    @Test
    void stepsToTheTargetFallWithTheBatchSizeAndFlatten(@TempDir Path dir) throws IOException {
        String[] r = run(dir, Map.of("batch_size", "32", "seeds", "1", "max_epochs", "1",
                "curve_batch_sizes", "1, 16, 1000, full"));
        assertThat(r[0]).isEqualTo("0");
        Map<Integer, Double> steps = new LinkedHashMap<>();
        for (Map<String, String> c : rows(dir.resolve("batch-modes/latest/cells.csv"))) {
            if (c.get("part").equals(BatchCurve.PART)) {
                assertThat(c.get("curve_tries")).isNotEmpty();
                assertThat(c.get("tuned_lr_ratio")).isNotEmpty();
                steps.put(Integer.parseInt(c.get("batch_size")), Double.parseDouble(c.get("updates_to_target")));
            }
        }
        assertThat(steps).hasSize(3);
        List<Double> s = List.copyOf(steps.values());
        // fewer steps with a bigger batch, but fewer than 1/B would give: the examples per step buy less and less
        assertThat(s.get(0)).isGreaterThan(s.get(1));
        assertThat(s.get(1)).isGreaterThanOrEqualTo(s.get(2));
        assertThat(s.get(2) * 320).isGreaterThan(s.get(0));
        assertThat(r[1]).contains("### Steps to the target against the batch size")
                .contains("B = 1000 not run: larger than the 320 training examples.");
        assertThat(dir.resolve("batch-modes/latest/steps-to-target.png")).isRegularFile();
    }

}
