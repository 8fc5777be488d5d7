package gdlab.spark;

import gdlab.Main;
import gdlab.experiment.batchmodes.BatchModes;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.ForwardingExperiment;
import gdlab.sweep.Harness;
import gdlab.sweep.SweepRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static gdlab.spark.SparkEngineTest.withoutTimings;
import static gdlab.spark.StandaloneCluster.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sweeps on a real Spark standalone cluster ({@code scripts/spark-cluster}: a master and two 1-core workers, every
 * executor a JVM of its own) that survive the cluster's faults: an executor killed with SIGKILL while its cell runs,
 * a worker killed for good, the driver killed with SIGKILL (then resumed), a cell that throws. Each ends with the
 * local engine's cells.csv (timings aside), every cell once.
 *
 * <p>Each fault is made deterministic by holding one cell ({@link Held}): its first attempt writes its process id to
 * a file and waits while a {@code hold} file exists; the test waits until every other cell is in cells.csv, kills
 * what it kills, then removes {@code hold}, so exactly one cell is in flight when the fault strikes.
 *
 * <p>It uses the cluster in target/spark-cluster (starting what of it is not running) and stops it at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ClusterFaultTest {
    /** batch-modes, tiny: batch and mini-batch x 2 seeds on 80 training examples, 2 epochs. */
    static final Map<String, String> SPEC = Map.of("quick", "true", "max_examples", "100", "max_epochs", "2",
            "hidden", "8", "seeds", "2", "batch_size", "full, 32", "workers", "2", "quiet", "true",
            "curve_batch_sizes", "none");
    static final int CELLS = 4;
    /** Where a {@link Held} cell on an executor finds its gate (passed with {@code spark.executorEnv}). */
    static final String GATE_ENV = "GDLAB_TEST_GATE";
    /** What each test sets for the cluster. */
    static final List<String> SPARK_PROPERTIES = List.of("spark.master", "spark.ui.enabled",
            "spark.executor.extraClassPath", "spark.executorEnv." + GATE_ENV);

    @TempDir
    static Path tmp;
    StandaloneCluster cluster;
    Path localRun;
    Path localOneBad;
    Path gate;
    ExecutorService background;

    @BeforeAll
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void localRuns() {
        localRun = sweep(new BatchModes(), "local", tmp.resolve("local")).folder().dir();
        localOneBad = sweep(new SparkEngineTest.OneBadCell(), "local", tmp.resolve("local-bad")).folder().dir();
    }

    /** Runs after a failed {@code @BeforeAll} or test too. */
    @AfterAll
    void stopTheCluster() {
        StandaloneCluster.stop();
    }

    /** The cluster (bringing back a worker an earlier test killed), Spark's properties for it, a closed gate. */
    @BeforeEach
    void clusterOfTwoWorkers() throws IOException {
        cluster = StandaloneCluster.start(2);
        gate = Files.createTempDirectory(tmp, "gate");
        Files.createFile(gate.resolve("hold"));
        System.setProperty("spark.master", cluster.masterUrl());
        System.setProperty("spark.ui.enabled", "false");
        // the experiments known only here
        System.setProperty("spark.executor.extraClassPath", Path.of("target/test-classes").toAbsolutePath().toString());
        System.setProperty("spark.executorEnv." + GATE_ENV, gate.toString());
        background = Executors.newSingleThreadExecutor();
    }

    /** Whatever happened, no cell waits and no Spark context outlives the test (a JVM holds one at a time). */
    @AfterEach
    void openTheGateAndEndTheSweep() throws Exception {
        openGate();
        background.shutdownNow();
        background.awaitTermination(120, TimeUnit.SECONDS);
        SPARK_PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    @Order(1)
    void aCellThatThrowsOnAnExecutorIsAFailedRowAndTheOthersGoOn() throws IOException {
        openGate();
        SweepRunner.Outcome outcome = sweep(new SparkEngineTest.OneBadCell(), "spark", tmp.resolve("bad"));
        assertSameCells(outcome, localOneBad);
        List<List<String>> cells = withoutTimings(outcome.folder().dir().resolve("cells.csv"));
        assertThat(SparkEngineTest.row(cells.get(0), cells.get(1 + SparkEngineTest.OneBadCell.BAD)))
                .containsEntry("status", "failed")
                .containsEntry("message", "IllegalStateException: cell 3 is bad on purpose");
        assertThat(SparkEngineTest.column(cells, "status")).containsExactly("ok", "ok", "ok", "failed");
        report("cell 3 threw on an executor: a failed row with its message, the other 3 ok; cells.csv same");
    }

    @Test
    @Order(2)
    void anExecutorKilledWhileItsCellRunsCostsOneRetryAndNoCell() throws Exception {
        Path results = tmp.resolve("executor");
        Future<SweepRunner.Outcome> run = background.submit(() -> sweep(new Held(), "spark", results));
        Attempt held = awaitHeldWithTheOthersDone(results, run::isDone);
        assertThat(StandaloneCluster.executors()).extracting(ProcessHandle::pid).contains(held.pid());

        StandaloneCluster.kill(ProcessHandle.of(held.pid()).orElseThrow());
        openGate();
        SweepRunner.Outcome outcome = run.get(240, TimeUnit.SECONDS);

        List<Attempt> attempts = attempts();
        assertThat(attempts).as("the held cell's attempts").hasSize(2);
        assertThat(attempts.get(1).pid()).isNotEqualTo(held.pid());
        assertSameCells(outcome, localRun);
        report("executor " + held + " killed with SIGKILL while cell 0 ran, " + (CELLS - 1) + " of " + CELLS
                + " cells done; cell 0 retried by executor " + attempts.get(1) + "; every cell once, cells.csv same");
    }

    @Test
    @Order(3)
    void aDriverKilledMidRunIsFinishedByResumeOnTheCluster() throws Exception {
        Path results = tmp.resolve("driver");
        Path log = tmp.resolve("driver.log");
        Process driver = driverProcess(results, log);
        try {
            awaitHeldWithTheOthersDone(results, () -> !driver.isAlive());
            StandaloneCluster.kill(driver.toHandle());
        } finally {
            driver.destroyForcibly();
        }
        // the master ends a dead driver's executors, the held one too
        awaitTrue(120, () -> StandaloneCluster.executors().isEmpty(), "the dead driver's executors to end");
        openGate();
        Path run = results.resolve("batch-modes/latest").toRealPath();
        assertThat(Files.readString(run.resolve("run.json"))).contains("\"status\": \"running\"");
        assertThat(withoutTimings(run.resolve("cells.csv"))).hasSize(CELLS);   // the header and all but the held

        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.putAll(Map.of("experiment", "batch-modes", "engine", "spark", "resume", "latest",
                "results_dir", results.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();

        assertThat(attempts()).as("the held cell's attempts: by the killed driver's job only").hasSize(1);
        assertThat(withoutTimings(run.resolve("cells.csv"))).isEqualTo(withoutTimings(localRun.resolve("cells.csv")));
        assertThat(Files.readString(run.resolve("run.json"))).contains("\"resumed\": [" + (CELLS - 1) + "]")
                .contains("\"status\": \"finished\"");
        report("driver (pid " + driver.pid() + ") killed with SIGKILL while cell 0 ran on executor " + attempts().get(0)
                + ", " + (CELLS - 1) + " of " + CELLS + " cells done; the master ended its executors; resume=latest "
                + "on the cluster trained cell 0; cells.csv same");
    }

    @Test
    @Order(4)   // the worker stays dead (the next test's start brings it back)
    void aWorkerKilledForGoodLeavesTheSweepToTheOtherWorker() throws Exception {
        Path results = tmp.resolve("worker");
        Future<SweepRunner.Outcome> run = background.submit(() -> sweep(new Held(), "spark", results));
        Attempt held = awaitHeldWithTheOthersDone(results, run::isDone);
        ProcessHandle executor = ProcessHandle.of(held.pid()).orElseThrow();
        int dead = StandaloneCluster.worker(1).pid() == held.workerPid() ? 1 : 2;
        assertThat(StandaloneCluster.worker(dead).pid()).isEqualTo(held.workerPid());
        long survivor = StandaloneCluster.worker(3 - dead).pid();

        StandaloneCluster.kill(StandaloneCluster.worker(dead));
        // the executor notices that its worker is gone and exits
        awaitTrue(60, () -> !executor.isAlive(), "the dead worker's executor to exit");
        openGate();
        SweepRunner.Outcome outcome = run.get(240, TimeUnit.SECONDS);

        List<Attempt> attempts = attempts();
        assertThat(attempts).as("the held cell's attempts").hasSize(2);
        assertThat(attempts.get(1).workerPid()).as("the retry's worker").isEqualTo(survivor);
        assertSameCells(outcome, localRun);
        report("worker " + dead + " (pid " + held.workerPid() + ") killed with SIGKILL while its executor " + held
                + " ran cell 0, " + (CELLS - 1) + " of " + CELLS + " cells done; the executor exited by itself; cell 0 "
                + "retried by executor " + attempts.get(1) + " on worker " + (3 - dead)
                + "; every cell once, cells.csv same");
    }

    @Test
    @Order(5)   // last: no worker is left
    void aClusterWithNoWorkerStopsTheRunWithAMessageInsteadOfWaitingForEver() throws IOException {
        openGate();
        StandaloneCluster.kill(StandaloneCluster.worker(1));
        StandaloneCluster.kill(StandaloneCluster.worker(2));
        awaitTrue(60, () -> StandaloneCluster.executors().isEmpty(), "the dead workers' executors to exit");
        System.setProperty(SparkEngine.START_TIMEOUT, "15");
        try {
            Path results = tmp.resolve("no-worker");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sweep(new BatchModes(), "spark", results))
                    .hasMessageContaining("no Spark executor started a task within 15 s (spark.gdlab.startTimeout)")
                    .hasMessageContaining("0 of " + CELLS + " cells ran");
        } finally {
            System.clearProperty(SparkEngine.START_TIMEOUT);
        }
        report("both workers killed: the sweep stopped after 15 s saying no executor started a task");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** What a fault test did, for the test log. */
    static void report(String line) {
        System.out.println("cluster fault: " + line);
    }

    /** Every cell once, as the local engine's run has it (timings aside), and a finished run. */
    static void assertSameCells(SweepRunner.Outcome outcome, Path reference) throws IOException {
        assertThat(outcome.results()).extracting(r -> r.cell().index()).containsExactlyInAnyOrder(0, 1, 2, 3);
        Path run = outcome.folder().dir();
        assertThat(withoutTimings(run.resolve("cells.csv"))).isEqualTo(withoutTimings(reference.resolve("cells.csv")));
        assertThat(Files.readString(run.resolve("run.json"))).contains("\"status\": \"finished\"");
    }

    static SweepRunner.Outcome sweep(Experiment experiment, String engine, Path results) {
        PrintStream table = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new SweepRunner(table, System.err, Clock.systemDefaultZone(), Map.of())
                .run(experiment, spec(engine, results));
    }

    static Spec spec(String engine, Path results) {
        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.put("engine", engine);
        props.put("results_dir", results.toString());
        BatchModes batchModes = new BatchModes();
        return Spec.resolve("batch-modes", Harness.allParams(batchModes.params()), Harness.defaults(),
                SpecFile.read(Path.of("experiments/batch-modes.properties")), props);
    }

    /** A driver JVM of its own running the {@link Held} sweep on the cluster. */
    Process driverProcess(Path results, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "@src/spark/java17.args", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))));
        SPARK_PROPERTIES.forEach(p -> command.add("-D" + p + "=" + System.getProperty(p)));
        command.addAll(List.of(HeldSweep.class.getName(), results.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        return builder.start();
    }

    /**
     * Waits until the held cell's first attempt runs and every other cell is in the run's cells.csv (so the held
     * cell is the only one in flight); fails early when {@code ended} (the sweep or its driver stopped first).
     */
    Attempt awaitHeldWithTheOthersDone(Path results, java.util.function.BooleanSupplier ended) {
        Path cells = results.resolve("batch-modes/latest/cells.csv");
        awaitTrue(240, () -> {
            if (ended.getAsBoolean()) {
                throw new AssertionError("the sweep ended before its held cell was killed");
            }
            return attempts().size() == 1 && completeRows(cells) == CELLS - 1;
        }, "the held cell to run with the " + (CELLS - 1) + " others done");
        return attempts().get(0);
    }

    /** cells.csv's finished rows (lines ended by a newline), its header aside. */
    static long completeRows(Path cells) {
        try {
            return Files.exists(cells) ? Files.readString(cells).chars().filter(c -> c == '\n').count() - 1 : 0;
        } catch (IOException e) {
            return 0;   // being replaced
        }
    }

    void openGate() throws IOException {
        if (gate != null) {
            Files.deleteIfExists(gate.resolve("hold"));
        }
    }

    List<Attempt> attempts() {
        try {
            Path file = gate.resolve("attempts");
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> l.endsWith(";"))
                    .map(Attempt::parse).toList() : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One attempt at the held cell: its executor's pid and that executor's worker's pid. */
    record Attempt(long pid, long workerPid) {
        static Attempt parse(String line) {
            String[] f = line.substring(0, line.length() - 1).split(" ");
            return new Attempt(Long.parseLong(f[0]), Long.parseLong(f[1]));
        }

        @Override
        public String toString() {
            return "pid " + pid + " (worker pid " + workerPid + ")";
        }
    }

    // ------------------------------------------------------------------------- experiments known only here

    /**
     * batch-modes, except that cell 0 holds: on an executor whose {@value GATE_ENV} names a folder, it appends
     * "pid workerPid;" to its {@code attempts} file, then waits (at most 240 s) while its {@code hold} file exists.
     */
    public static final class Held extends ForwardingExperiment {
        public Held() {
            super(new BatchModes());
        }

        @Override
        public CellResult run(Cell cell) {
            String gate = System.getenv(GATE_ENV);
            if (cell.index() == 0 && gate != null) {
                hold(Path.of(gate));
            }
            return inner.run(cell);
        }

        private static void hold(Path gate) {
            ProcessHandle me = ProcessHandle.current();
            try {
                Files.writeString(gate.resolve("attempts"), me.pid() + " "
                                + me.parent().map(ProcessHandle::pid).orElse(0L) + ";\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
                while (Files.exists(gate.resolve("hold")) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The driver the driver-killed test starts and kills: the {@link Held} sweep into the folder it is given. */
    public static final class HeldSweep {
        private HeldSweep() {
        }

        public static void main(String[] args) {
            sweep(new Held(), "spark", Path.of(args[0]));
            System.exit(0);
        }
    }
}
