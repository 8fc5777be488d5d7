package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Layout, hand-computed forward passes and scores, and argument checks of {@link Mlp}, {@link Activation}, {@link Loss}. */
class MlpTest {
    private static final double EXACT = 1e-15;

    @Test
    void flatLayoutIsWeightsInColumnMajorOrderThenBiasesPerLayer() {
        Mlp mlp = new Mlp(new int[] {2, 3, 1}, Activation.IDENTITY, Activation.IDENTITY, Loss.MSE);
        assertThat(mlp.numParams()).isEqualTo(2 * 3 + 3 + 3 * 1 + 1);
        assertThat(mlp.weightOffset(0)).isZero();
        assertThat(mlp.biasOffset(0)).isEqualTo(6);
        assertThat(mlp.weightOffset(1)).isEqualTo(9);
        assertThat(mlp.biasOffset(1)).isEqualTo(12);
        // W[i][j] at i + j * nIn: W0[1][0] = 1, W0[0][1] = 2
        assertThat(mlp.weightIndex(0, 1, 0)).isEqualTo(1);
        assertThat(mlp.weightIndex(0, 0, 1)).isEqualTo(2);
        assertThat(mlp.weightIndex(1, 2, 0)).isEqualTo(11);
    }

    @Test
    void forwardPassOfATinyNetByHand() {
        // 2 -> 2 (tanh) -> 1 (identity); W0 (2x2, 'f'): [w00 w10 w01 w11] = [0.1 0.2 0.3 0.4], b0 = [0.5 -0.5]
        Mlp mlp = new Mlp(new int[] {2, 2, 1}, Activation.TANH, Activation.IDENTITY, Loss.MSE);
        double[] p = {0.1, 0.2, 0.3, 0.4, 0.5, -0.5, 0.7, -0.9, 0.05};
        double[] x = {1.0, -2.0};
        double h0 = Math.tanh(1.0 * 0.1 + -2.0 * 0.2 + 0.5);
        double h1 = Math.tanh(1.0 * 0.3 + -2.0 * 0.4 - 0.5);
        double out = h0 * 0.7 + h1 * -0.9 + 0.05;
        assertThat(mlp.output(p, new double[][] {x})[0][0]).isCloseTo(out, within(EXACT));

        // MSE of 1 output: (out - y)^2, mean over the 2 examples
        double[][] xs = {x, x};
        double[][] ys = {{1.0}, {-1.0}};
        double mse = ((out - 1) * (out - 1) + (out + 1) * (out + 1)) / 2;
        assertThat(mlp.score(p, xs, ys)).isCloseTo(mse, within(EXACT));

        // L2: + 0.5 * l2 * sum of the squared weights, biases excluded
        double sumW2 = 0.01 + 0.04 + 0.09 + 0.16 + 0.49 + 0.81;
        assertThat(mlp.withL2(0.2).score(p, xs, ys)).isCloseTo(mse + 0.5 * 0.2 * sumW2, within(EXACT));
        assertThat(mlp.withL2(0.2).regularizationScore(p)).isCloseTo(0.5 * 0.2 * sumW2, within(EXACT));
    }

    @Test
    void l2GradientIsAddedToWeightsOnlyAfterTheMean() {
        Mlp plain = new Mlp(new int[] {2, 2, 1}, Activation.TANH, Activation.IDENTITY, Loss.MSE);
        Mlp reg = plain.withL2(0.2);
        double[] p = {0.1, 0.2, 0.3, 0.4, 0.5, -0.5, 0.7, -0.9, 0.05};
        double[][] x = {{1.0, -2.0}, {0.5, 0.25}, {-1, 1}};
        double[][] y = {{1.0}, {-1.0}, {0.0}};
        double[] g0 = plain.gradient(p, x, y);
        double[] g = reg.gradient(p, x, y);
        for (int k : new int[] {0, 1, 2, 3, 6, 7}) {
            assertThat(g[k]).isCloseTo(g0[k] + 0.2 * p[k], within(EXACT));
        }
        for (int k : new int[] {4, 5, 8}) {
            assertThat(g[k]).isEqualTo(g0[k]);
        }
    }

    @Test
    void mseIsTheMeanOverOutputsWithoutAHalf() {
        double[] a = {0.5, -1.0, 2.0};
        double[] y = {1.0, 1.0, 1.0};
        double expected = (0.25 + 4.0 + 1.0) / 3;
        assertThat(Loss.MSE.score(a, a, y, Activation.IDENTITY)).isCloseTo(expected, within(EXACT));
        assertThat(Loss.MSE.gradient(a, a, y, Activation.IDENTITY))
                .containsExactly(2 * -0.5 / 3, 2 * -2.0 / 3, 2 * 1.0 / 3);
    }

    @Test
    void mcxentWithSoftmaxClipsTheScoreAndGivesPMinusY() {
        double[] z = {0.0, 40.0, -40.0};
        double[] a = Activation.SOFTMAX.apply(z);
        double[] y = {0, 0, 1};
        // a[2] = exp(-80) / (...) < 1e-10: the score is clipped to -log(1e-10)
        assertThat(Loss.MCXENT.score(z, a, y, Activation.SOFTMAX)).isCloseTo(-Math.log(1e-10), within(1e-12));
        double[] g = Loss.MCXENT.gradient(z, a, y, Activation.SOFTMAX);
        assertThat(g).containsExactly(a[0], a[1], a[2] - 1);
    }

    @Test
    void xentSumsOverOutputsAndClipsAt1eMinus5() {
        double[] z = {0.3, -30.0};
        double[] a = Activation.SIGMOID.apply(z);
        double[] y = {1, 1};
        double expected = -Math.log(1 / (1 + Math.exp(-0.3))) - Math.log(1e-5);
        assertThat(Loss.XENT.score(z, a, y, Activation.SIGMOID)).isCloseTo(expected, within(1e-12));
        // unclipped output: dL/dz = a - y
        assertThat(Loss.XENT.gradient(z, a, y, Activation.SIGMOID)[0]).isCloseTo(a[0] - 1, within(1e-15));
    }

    @Test
    void activationsByHand() {
        double[] z = {-2.0, 0.0, 3.0};
        assertThat(Activation.RELU.apply(z)).containsExactly(0, 0, 3);
        assertThat(Activation.LEAKY_RELU.apply(z)).containsExactly(-0.02, 0, 3);
        assertThat(Activation.LEAKY_RELU_ALPHA).isEqualTo(0.01);
        double[] s = Activation.SOFTMAX.apply(z);
        double sum = Math.exp(-2) + 1 + Math.exp(3);
        assertThat(s[0]).isCloseTo(Math.exp(-2) / sum, within(EXACT));
        assertThat(s[2]).isCloseTo(Math.exp(3) / sum, within(EXACT));
        // DL4J's kinks: relu'(0) = 0, leakyrelu'(0) = 1
        double[] ones = {1, 1, 1};
        assertThat(Activation.RELU.backprop(z, Activation.RELU.apply(z), ones)).containsExactly(0, 0, 1);
        assertThat(Activation.LEAKY_RELU.backprop(z, Activation.LEAKY_RELU.apply(z), ones))
                .containsExactly(0.01, 1, 1);
    }

    @Test
    void perLayerActivationsAreUsedInOrder() {
        Mlp mlp = new Mlp(new int[] {1, 1, 1, 1}, List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH),
                Loss.MSE);
        double[] p = {-1.0, 0.0, 1.0, 0.0, 2.0, 0.0}; // w=-1,b=0 ; w=1,b=0 ; w=2,b=0
        double out = mlp.output(p, new double[][] {{-3.0}})[0][0];
        assertThat(out).isCloseTo(Math.tanh(2 / (1 + Math.exp(-3.0))), within(EXACT));
    }

    @Test
    void initParamsAreSeededWithZeroBiases() {
        Mlp mlp = new Mlp(new int[] {3, 4, 2}, Activation.RELU, Activation.SOFTMAX, Loss.MCXENT);
        double[] p = mlp.initParams(42);
        assertThat(p).containsExactly(mlp.initParams(42));
        assertThat(p).isNotEqualTo(mlp.initParams(43));
        for (int l = 0; l < 2; l++) {
            for (int j = 0; j < mlp.nOut(l); j++) {
                assertThat(p[mlp.biasOffset(l) + j]).isZero();
            }
        }
        List<Mlp.LayerNorms> norms = mlp.layerNorms(p);
        assertThat(norms).hasSize(2);
        assertThat(norms.get(0).weights()).isPositive();
        assertThat(norms.get(0).biases()).isZero();
    }

    @Test
    void badArgumentsNameTheBadValue() {
        List<Activation> two = List.of(Activation.TANH, Activation.IDENTITY);
        assertThatThrownBy(() -> new Mlp(new int[] {2, 0, 1}, two, Loss.MSE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new Mlp(new int[] {2}, List.of(), Loss.MSE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2]");
        assertThatThrownBy(() -> new Mlp(new int[] {2, 3, 1}, List.of(Activation.TANH), Loss.MSE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1");
        assertThatThrownBy(() -> new Mlp(new int[] {2, 3, 1}, two, Loss.MSE, -0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.5");
        Mlp mlp = new Mlp(new int[] {2, 3, 1}, two, Loss.MSE);
        assertThatThrownBy(() -> mlp.score(new double[7], new double[][] {{1, 2}}, new double[][] {{1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 7");
        assertThatThrownBy(() -> mlp.score(new double[13], new double[][] {{1, 2, 3}}, new double[][] {{1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> mlp.weightOffset(5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 5");
    }
}
