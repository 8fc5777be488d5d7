package gdlab.reference;

import java.util.Arrays;
import java.util.Random;

/**
 * f(x) = 1/2 x'Hx - b'x with a chosen spectrum: H = Q diag(lambda) Q' for positive eigenvalues lambda and an orthogonal
 * Q, either the identity ({@link #diagonal}) or a seeded random rotation ({@link #rotated}). Knowing the eigenpairs
 * gives the minimiser H^-1 b, the condition number and the exact line search in closed form.
 */
public final class Quadratic implements Objective {
    private final double[] lambda;
    private final double[][] q; // q[i][k] = component i of eigenvector k
    private final double[][] h;
    private final double[] b;

    private Quadratic(double[] lambda, double[][] q, double[] b) {
        this.lambda = lambda;
        this.q = q;
        this.b = b;
        int n = lambda.length;
        h = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i][k] * lambda[k] * q[j][k];
                }
                h[i][j] = s;
            }
        }
    }

    /** H = diag(eigenvalues), b = 0: eigenvector k is the unit vector e_k. */
    public static Quadratic diagonal(double... eigenvalues) {
        double[] lambda = checkSpectrum(eigenvalues);
        int n = lambda.length;
        double[][] identity = new double[n][n];
        for (int i = 0; i < n; i++) {
            identity[i][i] = 1;
        }
        return new Quadratic(lambda, identity, new double[n]);
    }

    /**
     * H = Q diag(eigenvalues) Q' with Q a random orthogonal matrix from a seeded {@link Random}: Gram-Schmidt on a
     * Gaussian matrix (the Q of its QR factorisation with positive diagonal R, which is Haar-distributed); b = 0.
     */
    public static Quadratic rotated(double[] eigenvalues, long seed) {
        double[] lambda = checkSpectrum(eigenvalues);
        return new Quadratic(lambda, randomOrthogonal(lambda.length, seed), new double[lambda.length]);
    }

    /** The same H with linear term b, so the minimiser is H^-1 b. */
    public Quadratic withLinearTerm(double[] b) {
        Check.length("b", b, dimension());
        return new Quadratic(lambda, q, Check.finite("b", b).clone());
    }

    /** n eigenvalues spaced geometrically from lambdaMin to lambdaMax (condition number lambdaMax / lambdaMin). */
    public static double[] geometricSpectrum(int n, double lambdaMin, double lambdaMax) {
        Check.atLeast("n", n, 2);
        Check.positive("lambdaMin", lambdaMin);
        Check.positive("lambdaMax", lambdaMax);
        if (lambdaMax < lambdaMin) {
            throw new IllegalArgumentException("lambdaMax must be >= lambdaMin, got " + lambdaMax + " < " + lambdaMin);
        }
        double[] s = new double[n];
        for (int k = 0; k < n; k++) {
            s[k] = lambdaMin * Math.pow(lambdaMax / lambdaMin, k / (double) (n - 1));
        }
        s[n - 1] = lambdaMax;
        return s;
    }

    private static double[] checkSpectrum(double[] eigenvalues) {
        Check.notNull("eigenvalues", eigenvalues);
        if (eigenvalues.length == 0) {
            throw new IllegalArgumentException("need at least one eigenvalue, got 0");
        }
        for (int k = 0; k < eigenvalues.length; k++) {
            if (!(eigenvalues[k] > 0) || Double.isInfinite(eigenvalues[k])) {
                throw new IllegalArgumentException("eigenvalues must be > 0 and finite (H positive definite), got "
                        + eigenvalues[k] + " at index " + k);
            }
        }
        return eigenvalues.clone();
    }

    private static double[][] randomOrthogonal(int n, long seed) {
        Random random = new Random(seed);
        double[][] cols = new double[n][n]; // cols[k] = k-th column
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                cols[k][i] = random.nextGaussian();
            }
        }
        for (int k = 0; k < n; k++) {
            // modified Gram-Schmidt, twice for orthogonality to machine precision
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double d = Vectors.dot(cols[k], cols[j]);
                    for (int i = 0; i < n; i++) {
                        cols[k][i] -= d * cols[j][i];
                    }
                }
            }
            double norm = Vectors.norm(cols[k]);
            for (int i = 0; i < n; i++) {
                cols[k][i] /= norm;
            }
        }
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                q[i][k] = cols[k][i];
            }
        }
        return q;
    }

    @Override
    public int dimension() {
        return lambda.length;
    }

    @Override
    public double value(double[] x) {
        Check.length("x", x, dimension());
        double[] hx = hessianTimes(x);
        return 0.5 * Vectors.dot(x, hx) - Vectors.dot(b, x);
    }

    @Override
    public double[] gradient(double[] x) {
        Check.length("x", x, dimension());
        double[] g = hessianTimes(x);
        for (int i = 0; i < g.length; i++) {
            g[i] -= b[i];
        }
        return g;
    }

    /** Hv. */
    public double[] hessianTimes(double[] v) {
        Check.length("v", v, dimension());
        int n = dimension();
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += h[i][j] * v[j];
            }
            r[i] = s;
        }
        return r;
    }

    /** A copy of H. */
    public double[][] hessian() {
        double[][] copy = new double[h.length][];
        for (int i = 0; i < h.length; i++) {
            copy[i] = h[i].clone();
        }
        return copy;
    }

    /** A copy of b. */
    public double[] linearTerm() {
        return b.clone();
    }

    /** The eigenvalues in the order given at construction. */
    public double[] eigenvalues() {
        return lambda.clone();
    }

    /** The unit eigenvector belonging to {@code eigenvalues()[k]}. */
    public double[] eigenvector(int k) {
        if (k < 0 || k >= dimension()) {
            throw new IllegalArgumentException("eigenvector index must be in [0, " + dimension() + "), got " + k);
        }
        double[] v = new double[dimension()];
        for (int i = 0; i < v.length; i++) {
            v[i] = q[i][k];
        }
        return v;
    }

    /** Index of the largest eigenvalue. */
    public int indexOfLambdaMax() {
        int best = 0;
        for (int k = 1; k < lambda.length; k++) {
            if (lambda[k] > lambda[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Index of the smallest eigenvalue. */
    public int indexOfLambdaMin() {
        int best = 0;
        for (int k = 1; k < lambda.length; k++) {
            if (lambda[k] < lambda[best]) {
                best = k;
            }
        }
        return best;
    }

    public double lambdaMax() {
        return lambda[indexOfLambdaMax()];
    }

    public double lambdaMin() {
        return lambda[indexOfLambdaMin()];
    }

    /** kappa = lambdaMax / lambdaMin. */
    public double conditionNumber() {
        return lambdaMax() / lambdaMin();
    }

    /** x* = H^-1 b = Q diag(1/lambda) Q' b. */
    public double[] minimizer() {
        int n = dimension();
        double[] x = new double[n];
        for (int k = 0; k < n; k++) {
            double c = 0;
            for (int i = 0; i < n; i++) {
                c += q[i][k] * b[i];
            }
            c /= lambda[k];
            for (int i = 0; i < n; i++) {
                x[i] += c * q[i][k];
            }
        }
        return x;
    }

    /** f(x*) = -1/2 b'H^-1 b. */
    public double minimumValue() {
        return -0.5 * Vectors.dot(b, minimizer());
    }

    /**
     * The step alpha minimising f(x + alpha d) exactly: alpha = -g'd / d'Hd with g the gradient at x. Needs
     * d != 0 (then d'Hd > 0 since H is positive definite).
     */
    public double exactLineSearchStep(double[] x, double[] direction) {
        Check.length("direction", direction, dimension());
        double curvature = Vectors.dot(direction, hessianTimes(direction));
        if (!(curvature > 0)) {
            throw new IllegalArgumentException(
                    "direction must be non-zero, got d'Hd = " + curvature + " for d = " + Arrays.toString(direction));
        }
        return -Vectors.dot(gradient(x), direction) / curvature;
    }

    @Override
    public String toString() {
        return "Quadratic(n=" + dimension() + ", lambda in [" + lambdaMin() + ", " + lambdaMax() + "])";
    }
}
