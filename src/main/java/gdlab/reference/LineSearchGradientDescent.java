package gdlab.reference;

/**
 * Steepest descent with a line search: d = -g, alpha from {@link LineSearch#automatic()} (exact on a
 * {@link Quadratic}, Armijo backtracking otherwise) unless another is given. The counterpart of DL4J's
 * {@code LINE_GRADIENT_DESCENT} (which searches along its updater's direction). On a quadratic with exact search the
 * loss gap shrinks by up to ((kappa - 1) / (kappa + 1))^2 per iteration (Kantorovich).
 */
public final class LineSearchGradientDescent extends LineSearchSolver {

    public LineSearchGradientDescent() {
        this(LineSearch.automatic());
    }

    public LineSearchGradientDescent(LineSearch lineSearch) {
        super(lineSearch);
    }

    @Override
    public String name() {
        return "line_gradient_descent";
    }

    @Override
    Directions newRun(int dimension) {
        return new Directions() {
            @Override
            public double[] next(double[] g) {
                return Vectors.negate(g);
            }

            @Override
            public void accepted(double[] x, double[] g, double[] xNew, double[] gNew) {
            }

            @Override
            public void restarted(double[] steepest) {
            }
        };
    }

    @Override
    double initialStep(int iteration, double[] g, double[] d, double previousDecrease) {
        return interpolatedInitialStep(iteration, g, d, previousDecrease);
    }
}
