package gdlab.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A dense feed-forward net: layer l maps {@code a_{l-1}} (nIn) to {@code a_l = act_l(a_{l-1} W_l + b_l)} (nOut),
 * immutable, stateless: the parameters are passed to every call as one flat vector.
 *
 * <p><b>Parameter layout</b> (DL4J's): for each layer in order, W (nIn x nOut) in column-major 'f' order, so W[i][j]
 * sits at {@code weightOffset(l) + i + j * nIn}, then b (nOut) at {@code biasOffset(l)}. DL4J's flat
 * {@code params()} can be copied in as is.
 *
 * <p><b>Score and gradient</b> (DL4J's): score = mean over the examples of the per-example {@link Loss}, plus
 * {@code 0.5 * l2 * sum(W^2)} over the weights of every layer (DL4J's {@code L2Regularization.score}); the gradient is
 * the gradient of that score: the per-example gradients summed, divided by the number of examples, then {@code l2 * W}
 * added to the weights only (not the biases), which is where DL4J adds it (after the division by N, before the
 * updater).
 */
public final class Mlp {
    private final int[] sizes;
    private final List<Activation> activations;
    private final Loss loss;
    private final double l2;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final int numParams;

    /** One net with the same {@code hidden} activation on every hidden layer and {@code output} on the last. */
    public Mlp(int[] layerSizes, Activation hidden, Activation output, Loss loss) {
        this(layerSizes, sameHidden(layerSizes, hidden, output), loss, 0.0);
    }

    /** One net with its own activation per layer: {@code activations.size() == layerSizes.length - 1}. */
    public Mlp(int[] layerSizes, List<Activation> activations, Loss loss) {
        this(layerSizes, activations, loss, 0.0);
    }

    /** As {@link #Mlp(int[], List, Loss)} with an L2 coefficient on the weights. */
    public Mlp(int[] layerSizes, List<Activation> activations, Loss loss, double l2) {
        Check.notNull("layerSizes", layerSizes);
        if (layerSizes.length < 2) {
            throw new IllegalArgumentException(
                    "layerSizes needs an input and at least one layer, got " + Arrays.toString(layerSizes));
        }
        for (int i = 0; i < layerSizes.length; i++) {
            if (layerSizes[i] < 1) {
                throw new IllegalArgumentException(
                        "layer sizes must be >= 1, got " + layerSizes[i] + " at index " + i + " of "
                                + Arrays.toString(layerSizes));
            }
        }
        Check.notNull("activations", activations);
        if (activations.size() != layerSizes.length - 1) {
            throw new IllegalArgumentException("need one activation per layer (" + (layerSizes.length - 1)
                    + "), got " + activations.size() + ": " + activations);
        }
        for (Activation a : activations) {
            Check.notNull("activation", a);
        }
        this.sizes = layerSizes.clone();
        this.activations = List.copyOf(activations);
        this.loss = Check.notNull("loss", loss);
        this.l2 = Check.nonNegative("l2", l2);
        int layers = sizes.length - 1;
        weightOffsets = new int[layers];
        biasOffsets = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = offset;
            offset += sizes[l] * sizes[l + 1];
            biasOffsets[l] = offset;
            offset += sizes[l + 1];
        }
        numParams = offset;
    }

    private static List<Activation> sameHidden(int[] layerSizes, Activation hidden, Activation output) {
        Check.notNull("layerSizes", layerSizes);
        List<Activation> list = new ArrayList<>();
        for (int l = 0; l < layerSizes.length - 2; l++) {
            list.add(Check.notNull("hidden activation", hidden));
        }
        list.add(Check.notNull("output activation", output));
        return list;
    }

    /** The same net with L2 coefficient {@code l2} (>= 0) on the weights. */
    public Mlp withL2(double l2) {
        return new Mlp(sizes, activations, loss, l2);
    }

    public int[] layerSizes() {
        return sizes.clone();
    }

    public List<Activation> activations() {
        return activations;
    }

    public Loss loss() {
        return loss;
    }

    public double l2() {
        return l2;
    }

    /** Number of dense layers (layer sizes minus the input). */
    public int numLayers() {
        return sizes.length - 1;
    }

    public int numParams() {
        return numParams;
    }

    public int nIn(int layer) {
        return sizes[checkLayer(layer)];
    }

    public int nOut(int layer) {
        return sizes[checkLayer(layer) + 1];
    }

    /** Offset of W[0][0] of {@code layer} in the flat vector. */
    public int weightOffset(int layer) {
        return weightOffsets[checkLayer(layer)];
    }

    /** Offset of b[0] of {@code layer} in the flat vector. */
    public int biasOffset(int layer) {
        return biasOffsets[checkLayer(layer)];
    }

    /** Flat index of W[i][j] (input i, output j) of {@code layer}: 'f' order. */
    public int weightIndex(int layer, int i, int j) {
        int nIn = nIn(layer);
        int nOut = nOut(layer);
        if (i < 0 || i >= nIn || j < 0 || j >= nOut) {
            throw new IllegalArgumentException("W index (" + i + ", " + j + ") outside " + nIn + " x " + nOut
                    + " of layer " + layer);
        }
        return weightOffsets[layer] + i + j * nIn;
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= numLayers()) {
            throw new IllegalArgumentException("layer must be in [0, " + numLayers() + "), got " + layer);
        }
        return layer;
    }

    /**
     * Xavier-style initial parameters: W ~ N(0, 2 / (nIn + nOut)), b = 0, from a seeded {@link Random}. (Crosschecks
     * copy DL4J's initial parameters instead; this is for runs of the reference on its own.)
     */
    public double[] initParams(long seed) {
        Random random = new Random(seed);
        double[] p = new double[numParams];
        for (int l = 0; l < numLayers(); l++) {
            double std = Math.sqrt(2.0 / (sizes[l] + sizes[l + 1]));
            int count = sizes[l] * sizes[l + 1];
            for (int k = 0; k < count; k++) {
                p[weightOffsets[l] + k] = std * random.nextGaussian();
            }
        }
        return p;
    }

    /** The net's outputs, one row per row of {@code x}. */
    public double[][] output(double[] params, double[][] x) {
        checkParams(params);
        checkRows("x", x, sizes[0]);
        double[][] out = new double[x.length][];
        for (int e = 0; e < x.length; e++) {
            double[] a = x[e];
            for (int l = 0; l < numLayers(); l++) {
                a = activations.get(l).apply(preActivation(params, l, a));
            }
            out[e] = a;
        }
        return out;
    }

    /** Mean loss over the examples plus the L2 term: what DL4J's {@code score()} reports. */
    public double score(double[] params, double[][] x, double[][] y) {
        checkData(params, x, y);
        double sum = 0;
        int last = numLayers() - 1;
        for (int e = 0; e < x.length; e++) {
            double[] a = x[e];
            double[] z = null;
            for (int l = 0; l <= last; l++) {
                z = preActivation(params, l, a);
                a = activations.get(l).apply(z);
            }
            sum += loss.score(z, a, y[e], activations.get(last));
        }
        return sum / x.length + regularizationScore(params);
    }

    /** The gradient of {@link #score}: mean over the examples, plus {@code l2 * W} on the weights. */
    public double[] gradient(double[] params, double[][] x, double[][] y) {
        return evaluate(params, x, y).gradient();
    }

    /** Score and gradient together, with one forward pass per example. */
    public record Evaluation(double score, double[] gradient) {
    }

    /** {@link #score} and {@link #gradient} in one pass. */
    public Evaluation evaluate(double[] params, double[][] x, double[][] y) {
        checkData(params, x, y);
        int layers = numLayers();
        int last = layers - 1;
        double[] grad = new double[numParams];
        double lossSum = 0;
        double[][] zs = new double[layers][];
        double[][] as = new double[layers + 1][];
        for (int e = 0; e < x.length; e++) {
            as[0] = x[e];
            for (int l = 0; l < layers; l++) {
                zs[l] = preActivation(params, l, as[l]);
                as[l + 1] = activations.get(l).apply(zs[l]);
            }
            lossSum += loss.score(zs[last], as[layers], y[e], activations.get(last));
            double[] delta = loss.gradient(zs[last], as[layers], y[e], activations.get(last));
            for (int l = last; l >= 0; l--) {
                int nIn = sizes[l];
                int nOut = sizes[l + 1];
                int wOff = weightOffsets[l];
                int bOff = biasOffsets[l];
                double[] in = as[l];
                for (int j = 0; j < nOut; j++) {
                    double dj = delta[j];
                    int col = wOff + j * nIn;
                    for (int i = 0; i < nIn; i++) {
                        grad[col + i] += in[i] * dj;
                    }
                    grad[bOff + j] += dj;
                }
                if (l > 0) {
                    double[] dLda = new double[nIn];
                    for (int j = 0; j < nOut; j++) {
                        double dj = delta[j];
                        int col = wOff + j * nIn;
                        for (int i = 0; i < nIn; i++) {
                            dLda[i] += params[col + i] * dj;
                        }
                    }
                    delta = activations.get(l - 1).backprop(zs[l - 1], as[l], dLda);
                }
            }
        }
        int n = x.length;
        for (int k = 0; k < numParams; k++) {
            grad[k] /= n;
        }
        if (l2 > 0) {
            for (int l = 0; l < layers; l++) {
                int end = weightOffsets[l] + sizes[l] * sizes[l + 1];
                for (int k = weightOffsets[l]; k < end; k++) {
                    grad[k] += l2 * params[k];
                }
            }
        }
        return new Evaluation(lossSum / n + regularizationScore(params), grad);
    }

    /** The L2 term of the score: {@code 0.5 * l2 * sum of squared weights} (biases excluded). */
    public double regularizationScore(double[] params) {
        checkParams(params);
        if (l2 == 0) {
            return 0;
        }
        double sumSq = 0;
        for (int l = 0; l < numLayers(); l++) {
            int end = weightOffsets[l] + sizes[l] * sizes[l + 1];
            for (int k = weightOffsets[l]; k < end; k++) {
                sumSq += params[k] * params[k];
            }
        }
        return 0.5 * l2 * sumSq;
    }

    /** Euclidean norms of one layer's weight block and bias block of a flat vector (parameters or gradient). */
    public record LayerNorms(int layer, double weights, double biases) {
    }

    /** {@link LayerNorms} of every layer of {@code flat}, which has this net's layout. */
    public List<LayerNorms> layerNorms(double[] flat) {
        checkParams(flat);
        List<LayerNorms> norms = new ArrayList<>();
        for (int l = 0; l < numLayers(); l++) {
            double w = 0;
            for (int k = weightOffsets[l]; k < biasOffsets[l]; k++) {
                w += flat[k] * flat[k];
            }
            double b = 0;
            for (int k = biasOffsets[l]; k < biasOffsets[l] + sizes[l + 1]; k++) {
                b += flat[k] * flat[k];
            }
            norms.add(new LayerNorms(l, Math.sqrt(w), Math.sqrt(b)));
        }
        return norms;
    }

    private double[] preActivation(double[] params, int l, double[] in) {
        int nIn = sizes[l];
        int nOut = sizes[l + 1];
        int wOff = weightOffsets[l];
        int bOff = biasOffsets[l];
        double[] z = new double[nOut];
        for (int j = 0; j < nOut; j++) {
            double s = 0;
            int col = wOff + j * nIn;
            for (int i = 0; i < nIn; i++) {
                s += in[i] * params[col + i];
            }
            z[j] = s + params[bOff + j];
        }
        return z;
    }

    private void checkParams(double[] params) {
        Check.notNull("params", params);
        if (params.length != numParams) {
            throw new IllegalArgumentException("params must have length numParams() = " + numParams + " for "
                    + Arrays.toString(sizes) + ", got " + params.length);
        }
    }

    private void checkData(double[] params, double[][] x, double[][] y) {
        checkParams(params);
        checkRows("x", x, sizes[0]);
        checkRows("y", y, sizes[sizes.length - 1]);
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have as many rows, got " + x.length + " and " + y.length);
        }
    }

    private static void checkRows(String what, double[][] rows, int width) {
        Check.notNull(what, rows);
        if (rows.length == 0) {
            throw new IllegalArgumentException(what + " must have at least one row, got 0");
        }
        for (int r = 0; r < rows.length; r++) {
            if (rows[r] == null || rows[r].length != width) {
                throw new IllegalArgumentException(what + " rows must have length " + width + ", got "
                        + (rows[r] == null ? "null" : rows[r].length) + " at row " + r);
            }
        }
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(sizes) + activations + " " + loss + (l2 > 0 ? " l2=" + l2 : "");
    }
}
