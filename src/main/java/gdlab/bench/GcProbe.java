package gdlab.bench;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.EpochOrder;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a sweep's step goes: batch-modes' stochastic cell (digits, 64-32-10 relu, float, B = 1, lr 0.01) trained in
 * Trainer's loop, one line per epoch with its wall time, the garbage collections during it (count and pause time),
 * JavaCPP's registered pointers and the process's physical memory. {@code scope=step} or {@code scope=epoch} runs the
 * updates in a JavaCPP {@link PointerScope} (and counts, by class, the pointers one step or epoch attaches);
 * {@code scope=none} leaves them to the collector. Run it with the JVM flags under study:
 * <pre>
 * mvn -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * OMP_NUM_THREADS=1 java -XX:+UseParallelGC -Xmn64m -XX:SurvivorRatio=2 -cp target/classes:$(cat /tmp/cp.txt) \
 *     gdlab.bench.GcProbe epochs=8 scope=none
 * </pre>
 * Keys: {@code epochs} (8), {@code batch} (1), {@code cells} (1, seeds 1..cells), {@code scope} (none),
 * {@code score} (true: the full training loss after each epoch).
 */
public final class GcProbe {
    static final class Counting extends PointerScope {
        final Map<String, Integer> counts;

        Counting(Map<String, Integer> counts) {
            this.counts = counts;
        }

        @Override
        public PointerScope attach(Pointer p) {
            if (counts != null) {
                counts.merge(p.getClass().getSimpleName(), 1, Integer::sum);
            }
            return super.attach(p);
        }
    }

    public static void main(String[] args) {
        Map<String, String> a = new TreeMap<>();
        for (String s : args) {
            a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "8"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "1"));
        String scope = a.getOrDefault("scope", "none");
        boolean score = Boolean.parseBoolean(a.getOrDefault("score", "true"));
        int cells = Integer.parseInt(a.getOrDefault("cells", "1"));
        Nd4jSetup.singleThreadedOps();
        Dataset data = Datasets.load("digits");
        Split split = Split.of(data, 0.2, 42, 0);
        Dataset train = split.train();
        DataType dtype = DataType.FLOAT;
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        int n = (int) x.rows();
        INDArray xs = Nd4j.createUninitialized(dtype, x.shape(), 'c');
        INDArray ys = Nd4j.createUninitialized(dtype, y.shape(), 'c');
        DataSet[] batches = new DataSet[(n + batch - 1) / batch];
        for (int k = 0; k < batches.length; k++) {
            int from = k * batch;
            int to = Math.min(n, from + batch);
            batches[k] = new DataSet(xs.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                    ys.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
        }
        DataSet all = new DataSet(x, y);
        Map<String, Integer> counts = new TreeMap<>();
        long start = System.nanoTime();
        for (int cell = 1; cell <= cells; cell++) {
            MultiLayerNetwork net = Networks.classifier(new int[] {64, 32, 10}, "relu",
                    Optimizers.updater("sgd", batch == 1 ? 0.01 : 0.5), cell, dtype);
            double sum = 0;
            for (int e = 0; e < epochs; e++) {
                int[] order = EpochOrder.shuffled(cell, e, n);
                Nd4j.pullRows(x, xs, 1, order);
                Nd4j.pullRows(y, ys, 1, order);
                long[] gc0 = gc();
                long c0 = Pointer.totalCount();
                long t0 = System.nanoTime();
                if (scope.equals("epoch")) {
                    try (PointerScope s = new Counting(e == 1 && cell == 1 ? counts : null)) {
                        for (DataSet b : batches) {
                            net.fit(b);
                            sum += net.score();
                        }
                    }
                } else {
                    for (int k = 0; k < batches.length; k++) {
                        if (scope.equals("step")) {
                            try (PointerScope s = new Counting(e == 1 && cell == 1 && k == 5 ? counts : null)) {
                                net.fit(batches[k]);
                                sum += net.score();
                            }
                        } else {
                            net.fit(batches[k]);
                            sum += net.score();
                        }
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                long[] gc1 = gc();
                double loss = score ? net.score(all) : Double.NaN;
                System.out.printf(Locale.ROOT, "cell %d epoch %2d  %7.1f ms  %.3f ms/step  gc %d (%d ms)  "
                                + "javacpp live %d (+%d)  physical %.0f MB  loss %.9g%n", cell, e + 1, ms,
                        ms / batches.length, gc1[0] - gc0[0], gc1[1] - gc0[1], Pointer.totalCount(),
                        Pointer.totalCount() - c0, Pointer.physicalBytes() / 1e6, loss);
            }
            System.out.printf(Locale.ROOT, "cell %d params sum %.9g minibatch loss sum %.12g%n", cell,
                    net.params().sumNumber().doubleValue(), sum);
        }
        System.out.printf(Locale.ROOT, "total %.1f s; attached in one step/epoch: %s%n",
                (System.nanoTime() - start) / 1e9, counts);
        System.exit(0);
    }

    static long[] gc() {
        long c = 0;
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            c += b.getCollectionCount();
            t += b.getCollectionTime();
        }
        return new long[] {c, t};
    }
}
