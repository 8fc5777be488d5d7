package gdlab.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * max_examples: a subsample the split seed alone decides; the split's standardized rows are its own copies; a large
 * CSV file reports its progress.
 */
class SplitSubsampleTest {

    @Test
    void theSameSeedGivesTheSameSubsampleAndAnotherSeedAnother() {
        Dataset digits = Datasets.load("digits");
        Split a = Split.of(digits, 0.2, 42, 300);
        Split b = Split.of(digits, 0.2, 42, 300);
        Split c = Split.of(digits, 0.2, 43, 300);
        assertThat(a.train().size()).isEqualTo(240);
        assertThat(a.test().size()).isEqualTo(60);
        assertThat(a.train().labels()).isEqualTo(b.train().labels());
        assertThat(a.train().features()).isDeepEqualTo(b.train().features());
        assertThat(Arrays.equals(a.train().labels(), c.train().labels())).isFalse();
    }

    @Test
    void standardizingLeavesTheLoadedDataAlone() {
        Dataset digits = Datasets.load("digits");
        double[][] before = Arrays.stream(digits.features()).map(double[]::clone).toArray(double[][]::new);
        Split s = Split.of(digits, 0.2, 42, 0);
        assertThat(digits.features()).isDeepEqualTo(before);
        double mean = 0;
        for (double[] row : s.train().features()) {
            mean += row[20] / s.train().size();
        }
        assertThat(Math.abs(mean)).isLessThan(1e-9);
    }

    @Test
    void aLargeCsvFileReportsItsProgressByTenths() throws java.io.IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 1000; i++) {
            csv.append(i).append(',').append(2 * i).append(',').append(i % 3).append('\n');
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Datasets.Progress progress = new Datasets.Progress("big.csv", csv.length(), new java.io.PrintStream(err, true,
                java.nio.charset.StandardCharsets.UTF_8));
        Datasets.Labelled d = Datasets.parseLabelled("big.csv", new java.io.BufferedReader(
                new java.io.StringReader(csv.toString())), "label", progress);
        assertThat(d.data().size()).isEqualTo(1000);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList()).hasSize(10)
                .startsWith("reading big.csv: 10%").endsWith("reading big.csv: 100%");
    }
}
