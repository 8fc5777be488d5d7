package gdlab.reference;

/** A smooth function of {@code dimension()} variables to minimise, with its exact gradient. */
public interface Objective {
    int dimension();

    double value(double[] x);

    /** The gradient at {@code x}, as a new array. */
    double[] gradient(double[] x);
}
