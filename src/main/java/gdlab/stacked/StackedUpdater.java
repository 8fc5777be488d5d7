package gdlab.stacked;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One optimizer step for every cell of a stack at once, theta &lt;- theta - U on the [K, P] parameters, with each cell's
 * own hyperparameters held as a [K, 1] column that broadcasts over its row. The rules are those of
 * {@code gdlab.reference} (and of DL4J 1.0.0-M2.1 where DL4J has them), written in the same order of operations, so a
 * cell's update rounds as the reference's does:
 * <ul>
 *   <li>{@code sgd}: U = lr g;</li>
 *   <li>{@code momentum} (heavy ball): v = mu v + g; U = lr v;</li>
 *   <li>{@code nesterov} (DL4J's Nesterovs): v' = mu v - lr g; U = mu v - (1 + mu) v';</li>
 *   <li>{@code adam} (DL4J's form): m = b1 m + g (1 - b1); v = b2 v + g g (1 - b2);
 *       U = a_t m / (sqrt(v) + eps), a_t = lr sqrt(1 - b2^t) / (1 - b1^t) (eps when that is NaN, 0 or infinite).</li>
 * </ul>
 * The state (velocity, moments) starts at 0; t counts the stack's steps from 1.
 */
public final class StackedUpdater {
    /** The rules a stack has, by the names {@link gdlab.reference.Updaters} uses. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adam");

    private final String name;
    private final int cells;
    private final double[] lr;
    private final double[] beta1;
    private final double[] beta2;
    private final double[] eps;
    private final INDArray lrCol;
    private final INDArray muCol;
    private final INDArray minusOneMinusMuCol;
    private final INDArray beta1Col;
    private final INDArray beta2Col;
    private final INDArray oneMinusBeta1Col;
    private final INDArray oneMinusBeta2Col;
    private final INDArray epsCol;
    private final INDArray stepCol;
    private INDArray first;
    private INDArray second;
    private INDArray scratch;
    private INDArray scratch2;
    private int iteration;

    private StackedUpdater(String name, double[] lr, double[] mu, double[] beta1, double[] beta2, double[] eps,
                           DataType dtype) {
        this.name = name;
        this.cells = lr.length;
        this.lr = positive("learning rate", lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        lrCol = column(lr, dtype);
        muCol = mu == null ? null : column(unit("momentum", mu, cells), dtype);
        minusOneMinusMuCol = mu == null ? null : column(Arrays.stream(mu).map(m -> -m - 1).toArray(), dtype);
        beta1Col = beta1 == null ? null : column(unit("beta1", beta1, cells), dtype);
        beta2Col = beta2 == null ? null : column(unit("beta2", beta2, cells), dtype);
        oneMinusBeta1Col = beta1 == null ? null
                : column(Arrays.stream(unit("beta1", beta1, cells)).map(b -> 1 - b).toArray(), dtype);
        oneMinusBeta2Col = beta2 == null ? null
                : column(Arrays.stream(unit("beta2", beta2, cells)).map(b -> 1 - b).toArray(), dtype);
        epsCol = eps == null ? null : column(positive("epsilon", eps), dtype);
        stepCol = beta1 == null ? null : Nd4j.zeros(dtype, cells, 1);
        if (beta1 != null && (beta2.length != cells || eps.length != cells)) {
            throw new IllegalArgumentException("every hyperparameter needs one value per cell (" + cells + ")");
        }
    }

    /** Plain gradient descent, learning rate {@code lr[k]} for cell k. */
    public static StackedUpdater sgd(double[] lr, DataType dtype) {
        return new StackedUpdater("sgd", lr, null, null, null, null, dtype);
    }

    /** Heavy-ball momentum ({@link gdlab.reference.HeavyBall}'s form) per cell. */
    public static StackedUpdater momentum(double[] lr, double[] mu, DataType dtype) {
        return new StackedUpdater("momentum", lr, mu, null, null, null, dtype);
    }

    /** DL4J's Nesterovs ({@link gdlab.reference.Nesterov}'s form) per cell. */
    public static StackedUpdater nesterov(double[] lr, double[] mu, DataType dtype) {
        return new StackedUpdater("nesterov", lr, mu, null, null, null, dtype);
    }

    /** DL4J's Adam ({@link gdlab.reference.Adam}, {@code Variant.DL4J}) per cell. */
    public static StackedUpdater adam(double[] lr, double[] beta1, double[] beta2, double[] eps, DataType dtype) {
        return new StackedUpdater("adam", lr, null, beta1, beta2, eps, dtype);
    }

    public String name() {
        return name;
    }

    /** Steps taken so far (the next uses t = iteration() + 1). */
    public int iteration() {
        return iteration;
    }

    /** Applies one step in place to the [K, P] {@code params}, given their [K, P] mean gradient {@code grad}. */
    public void step(INDArray params, INDArray grad) {
        if (params.rank() != 2 || params.size(0) != cells || !Arrays.equals(params.shape(), grad.shape())) {
            throw new IllegalArgumentException("params and grad must both be [" + cells + ", P], got "
                    + Arrays.toString(params.shape()) + " and " + Arrays.toString(grad.shape()));
        }
        if (scratch == null) {
            scratch = params.ulike();
            if (!name.equals("sgd")) {
                first = Nd4j.zeros(params.dataType(), params.shape());
                scratch2 = params.ulike();
            }
            if (name.equals("adam")) {
                second = Nd4j.zeros(params.dataType(), params.shape());
            }
        } else if (!Arrays.equals(scratch.shape(), params.shape())) {
            throw new IllegalArgumentException(name + " holds state for " + Arrays.toString(scratch.shape())
                    + ", got " + Arrays.toString(params.shape()));
        }
        int t = iteration + 1;
        switch (name) {
            case "sgd" -> params.subi(grad.mul(lrCol, scratch));
            case "momentum" -> {
                first.muli(muCol).addi(grad);
                params.subi(first.mul(lrCol, scratch));
            }
            case "nesterov" -> {
                INDArray prev = first.mul(muCol, scratch);
                prev.sub(grad.mul(lrCol, scratch2), first);
                params.subi(prev.addi(first.mul(minusOneMinusMuCol, scratch2)));
            }
            case "adam" -> adam(params, grad, t);
            default -> throw new AssertionError(name);
        }
        iteration++;
    }

    private void adam(INDArray params, INDArray grad, int t) {
        for (int k = 0; k < cells; k++) {
            double at = lr[k] * Math.sqrt(1.0 - Math.pow(beta2[k], t)) / (1.0 - Math.pow(beta1[k], t));
            stepCol.putScalar(k, 0, Double.isNaN(at) || at == 0 || Double.isInfinite(at) ? eps[k] : at);
        }
        first.muli(beta1Col).addi(grad.mul(oneMinusBeta1Col, scratch));
        second.muli(beta2Col).addi(grad.mul(grad, scratch).muli(oneMinusBeta2Col));
        Nd4j.exec(new Sqrt(second, scratch));
        scratch.addi(epsCol);
        params.subi(first.mul(stepCol, scratch2).divi(scratch));
    }

    private static INDArray column(double[] values, DataType dtype) {
        return Nd4j.createFromArray(values).castTo(dtype).reshape(values.length, 1);
    }

    private static double[] positive(String what, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(what + ": need one value per cell, got none");
        }
        for (int k = 0; k < values.length; k++) {
            if (!(values[k] > 0) || Double.isInfinite(values[k])) {
                throw new IllegalArgumentException(what + " must be > 0 and finite, got " + values[k] + " for cell " + k);
            }
        }
        return values.clone();
    }

    private static double[] unit(String what, double[] values, int cells) {
        if (values == null || values.length != cells) {
            throw new IllegalArgumentException(what + ": need one value per cell (" + cells + "), got "
                    + (values == null ? "none" : values.length));
        }
        for (int k = 0; k < cells; k++) {
            if (!(values[k] >= 0 && values[k] < 1)) {
                throw new IllegalArgumentException(what + " must be in [0, 1), got " + values[k] + " for cell " + k);
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return name + "(K=" + cells + ", t=" + iteration + ")";
    }
}
