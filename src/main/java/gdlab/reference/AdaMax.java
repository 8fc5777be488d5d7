package gdlab.reference;

/**
 * AdaMax (Kingma &amp; Ba 2015, Section 7.1, Algorithm 2): Adam with the infinity norm. m = b1 m + (1 - b1) g;
 * u = max(b2 u, |g|); U = (lr / (1 - b1^t)) m / u, m and u from 0.
 *
 * <p>DL4J's kernel adds 1e-32 to u at every step, u = max(b2 u, |g|) + 1e-32, so a coordinate whose gradient has
 * always been 0 gets U = 0 rather than 0/0; and if lr / (1 - b1^t) is NaN, 0 or infinite it uses eps instead. Its
 * epsilon plays no other part. This class computes DL4J's form; it differs from the paper's only by those guards
 * (relative size ~1e-32 / |g|), so there is no second variant.
 */
public final class AdaMax extends AbstractUpdater {
    /** DL4J's AdaMax defaults. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;
    /** What DL4J's kernel adds to u at every step. */
    public static final double U_GUARD = 1e-32;

    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private double[] m;
    private double[] u;

    public AdaMax(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    public AdaMax(double learningRate, double beta1, double beta2, double epsilon) {
        super("adamax");
        this.lr = Check.positive("learning rate", learningRate);
        this.beta1 = Check.unitInterval("beta1", beta1);
        this.beta2 = Check.unitInterval("beta2", beta2);
        this.eps = Check.positive("epsilon", epsilon);
    }

    @Override
    void allocate(int n) {
        m = new double[n];
        u = new double[n];
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        double step = Dl4jForms.fallback(lr / (1.0 - Math.pow(beta1, t)), eps);
        for (int i = 0; i < params.length; i++) {
            m[i] = beta1 * m[i] + g[i] * (1 - beta1);
            u[i] = Math.max(beta2 * u[i], Math.abs(g[i])) + U_GUARD;
            params[i] -= m[i] * step / u[i];
        }
    }
}
