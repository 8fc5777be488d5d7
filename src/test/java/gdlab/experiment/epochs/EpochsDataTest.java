package gdlab.experiment.epochs;

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
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * epochs on a CSV written here (three classes of five features): the net sized from the data, every claim checked,
 * a reproducible subsample, and the inputs it refuses, named, with exit status 2 and nothing written.
 */
class EpochsDataTest {
    @TempDir
    static Path dir;
    static String csv;
    static Outcome run;
    static List<Map<String, String>> cells;

    record Outcome(int status, String out, String err) {
    }

    static Outcome runMain(Path results, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(Map.of("experiment", "epochs", "quick", "true",
                "quiet", "true", "results_dir", results.toString()));
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Small settings for the CSV's 150 rows. */
    static Map<String, String> small(String... more) {
        Map<String, String> m = new LinkedHashMap<>(Map.of("data", csv, "label", "kind", "train_examples", "60",
                "validation_examples", "30", "max_epochs", "12", "patience", "3", "seeds", "2"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    @BeforeAll
    static void runOnACsv() throws IOException {
        Random random = new Random(5);
        StringBuilder text = new StringBuilder("a,b,kind,c,d,e\n");
        String[] kinds = {"x", "y", "z"};
        for (int i = 0; i < 150; i++) {
            int k = i % 3;
            text.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,%.4f,%.4f,%.4f%n", k + random.nextGaussian(),
                    -k + random.nextGaussian(), kinds[k], random.nextGaussian(), 3 * random.nextGaussian(),
                    0.5 * k + random.nextGaussian()));
        }
        csv = "csv:" + Files.writeString(dir.resolve("blobs.csv"), text);
        run = runMain(dir.resolve("run"), small());
        assertThat(run.status()).as(run.err()).isZero();
        cells = RunFiles.rows(dir.resolve("run/epochs/latest/cells.csv"));
    }

    @Test
    void everyOrderAndStoppingIsARowOfTheDataSizedNet() {
        // quick: shuffled and class-sorted, early and budget, 2 seeds
        assertThat(cells).hasSize(8).allSatisfy(r -> {
            assertThat(r).containsEntry("n_train", "60").containsEntry("n_validation", "30")
                    .containsEntry("n_test", "60").containsEntry("updates_per_epoch", "2");
            assertThat(r.get("status")).isIn("ok", "diverged");
        });
        assertThat(cells).extracting(r -> r.get("order") + "/" + r.get("stopping")).containsOnly(
                "shuffled/early", "shuffled/budget", "class-sorted/early", "class-sorted/budget");
        // 5 features, 3 classes
        assertThat(run.out()).contains("Data: " + csv + ", 60 training / 30 validation / 60 test examples; MLP 5-128-3")
                .contains("| order ");
    }

    @Test
    void everyClaimIsCheckedAndDl4jMatchesTheReference() throws IOException {
        List<Map<String, String>> claims = RunFiles.rows(dir.resolve("run/epochs/latest/claims.csv"));
        assertThat(claims).hasSize(11).allSatisfy(c -> {
            assertThat(c.get("verdict")).as(c.get("claim")).isNotBlank();
            assertThat(c.get("measured")).as(c.get("claim")).isNotBlank();
        });
        assertThat(claims).filteredOn(c -> c.get("claim").equals("dl4j_matches_reference")).singleElement()
                .satisfies(c -> assertThat(c.get("verdict")).isEqualTo("holds"));
        // the comparisons of shuffled and class-sorted are decided on this data, not skipped
        assertThat(claims).filteredOn(c -> List.of("sorted_worse_early", "sorted_no_better_at_end")
                .contains(c.get("claim"))).allSatisfy(c -> assertThat(c.get("verdict")).isNotEqualTo("not tested"));
    }

    @Test
    void maxExamplesTakesTheSameSubsampleEveryRun() throws IOException {
        List<List<Map<String, String>>> runs = new java.util.ArrayList<>();
        for (String name : List.of("sub1", "sub2")) {
            Outcome o = runMain(dir.resolve(name), small("max_examples", "100", "max_epochs", "2", "seeds", "1",
                    "stopping", "budget", "order", "shuffled"));
            assertThat(o.status()).as(o.err()).isZero();
            runs.add(RunFiles.withoutTimings(RunFiles.rows(dir.resolve(name + "/epochs/latest/cells.csv"))));
        }
        // 100 examples: 60 + 30 + the test set's 10
        assertThat(runs.get(0)).singleElement().satisfies(r -> assertThat(r).containsEntry("n_test", "10"));
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void lrUnitCritTrainsAtTheRatioTimesTheMeasuredCriticalRate() throws IOException {
        Outcome o = runMain(dir.resolve("crit"), small("lr_unit", "crit", "lr_ratio", "0.5", "max_epochs", "2",
                "seeds", "1", "stopping", "budget", "order", "shuffled"));
        assertThat(o.status()).as(o.err()).isZero();
        String json = Files.readString(dir.resolve("crit/epochs/latest/run.json"));
        double lambdaMax = number(json, "lambda_max");
        double lr = number(json, "lr");
        assertThat(lambdaMax).isPositive();
        // 0.5 x 2 / lambda_max, to the 4 significant digits the run trains with
        assertThat(lr).isCloseTo(0.5 * 2 / lambdaMax, org.assertj.core.data.Percentage.withPercentage(0.05));
        assertThat(o.out()).contains("x lr_crit; lambda_max = ");
        // the reference replays the same rate: DL4J still matches it
        assertThat(RunFiles.rows(dir.resolve("crit/epochs/latest/claims.csv"))).filteredOn(c -> c.get("claim")
                .equals("dl4j_matches_reference")).singleElement().satisfies(c -> assertThat(c.get("verdict"))
                .isEqualTo("holds"));
    }

    /** A number in run.json by its key (the first occurrence). */
    static double number(String json, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)")
                .matcher(json);
        assertThat(m.find()).as(key + " in run.json").isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void whatItCannotUseIsNamedWithExitStatus2() throws IOException {
        StringBuilder text = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 60; i++) {
            text.append(i % 5).append(',').append(i % 7).append(',').append(0.37 * i + 0.01).append('\n');
        }
        String continuous = "csv:" + Files.writeString(dir.resolve("measured.csv"), text);
        Path bad = dir.resolve("bad");
        Outcome label = runMain(bad, small("data", continuous, "label", "y"));
        assertThat(label.status()).isEqualTo(2);
        assertThat(label.err()).contains("measured.csv").contains("continuous");
        Outcome column = runMain(bad, small("label", "nope"));
        assertThat(column.status()).isEqualTo(2);
        assertThat(column.err()).contains("'nope'");
        Outcome tooMany = runMain(bad, small("train_examples", "600", "validation_examples", "300"));
        assertThat(tooMany.status()).isEqualTo(2);
        assertThat(tooMany.err()).contains("'600 + 300'").contains("a sum below 150");
        Outcome fewer = runMain(bad, small("max_examples", "80"));
        assertThat(fewer.status()).isEqualTo(2);
        assertThat(fewer.err()).contains("'60 + 30'").contains("a sum below 80");
        assertThat(bad).doesNotExist();
    }
}
