package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The closed forms of {@link Theory} against runs of the reference updaters on f = 1/2 x'Hx - b'x with a chosen
 * spectrum (10 eigenvalues spaced geometrically in [1, kappa], rotated by a seeded random orthogonal matrix, so that
 * nothing depends on the axes).
 *
 * <p><b>How rates are measured.</b> The worst case starts on the extreme eigenvectors: x0 = x* + u_min + u_max, v = 0.
 * The error e_t = x_t - x* is then measured on ||e_t||. For gradient descent at lr = 2 / (lambda_min + lambda_max) both
 * components shrink by exactly (kappa - 1) / (kappa + 1) in magnitude each step, so the per-step factor is that
 * constant from the first step on. Heavy ball at its optimal (lr, mu) has a double root on both extreme
 * eigen-directions: e_t ~ (A + B t) r^t, whose per-step factor tends to r only asymptotically. The asymptotic factor is
 * measured as the geometric mean over the second half of a long run, (||e_T|| / ||e_{T/2}||)^(2/T), which differs from
 * r by at most a factor 2^(2/T) (0.2% for the shortest run here, T = 700).
 *
 * <p><b>Goh's iteration counts.</b> Goh 2017 ("Why momentum really works") tabulates the iterations to reach 1e-6 as
 * ln(1e-6) / ln(rate) for the worst-case rate (his GD 69/691/6908 and heavy-ball 21/69/218 for kappa = 10/100/1000 are
 * that ratio, rounded to the nearest integer: ceil would give 22 and 219 for heavy ball). So the matching measurement
 * is not a count of steps until ||e_t|| <= 1e-6 ||e_0|| (for heavy ball that count includes the (A + B t) transient
 * and is 10-20% larger), but the measured asymptotic rate put into ceil(ln 1e-6 / ln rate). For gradient descent the
 * direct count is also checked: there it is exact.
 */
class TheoryTest {
    private static final int N = 10;
    private static final long SEED = 20240601L;

    /**
     * b = 0, so x* = 0: floating point then keeps full relative precision on e_t = x_t all the way down (to ~1e-200 in
     * the heavy-ball runs), where with x* != 0 the error would stop at round-off, ~1e-16 ||x*||.
     */
    private static Quadratic quadratic(double kappa) {
        return Quadratic.rotated(Quadratic.geometricSpectrum(N, 1.0, kappa), SEED);
    }

    /** The same spectrum with a linear term, so that x* != 0. */
    private static Quadratic quadraticWithOffset(double kappa) {
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            b[i] = Math.sin(i + 1.0);
        }
        return quadratic(kappa).withLinearTerm(b);
    }

    /** x* + u_min + u_max: the start with the slowest-decaying error. */
    private static double[] worstStart(Quadratic f) {
        double[] x = f.minimizer();
        double[] uMin = f.eigenvector(f.indexOfLambdaMin());
        double[] uMax = f.eigenvector(f.indexOfLambdaMax());
        for (int i = 0; i < x.length; i++) {
            x[i] += uMin[i] + uMax[i];
        }
        return x;
    }

    private static double[] errorNorms(Quadratic f, Trajectory run) {
        double[] xStar = f.minimizer();
        List<double[]> points = run.points();
        double[] e = new double[points.size()];
        for (int t = 0; t < e.length; t++) {
            e[t] = scaledDistance(points.get(t), xStar);
        }
        return e;
    }

    /** ||a - b||, scaled by the largest component so that squares of ~1e-200 do not underflow. */
    private static double scaledDistance(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        if (max == 0) {
            return 0;
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] - b[i]) / max;
            s += d * d;
        }
        return max * Math.sqrt(s);
    }

    /** Geometric mean of the per-step factor over the second half of the run. */
    private static double asymptoticRate(double[] errors) {
        int t = errors.length - 1;
        int half = t / 2;
        return Math.pow(errors[t] / errors[half], 1.0 / (t - half));
    }

    @Test
    void gradientDescentConvergesJustBelowTheCriticalRateAndDivergesJustAbove() {
        Quadratic f = quadraticWithOffset(100);
        double critical = Theory.criticalLearningRate(f.lambdaMax());
        assertThat(critical).isCloseTo(2.0 / 100, within(1e-15));
        double[] x0 = new double[N];
        java.util.Arrays.fill(x0, 1.0);

        Trajectory below = GradientDescent.run(f, new Sgd(0.99 * critical), x0, 5000,
                StopRule.relativeErrorBelow(f.minimizer(), 1e-6));
        Trajectory above = GradientDescent.run(f, new Sgd(1.01 * critical), x0, 5000,
                StopRule.relativeErrorBelow(f.minimizer(), 1e-6));

        assertThat(below.status()).isEqualTo(Status.CONVERGED);
        assertThat(above.status()).isEqualTo(Status.DIVERGED);
    }

    @ParameterizedTest(name = "kappa = {0}")
    @CsvSource({"10", "100", "1000"})
    void gradientDescentAtTheBestConstantRateContractsAtKappaMinus1OverKappaPlus1(double kappa) {
        Quadratic f = quadratic(kappa);
        double lr = Theory.optimalLearningRate(f.lambdaMin(), f.lambdaMax());
        Trajectory run = GradientDescent.run(f, new Sgd(lr), worstStart(f), 50);
        double[] e = errorNorms(f, run);
        double expected = Theory.gradientDescentRate(kappa);
        for (int t = 0; t < 50; t++) {
            assertThat(e[t + 1] / e[t]).as("factor at step %d", t + 1).isCloseTo(expected, within(0.01 * expected));
        }
    }

    @ParameterizedTest(name = "kappa = {0}")
    @CsvSource({"10", "100", "1000"})
    void heavyBallAtItsOptimumContractsAtSqrtKappaMinus1OverSqrtKappaPlus1(double kappa) {
        Quadratic f = quadratic(kappa);
        double lr = Theory.heavyBallLearningRate(f.lambdaMin(), f.lambdaMax());
        double mu = Theory.heavyBallMomentum(kappa);
        double measured = asymptoticRate(errorNorms(f, GradientDescent.run(f, new HeavyBall(lr, mu), worstStart(f),
                heavyBallSteps(kappa))));
        double expected = Theory.heavyBallRate(kappa);
        assertThat(measured).isCloseTo(expected, within(0.01 * expected));
        // and momentum matters: plain GD's rate is far worse
        assertThat(Theory.gradientDescentRate(kappa)).isGreaterThan(expected + 0.1 * (1 - expected));
    }

    /** Long enough for the asymptotic regime, short enough that the error stays far above underflow (~1e-200). */
    private static int heavyBallSteps(double kappa) {
        return kappa == 10 ? 700 : kappa == 100 ? 2400 : 7000;
    }

    @ParameterizedTest(name = "kappa = {0}: GD {1}, heavy ball {2}")
    @CsvSource({"10, 69, 21", "100, 691, 69", "1000, 6908, 218"})
    void iterationsToOneInAMillionMatchGoh2017(double kappa, int gohGd, int gohHeavyBall) {
        Quadratic f = quadratic(kappa);
        double tol = 1e-6;

        // gradient descent at 2 / (lambda_min + lambda_max): measured rate, and the direct count
        Trajectory gd = GradientDescent.run(f, new Sgd(Theory.optimalLearningRate(f.lambdaMin(), f.lambdaMax())),
                worstStart(f), 20_000, StopRule.relativeErrorBelow(f.minimizer(), tol));
        double gdRate = asymptoticRate(errorNorms(f, gd));
        int gdFromRate = Theory.iterationsToTolerance(gdRate, tol);

        // heavy ball at its optimal (lr, mu): measured asymptotic rate
        double lr = Theory.heavyBallLearningRate(f.lambdaMin(), f.lambdaMax());
        double mu = Theory.heavyBallMomentum(kappa);
        Trajectory hb = GradientDescent.run(f, new HeavyBall(lr, mu), worstStart(f), heavyBallSteps(kappa));
        double hbRate = asymptoticRate(errorNorms(f, hb));
        int hbFromRate = Theory.iterationsToTolerance(hbRate, tol);
        int hbDirect = GradientDescent.run(f, new HeavyBall(lr, mu), worstStart(f), 20_000,
                StopRule.relativeErrorBelow(f.minimizer(), tol)).iterations();

        System.out.printf("kappa=%.0f GD rate %.6f -> %d iterations (direct count %d, Goh %d);"
                        + " heavy ball rate %.6f -> %d iterations (direct count %d, Goh %d)%n",
                kappa, gdRate, gdFromRate, gd.iterations(), gohGd, hbRate, hbFromRate, hbDirect, gohHeavyBall);

        assertThat(gd.status()).isEqualTo(Status.CONVERGED);
        assertThat((double) gd.iterations()).isCloseTo(gohGd, within(0.05 * gohGd));
        assertThat((double) gdFromRate).isCloseTo(gohGd, within(0.05 * gohGd));
        assertThat((double) hbFromRate).isCloseTo(gohHeavyBall, within(0.05 * gohHeavyBall));
    }

    @Test
    void closedFormsOfTheIterationCounts() {
        double tol = 1e-6;
        assertThat(Theory.iterationsToTolerance(Theory.gradientDescentRate(10), tol)).isEqualTo(69);
        assertThat(Theory.iterationsToTolerance(Theory.gradientDescentRate(100), tol)).isEqualTo(691);
        assertThat(Theory.iterationsToTolerance(Theory.gradientDescentRate(1000), tol)).isEqualTo(6908);
        // Goh rounds ln(tol)/ln(rate) to nearest for heavy ball: 21.10 -> 21, 68.85 -> 69, 218.37 -> 218
        assertThat(Theory.iterationsToTolerance(Theory.heavyBallRate(10), tol)).isEqualTo(22);
        assertThat(Theory.iterationsToTolerance(Theory.heavyBallRate(100), tol)).isEqualTo(69);
        assertThat(Theory.iterationsToTolerance(Theory.heavyBallRate(1000), tol)).isEqualTo(219);
    }

    @Test
    void closedFormValues() {
        assertThat(Theory.optimalLearningRate(1, 100)).isEqualTo(2.0 / 101);
        assertThat(Theory.gradientDescentRate(0.5, 1, 3)).isEqualTo(0.5);
        assertThat(Theory.heavyBallLearningRate(1, 100)).isCloseTo(4.0 / 121, within(1e-16));
        assertThat(Theory.heavyBallMomentum(100)).isCloseTo(81.0 / 121, within(1e-16));
        assertThat(Theory.heavyBallRate(100)).isCloseTo(9.0 / 11, within(1e-16));
        assertThat(Theory.nesterovStabilityBound(0.9)).isCloseTo(3.8 / 2.8, within(1e-15));
        assertThat(Theory.nesterovStabilityBound(0.0)).isEqualTo(2.0);
    }

    @Test
    void dl4jNesterovIsStableExactlyBelowItsBound() {
        Quadratic f = quadraticWithOffset(100);
        double mu = 0.9;
        double critical = Theory.nesterovCriticalLearningRate(f.lambdaMax(), mu);
        double[] x0 = new double[N];
        java.util.Arrays.fill(x0, 1.0);
        Trajectory below = GradientDescent.run(f, new Nesterov(0.99 * critical, mu), x0, 5000,
                StopRule.relativeErrorBelow(f.minimizer(), 1e-6));
        Trajectory above = GradientDescent.run(f, new Nesterov(1.01 * critical, mu), x0, 5000,
                StopRule.relativeErrorBelow(f.minimizer(), 1e-6));
        assertThat(below.status()).isEqualTo(Status.CONVERGED);
        assertThat(above.status()).isEqualTo(Status.DIVERGED);
        // for mu > 0 the bound (2 + 2 mu) / (1 + 2 mu) is below plain GD's 2
        assertThat(critical).isLessThan(Theory.criticalLearningRate(f.lambdaMax()));
    }

    @Test
    void badArgumentsNameTheBadValue() {
        assertThatThrownBy(() -> Theory.gradientDescentRate(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.5");
        assertThatThrownBy(() -> Theory.optimalLearningRate(5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.0 < 5.0");
        assertThatThrownBy(() -> Theory.iterationsToTolerance(1.2, 1e-6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.2");
        assertThatThrownBy(() -> Theory.criticalLearningRate(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3.0");
    }
}
