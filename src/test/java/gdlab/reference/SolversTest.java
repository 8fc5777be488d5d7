package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link ConjugateGradient}, {@link Lbfgs} and {@link LineSearchGradientDescent}. */
class SolversTest {
    private static final int N = 20;
    private static final double KAPPA = 100;

    /** n = 20, eigenvalues geometric in [1, 100], randomly rotated, with x* != 0. */
    private static Quadratic quadratic() {
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            b[i] = Math.cos(0.7 * i) + 0.1 * i;
        }
        return Quadratic.rotated(Quadratic.geometricSpectrum(N, 1, KAPPA), 99L).withLinearTerm(b);
    }

    private static double[] ones(int n) {
        double[] x = new double[n];
        java.util.Arrays.fill(x, 1.0);
        return x;
    }

    @Test
    void conjugateGradientWithExactSearchReachesRelativeLoss1eMinus8InAtMostNIterations() {
        Quadratic f = quadratic();
        Trajectory run = new ConjugateGradient().minimize(f, ones(N), 1000,
                StopRule.relativeLossBelow(f.minimumValue(), 1e-8));
        assertThat(run.status()).isEqualTo(Status.CONVERGED);
        assertThat(run.iterations()).isLessThanOrEqualTo(N);
        double gap = (run.finalValue() - f.minimumValue()) / (run.values()[0] - f.minimumValue());
        assertThat(gap).isLessThanOrEqualTo(1e-8);
    }

    @Test
    void lineSearchGradientDescentIsMuchSlowerThanConjugateGradientOnTheSameQuadratic() {
        Quadratic f = quadratic();
        StopRule stop = StopRule.relativeLossBelow(f.minimumValue(), 1e-8);
        Trajectory cg = new ConjugateGradient().minimize(f, ones(N), 10_000, stop);
        Trajectory gd = new LineSearchGradientDescent().minimize(f, ones(N), 10_000, stop);
        assertThat(gd.status()).isEqualTo(Status.CONVERGED);
        assertThat(gd.iterations()).isGreaterThan(10 * cg.iterations());
        // and no faster than Kantorovich's bound allows: ((kappa - 1) / (kappa + 1))^2 per iteration at worst
        double worst = Math.pow((KAPPA - 1) / (KAPPA + 1), 2);
        assertThat(gd.iterations()).isLessThanOrEqualTo((int) Math.ceil(Math.log(1e-8) / Math.log(worst)));
    }

    @Test
    void conjugateGradientRestartedEveryIterationIsLineSearchGradientDescent() {
        // DL4J's CONJUGATE_GRADIENT has beta = 0 at every step: this is what it amounts to
        Quadratic f = quadratic();
        Trajectory betaZero = new ConjugateGradient(LineSearch.automatic(), 1).minimize(f, ones(N), 50,
                StopRule.never());
        Trajectory gd = new LineSearchGradientDescent().minimize(f, ones(N), 50, StopRule.never());
        assertThat(betaZero.values()).containsExactly(gd.values());
    }

    @Test
    void lbfgsConvergesOnRosenbrockFromTheClassicStart() {
        Trajectory run = new Lbfgs().minimize(TestFunction.ROSENBROCK, new double[] {-1.2, 1}, 500,
                StopRule.gradientNormBelow(1e-10));
        assertThat(run.status()).isEqualTo(Status.CONVERGED);
        assertThat(Vectors.distance(run.x(), new double[] {1, 1})).isLessThan(1e-8);
        assertThat(run.finalValue()).isLessThan(1e-8);
        assertThat(run.iterations()).isLessThan(100);
        assertThat(run.values()).hasSize(run.iterations() + 1);
    }

    @Test
    void lbfgsBeatsLineSearchGradientDescentOnRosenbrock() {
        StopRule stop = StopRule.valueBelow(1e-8);
        Trajectory lbfgs = new Lbfgs().minimize(TestFunction.ROSENBROCK, new double[] {-1.2, 1}, 100_000, stop);
        Trajectory gd = new LineSearchGradientDescent().minimize(TestFunction.ROSENBROCK, new double[] {-1.2, 1},
                100_000, stop);
        assertThat(lbfgs.status()).isEqualTo(Status.CONVERGED);
        assertThat(gd.iterations()).isGreaterThan(10 * lbfgs.iterations());
    }

    @Test
    void conjugateGradientWithItsWolfeSearchConvergesOnRosenbrockFarFasterThanSteepestDescent() {
        StopRule stop = StopRule.gradientNormBelow(1e-8);
        Trajectory cg = new ConjugateGradient().minimize(TestFunction.ROSENBROCK, new double[] {-1.2, 1}, 5000, stop);
        Trajectory gd = new LineSearchGradientDescent().minimize(TestFunction.ROSENBROCK, new double[] {-1.2, 1},
                5000, stop);
        assertThat(cg.status()).isEqualTo(Status.CONVERGED);
        assertThat(Vectors.distance(cg.x(), new double[] {1, 1})).isLessThan(1e-8);
        assertThat(cg.iterations()).isLessThan(100);
        assertThat(gd.status()).isEqualTo(Status.MAX_ITERATIONS);
    }

    @Test
    void strongWolfeStepsSatisfyBothConditions() {
        LineSearch wolfe = LineSearch.strongWolfe(1e-4, 0.1, 40);
        for (double[] x : new double[][] {{-1.2, 1}, {0, 0}, {2, 2}, {0.5, -0.3}}) {
            Objective f = TestFunction.ROSENBROCK;
            double[] g = f.gradient(x);
            double[] d = Vectors.negate(g);
            double slope = Vectors.dot(g, d);
            for (double initial : new double[] {1e-6, 1e-3, 1.0}) {
                LineSearch.Step step = wolfe.search(f, x, f.value(x), g, d, initial);
                assertThat(step).isNotNull();
                assertThat(step.value()).isLessThanOrEqualTo(f.value(x) + 1e-4 * step.alpha() * slope);
                assertThat(Math.abs(Vectors.dot(step.gradient(), d))).isLessThanOrEqualTo(0.1 * Math.abs(slope));
                assertThat(step.x()).containsExactly(Vectors.plus(x, step.alpha(), d));
            }
        }
    }

    @Test
    void armijoBacktracksUntilSufficientDecrease() {
        Objective f = TestFunction.ROSENBROCK;
        double[] x = {-1.2, 1};
        double[] g = f.gradient(x);
        double[] d = Vectors.negate(g);
        LineSearch.Step step = LineSearch.armijo().search(f, x, f.value(x), g, d, 1.0);
        assertThat(step.value()).isLessThanOrEqualTo(f.value(x) + 1e-4 * step.alpha() * Vectors.dot(g, d));
        // the step before it (twice as long) was rejected
        double longer = f.value(Vectors.plus(x, 2 * step.alpha(), d));
        assertThat(longer).isGreaterThan(f.value(x) + 1e-4 * 2 * step.alpha() * Vectors.dot(g, d));
        assertThat(step.evaluations()).isGreaterThan(1);
    }

    @Test
    void everyIterationDecreasesTheValue() {
        Trajectory run = new Lbfgs().minimize(TestFunction.BEALE, new double[] {1, 1}, 200,
                StopRule.gradientNormBelow(1e-10));
        for (int t = 1; t < run.values().length; t++) {
            assertThat(run.values()[t]).isLessThan(run.values()[t - 1]);
        }
        assertThat(run.x()[0]).isCloseTo(3, org.assertj.core.api.Assertions.within(1e-8));
    }

    @Test
    void namesFollowDl4jsOptimizationAlgorithms() {
        assertThat(new Lbfgs().name()).isEqualTo("lbfgs");
        assertThat(new ConjugateGradient().name()).isEqualTo("conjugate_gradient");
        assertThat(new LineSearchGradientDescent().name()).isEqualTo("line_gradient_descent");
        assertThat(new Lbfgs().memory()).isEqualTo(10);
    }

    @Test
    void badArgumentsNameTheBadValue() {
        assertThatThrownBy(() -> new Lbfgs(0, LineSearch.armijo())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> new ConjugateGradient(LineSearch.armijo(), -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
        assertThatThrownBy(() -> LineSearch.armijo(1.5, 0.5, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> LineSearch.strongWolfe(0.5, 0.1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("c1 = 0.5, c2 = 0.1");
        assertThatThrownBy(() -> new ConjugateGradient(LineSearch.exact(), 0).minimize(TestFunction.BEALE,
                new double[] {1, 1}, 10, StopRule.never())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEALE");
        assertThatThrownBy(() -> new Lbfgs().minimize(TestFunction.BEALE, new double[] {1, 1, 1}, 10,
                StopRule.never())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
    }
}
