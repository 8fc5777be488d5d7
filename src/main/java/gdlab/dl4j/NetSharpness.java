package gdlab.dl4j;

import gdlab.exact.Sharpness;
import gdlab.reference.Objective;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;

/**
 * The sharpness (largest Hessian eigenvalue) of a DL4J network's training loss at its current parameters, and the
 * critical learning rate lr_crit = 2 / lambda_max above which full-batch gradient descent on the local quadratic
 * model diverges. Power iteration ({@link Sharpness#largestEigenvalue}) on Hessian-vector products taken as central
 * differences of DL4J's own gradients (divided by the number of examples: DL4J's is their sum), in double precision (a float network is copied to double first: float
 * gradients would drown the difference quotient in round-off). So a learning rate can be given in units of the
 * problem's curvature instead of guessed per data set.
 */
public final class NetSharpness {
    /** Relative change of the Rayleigh quotient at which the power iteration stops. */
    public static final double TOLERANCE = 1e-4;

    private NetSharpness() {
    }

    /**
     * @param lambdaMax the estimate
     * @param products  Hessian-vector products the power iteration took
     * @param converged whether the Rayleigh quotient settled within {@link #TOLERANCE}
     * @param examples  how many training examples the loss was taken over
     * @param params    the parameters it was taken at
     * @param direction the unit vector the power iteration ended on (the top eigenvector's estimate)
     */
    public record Estimate(double lambdaMax, int products, boolean converged, int examples, double[] params,
                           double[] direction) {
        /** 2 / lambda_max. */
        public double lrCrit() {
            return 2 / lambdaMax;
        }

        /** One line for logs and summaries. */
        public String describe() {
            return String.format(Locale.ROOT, "lambda_max = %.4g (power iteration on Hessian-vector products of "
                            + "DL4J's gradients, %d products%s, %d examples), lr_crit = 2 / lambda_max = %.4g",
                    lambdaMax, products, converged ? "" : ", not converged", examples, lrCrit());
        }
    }

    /**
     * The sharpness of {@code net}'s loss over the examples {@code x}, {@code y} at the network's parameters (the
     * network itself is not changed).
     *
     * @param seed seeds the power iteration's random start
     */
    public static Estimate of(MultiLayerNetwork net, INDArray x, INDArray y, int maxIterations, long seed) {
        MultiLayerNetwork copy = net.params().dataType() == DataType.DOUBLE ? net.clone()
                : net.convertDataType(DataType.DOUBLE);
        INDArray xd = x.castTo(DataType.DOUBLE);
        INDArray yd = y.castTo(DataType.DOUBLE);
        double[] init = Tensors.toDoubles(copy.params());
        Sharpness.Estimate e = Sharpness.largestEigenvalue(objective(copy, xd, yd), init, maxIterations, TOLERANCE,
                seed);
        return new Estimate(e.lambdaMax(), e.iterations(), e.converged(), (int) x.rows(), init, e.vector());
    }

    /** The loss of {@code net} (double precision) over {@code x}, {@code y} as a function of its flat parameters. */
    static Objective objective(MultiLayerNetwork net, INDArray x, INDArray y) {
        int n = (int) net.numParams();
        long rows = x.rows();
        DataSet all = new DataSet(x, y);
        return new Objective() {
            @Override
            public int dimension() {
                return n;
            }

            @Override
            public double value(double[] p) {
                net.setParams(Nd4j.create(p, new long[]{1, n}, DataType.DOUBLE));
                return net.score(all);
            }

            @Override
            public double[] gradient(double[] p) {
                net.setParams(Nd4j.create(p, new long[]{1, n}, DataType.DOUBLE));
                net.setInput(x);
                net.setLabels(y);
                net.computeGradientAndScore();
                // DL4J's gradient is the sum over the examples (its updater divides by the minibatch size): the
                // loss's gradient is its mean
                double[] g = Tensors.toDoubles(net.gradient().gradient());
                net.clear();
                for (int i = 0; i < g.length; i++) {
                    g[i] /= rows;
                }
                return g;
            }
        };
    }
}
