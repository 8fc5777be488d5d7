package gdlab.reference;

/**
 * AMSGrad (Reddi, Kale &amp; Kumar 2018, "On the convergence of Adam and beyond", Algorithm 2): Adam whose second
 * moment never decreases. Both forms keep m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2 and v^ = max(v^, v), all from
 * 0.
 *
 * <ul>
 *   <li>{@link Variant#DL4J} (default): Adam's DL4J step with v^ in place of v,
 *       U = a_t m / (sqrt(v^) + eps), a_t = lr sqrt(1 - b2^t) / (1 - b1^t) (eps if that is NaN, 0 or infinite):
 *       bias-corrected, which the paper's algorithm is not.</li>
 *   <li>{@link Variant#PAPER}: Algorithm 2 with constant step size alpha_t = lr and constant b1:
 *       U = lr m / (sqrt(v^) + eps), no bias correction. The paper has no eps; it is kept here only so that a zero
 *       gradient at t = 1 gives 0 instead of 0/0. (PyTorch's {@code Adam(amsgrad=True)} is neither: it bias-corrects
 *       as its Adam does.)</li>
 * </ul>
 */
public final class AmsGrad extends AbstractUpdater {
    /** DL4J's AMSGrad defaults. */
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
    private double[] vHat;

    /** DL4J's form with DL4J's default betas and epsilon. */
    public AmsGrad(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, Variant.DL4J);
    }

    public AmsGrad(double learningRate, double beta1, double beta2, double epsilon, Variant variant) {
        super("amsgrad");
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
        vHat = new double[n];
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        double step = variant == Variant.DL4J
                ? Dl4jForms.biasCorrectedStep(lr, Math.pow(beta1, t), Math.pow(beta2, t), eps)
                : lr;
        for (int i = 0; i < params.length; i++) {
            m[i] = beta1 * m[i] + g[i] * (1 - beta1);
            v[i] = beta2 * v[i] + g[i] * g[i] * (1 - beta2);
            vHat[i] = Math.max(vHat[i], v[i]);
            params[i] -= step * m[i] / (Math.sqrt(vHat[i]) + eps);
        }
    }
}
