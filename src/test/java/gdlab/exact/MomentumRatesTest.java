package gdlab.exact;

import gdlab.reference.GradientDescent;
import gdlab.reference.HeavyBall;
import gdlab.reference.Nesterov;
import gdlab.reference.Quadratic;
import gdlab.reference.Theory;
import gdlab.reference.Trajectory;
import gdlab.reference.Updater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The rates of {@link MomentumRates} against the reference's closed forms and against measured runs. */
class MomentumRatesTest {
    static double[] spectrum(double kappa) {
        return Quadratic.geometricSpectrum(10, 1, kappa);
    }

    @ParameterizedTest
    @CsvSource({"10", "100", "1000"})
    void closedFormsOfTheReferenceTheory(double kappa) {
        double[] s = spectrum(kappa);
        double gdLr = MomentumRates.tunedLearningRate("sgd", 0, s);
        assertThat(gdLr).isCloseTo(Theory.optimalLearningRate(1, kappa), within(1e-9 * gdLr));
        assertThat(MomentumRates.rate("sgd", gdLr, 0, s)).isCloseTo(Theory.gradientDescentRate(kappa), within(1e-9));
        double muStar = MomentumRates.heavyBallOptimalMomentum(kappa);
        assertThat(muStar).isCloseTo(Theory.heavyBallMomentum(kappa), within(1e-15));
        double hbLr = MomentumRates.heavyBallLearningRate(muStar, 1, kappa);
        assertThat(hbLr).isCloseTo(Theory.heavyBallLearningRate(1, kappa), within(1e-12));
        assertThat(MomentumRates.rate("momentum", hbLr, muStar, s)).isCloseTo(Theory.heavyBallRate(kappa),
                within(1e-6));
        assertThat(MomentumRates.stabilityBound("nesterov", 0.9)).isCloseTo(Theory.nesterovStabilityBound(0.9),
                within(1e-15));
    }

    @ParameterizedTest
    @CsvSource({"100, 0.1", "100, 0.5", "1000, 0.8"})
    void numericTuningFindsTheHeavyBallClosedFormBelowTheOptimalMomentum(double kappa, double mu) {
        assertThat(mu).isLessThan(MomentumRates.heavyBallOptimalMomentum(kappa));
        double numeric = MomentumRates.tunedLearningRate("momentum", mu, spectrum(kappa));
        assertThat(numeric).isCloseTo(MomentumRates.heavyBallLearningRate(mu, 1, kappa), within(1e-6 * numeric));
    }

    @Test
    void heavyBallAboveItsOptimalMomentumHasRateSqrtMu() {
        double[] s = spectrum(100);
        double lr = MomentumRates.heavyBallLearningRate(0.9, 1, 100);
        assertThat(MomentumRates.rate("momentum", lr, 0.9, s)).isCloseTo(Math.sqrt(0.9), within(1e-12));
    }

    /** Measured asymptotic error rate of a reference run: (e_T / e_{T/2})^(2/T). */
    static double measuredRate(Quadratic q, Updater u, int steps) {
        double[] x0 = q.minimizer();
        double[] a = q.eigenvector(q.indexOfLambdaMin());
        double[] b = q.eigenvector(q.indexOfLambdaMax());
        for (int i = 0; i < x0.length; i++) {
            x0[i] += a[i] + b[i];
        }
        Trajectory t = GradientDescent.run(q, u, x0, steps);
        double eHalf = dist(t.points().get(steps / 2), q.minimizer());
        double eEnd = dist(t.points().get(steps), q.minimizer());
        return Math.pow(eEnd / eHalf, 2.0 / steps);
    }

    static double dist(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @ParameterizedTest
    @CsvSource({"momentum, 0.5", "momentum, 0.3", "nesterov, 0.5", "nesterov, 0.9", "nesterov, 0.2"})
    void predictedRatesMatchReferenceRuns(String method, double mu) {
        Quadratic q = Quadratic.rotated(spectrum(100), 7);
        double lr = MomentumRates.tunedLearningRate(method, mu, q.eigenvalues());
        Updater u = method.equals("momentum") ? new HeavyBall(lr, mu) : new Nesterov(lr, mu);
        double predicted = MomentumRates.rate(method, lr, mu, q.eigenvalues());
        assertThat(measuredRate(q, u, 1200)).isCloseTo(predicted, within(0.01 * (1 - predicted)));
    }

    @Test
    void iterationsForLossIsHalfTheErrorCount() {
        // Goh's GD count for k = 100 (error to 1e-6) is 691: the loss (error squared) needs half
        double rate = Theory.gradientDescentRate(100);
        assertThat(MomentumRates.iterationsForLoss(rate, 1e-12)).isEqualTo(691);
        assertThat(MomentumRates.iterationsForLoss(rate, 1e-6)).isEqualTo(346);
        assertThat(MomentumRates.iterationsForLoss(1.0, 1e-6)).isEqualTo(Integer.MAX_VALUE);
    }
}
