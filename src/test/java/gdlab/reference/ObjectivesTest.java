package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Quadratic}, {@link TestFunction} and the {@link GradientDescent} loop's bookkeeping. */
class ObjectivesTest {

    @ParameterizedTest
    @EnumSource(TestFunction.class)
    void gradientMatchesCentralDifferences(TestFunction f) {
        double h = 1e-6;
        for (double[] p : new double[][] {{0.3, -0.7}, {-1.2, 1.0}, {2.5, 0.4}}) {
            double[] g = f.gradient(p);
            for (int i = 0; i < 2; i++) {
                double[] up = p.clone();
                double[] down = p.clone();
                up[i] += h;
                down[i] -= h;
                double numeric = (f.value(up) - f.value(down)) / (2 * h);
                assertThat(g[i]).as("%s d/dx%d at (%s, %s)", f, i, p[0], p[1])
                        .isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric))));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestFunction.class)
    void knownMinimaAreStationaryWithTheKnownValue(TestFunction f) {
        assertThat(f.minimizers()).isNotEmpty();
        for (double[] x : f.minimizers()) {
            assertThat(f.value(x)).isCloseTo(f.minimumValue(), within(1e-12));
            assertThat(Vectors.norm(f.gradient(x))).isLessThan(1e-8);
        }
    }

    @Test
    void publishedMinimumValues() {
        assertThat(TestFunction.ROSENBROCK.minimumValue()).isZero();
        assertThat(TestFunction.BEALE.minimumValue()).isZero();
        assertThat(TestFunction.HIMMELBLAU.minimizers()).hasSize(4);
        assertThat(TestFunction.SIX_HUMP_CAMEL.minimumValue()).isCloseTo(-1.0316284535, within(1e-10));
        assertThat(TestFunction.STYBLINSKI_TANG.minimumValue()).isCloseTo(2 * -39.16616570, within(1e-8));
        assertThat(TestFunction.BRANIN.minimumValue()).isCloseTo(0.3978873577, within(1e-10));
        assertThat(TestFunction.SADDLE.hasMinimum()).isFalse();
        // the saddle: a minimum along x, a maximum along y
        assertThat(TestFunction.SADDLE.value(new double[] {0.1, 0})).isPositive();
        assertThat(TestFunction.SADDLE.value(new double[] {0, 0.1})).isNegative();
    }

    @Test
    void rotatedQuadraticHasTheChosenSpectrumAndMinimizer() {
        double[] spectrum = Quadratic.geometricSpectrum(6, 0.5, 50);
        assertThat(spectrum[0]).isEqualTo(0.5);
        assertThat(spectrum[5]).isEqualTo(50);
        Quadratic f = Quadratic.rotated(spectrum, 3L).withLinearTerm(new double[] {1, -2, 3, 0, 0.5, 1});
        assertThat(f.conditionNumber()).isCloseTo(100, within(1e-12));
        for (int k = 0; k < 6; k++) {
            double[] u = f.eigenvector(k);
            assertThat(Vectors.norm(u)).isCloseTo(1, within(1e-14));
            double[] hu = f.hessianTimes(u);
            for (int i = 0; i < 6; i++) {
                assertThat(hu[i]).isCloseTo(spectrum[k] * u[i], within(1e-12));
            }
            for (int j = 0; j < k; j++) {
                assertThat(Vectors.dot(u, f.eigenvector(j))).isCloseTo(0, within(1e-14));
            }
        }
        // not axis-aligned
        assertThat(Math.abs(f.hessian()[0][1])).isGreaterThan(1e-3);
        double[] xStar = f.minimizer();
        assertThat(Vectors.norm(f.gradient(xStar))).isLessThan(1e-12);
        assertThat(f.value(xStar)).isCloseTo(f.minimumValue(), within(1e-12));
    }

    @Test
    void exactLineSearchZeroesTheDirectionalDerivative() {
        Quadratic f = Quadratic.rotated(new double[] {1, 4, 9}, 5L).withLinearTerm(new double[] {1, 1, 1});
        double[] x = {2, -1, 0.5};
        double[] d = Vectors.negate(f.gradient(x));
        double alpha = f.exactLineSearchStep(x, d);
        assertThat(alpha).isPositive();
        assertThat(Vectors.dot(f.gradient(Vectors.plus(x, alpha, d)), d)).isCloseTo(0, within(1e-12));
        assertThatThrownBy(() -> f.exactLineSearchStep(x, new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d'Hd = 0.0");
    }

    @Test
    void gradientDescentReportsConvergedDivergedOrOutOfIterations() {
        Objective f = TestFunction.HIMMELBLAU;
        double[] x0 = {0, 0};
        Trajectory ok = GradientDescent.run(f, new Sgd(0.01), x0, 10_000, StopRule.gradientNormBelow(1e-8));
        assertThat(ok.status()).isEqualTo(Status.CONVERGED);
        assertThat(ok.status().label()).isEqualTo("converged");
        assertThat(ok.values()).hasSize(ok.iterations() + 1);
        assertThat(ok.points()).hasSize(ok.iterations() + 1);
        assertThat(ok.finalValue()).isLessThan(1e-15);
        assertThat(ok.x()).containsExactly(ok.points().get(ok.iterations()));

        Trajectory saddle = GradientDescent.run(TestFunction.SADDLE, new Sgd(0.1), new double[] {1, 1e-3}, 10_000);
        assertThat(saddle.status()).isEqualTo(Status.DIVERGED);
        assertThat(saddle.status().label()).isEqualTo("diverged");

        Trajectory tooFast = GradientDescent.run(TestFunction.ROSENBROCK, new Sgd(0.01), new double[] {-1.2, 1}, 100);
        assertThat(tooFast.status()).isEqualTo(Status.DIVERGED);

        Trajectory budget = GradientDescent.run(TestFunction.ROSENBROCK, new Sgd(1e-4), new double[] {-1.2, 1}, 7);
        assertThat(budget.status()).isEqualTo(Status.MAX_ITERATIONS);
        assertThat(budget.iterations()).isEqualTo(7);
        assertThat(budget.values()).hasSize(8);

        Trajectory already = GradientDescent.run(f, new Sgd(0.01), new double[] {3, 2}, 10,
                StopRule.valueBelow(1e-20));
        assertThat(already.iterations()).isZero();
    }

    @Test
    void longRunsKeepEveryValue() {
        Trajectory run = GradientDescent.run(TestFunction.ROSENBROCK, new Sgd(1e-4), new double[] {-1.2, 1}, 70_000);
        assertThat(run.status()).isEqualTo(Status.MAX_ITERATIONS);
        assertThat(run.values()).hasSize(70_001);
        assertThat(run.values()[70_000]).isEqualTo(TestFunction.ROSENBROCK.value(run.x()));
        assertThat(run.values()[70_000]).isLessThan(run.values()[65_537]);
    }

    @Test
    void badArgumentsNameTheBadValue() {
        assertThatThrownBy(() -> Quadratic.diagonal(1, 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0.0 at index 1");
        assertThatThrownBy(() -> Quadratic.geometricSpectrum(5, 10, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.0 < 10.0");
        assertThatThrownBy(() -> Quadratic.diagonal(1, 2).withLinearTerm(new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> GradientDescent.run(TestFunction.BEALE, new Sgd(0.1), new double[] {1, 2}, -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
        assertThatThrownBy(() -> GradientDescent.run(TestFunction.BEALE, new Sgd(0.1), new double[] {1, Double.NaN},
                5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> StopRule.gradientNormBelow(-1e-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.001");
    }
}
