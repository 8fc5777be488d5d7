package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backprop against central finite differences of {@link Mlp#score}, in double.
 *
 * <p>Per parameter k the numeric derivative is the fourth-order central difference
 * (f(p - 2h e_k) - 8 f(p - h e_k) + 8 f(p + h e_k) - f(p + 2h e_k)) / 12h with h = 1e-4: its truncation error (~h^4)
 * and round-off (~1e-16 / h) both stay near 1e-12, where the plain two-point difference leaves ~1e-10 of round-off,
 * too much for a 1e-7 relative bound on components of order 1e-4. The check passes when
 * |analytic - numeric| <= 1e-7 * max(|analytic|, |numeric|, 1e-3): a relative error of 1e-7, measured against 1e-3
 * for components smaller than that (a relative error means nothing near zero, e.g. for a dead ReLU's exact 0). That
 * floor is far below any real gradient mistake, see {@link #aWrongGradientFailsTheCheck()}.
 *
 * <p>ReLU and LeakyReLU have a kink at 0 where no derivative exists; the parameters are drawn (deterministically) so
 * that no pre-activation of such a layer is within 0.01 of it, well beyond the 2h * |input| a difference moves it.
 */
class MlpGradientCheckTest {
    private static final double H = 1e-4;
    private static final double MAX_RELATIVE_ERROR = 1e-7;
    private static final double SCALE_FLOOR = 1e-3;
    private static final double KINK_CLEARANCE = 0.01;

    static Stream<Arguments> nets() {
        List<Arguments> cases = new ArrayList<>();
        for (double l2 : new double[] {0.0, 0.3}) {
            // every activation as the hidden one
            for (Activation hidden : Activation.values()) {
                cases.add(Arguments.of(List.of(hidden, hidden, Activation.IDENTITY), Loss.MSE, l2));
            }
            // every activation as the output one, under MSE
            for (Activation output : Activation.values()) {
                cases.add(Arguments.of(List.of(Activation.TANH, Activation.TANH, output), Loss.MSE, l2));
            }
            cases.add(Arguments.of(List.of(Activation.RELU, Activation.TANH, Activation.SOFTMAX), Loss.MCXENT, l2));
            cases.add(Arguments.of(List.of(Activation.TANH, Activation.TANH, Activation.SIGMOID), Loss.MCXENT, l2));
            cases.add(Arguments.of(List.of(Activation.LEAKY_RELU, Activation.TANH, Activation.SIGMOID), Loss.XENT,
                    l2));
            cases.add(Arguments.of(List.of(Activation.SIGMOID, Activation.SOFTMAX, Activation.SIGMOID), Loss.XENT,
                    l2));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} l2={2}")
    @MethodSource("nets")
    void backpropMatchesCentralDifferences(List<Activation> activations, Loss loss, double l2) {
        Mlp mlp = new Mlp(new int[] {4, 6, 5, 3}, activations, loss, l2);
        Data data = data(mlp, loss, 7, 11L);
        double[] params = paramsClearOfKinks(mlp, data, 3L);

        double[] analytic = mlp.gradient(params, data.x, data.y);
        double[] numeric = numericGradient(mlp, params, data);

        assertThat(worstViolation(analytic, numeric)).as("worst component").isNull();
    }

    @Test
    void evaluateReturnsTheScoreAndGradientOfTheSeparateCalls() {
        Mlp mlp = new Mlp(new int[] {4, 6, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT).withL2(0.1);
        Data data = data(mlp, Loss.MCXENT, 5, 2L);
        double[] params = randomParams(mlp, 4L);
        Mlp.Evaluation both = mlp.evaluate(params, data.x, data.y);
        assertThat(both.score()).isEqualTo(mlp.score(params, data.x, data.y));
        assertThat(both.gradient()).containsExactly(mlp.gradient(params, data.x, data.y));
    }

    @Test
    void aWrongGradientFailsTheCheck() {
        // the gradient without its L2 term, checked against the score with it: must be caught
        Mlp withL2 = new Mlp(new int[] {4, 6, 5, 3}, Activation.TANH, Activation.IDENTITY, Loss.MSE).withL2(1e-4);
        Data data = data(withL2, Loss.MSE, 7, 11L);
        double[] params = randomParams(withL2, 3L);
        double[] wrong = withL2.withL2(0).gradient(params, data.x, data.y);
        assertThat(worstViolation(wrong, numericGradient(withL2, params, data))).isNotNull();
    }

    // --- helpers

    record Data(double[][] x, double[][] y) {
    }

    static Data data(Mlp mlp, Loss loss, int n, long seed) {
        Random r = new Random(seed);
        int nIn = mlp.layerSizes()[0];
        int nOut = mlp.layerSizes()[mlp.numLayers()];
        double[][] x = new double[n][nIn];
        double[][] y = new double[n][nOut];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < nIn; i++) {
                x[e][i] = r.nextGaussian();
            }
            switch (loss) {
                case MSE -> {
                    for (int j = 0; j < nOut; j++) {
                        y[e][j] = r.nextGaussian();
                    }
                }
                case MCXENT -> y[e][r.nextInt(nOut)] = 1.0;
                case XENT -> {
                    for (int j = 0; j < nOut; j++) {
                        y[e][j] = r.nextBoolean() ? 1.0 : 0.0;
                    }
                }
                default -> throw new AssertionError(loss);
            }
        }
        return new Data(x, y);
    }

    static double[] randomParams(Mlp mlp, long seed) {
        Random r = new Random(seed);
        double[] p = new double[mlp.numParams()];
        for (int k = 0; k < p.length; k++) {
            p[k] = 0.5 * r.nextGaussian();
        }
        return p;
    }

    /** The first seed from {@code seed} on whose parameters keep every ReLU/LeakyReLU input off its kink. */
    static double[] paramsClearOfKinks(Mlp mlp, Data data, long seed) {
        for (long s = seed; s < seed + 1000; s++) {
            double[] p = randomParams(mlp, s);
            if (minKinkDistance(mlp, p, data.x) > KINK_CLEARANCE) {
                return p;
            }
        }
        throw new AssertionError("no parameters clear of the kinks");
    }

    private static double minKinkDistance(Mlp mlp, double[] p, double[][] x) {
        double min = Double.POSITIVE_INFINITY;
        for (double[] row : x) {
            double[] a = row;
            for (int l = 0; l < mlp.numLayers(); l++) {
                double[] z = new double[mlp.nOut(l)];
                for (int j = 0; j < z.length; j++) {
                    double s = p[mlp.biasOffset(l) + j];
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * p[mlp.weightIndex(l, i, j)];
                    }
                    z[j] = s;
                }
                Activation act = mlp.activations().get(l);
                if (act == Activation.RELU || act == Activation.LEAKY_RELU) {
                    for (double v : z) {
                        min = Math.min(min, Math.abs(v));
                    }
                }
                a = act.apply(z);
            }
        }
        return min;
    }

    static double[] numericGradient(Mlp mlp, double[] params, Data data) {
        double[] g = new double[params.length];
        double[] p = params.clone();
        for (int k = 0; k < p.length; k++) {
            double keep = p[k];
            p[k] = keep + H;
            double up1 = mlp.score(p, data.x, data.y);
            p[k] = keep + 2 * H;
            double up2 = mlp.score(p, data.x, data.y);
            p[k] = keep - H;
            double down1 = mlp.score(p, data.x, data.y);
            p[k] = keep - 2 * H;
            double down2 = mlp.score(p, data.x, data.y);
            p[k] = keep;
            g[k] = (down2 - 8 * down1 + 8 * up1 - up2) / (12 * H);
        }
        return g;
    }

    /** A description of the first component that fails the check, or null when all pass. */
    static String worstViolation(double[] analytic, double[] numeric) {
        assertThat(analytic).hasSameSizeAs(numeric);
        String worst = null;
        double worstRel = 0;
        for (int k = 0; k < analytic.length; k++) {
            double a = analytic[k];
            double n = numeric[k];
            double scale = Math.max(Math.max(Math.abs(a), Math.abs(n)), SCALE_FLOOR);
            double diff = Math.abs(a - n);
            if (diff > MAX_RELATIVE_ERROR * scale) {
                double rel = diff / scale;
                if (worst == null || rel > worstRel) {
                    worstRel = rel;
                    worst = "param " + k + ": analytic " + a + " numeric " + n + " relative error " + rel;
                }
            }
        }
        return worst;
    }
}
