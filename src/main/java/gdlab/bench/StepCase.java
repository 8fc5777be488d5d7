package gdlab.bench;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Updater;
import gdlab.reference.Updaters;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One training step of one MLP at one batch size and data type, in the five ways the bench times it:
 * <ul>
 *   <li>{@link #fit()}: DL4J's {@code fit} on one minibatch already in an INDArray (DL4J's own cost);</li>
 *   <li>{@link #reference()}: the same step in the plain-Java reference ({@link Mlp#evaluate} and an
 *       {@link Updater}), always in double;</li>
 *   <li>{@link #gemm()}: the step's matrix products alone, with ND4J's gemm into preallocated arrays: per layer the
 *       forward product, the weight gradient and the input gradient, 3 x 2 x batch x nIn x nOut FLOPs, each called
 *       as DL4J's dense layer calls it and into arrays of the same memory order ('f': the forward output, the
 *       weight gradient, and the input gradient computed as W x delta^T). The bench once timed them into
 *       'c'-order outputs, which DL4J does not use, and one row (784-100-10, B = 1, double) measured gemm alone
 *       slower than the fit containing the same products; the gemm_share claim names any such row;</li>
 *   <li>{@link #loop(boolean, double)}: whole epochs of the training loop, the one before the benchmarks (a
 *       getRows copy per step) or today's {@link Trainer}, per step.</li>
 * </ul>
 * Data are seeded Gaussian features and random one-hot labels: a step's cost does not depend on the values.
 */
public final class StepCase {
    private final int[] sizes;
    private final int batch;
    private final DataType dtype;
    private final long seed;
    private final MultiLayerNetwork net;
    private final DataSet minibatch;
    private final INDArray x;
    private final INDArray y;
    private final Mlp mlp;
    private final Updater updater;
    private final double[] params;
    private final double[][] bx;
    private final double[][] by;
    private final INDArray[] acts;
    private final INDArray[] weights;
    private final INDArray[] pre;
    private final INDArray[] deltas;
    private final INDArray[] weightGrads;
    private final INDArray[] actGrads;

    public StepCase(int[] sizes, int batch, DataType dtype, String activation, String optimizer, double lr,
                    long seed) {
        this.sizes = sizes.clone();
        this.batch = batch;
        this.dtype = dtype;
        this.seed = seed;
        int nIn = sizes[0];
        int classes = sizes[sizes.length - 1];
        int n = examples(batch);
        Random random = new Random(seed);
        double[][] features = new double[n][nIn];
        for (double[] row : features) {
            for (int j = 0; j < nIn; j++) {
                row[j] = random.nextGaussian();
            }
        }
        int[] labels = IntStream.range(0, n).map(i -> random.nextInt(classes)).toArray();
        x = Tensors.matrix(features, dtype);
        y = Tensors.oneHot(labels, classes, dtype);
        net = Networks.classifier(sizes, activation, Optimizers.updater(optimizer, lr), seed, dtype);
        int[] first = IntStream.range(0, batch).toArray();
        minibatch = Tensors.rows(x, y, first);

        mlp = new Mlp(sizes, Activation.named(activation), Activation.SOFTMAX, Loss.MCXENT);
        updater = Updaters.create(optimizer, lr);
        params = Tensors.toDoubles(net.params());
        bx = Arrays.copyOf(features, batch);
        by = new double[batch][classes];
        for (int i = 0; i < batch; i++) {
            by[i][labels[i]] = 1.0;
        }

        int layers = sizes.length - 1;
        acts = new INDArray[layers];
        weights = new INDArray[layers];
        pre = new INDArray[layers];
        deltas = new INDArray[layers];
        weightGrads = new INDArray[layers];
        actGrads = new INDArray[layers];
        Nd4j.getRandom().setSeed(seed);
        for (int l = 0; l < layers; l++) {
            // DL4J's layouts: the features 'c' (a DataSet's), every later activation 'f' (a dense layer's output),
            // weights and their gradients 'f' (views of the flat parameters), the input gradient 'f' [nIn x batch]
            acts[l] = Nd4j.rand(dtype, l == 0 ? 'c' : 'f', batch, sizes[l]);
            weights[l] = Nd4j.rand(dtype, 'f', sizes[l], sizes[l + 1]);
            pre[l] = Nd4j.create(dtype, new long[] {batch, sizes[l + 1]}, 'f');
            deltas[l] = Nd4j.rand(dtype, 'f', batch, sizes[l + 1]);
            weightGrads[l] = Nd4j.create(dtype, new long[] {sizes[l], sizes[l + 1]}, 'f');
            actGrads[l] = Nd4j.create(dtype, new long[] {sizes[l], batch}, 'f');
        }
    }

    /** Examples in the loop's data set: 4 to 64 minibatches, so an epoch's fixed costs are spread over steps. */
    static int examples(int batch) {
        return batch * Math.max(4, Math.min(64, 256 / batch));
    }

    /** {@code 4-10-3} -> {4, 10, 3}. */
    public static int[] sizes(String net) {
        if (!net.matches("[1-9][0-9]{0,5}(-[1-9][0-9]{0,5})+")) {
            throw new IllegalArgumentException("a net is layer sizes joined by '-', e.g. 64-32-10; got '" + net + "'");
        }
        return Arrays.stream(net.split("-")).mapToInt(Integer::parseInt).toArray();
    }

    /** sum over layers of nIn x nOut: the weights, and the multiply-adds per example of one forward pass. */
    public long weightCount() {
        long w = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            w += (long) sizes[l] * sizes[l + 1];
        }
        return w;
    }

    /** FLOPs of a step's matrix products: forward, weight gradient and input gradient, 2 FLOPs per multiply-add. */
    public double flopsPerStep() {
        return 6.0 * batch * weightCount();
    }

    public int batch() {
        return batch;
    }

    public DataType dtype() {
        return dtype;
    }

    public int parameterCount() {
        return mlp.numParams();
    }

    /** DL4J's training and inference workspace mode for this case's net (DL4J's default: ENABLED). */
    public void workspaces(org.deeplearning4j.nn.conf.WorkspaceMode mode) {
        net.getLayerWiseConfigurations().setTrainingWorkspaceMode(mode);
        net.getLayerWiseConfigurations().setInferenceWorkspaceMode(mode);
    }

    /** One DL4J update on the fixed minibatch. */
    public void fit() {
        net.fit(minibatch);
    }

    /** One reference update on the same minibatch (double); returns its score. */
    public double reference() {
        Mlp.Evaluation e = mlp.evaluate(params, bx, by);
        updater.step(params, e.gradient());
        return e.score();
    }

    /** The step's 3 x layers matrix products into preallocated arrays. */
    public void gemm() {
        int layers = sizes.length - 1;
        for (int l = 0; l < layers; l++) {
            Nd4j.gemm(acts[l], weights[l], pre[l], false, false, 1.0, 0.0);
        }
        for (int l = layers - 1; l >= 0; l--) {
            Nd4j.gemm(acts[l], deltas[l], weightGrads[l], true, false, 1.0, 0.0);
            Nd4j.gemm(weights[l], deltas[l], actGrads[l], false, true, 1.0, 0.0);
        }
    }

    /** Largest difference between the gemm results and the same products by {@code mmul} (a self-check). */
    double checkGemm() {
        double worst = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            worst = Math.max(worst, pre[l].sub(acts[l].mmul(weights[l])).amaxNumber().doubleValue());
            worst = Math.max(worst, weightGrads[l].sub(acts[l].transpose().mmul(deltas[l])).amaxNumber().doubleValue());
            worst = Math.max(worst, actGrads[l].sub(weights[l].mmul(deltas[l].transpose())).amaxNumber().doubleValue());
        }
        return worst;
    }

    /** The old per-step minibatch copy alone (what the loop before the benchmarks added to each fit). */
    public DataSet legacyCopy() {
        return LegacyTrainer.rows(x, y, IntStream.range(0, batch).toArray());
    }

    /**
     * Whole shuffled epochs of a training loop for about {@code seconds} of update time: {@code before} = the loop
     * before the benchmarks, otherwise {@link Trainer}. Returns ms per update as the loop times it (updates only).
     */
    public double loop(boolean before, double seconds) {
        Trainer.Options o = new Trainer.Options(batch, 1_000_000, seconds, Double.NaN, seed, Trainer.Order.SHUFFLED);
        Trainer.Outcome t = before ? LegacyTrainer.train(net, x, y, o, null) : Trainer.train(net, x, y, o, null);
        long updates = t.epochs().isEmpty() ? 0 : t.last().updates();
        return updates == 0 ? Double.NaN : t.trainingMs() / updates;
    }

    public double fitWindow(double seconds) {
        return Windows.repeat(this::fit, seconds, 2);
    }

    public double referenceWindow(double seconds) {
        return Windows.repeat(this::reference, seconds, 2);
    }

    public double gemmWindow(double seconds) {
        return Windows.repeat(this::gemm, seconds, 2);
    }
}
