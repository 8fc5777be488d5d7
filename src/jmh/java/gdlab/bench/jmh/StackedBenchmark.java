package gdlab.bench.jmh;

import gdlab.bench.StepCase;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.stacked.StackedMlp;
import gdlab.stacked.StackedUpdater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One training step of K cells of one shape: {@code stacked} trains them as one stack ({@link StackedMlp}, one batched
 * matmul per layer, {@link StackedUpdater}), {@code dl4jFits} as K separate DL4J nets, each fit on its own minibatch
 * (as {@link StepBenchmark}'s fit does for one). Both are timed per invocation, that is per K cell-steps: divide by K
 * for the cost of one cell-step. relu hidden layers, softmax + cross-entropy, plain SGD, each cell its own initial
 * parameters (its DL4J net's, copied into the stack) and its own minibatch. {@code shape} is {@code net:batch}.
 * <pre>mvn -q -Pjmh compile exec:exec@jmh -Djmh.args="StackedBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -p dtype=float"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
public class StackedBenchmark {
    @Param({"64-32-10:1", "64-32-10:32", "784-100-10:32"})
    public String shape;

    @Param({"1", "4", "16", "64"})
    public int cells;

    @Param({"float", "double"})
    public String dtype;

    private StackedMlp stack;
    private StackedUpdater updater;
    private INDArray x;
    private INDArray y;
    private MultiLayerNetwork[] nets;
    private DataSet[] minibatches;

    @Setup
    public void setUp() {
        Nd4jSetup.singleThreadedOps();
        String[] parts = shape.split(":");
        int[] sizes = StepCase.sizes(parts[0]);
        int batch = Integer.parseInt(parts[1]);
        DataType type = Networks.dtype(dtype);
        int nIn = sizes[0];
        int classes = sizes[sizes.length - 1];
        double lr = 0.01;
        Random random = new Random(1);
        double[][][] xs = new double[cells][batch][nIn];
        double[][][] ys = new double[cells][batch][classes];
        nets = new MultiLayerNetwork[cells];
        minibatches = new DataSet[cells];
        stack = new StackedMlp(sizes, Activation.RELU, Activation.SOFTMAX, Loss.MCXENT, cells, type);
        for (int k = 0; k < cells; k++) {
            for (int e = 0; e < batch; e++) {
                for (int i = 0; i < nIn; i++) {
                    xs[k][e][i] = random.nextGaussian();
                }
                ys[k][e][random.nextInt(classes)] = 1.0;
            }
            nets[k] = Networks.classifier(sizes, "relu", Optimizers.updater("sgd", lr), 1 + k, type);
            minibatches[k] = new DataSet(Tensors.matrix(xs[k], type), Tensors.matrix(ys[k], type));
            stack.setCell(k, Tensors.toDoubles(nets[k].params()));
        }
        x = Nd4j.createFromArray(xs).castTo(type);
        y = Nd4j.createFromArray(ys).castTo(type);
        double[] lrs = new double[cells];
        Arrays.fill(lrs, lr);
        updater = StackedUpdater.sgd(lrs, type);
    }

    /** One step of all K cells as one stack. */
    @Benchmark
    public void stacked() {
        stack.evaluate(x, y);
        updater.step(stack.params(), stack.gradient());
    }

    /** One step of each of K separate DL4J nets. */
    @Benchmark
    public void dl4jFits() {
        for (int k = 0; k < cells; k++) {
            nets[k].fit(minibatches[k]);
        }
    }
}
