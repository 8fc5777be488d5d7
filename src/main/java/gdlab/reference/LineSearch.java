package gdlab.reference;

/**
 * Chooses the step length alpha along a descent direction d from x, for the line-search solvers.
 */
public interface LineSearch {

    /**
     * An accepted step.
     *
     * @param alpha the step length
     * @param x the new point x + alpha d
     * @param value f at the new point
     * @param gradient the gradient at the new point
     * @param evaluations objective evaluations the search used
     */
    record Step(double alpha, double[] x, double value, double[] gradient, int evaluations) {
    }

    /**
     * Searches along {@code d} (with {@code g'd < 0}) from {@code x}, where f = {@code fx} and the gradient is
     * {@code g}, trying {@code initialStep} first where the method uses one. Returns null when no acceptable step
     * exists (the solver then stops as {@link Status#STALLED}).
     */
    Step search(Objective f, double[] x, double fx, double[] g, double[] d, double initialStep);

    /** The exact minimiser of f(x + alpha d) on a {@link Quadratic}: alpha = -g'd / d'Hd. */
    static LineSearch exact() {
        return (f, x, fx, g, d, initialStep) -> {
            if (!(f instanceof Quadratic q)) {
                throw new IllegalArgumentException("exact line search needs a Quadratic, got " + f);
            }
            double alpha = q.exactLineSearchStep(x, d);
            double[] next = Vectors.plus(x, alpha, d);
            return new Step(alpha, next, q.value(next), q.gradient(next), 1);
        };
    }

    /**
     * Backtracking until the Armijo (sufficient decrease) condition f(x + alpha d) <= f(x) + c1 alpha g'd holds:
     * alpha = initialStep, then alpha *= shrink, at most {@code maxTrials} tries.
     */
    static LineSearch armijo(double c1, double shrink, int maxTrials) {
        if (!(c1 > 0 && c1 < 1)) {
            throw new IllegalArgumentException("c1 must be in (0, 1), got " + c1);
        }
        if (!(shrink > 0 && shrink < 1)) {
            throw new IllegalArgumentException("shrink must be in (0, 1), got " + shrink);
        }
        Check.atLeast("maxTrials", maxTrials, 1);
        return (f, x, fx, g, d, initialStep) -> {
            Check.positive("initial step", initialStep);
            double slope = Vectors.dot(g, d);
            double alpha = initialStep;
            for (int trial = 1; trial <= maxTrials; trial++) {
                double[] next = Vectors.plus(x, alpha, d);
                double value = f.value(next);
                if (Double.isFinite(value) && value <= fx + c1 * alpha * slope) {
                    return new Step(alpha, next, value, f.gradient(next), trial);
                }
                alpha *= shrink;
            }
            return null;
        };
    }

    /** {@link #armijo} with c1 = 1e-4, halving, up to 60 tries (alpha down to ~1e-18 of the first). */
    static LineSearch armijo() {
        return armijo(1e-4, 0.5, 60);
    }

    /**
     * A step satisfying the strong Wolfe conditions, f(x + alpha d) <= f(x) + c1 alpha g'd and
     * |g(x + alpha d)'d| <= c2 |g'd|, by Nocedal &amp; Wright's Algorithms 3.5 (bracketing, doubling alpha) and 3.6
     * (zoom, by safeguarded quadratic interpolation), with at most {@code maxEvaluations} evaluations. Returns null
     * if none is found.
     */
    static LineSearch strongWolfe(double c1, double c2, int maxEvaluations) {
        if (!(c1 > 0 && c1 < c2 && c2 < 1)) {
            throw new IllegalArgumentException("need 0 < c1 < c2 < 1, got c1 = " + c1 + ", c2 = " + c2);
        }
        Check.atLeast("maxEvaluations", maxEvaluations, 2);
        return (f, x, fx, g, d, initialStep) -> {
            Check.positive("initial step", initialStep);
            return new WolfeSearch(f, x, fx, Vectors.dot(g, d), d, c1, c2, maxEvaluations).run(initialStep);
        };
    }

    /** {@link #exact()} on a {@link Quadratic}, {@link #armijo()} on anything else. */
    static LineSearch automatic() {
        return exactOr(armijo());
    }

    /** {@link #exact()} on a {@link Quadratic}, {@code otherwise} on anything else. */
    static LineSearch exactOr(LineSearch otherwise) {
        LineSearch exact = exact();
        Check.notNull("line search", otherwise);
        return (f, x, fx, g, d, initialStep) -> (f instanceof Quadratic ? exact : otherwise)
                .search(f, x, fx, g, d, initialStep);
    }
}
