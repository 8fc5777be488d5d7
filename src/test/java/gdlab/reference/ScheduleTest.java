package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import gdlab.reference.Schedule.Type;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each schedule against values worked out by hand from its formula, and ITERATION vs EPOCH. */
class ScheduleTest {
    private static final double TOL = 1e-15;

    @Test
    void stepHalvesEveryStepIterations() {
        Schedule s = new Schedule.Step(Type.ITERATION, 0.8, 0.5, 3);
        assertThat(s.valueAt(0, 9)).isEqualTo(0.8);
        assertThat(s.valueAt(2, 9)).isEqualTo(0.8);
        assertThat(s.valueAt(3, 9)).isEqualTo(0.4);
        assertThat(s.valueAt(7, 9)).isEqualTo(0.2);
    }

    @Test
    void anEpochScheduleReadsTheEpochOnly() {
        Schedule s = new Schedule.Step(Type.EPOCH, 0.8, 0.5, 1);
        assertThat(s.valueAt(100, 0)).isEqualTo(0.8);
        assertThat(s.valueAt(0, 1)).isEqualTo(0.4);
        assertThat(s.valueAt(5, 2)).isEqualTo(0.2);
    }

    @Test
    void exponentialInverseAndSigmoid() {
        assertThat(new Schedule.Exponential(Type.ITERATION, 2, 0.9).valueAt(2, 0)).isCloseTo(1.62, within(TOL));
        // 1 / (1 + 0.5 * 4)^2 = 1/9
        assertThat(new Schedule.Inverse(Type.ITERATION, 1, 0.5, 2).valueAt(4, 0)).isCloseTo(1.0 / 9, within(TOL));
        // at stepSize the sigmoid is half the initial value; one step after, 1 / (1 + e^-2)
        Schedule sig = new Schedule.Sigmoid(Type.EPOCH, 0.6, 2, 3);
        assertThat(sig.valueAt(0, 3)).isCloseTo(0.3, within(TOL));
        assertThat(sig.valueAt(0, 4)).isCloseTo(0.6 / (1 + Math.exp(-2)), within(TOL));
    }

    @Test
    void polyGrowsInDl4jsFormAndShrinksInTheTextbooks() {
        Schedule dl4j = new Schedule.Poly(Type.ITERATION, 1, 2, 4, Variant.DL4J);
        Schedule paper = new Schedule.Poly(Type.ITERATION, 1, 2, 4, Variant.PAPER);
        assertThat(dl4j.valueAt(1, 0)).isEqualTo(1.5625);   // (1 + 1/4)^2
        assertThat(paper.valueAt(1, 0)).isEqualTo(0.5625);  // (1 - 1/4)^2
        assertThat(dl4j.valueAt(4, 0)).isZero();
        assertThat(paper.valueAt(5, 0)).isZero();
    }

    @Test
    void cycleRisesFallsThenAnneals() {
        // cycle 10, annealing 2: stepSize (10 - 2) / 2 = 4, increment (1 - 0.2) / 4 = 0.2
        Schedule c = new Schedule.Cycle(Type.ITERATION, 0.2, 1.0, 10, 2, 0.5);
        double[] expected = {0.2, 0.4, 0.6, 0.8, 1.0, 0.8, 0.6, 0.4, 0.2, 0.2 * 0.5, 0.2};
        for (int i = 0; i < expected.length; i++) {
            assertThat(c.valueAt(i, 0)).as("iteration %d", i).isCloseTo(expected[i], within(1e-15));
        }
    }

    @Test
    void rampWarmsUpOverIterationsWhateverTheBaseCounts() {
        Schedule r = new Schedule.Ramp(new Schedule.Step(Type.EPOCH, 1.0, 0.5, 1), 4);
        assertThat(r.valueAt(0, 0)).isEqualTo(0.25);
        assertThat(r.valueAt(2, 1)).isEqualTo(0.75 * 0.5);
        assertThat(r.valueAt(3, 0)).isEqualTo(1.0);
        assertThat(r.valueAt(50, 2)).isEqualTo(0.25);
    }

    @Test
    void piecewiseHoldsTheLastKeyReached() {
        Schedule m = new Schedule.Piecewise(Type.ITERATION, Map.of(0, 1.0, 5, 0.1, 10, 0.01));
        assertThat(m.valueAt(4, 0)).isEqualTo(1.0);
        assertThat(m.valueAt(5, 0)).isEqualTo(0.1);
        assertThat(m.valueAt(9, 0)).isEqualTo(0.1);
        assertThat(m.valueAt(99, 0)).isEqualTo(0.01);
        assertThatThrownBy(() -> new Schedule.Piecewise(Type.ITERATION, Map.of(3, 1.0)))
                .hasMessageContaining("value at 0");
    }

    @Test
    void anUpdaterStepsWithTheScheduledRate() {
        Updater sgd = new Sgd(99);
        sgd.schedule(new Schedule.Step(Type.EPOCH, 0.1, 0.5, 1));
        double[] p = {1.0};
        sgd.step(p, new double[]{1.0});
        assertThat(p[0]).isCloseTo(0.9, within(TOL));
        sgd.epoch(1);
        sgd.step(p, new double[]{1.0});
        assertThat(p[0]).isCloseTo(0.85, within(TOL));
        assertThatThrownBy(() -> new AdaDelta().schedule(new Schedule.Fixed(1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
