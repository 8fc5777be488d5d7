package gdlab.reference;

/**
 * AdaGrad (Duchi, Hazan &amp; Singer 2011, "Adaptive subgradient methods...", the diagonal form with
 * H = eps I + diag(G)^(1/2)): h = h + g^2; U = lr g / (sqrt(h) + eps).
 *
 * <ul>
 *   <li>{@link Variant#DL4J} (default): the history h starts at eps (DL4J assigns its epsilon to the state view), so
 *       the first step is lr g / (sqrt(g^2 + eps) + eps) rather than lr sign(g).</li>
 *   <li>{@link Variant#PAPER}: h starts at 0, as in the paper and PyTorch's {@code Adagrad}.</li>
 * </ul>
 * (DL4J's AdaGrad with a learning-rate schedule yields NaN; a schedule is not modelled here.)
 */
public final class AdaGrad extends AbstractUpdater {
    /** DL4J's AdaGrad defaults. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double lr;
    private final double eps;
    private final Variant variant;
    private double[] h;

    /** DL4J's form with DL4J's default epsilon. */
    public AdaGrad(double learningRate) {
        this(learningRate, DEFAULT_EPSILON, Variant.DL4J);
    }

    public AdaGrad(double learningRate, double epsilon, Variant variant) {
        super("adagrad");
        this.lr = Check.positive("learning rate", learningRate);
        this.eps = Check.positive("epsilon", epsilon);
        this.variant = Check.notNull("variant", variant);
    }

    public Variant variant() {
        return variant;
    }

    @Override
    void allocate(int n) {
        h = new double[n];
        if (variant == Variant.DL4J) {
            java.util.Arrays.fill(h, eps);
        }
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        for (int i = 0; i < params.length; i++) {
            h[i] = h[i] + g[i] * g[i];
            params[i] -= (lr * g[i]) / (Math.sqrt(h[i]) + eps);
        }
    }
}
