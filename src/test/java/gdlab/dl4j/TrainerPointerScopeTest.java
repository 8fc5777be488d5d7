package gdlab.dl4j;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why {@link Trainer} may free, at the end of each update, every pointer JavaCPP allocated during it (its
 * {@link PointerScope} per update): none of them is reachable once the update has returned, for every kind of net
 * and solver the experiments train (the MLPs, the CNN, a custom updater, momentum and Adam state, a line-search
 * solver), from the very first update of a fresh net (when DL4J creates its workspaces and the updater's state) on.
 * The garbage collector frees such a pointer once it is unreachable; the scope only does it sooner. Bit-identical
 * results are TrainerEquivalenceTest's part.
 */
class TrainerPointerScopeTest {

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    /** A scope that frees nothing and keeps a weak reference to every pointer attached to it. */
    static final class Watching extends PointerScope {
        private final List<WeakReference<Pointer>> seen;

        Watching(List<WeakReference<Pointer>> seen) {
            this.seen = seen;
        }

        @Override
        public PointerScope attach(Pointer p) {
            seen.add(new WeakReference<>(p));
            return super.attach(p);
        }

        @Override
        public void close() {
            extend(); // leave the pointers to the garbage collector, as without a scope
            super.close();
        }
    }

    static DataSet[] minibatches(INDArray x, INDArray y, int batch) {
        int n = (int) x.rows();
        DataSet[] batches = new DataSet[(n + batch - 1) / batch];
        for (int k = 0; k < batches.length; k++) {
            int from = k * batch;
            int to = Math.min(n, from + batch);
            batches[k] = new DataSet(x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                    y.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        }
        return batches;
    }

    static double[][] features(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    /** Trains as Trainer does, each update in a watching scope; then no pointer seen may still be reachable. */
    static void assertNoPointerOutlivesItsUpdate(MultiLayerNetwork net, INDArray x, INDArray y, int batch) {
        DataSet[] batches = minibatches(x, y, batch);
        List<WeakReference<Pointer>> seen = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (DataSet b : batches) {
                try (PointerScope step = new Watching(seen)) {
                    net.fit(b);
                    net.score();
                }
            }
        }
        assertThat(seen).as("pointers JavaCPP allocated in the updates").isNotEmpty();
        long deadline = System.nanoTime() + 30_000_000_000L;
        long alive;
        do {
            System.gc();
            alive = seen.stream().filter(r -> r.get() != null).count();
        } while (alive > 0 && System.nanoTime() < deadline);
        assertThat(alive).as("of %d pointers allocated in updates, still reachable after them", seen.size())
                .isZero();
        // the net, the data and the minibatch views were reachable all along, and still train
        double before = net.score(new DataSet(x, y));
        net.fit(batches[0]);
        assertThat(before).isFinite();
        assertThat(net.params().isEmpty()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"1,sgd,relu,float", "32,sgd,relu,float", "50,adam,tanh,double", "7,nesterov,sigmoid,float",
            "8,momentum,relu,double", "5,rmsprop,leakyrelu,float"})
    void noPointerAllocatedInAnUpdateOfAnMlpOutlivesIt(int batch, String updater, String activation, String dtype) {
        DataType type = Networks.dtype(dtype);
        int n = 50;
        INDArray x = Tensors.matrix(features(n, 4, 1), type);
        INDArray y = Tensors.oneHot(new Random(3).ints(n, 0, 3).toArray(), 3, type);
        MultiLayerNetwork net = Networks.classifier(new int[] {4, 6, 5, 3}, activation,
                Optimizers.updater(updater, 0.05), 5, type);
        assertNoPointerOutlivesItsUpdate(net, x, y, batch);
    }

    @Test
    void noPointerAllocatedInAnUpdateOfTheCnnOutlivesIt() {
        int n = 24;
        INDArray x = Tensors.matrix(features(n, 64, 2), DataType.FLOAT);
        INDArray y = Tensors.oneHot(new Random(4).ints(n, 0, 10).toArray(), 10, DataType.FLOAT);
        MultiLayerNetwork net = Cnn.digits(4, 8, "relu", "xavier", 0.01, Optimizers.updater("adam", 1e-3), 1,
                DataType.FLOAT);
        assertNoPointerOutlivesItsUpdate(net, x, y, 8);
    }

    @Test
    void noPointerAllocatedInALineSearchUpdateOutlivesIt() {
        int n = 30;
        INDArray x = Tensors.matrix(features(n, 4, 5), DataType.DOUBLE);
        INDArray y = Tensors.oneHot(new Random(6).ints(n, 0, 3).toArray(), 3, DataType.DOUBLE);
        for (String solver : Solvers.NAMES) {
            MultiLayerNetwork net = Solvers.withAlgorithm(Networks.classifier(new int[] {4, 5, 3}, "tanh",
                    Optimizers.updater("sgd", 0.1), 2, DataType.DOUBLE),
                    Solvers.algorithm(solver));
            assertNoPointerOutlivesItsUpdate(net, x, y, 10);
        }
    }
}
