package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Each mode on a 1-2-1 net's gradient (layer 0: W 1x2 then b 2; layer 1: W 2x1 then b 1), against values worked out
 * by hand: layer 0's block is (3, 4 | 0, 0) with norm 5, layer 1's (1, 2 | 2) with norm 3.
 */
class GradientNormalizationTest {
    private static final Mlp NET = new Mlp(new int[]{1, 2, 1}, Activation.TANH, Activation.IDENTITY, Loss.MSE);
    private static final double[] G = {3, 4, 0, 0, 1, 2, 2};

    private static double[] apply(GradientNormalization mode, double t) {
        double[] g = G.clone();
        mode.apply(g, NET, t);
        return g;
    }

    @Test
    void clipL2PerLayerRescalesOnlyLayersAboveTheThreshold() {
        assertThat(apply(GradientNormalization.CLIP_L2_PER_LAYER, 4))
                .containsExactly(new double[]{2.4, 3.2, 0, 0, 1, 2, 2}, within(1e-15));
    }

    @Test
    void clipL2PerParamTypeTakesWeightsAndBiasesApart() {
        // layer 1: W (1, 2) norm sqrt 5 > 2 -> x 2/sqrt 5; b (2) norm 2, not above 2: kept
        double s = 2 / Math.sqrt(5);
        assertThat(apply(GradientNormalization.CLIP_L2_PER_PARAM_TYPE, 2))
                .containsExactly(new double[]{1.2, 1.6, 0, 0, s, 2 * s, 2}, within(1e-15));
    }

    @Test
    void clipElementWiseClampsEachEntry() {
        assertThat(apply(GradientNormalization.CLIP_ELEMENT_WISE_ABSOLUTE_VALUE, 1.5))
                .containsExactly(1.5, 1.5, 0, 0, 1, 1.5, 1.5);
    }

    @Test
    void renormalizeDividesByTheNormAlwaysAndLeavesZeroBlocksZero() {
        assertThat(apply(GradientNormalization.RENORMALIZE_L2_PER_LAYER, 100))
                .containsExactly(new double[]{0.6, 0.8, 0, 0, 1 / 3.0, 2 / 3.0, 2 / 3.0}, within(1e-15));
        double r5 = Math.sqrt(5);
        assertThat(apply(GradientNormalization.RENORMALIZE_L2_PER_PARAM_TYPE, 100))
                .containsExactly(new double[]{0.6, 0.8, 0, 0, 1 / r5, 2 / r5, 1}, within(1e-15));
        assertThat(apply(GradientNormalization.NONE, 1)).containsExactly(G);
    }
}
