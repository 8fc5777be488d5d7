package gdlab.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** max_examples: a subsample the split seed alone decides; the split's standardized rows are its own copies. */
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
}
