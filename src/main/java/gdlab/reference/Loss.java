package gdlab.reference;

/**
 * Loss functions with DL4J 1.0.0-M2.1's semantics, for one example (one row of outputs and labels).
 *
 * <p>The score of a minibatch is the mean of the per-example scores ({@link Mlp#score}); the gradient returned here is
 * for one example and is divided by the minibatch size by the caller.
 */
public enum Loss {
    /**
     * LossMSE: {@code (1/nOut) sum_j (a_j - y_j)^2}, no factor 1/2 (torch's {@code MSELoss(reduction='mean')} on one
     * row). dL/da = {@code 2 (a - y) / nOut}.
     */
    MSE,
    /**
     * LossMCXENT: {@code -sum_j y_j log a_j}. With a {@link Activation#SOFTMAX} output the score clips a to
     * [{@link #MCXENT_SOFTMAX_CLIP}, 1 - {@link #MCXENT_SOFTMAX_CLIP}] and the gradient is DL4J's shortcut
     * dL/dz = a - y (unclipped), which is the exact gradient when each label row sums to 1. With any other output
     * activation dL/da = -y / a, unclipped, as in DL4J.
     */
    MCXENT,
    /**
     * LossBinaryXENT: {@code -sum_j [y_j log c_j + (1 - y_j) log(1 - c_j)]} with c = a clipped to
     * [{@link #XENT_CLIP}, 1 - {@link #XENT_CLIP}]; dL/da = (c - y) / (c (1 - c)), then the activation's backprop:
     * with a sigmoid output that is dL/dz = a - y away from the clip. The sum runs over the outputs (it is not a mean
     * over them). DL4J parity is meant for a {@link Activation#SIGMOID} output.
     */
    XENT;

    /** LossMCXENT's default {@code softmaxClipEps}. */
    public static final double MCXENT_SOFTMAX_CLIP = 1e-10;
    /** LossBinaryXENT's default {@code clipEps}. */
    public static final double XENT_CLIP = 1e-5;

    /** The loss of one example with pre-activations {@code z}, outputs {@code a = act.apply(z)} and labels {@code y}. */
    public double score(double[] z, double[] a, double[] y, Activation act) {
        double s = 0;
        switch (this) {
            case MSE -> {
                for (int j = 0; j < a.length; j++) {
                    double d = a[j] - y[j];
                    s += d * d;
                }
                s /= a.length;
            }
            case MCXENT -> {
                for (int j = 0; j < a.length; j++) {
                    double p = act == Activation.SOFTMAX ? clip(a[j], MCXENT_SOFTMAX_CLIP) : a[j];
                    s -= y[j] * Math.log(p);
                }
            }
            case XENT -> {
                for (int j = 0; j < a.length; j++) {
                    double c = clip(a[j], XENT_CLIP);
                    s -= y[j] * Math.log(c) + (1 - y[j]) * Math.log(1 - c);
                }
            }
            default -> throw new AssertionError(this);
        }
        return s;
    }

    /** dL/dz of one example (not divided by the minibatch size). */
    public double[] gradient(double[] z, double[] a, double[] y, Activation act) {
        int n = a.length;
        double[] dLda = new double[n];
        switch (this) {
            case MSE -> {
                for (int j = 0; j < n; j++) {
                    dLda[j] = 2 * (a[j] - y[j]) / n;
                }
            }
            case MCXENT -> {
                if (act == Activation.SOFTMAX) {
                    double[] d = new double[n];
                    for (int j = 0; j < n; j++) {
                        d[j] = a[j] - y[j];
                    }
                    return d;
                }
                for (int j = 0; j < n; j++) {
                    dLda[j] = -y[j] / a[j];
                }
            }
            case XENT -> {
                for (int j = 0; j < n; j++) {
                    double c = clip(a[j], XENT_CLIP);
                    dLda[j] = (c - y[j]) / (c * (1 - c));
                }
            }
            default -> throw new AssertionError(this);
        }
        return act.backprop(z, a, dLda);
    }

    private static double clip(double p, double eps) {
        return Math.min(Math.max(p, eps), 1 - eps);
    }
}
