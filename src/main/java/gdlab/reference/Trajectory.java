package gdlab.reference;

import java.util.List;

/**
 * The record of one minimisation run.
 *
 * @param status how it ended
 * @param iterations steps taken (updater steps or solver iterations); when converged, the first iteration at which
 *     the stop rule held (0 if it held at the start)
 * @param x the last point
 * @param values the objective at the start and after each step: {@code values.length == iterations + 1}
 * @param points the start and every point after it, {@code points.size() == iterations + 1}
 * @param evaluations objective evaluations, value and gradient counted together (line searches use more than one
 *     per iteration)
 */
public record Trajectory(Status status, int iterations, double[] x, double[] values, List<double[]> points,
        int evaluations) {

    public double finalValue() {
        return values[values.length - 1];
    }
}
