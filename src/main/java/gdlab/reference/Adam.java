package gdlab.reference;

/**
 * Adam (Kingma &amp; Ba 2015, "Adam: A method for stochastic optimization"). Both forms keep
 * m = b1 m + (1 - b1) g and v = b2 v + (1 - b2) g^2, from 0.
 *
 * <ul>
 *   <li>{@link Variant#DL4J} (default): the paper's "more efficient" reordering from its Section 2,
 *       a_t = lr sqrt(1 - b2^t) / (1 - b1^t); U = a_t m / (sqrt(v) + eps): eps is added to the square root of the
 *       UNcorrected v. If a_t is NaN, 0 or infinite DL4J replaces it by eps, and so does this class.</li>
 *   <li>{@link Variant#PAPER}: Algorithm 1, m^ = m / (1 - b1^t), v^ = v / (1 - b2^t);
 *       U = lr m^ / (sqrt(v^) + eps): eps on the corrected v, as in PyTorch's {@code Adam}.</li>
 * </ul>
 * The two agree up to the placement of eps: DL4J's equals Algorithm 1 with eps_t = eps / sqrt(1 - b2^t) at step t,
 * which is much larger than eps early on (at t = 1 with b2 = 0.999, 31.6 eps) and tends to eps as t grows, so they
 * differ where v is small (there DL4J's steps are the smaller).
 */
public final class Adam extends AbstractUpdater {
    /** DL4J's Adam defaults. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Variant variant;
    private double[] m;
    private double[] v;

    /** DL4J's form with DL4J's default betas and epsilon. */
    public Adam(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, Variant.DL4J);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon, Variant variant) {
        super("adam");
        this.lr = Check.positive("learning rate", learningRate);
        this.beta1 = Check.unitInterval("beta1", beta1);
        this.beta2 = Check.unitInterval("beta2", beta2);
        this.eps = Check.positive("epsilon", epsilon);
        this.variant = Check.notNull("variant", variant);
    }

    public Variant variant() {
        return variant;
    }

    @Override
    void allocate(int n) {
        m = new double[n];
        v = new double[n];
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        double b1t = Math.pow(beta1, t);
        double b2t = Math.pow(beta2, t);
        if (variant == Variant.DL4J) {
            double at = Dl4jForms.biasCorrectedStep(lr, b1t, b2t, eps);
            for (int i = 0; i < params.length; i++) {
                m[i] = beta1 * m[i] + g[i] * (1 - beta1);
                v[i] = beta2 * v[i] + g[i] * g[i] * (1 - beta2);
                params[i] -= at * m[i] / (Math.sqrt(v[i]) + eps);
            }
        } else {
            for (int i = 0; i < params.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = m[i] / (1 - b1t);
                double vHat = v[i] / (1 - b2t);
                params[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
    }
}
