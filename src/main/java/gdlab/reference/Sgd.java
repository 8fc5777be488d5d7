package gdlab.reference;

/**
 * Plain gradient descent (Robbins &amp; Monro 1951; Cauchy 1847): U = lr g. DL4J's {@code Sgd} is exactly this.
 */
public final class Sgd extends AbstractUpdater {
    /** DL4J's {@code Sgd.DEFAULT_SGD_LR}. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    private final double lr;

    public Sgd(double learningRate) {
        super("sgd");
        this.lr = Check.positive("learning rate", learningRate);
    }

    public double learningRate() {
        return lr;
    }

    @Override
    void allocate(int n) {
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double lr = rate(this.lr, t);
        for (int i = 0; i < params.length; i++) {
            params[i] -= lr * g[i];
        }
    }
}
