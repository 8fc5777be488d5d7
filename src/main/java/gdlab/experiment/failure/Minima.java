package gdlab.experiment.failure;

import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every local minimum of the 2-D test functions the local-minima part uses, not only the global ones
 * {@link TestFunction#minimizers()} lists: each one refined by Newton's method on the reference's exact gradient from a
 * published approximate location, and checked to be a strict minimum (gradient ~0, Hessian positive definite). Also
 * the search box of each function and the rule that names where a run ended.
 */
public final class Minima {
    /** Functions with a catalogue, by the names {@link gdlab.dl4j.SameDiffDescent} uses. */
    public static final List<String> FUNCTIONS = List.of("himmelblau", "six-hump-camel", "styblinski-tang");

    public static final String DIVERGED = "diverged";
    /** Stopped with a tiny gradient away from every minimum: a saddle point or a maximum. */
    public static final String STATIONARY = "stationary";
    /** Still moving when the step budget ran out, away from every minimum. */
    public static final String NOT_CONVERGED = "not_converged";

    private Minima() {
    }

    /**
     * One local minimum.
     *
     * @param label     its location, rounded, e.g. {@code (3.000, 2.000)}
     * @param x         the refined minimizer
     * @param value     f there
     * @param global    whether value equals the function's global minimum (to 1e-9)
     * @param lambdaMax the largest eigenvalue of the Hessian there (sets the step sizes that can converge to it)
     * @param lambdaMin the smallest
     */
    public record Minimum(String label, double[] x, double value, boolean global, double lambdaMax, double lambdaMin) {
    }

    /** The search box: starts are drawn in [xLo, xHi] x [yLo, yHi]. */
    public record Box(double xLo, double xHi, double yLo, double yHi) {
    }

    public static TestFunction function(String name) {
        return switch (name) {
            case "himmelblau" -> TestFunction.HIMMELBLAU;
            case "six-hump-camel" -> TestFunction.SIX_HUMP_CAMEL;
            case "styblinski-tang" -> TestFunction.STYBLINSKI_TANG;
            default -> throw new IllegalArgumentException("no minima catalogue for '" + name + "'; known: " + FUNCTIONS);
        };
    }

    /** The usual search domain of each function (Surjanovic &amp; Bingham; six-hump camel's customary smaller box). */
    public static Box box(String name) {
        return switch (name) {
            case "himmelblau", "styblinski-tang" -> new Box(-5, 5, -5, 5);
            case "six-hump-camel" -> new Box(-3, 3, -2, 2);
            default -> throw new IllegalArgumentException("no box for '" + name + "'");
        };
    }

    /** All local minima of {@code name}, global ones first, then by value. */
    public static List<Minimum> of(String name) {
        TestFunction f = function(name);
        List<double[]> approx = new ArrayList<>();
        switch (name) {
            case "himmelblau" -> approx.addAll(f.minimizers());
            case "six-hump-camel" -> {
                // Molga & Smutnicki 2005: two global minima, two at f = -0.2155, two at f = 2.1043
                approx.add(new double[] {0.0898, -0.7126});
                approx.add(new double[] {-0.0898, 0.7126});
                approx.add(new double[] {-1.7036, 0.7961});
                approx.add(new double[] {1.7036, -0.7961});
                approx.add(new double[] {1.6071, 0.5687});
                approx.add(new double[] {-1.6071, -0.5687});
            }
            case "styblinski-tang" -> {
                // separable: each coordinate sits at a root of 2t^3 - 16t + 2.5 = 0 with positive curvature
                double a = TestFunction.STYBLINSKI_TANG_ARGMIN;
                double b = 2.7468;
                approx.add(new double[] {a, a});
                approx.add(new double[] {a, b});
                approx.add(new double[] {b, a});
                approx.add(new double[] {b, b});
            }
            default -> throw new AssertionError(name);
        }
        List<Minimum> minima = new ArrayList<>();
        for (double[] guess : approx) {
            double[] x = newton(f, guess);
            double[] eig = eigenvalues(hessian(f, x));
            if (norm(f.gradient(x)) > 1e-9 || eig[0] <= 0) {
                throw new IllegalStateException(name + ": " + java.util.Arrays.toString(guess)
                        + " did not refine to a strict minimum");
            }
            double v = f.value(x);
            minima.add(new Minimum(label(x), x, v, Math.abs(v - f.minimumValue()) <= 1e-9, eig[1], eig[0]));
        }
        minima.sort((p, q) -> Double.compare(p.value(), q.value()));
        return List.copyOf(minima);
    }

    static String label(double[] x) {
        return String.format(Locale.ROOT, "(%.3f, %.3f)", x[0] == 0 ? 0.0 : x[0], x[1] == 0 ? 0.0 : x[1]);
    }

    /**
     * Names where a run ended: {@link #DIVERGED}; the label of the nearest minimum within {@code endpointTol};
     * {@link #STATIONARY} if the gradient is at most {@code gradTol} elsewhere; else {@link #NOT_CONVERGED}.
     */
    public static String classify(List<Minimum> minima, double[] end, boolean diverged, double gradNorm,
                                  double endpointTol, double gradTol) {
        if (diverged || !Double.isFinite(end[0]) || !Double.isFinite(end[1])) {
            return DIVERGED;
        }
        Minimum nearest = nearest(minima, end);
        if (nearest != null && distance(nearest.x(), end) <= endpointTol) {
            return nearest.label();
        }
        return gradNorm <= gradTol ? STATIONARY : NOT_CONVERGED;
    }

    /** {@link #classify} for a reference trajectory. */
    public static String classify(List<Minimum> minima, TestFunction f, Trajectory t, double endpointTol,
                                  double gradTol) {
        boolean diverged = t.status() == gdlab.reference.Status.DIVERGED;
        return classify(minima, t.x(), diverged, diverged ? Double.NaN : norm(f.gradient(t.x())), endpointTol, gradTol);
    }

    public static Minimum nearest(List<Minimum> minima, double[] p) {
        Minimum best = null;
        for (Minimum m : minima) {
            if (best == null || distance(m.x(), p) < distance(best.x(), p)) {
                best = m;
            }
        }
        return best;
    }

    public static Minimum byLabel(List<Minimum> minima, String label) {
        return minima.stream().filter(m -> m.label().equals(label)).findFirst().orElse(null);
    }

    /**
     * {@code grid x grid} starts, one drawn uniformly inside each cell of the box (a jittered grid: the whole box is
     * covered, and the seed moves every start).
     */
    public static List<double[]> gridStarts(Box box, int grid, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double w = (box.xHi() - box.xLo()) / grid;
        double h = (box.yHi() - box.yLo()) / grid;
        List<double[]> starts = new ArrayList<>();
        for (int j = 0; j < grid; j++) {
            for (int i = 0; i < grid; i++) {
                starts.add(new double[] {box.xLo() + (i + random.nextDouble()) * w,
                    box.yLo() + (j + random.nextDouble()) * h});
            }
        }
        return starts;
    }

    static double[] newton(TestFunction f, double[] guess) {
        double[] x = guess.clone();
        for (int it = 0; it < 100 && norm(f.gradient(x)) > 1e-14; it++) {
            double[][] h = hessian(f, x);
            double[] g = f.gradient(x);
            double det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            x[0] -= (h[1][1] * g[0] - h[0][1] * g[1]) / det;
            x[1] -= (-h[1][0] * g[0] + h[0][0] * g[1]) / det;
        }
        return x;
    }

    /** Central differences of the exact gradient, symmetrised. */
    static double[][] hessian(TestFunction f, double[] x) {
        double eps = 1e-5;
        double[][] h = new double[2][2];
        for (int j = 0; j < 2; j++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[j] += eps;
            minus[j] -= eps;
            double[] gp = f.gradient(plus);
            double[] gm = f.gradient(minus);
            for (int i = 0; i < 2; i++) {
                h[i][j] = (gp[i] - gm[i]) / (2 * eps);
            }
        }
        double off = (h[0][1] + h[1][0]) / 2;
        h[0][1] = off;
        h[1][0] = off;
        return h;
    }

    /** Eigenvalues of a symmetric 2x2 matrix, ascending. */
    static double[] eigenvalues(double[][] h) {
        double mean = (h[0][0] + h[1][1]) / 2;
        double r = Math.hypot((h[0][0] - h[1][1]) / 2, h[0][1]);
        return new double[] {mean - r, mean + r};
    }

    static double norm(double[] v) {
        return Math.hypot(v[0], v[1]);
    }

    static double distance(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
}
