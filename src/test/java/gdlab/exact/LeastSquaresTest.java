package gdlab.exact;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Regression;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Quadratic;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The least-squares problem as DL4J scores it: value and gradient against the reference MLP (identity output, MSE)
 * and against DL4J itself; the Hessian (2 / (N nOut)) Xa'Xa against finite differences of both gradients; the
 * synthetic data's spectrum against the one asked for; Jacobi against power iteration.
 */
class LeastSquaresTest {
    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    static double[] randomVector(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    static LeastSquares smallTwoOutputs() {
        Random r = new Random(3);
        double[][] x = new double[30][4];
        double[][] y = new double[30][2];
        for (int e = 0; e < 30; e++) {
            for (int i = 0; i < 4; i++) {
                x[e][i] = r.nextGaussian() + 0.3 * i; // not centred: the bias couples to the weights
            }
            y[e][0] = r.nextGaussian();
            y[e][1] = r.nextGaussian();
        }
        return LeastSquares.of(x, y, true);
    }

    @Test
    void valueAndGradientEqualTheReferenceMlpWithIdentityOutputAndMse() {
        LeastSquares ls = smallTwoOutputs();
        Mlp mlp = new Mlp(new int[]{4, 2}, Activation.IDENTITY, Activation.IDENTITY, Loss.MSE);
        double[] p = randomVector(ls.dimension(), 5);
        assertThat(mlp.numParams()).isEqualTo(ls.dimension());
        assertThat(ls.value(p)).isCloseTo(mlp.score(p, ls.features(), ls.targets()), within(1e-12));
        assertThat(ls.gradient(p)).containsExactly(mlp.gradient(p, ls.features(), ls.targets()), within(1e-12));
    }

    @Test
    void hessianMatchesFiniteDifferencesOfTheReferenceGradient() {
        LeastSquares ls = smallTwoOutputs();
        Mlp mlp = new Mlp(new int[]{4, 2}, Activation.IDENTITY, Activation.IDENTITY, Loss.MSE);
        double[] p = randomVector(ls.dimension(), 9);
        double[][] h = ls.hessian();
        double step = 1e-4;
        for (int c = 0; c < ls.dimension(); c++) {
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[c] += step;
            minus[c] -= step;
            double[] gp = mlp.gradient(plus, ls.features(), ls.targets());
            double[] gm = mlp.gradient(minus, ls.features(), ls.targets());
            for (int r = 0; r < ls.dimension(); r++) {
                assertThat((gp[r] - gm[r]) / (2 * step)).as("H[%d][%d]", r, c).isCloseTo(h[r][c], within(1e-8));
            }
        }
        // block-diagonal: output 0's weights do not couple to output 1's
        assertThat(h[ls.index(0, 0)][ls.index(0, 1)]).isZero();
        // and the block has the closed form 2/(N nOut) * sum x_a x_b
        double expected = 0;
        for (double[] row : ls.features()) {
            expected += row[1] * row[2];
        }
        assertThat(ls.hessianBlock()[1][2]).isCloseTo(2.0 / (30 * 2) * expected, within(1e-12));
    }

    @Test
    void dl4jScoreGradientAndHessianAreThoseOfTheFormula() {
        LeastSquares ls = smallTwoOutputs();
        MultiLayerNetwork net = Regression.linear(4, 2, true, new Sgd(0.1), 1, DataType.DOUBLE);
        double[] p = randomVector(ls.dimension(), 11);
        INDArray x = Tensors.matrix(ls.features(), DataType.DOUBLE);
        INDArray y = Tensors.matrix(ls.targets(), DataType.DOUBLE);
        double[][] dl4jGrad = new double[1][];
        java.util.function.Function<double[], double[]> grad = q -> {
            net.setParams(Nd4j.create(q).reshape(1, q.length));
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
            double[] g = Tensors.toDoubles(net.gradient().gradient());
            for (int i = 0; i < g.length; i++) {
                g[i] /= ls.examples(); // DL4J's gradient here is the SUM over the minibatch
            }
            return g;
        };
        dl4jGrad[0] = grad.apply(p);
        assertThat(net.score()).isCloseTo(ls.value(p), within(1e-12));
        assertThat(dl4jGrad[0]).containsExactly(ls.gradient(p), within(1e-12));
        double[][] h = ls.hessian();
        double step = 1e-4;
        for (int c = 0; c < ls.dimension(); c++) {
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[c] += step;
            minus[c] -= step;
            double[] gp = grad.apply(plus);
            double[] gm = grad.apply(minus);
            for (int r = 0; r < ls.dimension(); r++) {
                assertThat((gp[r] - gm[r]) / (2 * step)).as("DL4J H[%d][%d]", r, c).isCloseTo(h[r][c], within(1e-8));
            }
        }
    }

    @Test
    void syntheticDataHasTheChosenSpectrumPlusTheBiasEigenvalueTwo() {
        double[] spectrum = Quadratic.geometricSpectrum(10, 0.4, 4.0);
        LeastSquares ls = LeastSquares.synthetic(100, spectrum, true, 0.1, 42);
        double[] expected = Arrays.copyOf(spectrum, 11);
        expected[10] = 2.0;
        Arrays.sort(expected);
        assertThat(ls.eigen().values()).containsExactly(expected, within(1e-12));
        // centred features: the bias does not couple to the weights
        for (int i = 0; i < 10; i++) {
            assertThat(ls.hessianBlock()[i][10]).isCloseTo(0, within(1e-13));
        }
        LeastSquares noBias = LeastSquares.synthetic(100, spectrum, false, 0.0, 42);
        assertThat(noBias.eigen().values()).containsExactly(spectrum, within(1e-12));
        assertThat(noBias.minimumValue()).isCloseTo(0, within(1e-20));
    }

    @Test
    void jacobiEigenpairsSatisfyHvEqualsLambdaV() {
        LeastSquares ls = smallTwoOutputs();
        double[][] h = ls.hessianBlock();
        SymmetricEigen e = ls.eigen();
        for (int k = 0; k < h.length; k++) {
            double[] v = e.vectors()[k];
            for (int i = 0; i < h.length; i++) {
                double hv = 0;
                for (int j = 0; j < h.length; j++) {
                    hv += h[i][j] * v[j];
                }
                assertThat(hv).isCloseTo(e.values()[k] * v[i], within(1e-12));
            }
        }
    }

    @Test
    void powerIterationAgreesWithJacobiOnTheDigitsFeatures() {
        Split split = Split.of(Datasets.load("digits"), 0, 42, 0);
        LeastSquares ls = LeastSquares.of(split.train().features(), split.train().oneHot(), true);
        Sharpness.Estimate power = Sharpness.largestEigenvalue(ls, new double[ls.dimension()], 2000, 1e-12, 1);
        assertThat(power.converged()).isTrue();
        assertThat(power.lambdaMax()).isCloseTo(ls.lambdaMax(), within(1e-7 * ls.lambdaMax()));
        // constant pixels are exact zero columns: zero curvature, and the minimiser's gradient vanishes
        assertThat(ls.eigen().min()).isCloseTo(0, within(1e-12));
        double[] g = ls.gradient(ls.minimizer());
        assertThat(Arrays.stream(g).map(Math::abs).max().orElseThrow()).isLessThan(1e-10);
    }
}
