package gdlab.reference;

/**
 * Closed forms for first-order methods on a quadratic f = 1/2 x'Hx - b'x whose Hessian has eigenvalues in
 * [lambdaMin, lambdaMax], condition number kappa = lambdaMax / lambdaMin. "Rate" means the asymptotic factor by which
 * the error ||x_t - x*|| shrinks per step in the worst case over starting points (the spectral radius of the
 * iteration). Sources: Polyak 1987, "Introduction to optimization", chapters 1.4 and 3.2; Goh 2017, "Why momentum
 * really works", Distill.
 */
public final class Theory {
    private Theory() {
    }

    /** Gradient descent converges iff lr &lt; 2 / lambdaMax. */
    public static double criticalLearningRate(double lambdaMax) {
        return 2 / Check.positive("lambdaMax", lambdaMax);
    }

    /** The constant lr minimising GD's rate: 2 / (lambdaMin + lambdaMax). */
    public static double optimalLearningRate(double lambdaMin, double lambdaMax) {
        checkSpectrum(lambdaMin, lambdaMax);
        return 2 / (lambdaMin + lambdaMax);
    }

    /** GD's rate at {@link #optimalLearningRate}: (kappa - 1) / (kappa + 1). */
    public static double gradientDescentRate(double kappa) {
        checkKappa(kappa);
        return (kappa - 1) / (kappa + 1);
    }

    /** GD's rate at learning rate lr: max |1 - lr lambda| over the extreme eigenvalues (>= 1 means no convergence). */
    public static double gradientDescentRate(double lr, double lambdaMin, double lambdaMax) {
        Check.positive("learning rate", lr);
        checkSpectrum(lambdaMin, lambdaMax);
        return Math.max(Math.abs(1 - lr * lambdaMin), Math.abs(1 - lr * lambdaMax));
    }

    /** Heavy ball's optimal learning rate (v = mu v + g; x -= lr v): (2 / (sqrt(lambdaMax) + sqrt(lambdaMin)))^2. */
    public static double heavyBallLearningRate(double lambdaMin, double lambdaMax) {
        checkSpectrum(lambdaMin, lambdaMax);
        double s = 2 / (Math.sqrt(lambdaMax) + Math.sqrt(lambdaMin));
        return s * s;
    }

    /** Heavy ball's optimal momentum: ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2. */
    public static double heavyBallMomentum(double kappa) {
        double r = heavyBallRate(kappa);
        return r * r;
    }

    /** Heavy ball's rate at its optimal (lr, mu): (sqrt(kappa) - 1) / (sqrt(kappa) + 1) = sqrt(mu*). */
    public static double heavyBallRate(double kappa) {
        checkKappa(kappa);
        double s = Math.sqrt(kappa);
        return (s - 1) / (s + 1);
    }

    /**
     * DL4J's Nesterov form ({@link Nesterov}) is stable on an eigen-direction with eigenvalue lambda iff
     * lr lambda &lt; (2 + 2 mu) / (1 + 2 mu); this returns that bound on lr lambda. (From its characteristic polynomial
     * z^2 - (1 + mu)(1 - h) z + mu (1 - h), h = lr lambda, by the Jury criteria.)
     */
    public static double nesterovStabilityBound(double momentum) {
        Check.unitInterval("momentum", momentum);
        return (2 + 2 * momentum) / (1 + 2 * momentum);
    }

    /** The largest stable lr for DL4J's Nesterov form: {@link #nesterovStabilityBound}(mu) / lambdaMax. */
    public static double nesterovCriticalLearningRate(double lambdaMax, double momentum) {
        return nesterovStabilityBound(momentum) / Check.positive("lambdaMax", lambdaMax);
    }

    /**
     * Steps for a contraction at {@code rate} per step to shrink the error to {@code tolerance} of its start:
     * ceil(ln(tolerance) / ln(rate)).
     */
    public static int iterationsToTolerance(double rate, double tolerance) {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("rate must be in (0, 1), got " + rate);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), got " + tolerance);
        }
        return (int) Math.ceil(Math.log(tolerance) / Math.log(rate));
    }

    private static void checkSpectrum(double lambdaMin, double lambdaMax) {
        Check.positive("lambdaMin", lambdaMin);
        Check.positive("lambdaMax", lambdaMax);
        if (lambdaMax < lambdaMin) {
            throw new IllegalArgumentException("lambdaMax must be >= lambdaMin, got " + lambdaMax + " < " + lambdaMin);
        }
    }

    private static void checkKappa(double kappa) {
        if (!(kappa >= 1) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("condition number must be >= 1 and finite, got " + kappa);
        }
    }
}
