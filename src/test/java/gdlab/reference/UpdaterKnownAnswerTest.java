package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each updater's first three steps on a 2-parameter problem with a fixed gradient sequence, against values worked out
 * here by explicit scalar arithmetic from the published formula (unrolled per step, written independently of the
 * implementation), for both {@link Variant}s where two exist.
 *
 * <p>The second coordinate's gradients are of order 1e-4, where g^2 is comparable to the epsilons, so every
 * difference between a DL4J form and the paper's (eps placement, initial state, bias correction) moves the result by
 * far more than the 1e-14 relative tolerance (a few ulps, for the reordering of the same arithmetic): a test whose
 * variant were ignored would fail.
 */
class UpdaterKnownAnswerTest {
    private static final double LR = 0.1;
    private static final double[] P0 = {1.0, -0.5};
    private static final double[][] G = {{0.5, -2e-4}, {-1.5, 1e-4}, {0.25, 3e-4}};
    private static final double RELATIVE_TOL = 1e-14;

    /** Parameters after steps 1, 2, 3, one row per step. */
    private static double[][] run(Updater u) {
        double[] p = P0.clone();
        double[][] out = new double[3][];
        for (int s = 0; s < 3; s++) {
            u.step(p, G[s].clone());
            out[s] = p.clone();
        }
        assertThat(u.iteration()).isEqualTo(3);
        return out;
    }

    /** Expected trajectory of one coordinate. */
    interface Coordinate {
        double[] steps(double p0, double g1, double g2, double g3);
    }

    private static void assertSteps(Updater u, Coordinate expected) {
        double[][] actual = run(u);
        for (int c = 0; c < 2; c++) {
            double[] e = expected.steps(P0[c], G[0][c], G[1][c], G[2][c]);
            for (int s = 0; s < 3; s++) {
                assertThat(actual[s][c]).as("%s coordinate %d step %d", u.name(), c, s + 1)
                        .isCloseTo(e[s], within(RELATIVE_TOL * Math.max(1, Math.abs(e[s]))));
            }
        }
    }

    @Test
    void sgd() {
        assertSteps(Updaters.create("sgd", LR), (p, g1, g2, g3) -> {
            double p1 = p - 0.1 * g1;
            double p2 = p1 - 0.1 * g2;
            return new double[] {p1, p2, p2 - 0.1 * g3};
        });
    }

    @Test
    void sgdDefaultLearningRateIsDl4js() {
        assertSteps(Updaters.create("sgd"), (p, g1, g2, g3) -> {
            double p1 = p - 0.001 * g1;
            double p2 = p1 - 0.001 * g2;
            return new double[] {p1, p2, p2 - 0.001 * g3};
        });
    }

    @Test
    void heavyBallMomentum() {
        // Polyak: theta_{t+1} = theta_t - lr g_t + mu (theta_t - theta_{t-1}), theta_0 = theta_{-1}
        assertSteps(Updaters.create("momentum", LR), (p, g1, g2, g3) -> {
            double p1 = p - 0.1 * g1;
            double p2 = p1 - 0.1 * g2 + 0.9 * (p1 - p);
            double p3 = p2 - 0.1 * g3 + 0.9 * (p2 - p1);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void nesterovInBengiosForm() {
        // Bengio et al. 2013 eq. 7: theta' = theta + mu^2 v - (1 + mu) lr g; v' = mu v - lr g
        assertSteps(Updaters.create("nesterov", LR), (p, g1, g2, g3) -> {
            double v1 = -0.1 * g1;
            double p1 = p - 1.9 * 0.1 * g1;
            double v2 = 0.9 * v1 - 0.1 * g2;
            double p2 = p1 + 0.81 * v1 - 1.9 * 0.1 * g2;
            double p3 = p2 + 0.81 * v2 - 1.9 * 0.1 * g3;
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void adamDl4jPutsEpsOnTheUncorrectedV() {
        assertSteps(Updaters.create("adam", LR), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double v1 = 0.001 * g1 * g1;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double v2 = 0.999 * v1 + 0.001 * g2 * g2;
            double m3 = 0.9 * m2 + 0.1 * g3;
            double v3 = 0.999 * v2 + 0.001 * g3 * g3;
            double p1 = p - 0.1 * Math.sqrt(1 - 0.999) / (1 - 0.9) * m1 / (Math.sqrt(v1) + 1e-8);
            double p2 = p1 - 0.1 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81) * m2 / (Math.sqrt(v2) + 1e-8);
            double p3 = p2 - 0.1 * Math.sqrt(1 - 0.999 * 0.999 * 0.999) / (1 - 0.729) * m3 / (Math.sqrt(v3) + 1e-8);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void adamPaperPutsEpsOnTheCorrectedV() {
        assertSteps(Updaters.create("adam", LR, Variant.PAPER), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double v1 = 0.001 * g1 * g1;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double v2 = 0.999 * v1 + 0.001 * g2 * g2;
            double m3 = 0.9 * m2 + 0.1 * g3;
            double v3 = 0.999 * v2 + 0.001 * g3 * g3;
            double p1 = p - 0.1 * (m1 / 0.1) / (Math.sqrt(v1 / 0.001) + 1e-8);
            double p2 = p1 - 0.1 * (m2 / (1 - 0.81)) / (Math.sqrt(v2 / (1 - 0.998001)) + 1e-8);
            double p3 = p2 - 0.1 * (m3 / (1 - 0.729)) / (Math.sqrt(v3 / (1 - 0.997002999)) + 1e-8);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void adaMaxWithDl4jsGuard() {
        assertSteps(Updaters.create("adamax", LR), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double u1 = Math.abs(g1) + 1e-32;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double u2 = Math.max(0.999 * u1, Math.abs(g2)) + 1e-32;
            double m3 = 0.9 * m2 + 0.1 * g3;
            double u3 = Math.max(0.999 * u2, Math.abs(g3)) + 1e-32;
            double p1 = p - (0.1 / 0.1) * m1 / u1;
            double p2 = p1 - (0.1 / 0.19) * m2 / u2;
            double p3 = p2 - (0.1 / 0.271) * m3 / u3;
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void nadamDl4jDoesNotCorrectV() {
        assertSteps(Updaters.create("nadam", LR), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double v1 = 0.001 * g1 * g1;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double v2 = 0.999 * v1 + 0.001 * g2 * g2;
            double m3 = 0.9 * m2 + 0.1 * g3;
            double v3 = 0.999 * v2 + 0.001 * g3 * g3;
            double p1 = p - 0.1 * ((0.9 * m1 + 0.1 * g1) / 0.1) / (Math.sqrt(v1) + 1e-8);
            double p2 = p1 - 0.1 * ((0.9 * m2 + 0.1 * g2) / 0.19) / (Math.sqrt(v2) + 1e-8);
            double p3 = p2 - 0.1 * ((0.9 * m3 + 0.1 * g3) / 0.271) / (Math.sqrt(v3) + 1e-8);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void nadamPaperIsDozatsAlgorithm2WithConstantMomentum() {
        assertSteps(Updaters.create("nadam", LR, Variant.PAPER), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double v1 = 0.001 * g1 * g1;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double v2 = 0.999 * v1 + 0.001 * g2 * g2;
            double m3 = 0.9 * m2 + 0.1 * g3;
            double v3 = 0.999 * v2 + 0.001 * g3 * g3;
            // m-bar_t = (1 - mu) g_t / (1 - mu^t) + mu m_t / (1 - mu^(t+1)); n-hat_t = n_t / (1 - nu^t)
            double mb1 = 0.1 * g1 / 0.1 + 0.9 * m1 / 0.19;
            double mb2 = 0.1 * g2 / 0.19 + 0.9 * m2 / 0.271;
            double mb3 = 0.1 * g3 / 0.271 + 0.9 * m3 / 0.3439;
            double p1 = p - 0.1 * mb1 / (Math.sqrt(v1 / 0.001) + 1e-8);
            double p2 = p1 - 0.1 * mb2 / (Math.sqrt(v2 / 0.001999) + 1e-8);
            double p3 = p2 - 0.1 * mb3 / (Math.sqrt(v3 / 0.002997001) + 1e-8);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void amsGradDl4jIsAdamDl4jWithTheRunningMaxOfV() {
        assertSteps(Updaters.create("amsgrad", LR), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double v1 = 0.001 * g1 * g1;
            double h1 = v1;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double v2 = 0.999 * v1 + 0.001 * g2 * g2;
            double h2 = Math.max(h1, v2);
            double m3 = 0.9 * m2 + 0.1 * g3;
            double v3 = 0.999 * v2 + 0.001 * g3 * g3;
            double h3 = Math.max(h2, v3);
            double p1 = p - 0.1 * Math.sqrt(0.001) / 0.1 * m1 / (Math.sqrt(h1) + 1e-8);
            double p2 = p1 - 0.1 * Math.sqrt(0.001999) / 0.19 * m2 / (Math.sqrt(h2) + 1e-8);
            double p3 = p2 - 0.1 * Math.sqrt(0.002997001) / 0.271 * m3 / (Math.sqrt(h3) + 1e-8);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void amsGradPaperHasNoBiasCorrection() {
        assertSteps(Updaters.create("amsgrad", LR, Variant.PAPER), (p, g1, g2, g3) -> {
            double m1 = 0.1 * g1;
            double v1 = 0.001 * g1 * g1;
            double m2 = 0.9 * m1 + 0.1 * g2;
            double v2 = 0.999 * v1 + 0.001 * g2 * g2;
            double m3 = 0.9 * m2 + 0.1 * g3;
            double v3 = 0.999 * v2 + 0.001 * g3 * g3;
            double p1 = p - 0.1 * m1 / (Math.sqrt(v1) + 1e-8);
            double p2 = p1 - 0.1 * m2 / (Math.sqrt(Math.max(v1, v2)) + 1e-8);
            double p3 = p2 - 0.1 * m3 / (Math.sqrt(Math.max(Math.max(v1, v2), v3)) + 1e-8);
            return new double[] {p1, p2, p3};
        });
    }

    @Test
    void adaGradDl4jStartsTheHistoryAtEps() {
        assertSteps(Updaters.create("adagrad", LR), adaGrad(1e-6));
    }

    @Test
    void adaGradPaperStartsTheHistoryAtZero() {
        assertSteps(Updaters.create("adagrad", LR, Variant.PAPER), adaGrad(0.0));
    }

    private static Coordinate adaGrad(double h0) {
        return (p, g1, g2, g3) -> {
            double h1 = h0 + g1 * g1;
            double h2 = h1 + g2 * g2;
            double h3 = h2 + g3 * g3;
            double p1 = p - 0.1 * g1 / (Math.sqrt(h1) + 1e-6);
            double p2 = p1 - 0.1 * g2 / (Math.sqrt(h2) + 1e-6);
            double p3 = p2 - 0.1 * g3 / (Math.sqrt(h3) + 1e-6);
            return new double[] {p1, p2, p3};
        };
    }

    @Test
    void rmsPropDl4jStartsTheCacheAtEps() {
        assertSteps(Updaters.create("rmsprop", LR), rmsProp(1e-8));
    }

    @Test
    void rmsPropPaperStartsTheCacheAtZero() {
        assertSteps(Updaters.create("rmsprop", LR, Variant.PAPER), rmsProp(0.0));
    }

    private static Coordinate rmsProp(double c0) {
        return (p, g1, g2, g3) -> {
            double c1 = 0.95 * c0 + 0.05 * g1 * g1;
            double c2 = 0.95 * c1 + 0.05 * g2 * g2;
            double c3 = 0.95 * c2 + 0.05 * g3 * g3;
            double p1 = p - 0.1 * g1 / (Math.sqrt(c1) + 1e-8);
            double p2 = p1 - 0.1 * g2 / (Math.sqrt(c2) + 1e-8);
            double p3 = p2 - 0.1 * g3 / (Math.sqrt(c3) + 1e-8);
            return new double[] {p1, p2, p3};
        };
    }

    @Test
    void adaDeltaIsZeilersAlgorithm1AndIgnoresTheLearningRate() {
        Coordinate zeiler = (p, g1, g2, g3) -> {
            DoubleUnaryOperator rms = s -> Math.sqrt(s + 1e-6);
            double eg1 = 0.05 * g1 * g1;
            double d1 = rms.applyAsDouble(0) / rms.applyAsDouble(eg1) * g1;
            double ex1 = 0.05 * d1 * d1;
            double eg2 = 0.95 * eg1 + 0.05 * g2 * g2;
            double d2 = rms.applyAsDouble(ex1) / rms.applyAsDouble(eg2) * g2;
            double ex2 = 0.95 * ex1 + 0.05 * d2 * d2;
            double eg3 = 0.95 * eg2 + 0.05 * g3 * g3;
            double d3 = rms.applyAsDouble(ex2) / rms.applyAsDouble(eg3) * g3;
            return new double[] {p - d1, p - d1 - d2, p - d1 - d2 - d3};
        };
        assertSteps(Updaters.create("adadelta", LR), zeiler);
        assertSteps(Updaters.create("adadelta"), zeiler);
    }
}
