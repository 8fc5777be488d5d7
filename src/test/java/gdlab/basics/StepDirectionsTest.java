package gdlab.basics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StepDirectionsTest {

    @Test
    void twoPerDecadeGivesOnesAndThrees() {
        assertThat(StepDirections.grid(1e-5, 100, 2)).containsExactly(1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2,
                3e-2, 0.1, 0.3, 1, 3, 10, 30, 100);
    }

    @Test
    void threePerDecadeGivesOneTwoFiveAndTheRangeIsInclusive() {
        assertThat(StepDirections.grid(0.1, 10, 3)).containsExactly(0.1, 0.2, 0.5, 1, 2, 5, 10);
        assertThat(StepDirections.grid(0.15, 1, 1)).containsExactly(1.0);
    }

    @Test
    void otherCountsAreAnExactLogGrid() {
        double[] g = StepDirections.grid(1, 10, 4);
        assertThat(g).hasSize(5);
        assertThat(g[2]).isCloseTo(Math.sqrt(10), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void theRandomDirectionIsAUnitVectorFixedByTheSeed() {
        double[] u = StepDirections.randomUnit(1000, 7);
        double norm = 0;
        for (double v : u) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(StepDirections.randomUnit(1000, 7)).containsExactly(u);
        assertThat(StepDirections.randomUnit(1000, 8)).isNotEqualTo(u);
    }
}
