package gdlab.exact;

import gdlab.reference.Theory;

import java.util.List;

/**
 * Exact convergence rates of gradient descent, heavy-ball momentum and DL4J's Nesterov form on a quadratic with a
 * known spectrum. On the eigen-direction of eigenvalue lambda, with h = lr lambda, the error obeys a linear
 * recurrence whose characteristic polynomial is
 * <ul>
 *   <li>{@code sgd}: z - (1 - h)</li>
 *   <li>{@code momentum} (heavy ball v = mu v + g, theta -= lr v): z^2 - (1 + mu - h) z + mu</li>
 *   <li>{@code nesterov} (DL4J's Nesterovs, theta' = theta + mu^2 v - (1 + mu) lr g):
 *       z^2 - (1 + mu)(1 - h) z + mu (1 - h)</li>
 * </ul>
 * The rate (per-step factor of the error, asymptotically) is the largest root magnitude over all eigenvalues; the
 * loss gap, a sum of lambda e^2 terms, shrinks by the rate squared per step.
 */
public final class MomentumRates {
    private MomentumRates() {
    }

    public static final List<String> METHODS = List.of("sgd", "momentum", "nesterov");

    /** Largest root magnitude of z^2 - a z + c. */
    static double radius(double a, double c) {
        double disc = a * a - 4 * c;
        if (disc >= 0) {
            return (Math.abs(a) + Math.sqrt(disc)) / 2;
        }
        return Math.sqrt(c);
    }

    /** The rate on one eigen-direction, h = lr lambda. */
    public static double rate(String method, double h, double mu) {
        return switch (method) {
            case "sgd" -> Math.abs(1 - h);
            case "momentum" -> radius(1 + mu - h, mu);
            case "nesterov" -> radius((1 + mu) * (1 - h), mu * (1 - h));
            default -> throw new IllegalArgumentException("unknown method '" + method + "'; known: " + METHODS);
        };
    }

    /** The worst rate over a spectrum (>= 1: no convergence). */
    public static double rate(String method, double lr, double mu, double[] spectrum) {
        double worst = 0;
        for (double lambda : spectrum) {
            worst = Math.max(worst, rate(method, lr * lambda, mu));
        }
        return worst;
    }

    /** Steps for the loss gap to fall to {@code tolerance} of its start at this rate: ceil(ln tol / (2 ln rate)). */
    public static int iterationsForLoss(double rate, double tolerance) {
        if (!(rate > 0 && rate < 1)) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.ceil(Math.log(tolerance) / (2 * Math.log(rate)));
    }

    /** The largest stable lr lambda_max: 2 (sgd), 2 (1 + mu) (heavy ball), (2 + 2 mu) / (1 + 2 mu) (Nesterov). */
    public static double stabilityBound(String method, double mu) {
        return switch (method) {
            case "sgd" -> 2;
            case "momentum" -> 2 * (1 + mu);
            case "nesterov" -> (2 + 2 * mu) / (1 + 2 * mu);
            default -> throw new IllegalArgumentException("unknown method '" + method + "'; known: " + METHODS);
        };
    }

    /**
     * The constant lr with the smallest worst rate over the spectrum at momentum mu, found numerically: a scan of
     * 4000 log-spaced values below the stability bound, refined by golden-section search around the best. Where the
     * best rate is attained on a whole interval (heavy ball with mu above its optimum, where every lr that puts all
     * eigenvalues in the complex regime gives rate sqrt(mu)), this returns the smallest lr of that interval; use
     * {@link #heavyBallLearningRate} for the closed form.
     */
    public static double tunedLearningRate(String method, double mu, double[] spectrum) {
        double lambdaMax = 0;
        for (double l : spectrum) {
            lambdaMax = Math.max(lambdaMax, l);
        }
        double hi = stabilityBound(method, mu) / lambdaMax;
        double lo = hi * 1e-6;
        int n = 4000;
        int best = 0;
        double bestRate = Double.POSITIVE_INFINITY;
        double[] grid = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            grid[i] = lo * Math.pow(hi / lo, i / (double) n);
            double r = rate(method, grid[i], mu, spectrum);
            if (r < bestRate) {
                bestRate = r;
                best = i;
            }
        }
        double a = grid[Math.max(0, best - 1)];
        double b = grid[Math.min(n, best + 1)];
        double g = (Math.sqrt(5) - 1) / 2;
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        for (int it = 0; it < 100; it++) {
            if (rate(method, c, mu, spectrum) <= rate(method, d, mu, spectrum)) {
                b = d;
            } else {
                a = c;
            }
            c = b - g * (b - a);
            d = a + g * (b - a);
        }
        double refined = (a + b) / 2;
        return rate(method, refined, mu, spectrum) <= bestRate ? refined : grid[best];
    }

    /**
     * Heavy ball's best lr at momentum mu on [lambdaMin, lambdaMax]: 2 (1 + mu) / (lambdaMin + lambdaMax) while
     * mu is below Polyak's optimum ((sqrt k - 1)/(sqrt k + 1))^2 (the two extreme eigenvalues then have equal real
     * rates), and Polyak's lr* = (2 / (sqrt lambdaMax + sqrt lambdaMin))^2 at or above it (every eigenvalue is then
     * in the complex regime and the rate is sqrt(mu)). The two agree at the optimum.
     */
    public static double heavyBallLearningRate(double mu, double lambdaMin, double lambdaMax) {
        if (mu < heavyBallOptimalMomentum(lambdaMax / lambdaMin)) {
            return 2 * (1 + mu) / (lambdaMin + lambdaMax);
        }
        return Theory.heavyBallLearningRate(lambdaMin, lambdaMax);
    }

    /** Polyak's optimal momentum ((sqrt k - 1)/(sqrt k + 1))^2 (the closed form lives in {@link Theory}). */
    public static double heavyBallOptimalMomentum(double kappa) {
        return Theory.heavyBallMomentum(kappa);
    }

    /**
     * The textbook Nesterov tuning for a strongly convex quadratic: mu = (sqrt k - 1)/(sqrt k + 1) (lr = 1/L), the
     * same number as heavy ball's optimal rate.
     */
    public static double nesterovTextbookMomentum(double kappa) {
        return Theory.heavyBallRate(kappa);
    }

    /**
     * The exact count, transients included: the first step t at which the loss gap 1/2 sum_i lambda_i e_i(t)^2 is at
     * most {@code tolerance} of its start, with each eigen-direction's error e_i following the method's recurrence
     * from e_i(0) = {@code e0[i]} and zero velocity (sgd: e' = (1 - lr lambda) e; heavy ball: v' = mu v + lambda e,
     * e' = e - lr v'; DL4J's Nesterov: v' = mu v - lr lambda e, e' = e - mu v + (1 + mu) v'). Returns -1 if not
     * reached within {@code maxSteps}.
     */
    public static int exactIterations(String method, double lr, double mu, double[] lambdas, double[] e0,
                                      double tolerance, int maxSteps) {
        int n = lambdas.length;
        double[] e = e0.clone();
        double[] v = new double[n];
        double start = gap(lambdas, e);
        for (int t = 0; t <= maxSteps; t++) {
            double g = gap(lambdas, e);
            if (g <= tolerance * start) {
                return t;
            }
            if (!Double.isFinite(g)) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                double grad = lambdas[i] * e[i];
                switch (method) {
                    case "sgd" -> e[i] -= lr * grad;
                    case "momentum" -> {
                        v[i] = mu * v[i] + grad;
                        e[i] -= lr * v[i];
                    }
                    case "nesterov" -> {
                        double previous = v[i];
                        v[i] = mu * v[i] - lr * grad;
                        e[i] += -mu * previous + (1 + mu) * v[i];
                    }
                    default -> throw new IllegalArgumentException("unknown method '" + method + "'; known: "
                            + METHODS);
                }
            }
        }
        return -1;
    }

    private static double gap(double[] lambdas, double[] e) {
        double s = 0;
        for (int i = 0; i < lambdas.length; i++) {
            s += 0.5 * lambdas[i] * e[i] * e[i];
        }
        return s;
    }
}
