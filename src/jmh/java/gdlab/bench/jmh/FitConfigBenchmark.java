package gdlab.bench.jmh;

import gdlab.bench.StepCase;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.nd4j.linalg.factory.Nd4j;
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
 * DL4J fit under the settings a cell could choose by its size: ND4J/BLAS threads (1 or 2) and DL4J's training
 * workspaces (ENABLED, DL4J's default, or NONE). Sweeps use 1 thread per worker and the default workspaces.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FitConfigBenchmark {
    @Param({"64-32-10", "784-100-10"})
    public String net;

    @Param({"32", "1024"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    @Param({"ENABLED", "NONE"})
    public String workspaces;

    private StepCase step;

    @Setup
    public void setUp() {
        Nd4jSetup.singleThreadedOps();
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        step = new StepCase(StepCase.sizes(net), batch, Networks.dtype("float"), "relu", "sgd", 0.01, 1);
        step.workspaces(WorkspaceMode.valueOf(workspaces));
    }

    @Benchmark
    public void fit() {
        step.fit();
    }
}
