package gdlab.reference;

/**
 * Nesterov's accelerated gradient (Nesterov 1983) in the reformulation of Bengio, Boulanger-Lewandowski &amp; Pascanu
 * 2013 ("Advances in optimizing recurrent networks", eq. 7), which is DL4J's {@code Nesterovs}:
 * v' = mu v - lr g; U = mu v - (1 + mu) v', with v starting at 0; equivalently theta' = theta + mu^2 v - (1+mu) lr g.
 *
 * <p>Sutskever et al. 2013 write NAG as v' = mu v - lr grad(theta + mu v); theta' = theta + v', with the gradient
 * taken at the look-ahead point. DL4J's form tracks the look-ahead point itself (Theta = theta + mu v), so it needs
 * the gradient only where the parameters are: the same sequence of look-ahead points, not a different method. It
 * equals PyTorch's {@code SGD(nesterov=True)} at constant lr. There is one form only. On a quadratic it is stable iff
 * lr lambda &lt; (2 + 2 mu) / (1 + 2 mu) for every eigenvalue lambda ({@link Theory#nesterovStabilityBound}).
 */
public final class Nesterov extends AbstractUpdater {
    /** DL4J's {@code Nesterovs.DEFAULT_NESTEROV_LEARNING_RATE}. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    /** DL4J's {@code Nesterovs.DEFAULT_NESTEROV_MOMENTUM}. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final double lr;
    private final double mu;
    private double[] v;

    public Nesterov(double learningRate, double momentum) {
        super("nesterov");
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
        double muT = -mu - 1;
        for (int i = 0; i < params.length; i++) {
            // the order of DL4J's nesterovs_updater kernel
            double prev = mu * v[i];
            v[i] = prev - lr * g[i];
            params[i] -= prev + muT * v[i];
        }
    }
}
