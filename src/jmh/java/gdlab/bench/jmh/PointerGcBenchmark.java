package gdlab.bench.jmh;

import gdlab.bench.StepCase;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Nd4jSetup;
import org.bytedeco.javacpp.Pointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where DL4J's fixed cost per step goes, and why two fitting threads in one JVM barely beat one: every ND4J op
 * allocates small native buffers (shape information, op contexts) that JavaCPP registers for deallocation by the
 * garbage collector. {@code fitPointerGc} runs as sweeps do (JavaCPP's resident-memory check off, as
 * {@link Nd4jSetup} sets it); {@code fitPointerGcRssCheck} with that check on at JavaCPP's default limit (4 x the heap),
 * as before gdlab turned it off: it reads /proc/self/statm for every pointer registered; {@code fitNoPointerGc} runs
 * in a JVM with
 * {@code -Dorg.bytedeco.javacpp.nopointergc=true}, where JavaCPP skips that registration. Both forks cap the Java
 * heap at 512 MB and print the resident set size after every iteration: without the pointer GC those buffers are
 * never freed, so it grows far past the heap, without bound, which is why sweeps keep the default. Run with {@code -t 1} and {@code -t 2} (threads, each with its own net):
 * <pre>mvn -q -Pjmh compile exec:exec@jmh -Djmh.args="PointerGcBenchmark -t 2"</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PointerGcBenchmark {
    private StepCase step;

    @Setup
    public void setUp() {
        Nd4jSetup.singleThreadedOps();
        step = new StepCase(StepCase.sizes("64-32-10"), 32, Networks.dtype("float"), "relu", "sgd", 0.01, 1);
    }

    @TearDown(Level.Iteration)
    public void residentSetSize() {
        System.out.printf(Locale.ROOT, "  [resident set size %.0f MB]%n", Pointer.physicalBytes() / 1e6);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Xmx512m")
    public void fitPointerGc() {
        step.fit();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g"})
    public void fitPointerGcRssCheck() {
        step.fit();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Dorg.bytedeco.javacpp.nopointergc=true"})
    public void fitNoPointerGc() {
        step.fit();
    }
}
