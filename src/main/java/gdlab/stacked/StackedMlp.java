package gdlab.stacked;

import gdlab.reference.Activation;
import gdlab.reference.Loss;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * K dense nets of one shape held as one ND4J computation: cell k's parameters are row k of a [K, P] array, in the
 * layout of {@link gdlab.reference.Mlp} and DL4J's flat {@code params()} (per layer W, nIn x nOut in 'f' order, then b),
 * so a cell's vector can be copied in or out as is. Each layer's weights are seen as a [K, nIn, nOut] view of that
 * array and its biases as [K, 1, nOut], so one batched matrix product per layer and one broadcast add serve all K
 * cells: ND4J's fixed cost per op (tens of microseconds, far more than a small net's arithmetic) is paid once per step
 * for the whole stack, not once per cell.
 *
 * <p>{@link #evaluate} takes one minibatch per cell, x as [K, B, nIn] and y as [K, B, nOut], and computes what
 * {@link gdlab.reference.Mlp#evaluate} computes for each cell, written out the same way: the forward pass, the loss
 * (softmax + cross-entropy, DL4J's MCXENT with its clip, or MSE), dL/dz of the output (p - y for softmax + cross-entropy),
 * then per layer from the last: dW = a^T delta and db = the sum of delta over the minibatch, and delta of the layer
 * below = act'(z) * (delta W^T); finally the summed gradient divided by B. No L2 term. Nothing is shared between
 * cells but the arrays: cell k's numbers depend on cell k's parameters and data only.
 */
public final class StackedMlp {
    private final int[] sizes;
    private final List<Activation> activations;
    private final Loss loss;
    private final int cells;
    private final DataType dtype;
    private final int numParams;
    private final INDArray params;
    private final INDArray gradient;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final Map<Integer, Buffers> buffers = new HashMap<>();
    private INDArray lossSums;
    private int lastBatch;

    /** The arrays of one minibatch size, allocated once: pre-activations, activations, deltas, dL/da. */
    private record Buffers(INDArray[] z, INDArray[] a, INDArray[] delta, INDArray[] dLda, INDArray scratch) {
    }

    /**
     * K cells of the net {@code sizes} with {@code hidden} on every hidden layer and {@code output} on the last.
     * {@link Loss#MCXENT} needs a {@link Activation#SOFTMAX} output (DL4J's p - y); {@link Loss#MSE} takes identity,
     * relu, tanh, sigmoid or softmax. Parameters start at 0: copy each cell's in with {@link #setCell}.
     */
    public StackedMlp(int[] sizes, Activation hidden, Activation output, Loss loss, int cells, DataType dtype) {
        if (sizes == null || sizes.length < 2 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("layer sizes must be >= 1, an input and at least one layer, got "
                    + Arrays.toString(sizes));
        }
        if (cells < 1) {
            throw new IllegalArgumentException("a stack needs at least one cell, got " + cells);
        }
        if (dtype != DataType.DOUBLE && dtype != DataType.FLOAT) {
            throw new IllegalArgumentException("dtype must be FLOAT or DOUBLE, got " + dtype);
        }
        if (hidden == Activation.SOFTMAX || hidden == Activation.LEAKY_RELU) {
            throw new IllegalArgumentException("hidden activation must be identity, relu, tanh or sigmoid, got " + hidden);
        }
        if (loss == Loss.MCXENT && output != Activation.SOFTMAX) {
            throw new IllegalArgumentException("MCXENT needs a softmax output, got " + output);
        }
        if (loss == Loss.XENT || output == Activation.LEAKY_RELU) {
            throw new IllegalArgumentException("the stack has MCXENT + softmax and MSE (identity, relu, tanh, sigmoid or "
                    + "softmax output), got " + loss + " + " + output);
        }
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        Activation[] acts = new Activation[layers];
        Arrays.fill(acts, hidden);
        acts[layers - 1] = output;
        this.activations = List.of(acts);
        this.loss = loss;
        this.cells = cells;
        this.dtype = dtype;
        int p = 0;
        for (int l = 0; l < layers; l++) {
            p += sizes[l] * sizes[l + 1] + sizes[l + 1];
        }
        numParams = p;
        params = Nd4j.zeros(dtype, cells, numParams);
        gradient = Nd4j.zeros(dtype, cells, numParams);
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        weightGrads = new INDArray[layers];
        biasGrads = new INDArray[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            int nIn = sizes[l];
            int nOut = sizes[l + 1];
            long[] wShape = {cells, nIn, nOut};
            long[] wStride = {numParams, 1, nIn};
            weights[l] = view(params, wShape, wStride, offset);
            weightGrads[l] = view(gradient, wShape, wStride, offset);
            offset += nIn * nOut;
            biases[l] = view(params, new long[] {cells, 1, nOut}, new long[] {numParams, nOut, 1}, offset);
            biasGrads[l] = view(gradient, new long[] {cells, nOut}, new long[] {numParams, 1}, offset);
            offset += nOut;
        }
    }

    private static INDArray view(INDArray flat, long[] shape, long[] stride, long offset) {
        return Nd4j.create(flat.data(), shape, stride, offset, 'c');
    }

    public int cells() {
        return cells;
    }

    public int numParams() {
        return numParams;
    }

    public DataType dtype() {
        return dtype;
    }

    public int[] layerSizes() {
        return sizes.clone();
    }

    /** The [K, P] parameters, row k = cell k's flat vector; updaters change it in place. */
    public INDArray params() {
        return params;
    }

    /** The [K, P] mean gradient of the last {@link #evaluate}. */
    public INDArray gradient() {
        return gradient;
    }

    /** Copies cell {@code k}'s flat parameters (the reference's / DL4J's layout) in. */
    public void setCell(int k, double[] flat) {
        checkCell(k);
        if (flat.length != numParams) {
            throw new IllegalArgumentException("a cell has " + numParams + " parameters, got " + flat.length);
        }
        params.getRow(k).assign(Nd4j.createFromArray(flat).castTo(dtype));
    }

    /** Cell {@code k}'s flat parameters. */
    public double[] cell(int k) {
        checkCell(k);
        return params.getRow(k).toDoubleVector();
    }

    /** Cell {@code k}'s mean gradient from the last {@link #evaluate}. */
    public double[] cellGradient(int k) {
        checkCell(k);
        return gradient.getRow(k).toDoubleVector();
    }

    private void checkCell(int k) {
        if (k < 0 || k >= cells) {
            throw new IllegalArgumentException("cell must be in [0, " + cells + "), got " + k);
        }
    }

    /**
     * The forward pass, the loss and the mean gradient of every cell on its own minibatch: x [K, B, nIn], y [K, B,
     * nOut], both of this stack's dtype. The gradient lands in {@link #gradient()}, the losses in {@link #losses()}.
     */
    public void evaluate(INDArray x, INDArray y) {
        int batch = checkBatch(x, y);
        Buffers buf = buffers.computeIfAbsent(batch, this::allocate);
        int layers = sizes.length - 1;
        int last = layers - 1;
        INDArray in = x;
        for (int l = 0; l < layers; l++) {
            Nd4j.matmul(in, weights[l], buf.z[l], false, false, false);
            buf.z[l].addi(biases[l]);
            activate(activations.get(l), buf.z[l], buf.a[l]);
            in = buf.a[l];
        }
        INDArray out = buf.a[last];
        INDArray delta = buf.delta[last];
        lossSums = lossSum(out, y, buf.scratch);
        out.sub(y, delta);
        if (loss == Loss.MSE) {
            delta.muli(2).divi(sizes[layers]);
            backprop(activations.get(last), buf.z[last], out, delta, delta, buf.scratch);
        }
        for (int l = last; l >= 0; l--) {
            INDArray below = l == 0 ? x : buf.a[l - 1];
            Nd4j.matmul(below, buf.delta[l], weightGrads[l], true, false, false);
            buf.delta[l].sum(biasGrads[l], 1);
            if (l > 0) {
                Nd4j.matmul(buf.delta[l], weights[l], buf.dLda[l - 1], false, true, false);
                backprop(activations.get(l - 1), buf.z[l - 1], buf.a[l - 1], buf.dLda[l - 1], buf.delta[l - 1], null);
            }
        }
        gradient.divi(batch);
        lastBatch = batch;
    }

    /** The mean loss of each cell on its minibatch at the last {@link #evaluate}, before any update. */
    public double[] losses() {
        if (lossSums == null) {
            throw new IllegalStateException("no minibatch evaluated yet");
        }
        double[] sums = lossSums.toDoubleVector();
        double scale = loss == Loss.MCXENT ? -1.0 / lastBatch : 1.0 / ((double) lastBatch * sizes[sizes.length - 1]);
        for (int k = 0; k < sums.length; k++) {
            sums[k] *= scale;
        }
        return sums;
    }

    /** Per cell, the sum over the minibatch of the loss, before the scale {@link #losses} applies. */
    private INDArray lossSum(INDArray out, INDArray y, INDArray scratch) {
        if (loss == Loss.MCXENT) {
            scratch.assign(out);
            Transforms.max(scratch, Loss.MCXENT_SOFTMAX_CLIP, false);
            Transforms.min(scratch, 1 - Loss.MCXENT_SOFTMAX_CLIP, false);
            Transforms.log(scratch, false);
        } else {
            out.sub(y, scratch);
            y = scratch;
        }
        return scratch.muli(y).sum(1, 2);
    }

    private static void activate(Activation act, INDArray z, INDArray a) {
        switch (act) {
            case IDENTITY -> a.assign(z);
            case RELU -> Nd4j.exec(new RectifiedLinear(z, a, 0.0));
            case TANH -> Nd4j.exec(new Tanh(z, a));
            case SIGMOID -> Nd4j.exec(new Sigmoid(z, a));
            case SOFTMAX -> Nd4j.exec(new SoftMax(z, a, -1));
            default -> throw new AssertionError(act);
        }
    }

    /**
     * dL/dz = act'(z) * dL/da into {@code out} (which may be {@code dLda}); softmax's Jacobian-vector product
     * a * (dL/da - sum(dL/da * a)) over each example's row, as the reference writes it.
     */
    private static void backprop(Activation act, INDArray z, INDArray a, INDArray dLda, INDArray out,
                                 INDArray scratch) {
        switch (act) {
            case IDENTITY -> {
                if (out != dLda) {
                    out.assign(dLda);
                }
            }
            case RELU -> Nd4j.exec(new ThresholdReluBp(z, dLda, out, 0.0));
            case TANH -> Nd4j.exec(new TanhDerivative(z, dLda, out));
            case SIGMOID -> Nd4j.exec(new SigmoidDerivative(z, dLda, out));
            case SOFTMAX -> {
                INDArray dot = dLda.mul(a, scratch).sum(true, 2);
                dLda.sub(dot, out).muli(a);
            }
            default -> throw new AssertionError(act);
        }
    }

    private Buffers allocate(int batch) {
        int layers = sizes.length - 1;
        INDArray[] z = new INDArray[layers];
        INDArray[] a = new INDArray[layers];
        INDArray[] delta = new INDArray[layers];
        INDArray[] dLda = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            z[l] = Nd4j.create(dtype, cells, batch, sizes[l + 1]);
            a[l] = Nd4j.create(dtype, cells, batch, sizes[l + 1]);
            delta[l] = Nd4j.create(dtype, cells, batch, sizes[l + 1]);
            dLda[l] = Nd4j.create(dtype, cells, batch, sizes[l + 1]);
        }
        return new Buffers(z, a, delta, dLda, Nd4j.create(dtype, cells, batch, sizes[layers]));
    }

    private int checkBatch(INDArray x, INDArray y) {
        int layers = sizes.length - 1;
        if (x.rank() != 3 || x.size(0) != cells || x.size(2) != sizes[0]) {
            throw new IllegalArgumentException("x must be [" + cells + ", B, " + sizes[0] + "], got "
                    + Arrays.toString(x.shape()));
        }
        if (y.rank() != 3 || y.size(0) != cells || y.size(1) != x.size(1) || y.size(2) != sizes[layers]) {
            throw new IllegalArgumentException("y must be [" + cells + ", " + x.size(1) + ", " + sizes[layers]
                    + "], got " + Arrays.toString(y.shape()));
        }
        if (x.dataType() != dtype || y.dataType() != dtype) {
            throw new IllegalArgumentException("x and y must be " + dtype + ", got " + x.dataType() + " and "
                    + y.dataType());
        }
        return (int) x.size(1);
    }
}
