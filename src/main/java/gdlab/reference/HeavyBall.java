package gdlab.reference;

/**
 * Heavy-ball momentum (Polyak 1964, "Some methods of speeding up the convergence of iteration methods"), in the form
 * v = mu v + g; U = lr v, with v starting at 0 (the form PyTorch's {@code SGD(momentum=mu)} and Goh 2017 use). With
 * constant lr this equals Polyak's theta_{t+1} = theta_t - lr g_t + mu (theta_t - theta_{t-1}).
 *
 * <p>DL4J 1.0.0-M2.1 has no heavy-ball updater (its "momentum" is Nesterov's, see {@link Nesterov}); this is the form
 * of gdlab's own DL4J updater. Known to {@link Updaters} as {@code "momentum"}.
 */
public final class HeavyBall extends AbstractUpdater {
    /** As DL4J's Nesterovs default learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    /** As DL4J's Nesterovs default momentum. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final double lr;
    private final double mu;
    private double[] v;

    public HeavyBall(double learningRate, double momentum) {
        super("momentum");
        this.lr = Check.positive("learning rate", learningRate);
        this.mu = Check.unitInterval("momentum", momentum);
    }

    public double learningRate() {
        return lr;
    }

    public double momentum() {
        return mu;
    }

    @Override
    void allocate(int n) {
        v = new double[n];
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        for (int i = 0; i < params.length; i++) {
            v[i] = mu * v[i] + g[i];
            params[i] -= lr * v[i];
        }
    }
}
