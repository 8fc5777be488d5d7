package gdlab.reference;

import java.util.ArrayList;
import java.util.List;

/**
 * The plain loop: x <- x - U(grad f(x)) with any {@link Updater}, one gradient per step, until a {@link StopRule} holds,
 * the run diverges, or the iteration budget runs out.
 */
public final class GradientDescent {
    /**
     * A run counts as diverged when |f(x) - f(x0)| exceeds this many times max(1, |f(x0)|), or when f(x) or x is no
     * longer finite.
     */
    public static final double BLOW_UP = 1e12;

    private GradientDescent() {
    }

    /** All {@code maxIterations} steps (or until divergence): the whole trajectory. */
    public static Trajectory run(Objective f, Updater updater, double[] x0, int maxIterations) {
        return run(f, updater, x0, maxIterations, StopRule.never());
    }

    /**
     * Steps from {@code x0} until {@code stop} holds (checked at x0 and after every step), the run diverges, or
     * {@code maxIterations} steps are taken. The updater is used as given (its state and iteration count carry on).
     */
    public static Trajectory run(Objective f, Updater updater, double[] x0, int maxIterations, StopRule stop) {
        Check.notNull("objective", f);
        Check.notNull("updater", updater);
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
        double value = value0;
        double[] g = f.gradient(x);
        List<double[]> points = new ArrayList<>();
        double[] values = newValueLog(maxIterations);
        points.add(x.clone());
        values[0] = value;
        int evaluations = 1;
        for (int it = 0; ; it++) {
            if (stop.isMet(new Progress(it, x, value, g, start, value0))) {
                return trajectory(Status.CONVERGED, it, x, values, points, evaluations);
            }
            if (it == maxIterations) {
                return trajectory(Status.MAX_ITERATIONS, it, x, values, points, evaluations);
            }
            updater.step(x, g);
            value = f.value(x);
            g = f.gradient(x);
            evaluations++;
            values = put(values, it + 1, value);
            points.add(x.clone());
            if (diverged(x, value, value0)) {
                return trajectory(Status.DIVERGED, it + 1, x, values, points, evaluations);
            }
        }
    }

    /** A buffer for the values of a run of up to {@code maxIterations} steps; grown by {@link #put} as needed. */
    static double[] newValueLog(int maxIterations) {
        return new double[Math.min(maxIterations, 1 << 16) + 1];
    }

    /** values[index] = value, growing the buffer (doubling) if needed; returns the buffer. */
    static double[] put(double[] values, int index, double value) {
        double[] out = index < values.length ? values : java.util.Arrays.copyOf(values, 2 * index);
        out[index] = value;
        return out;
    }

    static boolean diverged(double[] x, double value, double value0) {
        return !Double.isFinite(value) || !Vectors.allFinite(x)
                || Math.abs(value - value0) > BLOW_UP * Math.max(1, Math.abs(value0));
    }

    static Trajectory trajectory(Status status, int iterations, double[] x, double[] values, List<double[]> points,
            int evaluations) {
        return new Trajectory(status, iterations, x.clone(), java.util.Arrays.copyOf(values, iterations + 1),
                List.copyOf(points), evaluations);
    }
}
