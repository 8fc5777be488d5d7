package gdlab.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop the line-search solvers share: pick a direction, fall back to steepest descent if it is not a descent
 * direction, search along it, repeat.
 */
abstract class LineSearchSolver implements Solver {
    private final LineSearch lineSearch;

    LineSearchSolver(LineSearch lineSearch) {
        this.lineSearch = Check.notNull("line search", lineSearch);
    }

    /** The per-run memory of a method: its next direction, and what it learns from each accepted step. */
    interface Directions {
        /** The next direction from the current gradient (may be a non-descent direction; then -g is used). */
        double[] next(double[] g);

        /** Called after every accepted step from (x, g) to (xNew, gNew). */
        void accepted(double[] x, double[] g, double[] xNew, double[] gNew);

        /** Called when the direction was not a descent direction and {@code steepest} = -g is used instead. */
        void restarted(double[] steepest);
    }

    abstract Directions newRun(int dimension);

    /**
     * The first step length to try (ignored by an exact line search); {@code previousDecrease} is f_{k-1} - f_k
     * (NaN at the first iteration).
     */
    abstract double initialStep(int iteration, double[] g, double[] d, double previousDecrease);

    @Override
    public final Trajectory minimize(Objective f, double[] x0, int maxIterations, StopRule stop) {
        Check.notNull("objective", f);
        Check.notNull("stop rule", stop);
        Check.length("x0", x0, f.dimension());
        Check.finite("x0", x0);
        Check.atLeast("maxIterations", maxIterations, 0);
        double[] start = x0.clone();
        double[] x = x0.clone();
        double value0 = f.value(x);
        if (!Double.isFinite(value0)) {
            throw new IllegalArgumentException("f(x0) must be finite, got " + value0);
        }
        double fx = value0;
        double[] g = f.gradient(x);
        int evaluations = 1;
        List<double[]> points = new ArrayList<>();
        double[] values = GradientDescent.newValueLog(maxIterations);
        points.add(x.clone());
        values[0] = fx;
        Directions directions = newRun(f.dimension());
        double previousDecrease = Double.NaN;
        for (int it = 0; ; it++) {
            if (stop.isMet(new Progress(it, x, fx, g, start, value0)) || Vectors.norm(g) == 0) {
                return GradientDescent.trajectory(Status.CONVERGED, it, x, values, points, evaluations);
            }
            if (it == maxIterations) {
                return GradientDescent.trajectory(Status.MAX_ITERATIONS, it, x, values, points, evaluations);
            }
            double[] d = directions.next(g);
            double slope = Vectors.dot(g, d);
            if (!(slope < 0)) {
                d = Vectors.negate(g);
                slope = -Vectors.dot(g, g);
                directions.restarted(d.clone());
            }
            LineSearch.Step step = lineSearch.search(f, x, fx, g, d, initialStep(it, g, d, previousDecrease));
            if (step == null) {
                return GradientDescent.trajectory(Status.STALLED, it, x, values, points, evaluations);
            }
            evaluations += step.evaluations();
            directions.accepted(x, g, step.x(), step.gradient());
            previousDecrease = fx - step.value();
            x = step.x();
            fx = step.value();
            g = step.gradient();
            values = GradientDescent.put(values, it + 1, fx);
            points.add(x.clone());
            if (GradientDescent.diverged(x, fx, value0)) {
                return GradientDescent.trajectory(Status.DIVERGED, it + 1, x, values, points, evaluations);
            }
        }
    }

    /**
     * For methods without a natural unit step, Nocedal &amp; Wright's interpolation guess (3.60):
     * alpha_0 = 1.01 * 2 (f_{k-1} - f_k) / (-g'd), the minimiser of the quadratic through f_k with slope g'd that
     * repeats the last decrease; and 1 / ||d|| (a unit move) at the first iteration or when the guess is unusable.
     */
    static double interpolatedInitialStep(int iteration, double[] g, double[] d, double previousDecrease) {
        double unit = 1 / Vectors.norm(d);
        if (iteration == 0 || !(previousDecrease > 0)) {
            return unit;
        }
        double alpha = 2.02 * previousDecrease / -Vectors.dot(g, d);
        return Double.isFinite(alpha) && alpha > 0 ? alpha : unit;
    }
}
