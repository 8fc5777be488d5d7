package gdlab.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

class BinomialTest {
    @Test
    void wilsonIntervalMatchesPublishedValues() {
        // Newcombe 1998, Table I: 0/10 -> 0..0.2775; 81/263 -> 0.2553..0.3662
        double[] zero = Binomial.wilson(0, 10);
        assertThat(zero[0]).isEqualTo(0.0);
        assertThat(zero[1]).isCloseTo(0.2775, within(1e-4));
        double[] ci = Binomial.wilson(81, 263);
        assertThat(ci[0]).isCloseTo(0.2553, within(1e-4));
        assertThat(ci[1]).isCloseTo(0.3662, within(1e-4));
    }

    @Test
    void mcnemarIsTheExactTwoSidedSignTestOnDiscordantPairs() {
        assertThat(Binomial.mcnemarP(9, 0)).isCloseTo(2 * Math.pow(0.5, 9), within(1e-15));
        assertThat(Binomial.mcnemarP(0, 9)).isCloseTo(2 * Math.pow(0.5, 9), within(1e-15));
        assertThat(Binomial.mcnemarP(3, 3)).isEqualTo(1.0);
        assertThat(Binomial.mcnemarP(0, 0)).isEqualTo(1.0);
        // 8 vs 2: P(X <= 2) for Bin(10, 0.5) = 56/1024, doubled
        assertThat(Binomial.mcnemarP(8, 2)).isCloseTo(2 * 56 / 1024.0, within(1e-15));
        // far tails stay positive and exact: 250 against 1 is 2 x 252 / 2^251
        assertThat(Binomial.mcnemarP(250, 1)).isCloseTo(2 * 252 * Math.pow(0.5, 251), withinPercentage(1e-6));
        assertThat(Binomial.mcnemarP(0, 244)).isCloseTo(2 * Math.pow(0.5, 244), withinPercentage(1e-6));
    }
}
