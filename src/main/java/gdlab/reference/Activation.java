package gdlab.reference;

/**
 * Activation functions with DL4J 1.0.0-M2.1's semantics, applied to one row (one example's pre-activations).
 *
 * <p>{@link #backprop} turns dL/da into dL/dz. For the element-wise functions that is a product with the derivative;
 * for {@link #SOFTMAX} it is the Jacobian-vector product {@code a * (dL/da - <dL/da, a>)}, so the row is coupled.
 * Derivatives at kinks follow DL4J: ReLU'(0) = 0 (its {@code relu_bp} passes the gradient only where z > 0), LeakyReLU'(0)
 * = 1 (its {@code leakyrelu_bp} scales by alpha only where z < 0).
 */
public enum Activation {
    /** a = z. */
    IDENTITY,
    /** a = max(0, z). */
    RELU,
    /** a = z for z >= 0, alpha z otherwise, alpha = {@link #LEAKY_RELU_ALPHA} (DL4J's ActivationLReLU default). */
    LEAKY_RELU,
    /** a = tanh(z). */
    TANH,
    /** a = 1 / (1 + exp(-z)). */
    SIGMOID,
    /** a_j = exp(z_j - max z) / sum_k exp(z_k - max z), over the row. */
    SOFTMAX;

    /** The names gdlab's specs use for the hidden activations, in this enum's order. */
    public static final java.util.List<String> NAMES = java.util.List.of("identity", "relu", "leakyrelu", "tanh",
            "sigmoid", "softmax");

    /** The activation a spec names ({@code relu}, {@code leakyrelu}, {@code tanh}, ...; any case). */
    public static Activation named(String name) {
        int i = NAMES.indexOf(name.toLowerCase(java.util.Locale.ROOT));
        if (i < 0) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return values()[i];
    }

    /** DL4J's {@code ActivationLReLU.DEFAULT_ALPHA}. */
    public static final double LEAKY_RELU_ALPHA = 0.01;

    /** The activation of one row of pre-activations, as a new array. */
    public double[] apply(double[] z) {
        double[] a = new double[z.length];
        switch (this) {
            case IDENTITY -> System.arraycopy(z, 0, a, 0, z.length);
            case RELU -> {
                for (int i = 0; i < z.length; i++) {
                    a[i] = z[i] > 0 ? z[i] : 0.0;
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < z.length; i++) {
                    a[i] = z[i] < 0 ? LEAKY_RELU_ALPHA * z[i] : z[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < z.length; i++) {
                    a[i] = Math.tanh(z[i]);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < z.length; i++) {
                    a[i] = sigmoid(z[i]);
                }
            }
            case SOFTMAX -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int i = 0; i < z.length; i++) {
                    a[i] = Math.exp(z[i] - max);
                    sum += a[i];
                }
                for (int i = 0; i < z.length; i++) {
                    a[i] /= sum;
                }
            }
            default -> throw new AssertionError(this);
        }
        return a;
    }

    /**
     * dL/dz for one row, given its pre-activations {@code z}, its activations {@code a = apply(z)} and dL/da.
     */
    public double[] backprop(double[] z, double[] a, double[] dLda) {
        double[] d = new double[z.length];
        switch (this) {
            case IDENTITY -> System.arraycopy(dLda, 0, d, 0, z.length);
            case RELU -> {
                for (int i = 0; i < z.length; i++) {
                    d[i] = z[i] > 0 ? dLda[i] : 0.0;
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < z.length; i++) {
                    d[i] = z[i] < 0 ? LEAKY_RELU_ALPHA * dLda[i] : dLda[i];
                }
            }
            case TANH -> {
                for (int i = 0; i < z.length; i++) {
                    d[i] = (1 - a[i] * a[i]) * dLda[i];
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < z.length; i++) {
                    d[i] = a[i] * (1 - a[i]) * dLda[i];
                }
            }
            case SOFTMAX -> {
                double dot = 0;
                for (int i = 0; i < z.length; i++) {
                    dot += dLda[i] * a[i];
                }
                for (int i = 0; i < z.length; i++) {
                    d[i] = a[i] * (dLda[i] - dot);
                }
            }
            default -> throw new AssertionError(this);
        }
        return d;
    }

    private static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }
}
