package gdlab.reference;

/**
 * Where a run stands, as a {@link StopRule} sees it.
 *
 * @param iteration steps taken so far (0 at the start)
 * @param x the current point (do not modify)
 * @param value the objective at {@code x}
 * @param gradient the gradient at {@code x} (do not modify)
 * @param x0 the starting point
 * @param value0 the objective at the start
 */
public record Progress(int iteration, double[] x, double value, double[] gradient, double[] x0, double value0) {
}
