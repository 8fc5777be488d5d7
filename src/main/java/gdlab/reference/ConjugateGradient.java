package gdlab.reference;

/**
 * Nonlinear conjugate gradient, Polak-Ribiere+ (Polak &amp; Ribiere 1969; the "+" of Gilbert &amp; Nocedal 1992):
 * d_0 = -g_0, d_{k+1} = -g_{k+1} + beta d_k with beta = max(0, g_{k+1}'(g_{k+1} - g_k) / g_k'g_k). It restarts
 * (beta = 0) every {@code restartEvery} iterations (default: the dimension n) and whenever d is not a descent
 * direction. The default line search is exact on a {@link Quadratic}, where the method is linear CG and reaches the
 * minimum in at most n iterations in exact arithmetic, and strong Wolfe with c1 = 1e-4, c2 = 0.1 otherwise
 * ({@link #DEFAULT_LINE_SEARCH}): nonlinear CG needs c2 &lt; 1/2 to keep its directions descent directions and the
 * conjugacy that makes it faster than steepest descent (Nocedal &amp; Wright, Section 5.2). With plain Armijo
 * backtracking (pass {@link LineSearch#armijo()}) it converges, but on Rosenbrock hardly faster than steepest
 * descent.
 *
 * <p>DL4J 1.0.0-M2.1's {@code CONJUGATE_GRADIENT} computes beta = 0 at every iteration (its buffers alias), so it is
 * line-search gradient descent; {@link LineSearchGradientDescent} is this class with beta forced to 0.
 */
public final class ConjugateGradient extends LineSearchSolver {
    /** Exact on a {@link Quadratic}, strong Wolfe (c1 = 1e-4, c2 = 0.1, 40 evaluations) otherwise. */
    public static final LineSearch DEFAULT_LINE_SEARCH = LineSearch.exactOr(LineSearch.strongWolfe(1e-4, 0.1, 40));

    private final int restartEvery;

    /** {@link #DEFAULT_LINE_SEARCH}, restart every n iterations. */
    public ConjugateGradient() {
        this(DEFAULT_LINE_SEARCH, 0);
    }

    /** @param restartEvery iterations between restarts; 0 means the dimension of the objective */
    public ConjugateGradient(LineSearch lineSearch, int restartEvery) {
        super(lineSearch);
        this.restartEvery = Check.atLeast("restartEvery", restartEvery, 0);
    }

    @Override
    public String name() {
        return "conjugate_gradient";
    }

    @Override
    Directions newRun(int dimension) {
        int period = restartEvery == 0 ? dimension : restartEvery;
        return new Directions() {
            private double[] d;
            private double[] gPrev;
            private int sinceRestart;

            @Override
            public double[] next(double[] g) {
                if (d == null || sinceRestart >= period) {
                    sinceRestart = 0;
                    d = Vectors.negate(g);
                    return d.clone();
                }
                double num = 0;
                for (int i = 0; i < g.length; i++) {
                    num += g[i] * (g[i] - gPrev[i]);
                }
                double beta = Math.max(0, num / Vectors.dot(gPrev, gPrev));
                double[] next = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    next[i] = -g[i] + beta * d[i];
                }
                d = next;
                return d.clone();
            }

            @Override
            public void accepted(double[] x, double[] g, double[] xNew, double[] gNew) {
                gPrev = g.clone();
                sinceRestart++;
            }

            @Override
            public void restarted(double[] steepest) {
                d = steepest;
                sinceRestart = 0;
            }
        };
    }

    @Override
    double initialStep(int iteration, double[] g, double[] d, double previousDecrease) {
        return interpolatedInitialStep(iteration, g, d, previousDecrease);
    }
}
