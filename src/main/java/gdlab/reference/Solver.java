package gdlab.reference;

/** A deterministic minimiser that controls its own steps (a line-search method), not an {@link Updater}. */
public interface Solver {

    /**
     * Minimises {@code f} from {@code x0} until {@code stop} holds (checked at x0 and after every iteration), the run
     * diverges or stalls, or {@code maxIterations} iterations are done. Each call is an independent run.
     */
    Trajectory minimize(Objective f, double[] x0, int maxIterations, StopRule stop);

    /** Lower-case name, after DL4J's OptimizationAlgorithm where one corresponds (e.g. {@code "lbfgs"}). */
    String name();
}
