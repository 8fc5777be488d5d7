package gdlab.reference;

/**
 * A first-order optimiser: turns the mean gradient of each step into an update U and applies it, theta <- theta - U.
 *
 * <p><b>Lifecycle.</b> An updater is built with its hyperparameters and owns the per-parameter state its rule needs
 * (velocity, moment estimates, accumulated squares). The state is allocated at the first {@link #step} with the
 * length of the parameter vector and starts where DL4J 1.0.0-M2.1 starts it (zero unless the class says otherwise);
 * every later step must pass vectors of that same length. Each step uses the iteration number
 * {@code t = iteration() + 1}, i.e. the number of steps taken before plus one, as DL4J does; it counts every step
 * since construction and is never reset at an epoch boundary. One instance serves one parameter vector for one run;
 * instances are not thread-safe.
 *
 * <p>{@code meanGradient} is the gradient of the objective being minimised; for a net that is the minibatch MEAN
 * (DL4J divides its summed gradient by the minibatch size before its updater runs), plus any L2 term.
 */
public interface Updater {

    /** Applies one step in place: {@code params[i] -= U[i]}, and advances the state and the iteration counter. */
    void step(double[] params, double[] meanGradient);

    /** The lower-case name under which {@link Updaters#create} knows this updater, e.g. {@code "adam"}. */
    String name();

    /** Steps taken so far (the next step uses t = iteration() + 1). */
    int iteration();

    /**
     * From the next step on, the learning rate of step t is {@code schedule.valueAt(t - 1, epoch)} instead of the
     * constructor's, as DL4J's updaters read theirs ({@code config.getLearningRate(iteration, epoch)}).
     *
     * @throws UnsupportedOperationException for an updater without a learning rate (AdaDelta)
     */
    void schedule(Schedule schedule);

    /** The epoch the next steps belong to (finished epochs, from 0): what an EPOCH schedule reads. */
    void epoch(int epoch);
}
