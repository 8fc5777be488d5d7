package gdlab.crosscheck;

import gdlab.crosscheck.Tolerances.Verdict;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiffTest {

    @Test
    void relativeDifferenceIsMaxAbsOverMaxReference() {
        Diff d = Diff.of(new double[]{1.0, 2.5, -4.0}, new double[]{1.5, 2.0, -4.0});
        assertThat(d.abs()).isEqualTo(0.5);
        assertThat(d.rel()).isEqualTo(0.5 / 4.0);
    }

    @Test
    void entriesNearZeroDoNotBlowUpTheRelativeDifference() {
        Diff d = Diff.of(new double[]{1e-20, 1.0}, new double[]{2e-20, 1.0});
        assertThat(d.rel()).isEqualTo(1e-20);
    }

    @Test
    void nanNeverPasses() {
        Diff d = Diff.of(new double[]{Double.NaN, 1}, new double[]{0, 1});
        assertThat(d.rel()).isNaN();
        assertThat(d.within(1e300)).isFalse();
        assertThat(Tolerances.verdict(Stage.OUTPUT, "double", d.rel(), null)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void zerosAgainstZerosAgree() {
        assertThat(Diff.of(new double[3], new double[3]).rel()).isZero();
        assertThat(Diff.of(new double[]{1e-300}, new double[]{0}).rel()).isInfinite();
    }

    @Test
    void lengthsMustMatch() {
        assertThatThrownBy(() -> Diff.of(new double[2], new double[3])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tolerancesAreTheIssuesNumbers() {
        for (Stage s : new Stage[]{Stage.OUTPUT, Stage.LOSS, Stage.GRADIENT, Stage.STEP_1}) {
            assertThat(Tolerances.of(s, "double")).isEqualTo(1e-12);
        }
        assertThat(Tolerances.of(Stage.STEPS, "double")).isEqualTo(1e-10);
        assertThat(Tolerances.of(Stage.EPOCHS, "double")).isEqualTo(1e-10);
        assertThat(Tolerances.of(Stage.STEPS, "float")).isEqualTo(1e-4);
        // the option stages train over epochs: stage 6's tolerances and drift allowance
        for (Stage s : Stage.OPTIONS) {
            assertThat(Tolerances.of(s, "double")).isEqualTo(1e-10);
            assertThat(Tolerances.of(s, "float")).isEqualTo(1e-4);
            assertThat(Tolerances.driftApplies(s)).isTrue();
        }
        assertThat(Stage.OPTIONS).hasSize(Stage.values().length - 6).allMatch(Stage::isOption);
    }

    @Test
    void driftExcusesOnlyManyStepStagesAndOnlyWithinItsFactor() {
        assertThat(Tolerances.verdict(Stage.STEPS, "double", 1e-9, 1e-10)).isEqualTo(Verdict.DRIFT);
        assertThat(Tolerances.verdict(Stage.EPOCHS, "float", 1e-3, 2e-4)).isEqualTo(Verdict.DRIFT);
        assertThat(Tolerances.verdict(Stage.STEPS, "double", 1e-8, 1e-10)).isEqualTo(Verdict.FAIL);
        assertThat(Tolerances.verdict(Stage.STEP_1, "double", 1e-11, 1e-10)).isEqualTo(Verdict.FAIL);
        assertThat(Tolerances.verdict(Stage.GRADIENT, "float", 1e-4, 1.0)).isEqualTo(Verdict.FAIL);
        assertThat(Tolerances.verdict(Stage.STEPS, "double", 1e-11, null)).isEqualTo(Verdict.PASS);
    }

    @Test
    void checkpointsAreOneTwoFivePerDecade() {
        assertThat(java.util.stream.LongStream.rangeClosed(0, 120).filter(CellCheck::checkpoint).toArray())
                .containsExactly(1, 2, 5, 10, 20, 50, 100);
    }
}
