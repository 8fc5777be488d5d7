package gdlab.reference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adam's two forms differ only in where epsilon sits: DL4J's (eps on the uncorrected v) is the paper's Algorithm 1
 * with eps_t = eps / sqrt(1 - b2^t), not eps sqrt(1 - b2^t).
 */
class AdamFormsTest {
    static final double LR = 0.01;
    static final double B1 = 0.9;
    static final double B2 = 0.999;
    static final double EPS = 1e-8;
    static final int STEPS = 200;

    /** Gradients of the size of eps, so that where eps sits matters. */
    static double[] gradient(int step) {
        return new double[]{3e-8 * Math.sin(0.1 * step + 1), -2e-8 * Math.cos(0.07 * step), 1e-9 * (step % 5 - 2)};
    }

    /** Algorithm 1 of Kingma &amp; Ba from params 0, with epsilon {@code eps.at(t)} at step t (1-based). */
    static double[] algorithm1(java.util.function.IntToDoubleFunction eps) {
        double[] x = new double[3];
        double[] m = new double[3];
        double[] v = new double[3];
        for (int t = 1; t <= STEPS; t++) {
            double[] g = gradient(t);
            for (int i = 0; i < x.length; i++) {
                m[i] = B1 * m[i] + (1 - B1) * g[i];
                v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.pow(B1, t));
                double vHat = v[i] / (1 - Math.pow(B2, t));
                x[i] -= LR * mHat / (Math.sqrt(vHat) + eps.applyAsDouble(t));
            }
        }
        return x;
    }

    static double[] reference(Variant variant) {
        Adam adam = new Adam(LR, B1, B2, EPS, variant);
        double[] x = new double[3];
        for (int t = 1; t <= STEPS; t++) {
            adam.step(x, gradient(t));
        }
        return x;
    }

    static double maxRelativeDiff(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i])));
        }
        return worst;
    }

    @Test
    void dl4jsFormIsAlgorithm1WithEpsilonDividedBySqrtOfOneMinusBeta2ToTheT() {
        double[] dl4j = reference(Variant.DL4J);
        double[] divided = algorithm1(t -> EPS / Math.sqrt(1 - Math.pow(B2, t)));
        double[] multiplied = algorithm1(t -> EPS * Math.sqrt(1 - Math.pow(B2, t)));
        assertThat(maxRelativeDiff(dl4j, divided)).isLessThan(1e-14);
        assertThat(maxRelativeDiff(dl4j, multiplied)).isGreaterThan(0.1);
        // the inline Algorithm 1 is the reference's paper form when eps is constant
        assertThat(maxRelativeDiff(reference(Variant.PAPER), algorithm1(t -> EPS))).isLessThan(1e-14);
        assertThat(maxRelativeDiff(dl4j, reference(Variant.PAPER))).isGreaterThan(0.1);
    }
}
