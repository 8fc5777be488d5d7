package gdlab.reference;

/**
 * RMSProp (Tieleman &amp; Hinton 2012, COURSERA "Neural networks for machine learning", lecture 6.5; there is no
 * paper): c = rho c + (1 - rho) g^2; U = lr g / (sqrt(c) + eps).
 *
 * <ul>
 *   <li>{@link Variant#DL4J} (default): the cache c starts at eps (DL4J assigns its epsilon to the state view).</li>
 *   <li>{@link Variant#PAPER}: c starts at 0, as in the lecture and PyTorch's {@code RMSprop(alpha=rho)}.</li>
 * </ul>
 * With DL4J's eps = 1e-8 the two differ only while g^2 is not much larger than 1e-8.
 */
public final class RmsProp extends AbstractUpdater {
    /** DL4J's RmsProp defaults. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_RHO = 0.95;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double lr;
    private final double rho;
    private final double eps;
    private final Variant variant;
    private double[] c;

    /** DL4J's form with DL4J's default decay and epsilon. */
    public RmsProp(double learningRate) {
        this(learningRate, DEFAULT_RHO, DEFAULT_EPSILON, Variant.DL4J);
    }

    public RmsProp(double learningRate, double rho, double epsilon, Variant variant) {
        super("rmsprop");
        this.lr = Check.positive("learning rate", learningRate);
        this.rho = Check.unitInterval("rho", rho);
        this.eps = Check.positive("epsilon", epsilon);
        this.variant = Check.notNull("variant", variant);
    }

    public Variant variant() {
        return variant;
    }

    @Override
    void allocate(int n) {
        c = new double[n];
        if (variant == Variant.DL4J) {
            java.util.Arrays.fill(c, eps);
        }
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        for (int i = 0; i < params.length; i++) {
            c[i] = c[i] * rho + g[i] * g[i] * (1 - rho);
            params[i] -= (lr * g[i]) / (Math.sqrt(c[i]) + eps);
        }
    }
}
