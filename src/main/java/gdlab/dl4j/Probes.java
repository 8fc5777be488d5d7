package gdlab.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what a DL4J network computes, without training it: its flat parameters by block, its score, its mean
 * backprop gradient, a central finite difference of its score, the output layer's pre-activations, and the value
 * and output gradient of a DL4J loss function on given outputs. Everything here is DL4J's own arithmetic.
 */
public final class Probes {
    private Probes() {
    }

    /**
     * One parameter block of a network, as DL4J names it ({@code 0_W}, {@code 0_b}, ...), and where it sits in the
     * flat parameter vector.
     *
     * @param key    DL4J's parameter key, e.g. {@code 1_W}
     * @param layer  layer index, 0 = first hidden layer
     * @param kind   {@code W} (weights) or {@code b} (biases)
     * @param offset index of its first entry in the flat vector
     * @param length number of entries
     */
    public record Block(String key, int layer, String kind, int offset, int length) {
        public boolean isBias() {
            return kind.equals("b");
        }

        /** Euclidean norm of this block's slice of a flat vector. */
        public double norm(double[] flat) {
            double s = 0;
            for (int k = offset; k < offset + length; k++) {
                s += flat[k] * flat[k];
            }
            return Math.sqrt(s);
        }

        /** Euclidean norm of this block's slice of {@code a - b}. */
        public double distance(double[] a, double[] b) {
            double s = 0;
            for (int k = offset; k < offset + length; k++) {
                double d = a[k] - b[k];
                s += d * d;
            }
            return Math.sqrt(s);
        }
    }

    /** The network's parameter blocks in the order of its flat parameter vector. */
    public static List<Block> blocks(MultiLayerNetwork net) {
        List<Block> blocks = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            String key = e.getKey();
            int us = key.indexOf('_');
            int length = (int) e.getValue().length();
            blocks.add(new Block(key, Integer.parseInt(key.substring(0, us)), key.substring(us + 1), offset, length));
            offset += length;
        }
        if (offset != net.numParams()) {
            throw new IllegalStateException("parameter blocks cover " + offset + " of " + net.numParams()
                    + " parameters");
        }
        return blocks;
    }

    /** A copy of the flat parameter vector. */
    public static double[] params(MultiLayerNetwork net) {
        return Tensors.toDoubles(net.params());
    }

    /** Sets every parameter from a flat vector in DL4J's layout. */
    public static void setParams(MultiLayerNetwork net, double[] params) {
        if (params.length != net.numParams()) {
            throw new IllegalArgumentException(params.length + " values for " + net.numParams() + " parameters");
        }
        net.setParams(Nd4j.create(params, new long[]{1, params.length}, net.params().dataType()));
    }

    /** DL4J's score of the data: the mean loss over the examples (plus regularization, none here). */
    public static double score(MultiLayerNetwork net, DataSet data) {
        return net.score(data, false);
    }

    /** A score and the gradient of that score. */
    public record ScoreAndGradient(double score, double[] gradient) {
    }

    /**
     * DL4J's backprop gradient of the mean loss: {@code computeGradientAndScore()} leaves the gradient SUMMED over
     * the examples (the division by N happens in the updater step), so it is divided by N here.
     */
    public static ScoreAndGradient meanGradient(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        double[] g = Tensors.toDoubles(net.gradient().gradient());
        long n = x.rows();
        for (int i = 0; i < g.length; i++) {
            g[i] /= n;
        }
        double score = net.score();
        net.clear();
        return new ScoreAndGradient(score, g);
    }

    /**
     * The central finite difference of DL4J's score in flat parameter {@code index}:
     * {@code (f(theta + h e_i) - f(theta - h e_i)) / (2h)}, with the step actually taken in floating point as the
     * denominator. The parameter is restored afterwards.
     */
    public static double centralDifference(MultiLayerNetwork net, DataSet data, int index, double h) {
        INDArray p = net.params();
        double original = p.getDouble(index);
        double up = original + h;
        double down = original - h;
        try {
            p.putScalar(index, up);
            double fUp = score(net, data);
            p.putScalar(index, down);
            double fDown = score(net, data);
            return (fUp - fDown) / (up - down);
        } finally {
            p.putScalar(index, original);
        }
    }

    /** The last layer's pre-activations z = a W + b (examples x outputs): what the loss function is given. */
    public static INDArray outputPreActivations(MultiLayerNetwork net, INDArray x) {
        List<INDArray> activations = net.feedForward(x, false);
        INDArray input = activations.get(activations.size() - 2);
        int last = net.getnLayers() - 1;
        return input.mmul(net.getParam(last + "_W")).addRowVector(net.getParam(last + "_b"));
    }

    /** DL4J's activation function applied to pre-activations (a copy). */
    public static INDArray activate(IActivation activation, INDArray z) {
        return activation.getActivation(z.dup(), false);
    }

    /** DL4J's loss of outputs {@code activation(z)} against labels y, averaged over the examples. */
    public static double loss(ILossFunction loss, IActivation activation, INDArray z, INDArray y) {
        return loss.computeScore(y, z.dup(), activation, null, true);
    }

    /** DL4J's gradient of one example's loss with respect to the pre-activations z (examples x outputs). */
    public static INDArray lossGradient(ILossFunction loss, IActivation activation, INDArray z, INDArray y) {
        return loss.computeGradient(y, z.dup(), activation, null);
    }
}
