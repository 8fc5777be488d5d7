package gdlab.reference;

/**
 * Nadam (Dozat 2016, "Incorporating Nesterov momentum into Adam", Algorithm 2), with a constant momentum
 * mu_t = b1 (no momentum schedule). Both forms keep m = b1 m + (1 - b1) g and v = b2 v + (1 - b2) g^2, from 0.
 *
 * <ul>
 *   <li>{@link Variant#DL4J} (default): U = lr ((b1 m + (1 - b1) g) / (1 - b1^t)) / (sqrt(v) + eps): both momentum
 *       terms are corrected by 1 - b1^t, and v is NOT bias-corrected, so early steps are larger than the paper's by
 *       1 / sqrt(1 - b2^t) (31.6x at t = 1 with b2 = 0.999).</li>
 *   <li>{@link Variant#PAPER}: m^ = b1 m / (1 - b1^(t+1)) + (1 - b1) g / (1 - b1^t), v^ = v / (1 - b2^t),
 *       U = lr m^ / (sqrt(v^) + eps). (PyTorch's {@code NAdam} also applies Dozat's momentum schedule
 *       mu_t = b1 (1 - 0.5 * 0.96^(0.004 t)), so it matches neither form.)</li>
 * </ul>
 */
public final class Nadam extends AbstractUpdater {
    /** DL4J's Nadam defaults. */
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
    public Nadam(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, Variant.DL4J);
    }

    public Nadam(double learningRate, double beta1, double beta2, double epsilon, Variant variant) {
        super("nadam");
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
        double oneMinusB1t = 1.0 - Math.pow(beta1, t);
        if (variant == Variant.DL4J) {
            for (int i = 0; i < params.length; i++) {
                double gTerm = g[i] * (1 - beta1);
                m[i] = beta1 * m[i] + gTerm;
                v[i] = beta2 * v[i] + g[i] * g[i] * (1 - beta2);
                params[i] -= (lr * ((m[i] * beta1 + gTerm) / oneMinusB1t)) / (Math.sqrt(v[i]) + eps);
            }
        } else {
            double oneMinusB1tNext = 1.0 - Math.pow(beta1, t + 1);
            double oneMinusB2t = 1.0 - Math.pow(beta2, t);
            for (int i = 0; i < params.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double mHat = beta1 * m[i] / oneMinusB1tNext + (1 - beta1) * g[i] / oneMinusB1t;
                double vHat = v[i] / oneMinusB2t;
                params[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
    }
}
