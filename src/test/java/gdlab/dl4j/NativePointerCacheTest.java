package gdlab.dl4j;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Why {@link Trainer} does not free each update's native pointers at its end (a JavaCPP {@link PointerScope} per
 * update): ND4J's op executioner caches some pointers per thread (argument arrays keyed by their size, an extra-args
 * array), creating them in whichever update first needs them. On a thread that has not trained before, some pointer
 * allocated in the first updates is therefore still reachable after them; a scope would free it while the cache
 * keeps handing it out (a sweep's JVM died with SIGSEGV in {@code sd::DataBuffer::primary()} that way).
 */
class NativePointerCacheTest {

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
            extend(); // leave the pointers to the garbage collector, as Trainer does
            super.close();
        }
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

    /** Builds and trains a small Adam net on a new thread, each update in a watching scope. */
    @Test
    void aPointerAllocatedInTheFirstUpdatesOfAFreshThreadOutlivesThem() throws Exception {
        List<WeakReference<Pointer>> seen = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread fresh = new Thread(() -> {
            try {
                INDArray x = Tensors.matrix(features(40, 4, 7), DataType.DOUBLE);
                INDArray y = Tensors.oneHot(new Random(8).ints(40, 0, 3).toArray(), 3, DataType.DOUBLE);
                MultiLayerNetwork net = Networks.classifier(new int[] {4, 6, 3}, "relu",
                        Optimizers.updater("adam", 0.05), 9, DataType.DOUBLE);
                for (int step = 0; step < 30; step++) {
                    try (PointerScope scope = new Watching(seen)) {
                        net.fit(new DataSet(x, y));
                        net.score();
                    }
                }
                // the thread lives on (as a sweep's worker does) while we look at what is still reachable
                AtomicLong alive = new AtomicLong();
                for (int i = 0; i < 5; i++) {
                    System.gc();
                    alive.set(seen.stream().filter(r -> r.get() != null).count());
                }
                assertThat(seen).as("pointers JavaCPP allocated in the updates").isNotEmpty();
                assertThat(alive.get()).as("of %d pointers allocated in updates, still reachable after them",
                        seen.size()).isPositive();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "fresh-cell-thread");
        fresh.start();
        fresh.join();
        assertThat(failure.get()).as("on a fresh thread").isNull();
    }
}
