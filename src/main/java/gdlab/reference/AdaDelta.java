package gdlab.reference;

/**
 * AdaDelta (Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1), which DL4J implements as
 * written: E[g^2] = rho E[g^2] + (1 - rho) g^2; U = g sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps);
 * E[dx^2] = rho E[dx^2] + (1 - rho) U^2, both averages from 0. eps is inside the square roots; there is no learning
 * rate. One form only.
 */
public final class AdaDelta extends AbstractUpdater {
    /** DL4J's AdaDelta defaults. */
    public static final double DEFAULT_RHO = 0.95;
    public static final double DEFAULT_EPSILON = 1e-6;

    private final double rho;
    private final double eps;
    private double[] msg;
    private double[] msdx;

    /** DL4J's defaults: rho 0.95, eps 1e-6. */
    public AdaDelta() {
        this(DEFAULT_RHO, DEFAULT_EPSILON);
    }

    public AdaDelta(double rho, double epsilon) {
        super("adadelta");
        this.rho = Check.unitInterval("rho", rho);
        this.eps = Check.positive("epsilon", epsilon);
    }

    @Override
    void allocate(int n) {
        msg = new double[n];
        msdx = new double[n];
    }

    @Override
    boolean hasLearningRate() {
        return false;
    }

    @Override
    void apply(double[] params, double[] g, int t) {
        double oneMinusRho = 1 - rho;
        for (int i = 0; i < params.length; i++) {
            msg[i] = rho * msg[i] + g[i] * g[i] * oneMinusRho;
            double u = g[i] * (Math.sqrt(msdx[i] + eps) / Math.sqrt(msg[i] + eps));
            msdx[i] = rho * msdx[i] + u * u * oneMinusRho;
            params[i] -= u;
        }
    }
}
