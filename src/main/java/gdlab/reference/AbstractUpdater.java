package gdlab.reference;

/** The shared lifecycle of {@link Updater}: argument checks, lazily sized state, the iteration counter. */
abstract class AbstractUpdater implements Updater {
    private final String name;
    private int iteration;
    private int length = -1;
    private Schedule schedule;
    private int epoch;

    AbstractUpdater(String name) {
        this.name = name;
    }

    @Override
    public final void step(double[] params, double[] meanGradient) {
        Check.notNull("params", params);
        Check.notNull("meanGradient", meanGradient);
        if (params.length != meanGradient.length) {
            throw new IllegalArgumentException("params and meanGradient must have the same length, got "
                    + params.length + " and " + meanGradient.length);
        }
        if (length < 0) {
            length = params.length;
            allocate(length);
        } else if (params.length != length) {
            throw new IllegalArgumentException(
                    name + " holds state for " + length + " parameters, got " + params.length);
        }
        apply(params, meanGradient, iteration + 1);
        iteration++;
    }

    /** Creates the state for {@code n} parameters, as DL4J initialises its state view. */
    abstract void allocate(int n);

    /** Updates the state with {@code g} and subtracts the update from {@code params}; {@code t} counts from 1. */
    abstract void apply(double[] params, double[] g, int t);

    /** The learning rate of step {@code t}: {@code base} (the constructor's), or the schedule's value if one is set. */
    final double rate(double base, int t) {
        return schedule == null ? base : schedule.valueAt(t - 1, epoch);
    }

    /** Whether this updater has a learning rate a schedule can replace. */
    boolean hasLearningRate() {
        return true;
    }

    @Override
    public final void schedule(Schedule schedule) {
        if (!hasLearningRate()) {
            throw new UnsupportedOperationException(name + " has no learning rate to schedule");
        }
        this.schedule = Check.notNull("schedule", schedule);
    }

    @Override
    public final void epoch(int epoch) {
        this.epoch = Check.atLeast("epoch", epoch, 0);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int iteration() {
        return iteration;
    }

    @Override
    public String toString() {
        return name + "(t=" + iteration + ")";
    }
}
