package gdlab.bench.jmh;

import gdlab.bench.StepCase;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import org.nd4j.linalg.dataset.DataSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * One training step, per net x batch x dtype, in milliseconds: DL4J fit, the plain-Java reference, the step's gemms
 * alone, and the per-step minibatch copy the training loop made before the benchmarks ({@code getRows}). The same
 * workloads as the bench experiment's step cells ({@link StepCase}), under JMH's warm-up and forking.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StepBenchmark {
    @Param({"4-10-3", "64-32-10", "784-100-10"})
    public String net;

    @Param({"1", "32", "256", "1024"})
    public int batch;

    @Param({"float", "double"})
    public String dtype;

    private StepCase step;

    @Setup
    public void setUp() {
        Nd4jSetup.singleThreadedOps();
        step = new StepCase(StepCase.sizes(net), batch, Networks.dtype(dtype), "relu", "sgd", 0.01, 1);
    }

    @Benchmark
    public void fit() {
        step.fit();
    }

    @Benchmark
    public double reference() {
        return step.reference();
    }

    @Benchmark
    public void gemm() {
        step.gemm();
    }

    /** What each step of the loop before the benchmarks added to fit; the loop now adds no per-step copy. */
    @Benchmark
    public DataSet legacyMinibatchCopy() {
        return step.legacyCopy();
    }
}
