package gdlab.spark;

import gdlab.Main;
import gdlab.experiment.batchmodes.BatchModes;
import gdlab.report.Csv;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.ForwardingExperiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SweepRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Spark engine in Spark's local mode (local[2]): the same cells as the local engine, a throwing cell as a failed
 * row, results on the driver as tasks finish, and resume across engines. Run with {@code mvn -Pspark verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkEngineTest {
    /** batch-modes, small: 3 modes x 2 seeds on 80 training examples, 2 epochs. */
    static final Map<String, String> SPEC = Map.of("experiment", "batch-modes", "quick", "true",
            "max_examples", "100", "max_epochs", "2", "hidden", "8", "seeds", "2", "workers", "2", "quiet", "true",
            "curve_batch_sizes", "none");

    @TempDir
    static Path tmp;
    Path localRun;
    Path sparkRun;
    int preparationsOfSparkRun;

    @BeforeAll
    void bothEngines() throws IOException {
        System.setProperty("spark.master", "local[2]");
        System.setProperty("spark.ui.enabled", "false");
        assertThat(main(tmp.resolve("local"), Map.of("engine", "local")).status()).isZero();
        localRun = tmp.resolve("local/batch-modes/latest").toRealPath();
        int before = CellTask.Prepared.preparations();
        Result spark = main(tmp.resolve("spark"), Map.of("engine", "spark"));
        assertThat(spark.status()).as(spark.err()).isZero();
        preparationsOfSparkRun = CellTask.Prepared.preparations() - before;
        sparkRun = tmp.resolve("spark/batch-modes/latest").toRealPath();
    }

    @AfterAll
    void clearSparkProperties() {
        System.clearProperty("spark.master");
        System.clearProperty("spark.ui.enabled");
    }

    @Test
    void theStartTimeoutIsAWholeNumberOfSecondsOrTheRunStopsNamingIt() {
        org.apache.spark.SparkConf conf = new org.apache.spark.SparkConf(false);
        assertThat(SparkEngine.startTimeoutSeconds(conf)).isEqualTo(SparkEngine.START_TIMEOUT_DEFAULT);
        assertThat(SparkEngine.startTimeoutSeconds(conf.clone().set(SparkEngine.START_TIMEOUT, " 20 "))).isEqualTo(20);
        for (String bad : List.of("0", "-5", "1.5", "soon")) {
            assertThatThrownBy(() -> SparkEngine.startTimeoutSeconds(conf.clone().set(SparkEngine.START_TIMEOUT, bad)))
                    .isInstanceOf(gdlab.spec.BadInputException.class)
                    .hasMessage("bad value '" + bad + "' for spark.gdlab.startTimeout; allowed: a whole number of "
                            + "seconds >= 1");
        }
    }

    @Test
    void sparkGivesTheLocalEnginesCellsCurvesAndSummary() throws IOException {
        List<List<String>> cells = withoutTimings(sparkRun.resolve("cells.csv"));
        assertThat(cells).hasSize(1 + 6);
        assertThat(cells).isEqualTo(withoutTimings(localRun.resolve("cells.csv")));
        assertThat(column(cells, "status")).containsOnly("ok");
        assertThat(withoutTimings(sparkRun.resolve("curves.csv")))
                .isEqualTo(withoutTimings(localRun.resolve("curves.csv")));
        assertThat(withoutTimings(sparkRun.resolve("summary.csv")))
                .isEqualTo(withoutTimings(localRun.resolve("summary.csv")));
        assertThat(Files.readString(sparkRun.resolve("run.json"))).contains("\"engine\": \"spark\"")
                .contains("\"status\": \"finished\"");
        // local[2] is one JVM: the experiment was prepared there once for all six cells
        assertThat(preparationsOfSparkRun).isEqualTo(1);
    }

    @Test
    void aCellThatThrowsIsAFailedRowWithItsMessageAndTheRunGoesOn() throws IOException {
        Spec spec = spec(Map.of("engine", "spark", "results_dir", tmp.resolve("bad").toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SweepRunner.Outcome outcome = new SweepRunner(new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, Clock.systemDefaultZone(), Map.of()).run(new OneBadCell(), spec);

        Path run = outcome.folder().dir();
        List<List<String>> cells = withoutTimings(run.resolve("cells.csv"));
        List<List<String>> expected = withoutTimings(localRun.resolve("cells.csv"));
        assertThat(cells).hasSize(expected.size());
        List<String> header = cells.get(0);
        for (int i = 1; i < cells.size(); i++) {
            Map<String, String> row = row(header, cells.get(i));
            if (i - 1 == OneBadCell.BAD) {
                assertThat(row).containsEntry("status", "failed")
                        .containsEntry("message", "IllegalStateException: cell " + OneBadCell.BAD + " is bad on purpose")
                        .containsEntry("final_train_loss", "");
                assertThat(row(header, expected.get(i))).containsEntry("status", "ok");
            } else {
                assertThat(cells.get(i)).as("cell %d", i - 1).isEqualTo(expected.get(i));
            }
        }
        assertThat(outcome.results()).hasSize(6);
        assertThat(run.resolve("summary.md")).exists();
        assertThat(Files.readString(run.resolve("summary.md"))).contains("6 cells (5 ok, 0 diverged, 1 failed)");
        assertThat(Files.readString(run.resolve("run.json"))).contains("\"cells_failed\": 1");
    }

    @Test
    void aRunStartedLocallyIsFinishedOnSpark() throws IOException {
        Path interrupted = interruptedCopy(localRun, tmp.resolve("local-then-spark"), 2);
        Result resumed = main(tmp.resolve("unused"), Map.of("engine", "spark", "resume", interrupted.toString()));
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertFinishedLike(interrupted, localRun, 2);
    }

    @Test
    void aRunStartedOnSparkIsFinishedLocally() throws IOException {
        Path interrupted = interruptedCopy(sparkRun, tmp.resolve("spark-then-local"), 3);
        Result resumed = main(tmp.resolve("unused"), Map.of("engine", "local", "resume", interrupted.toString()));
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertFinishedLike(interrupted, sparkRun, 3);
    }

    /**
     * cells.csv fills as tasks finish: cell 1 cannot end before the driver has had cell 0's result, so an engine
     * that only delivered results at the end of the job would fail cell 1.
     */
    @Test
    void eachResultReachesTheDriverWhileOtherTasksStillRun() {
        Relay relay = new Relay();
        Spec spec = Relay.spec();
        List<Cell> cells = relay.prepare(spec);
        List<String> order = new ArrayList<>();
        List<CellResult> results = new SparkEngine().train(relay, spec, cells, r -> {
            order.add(r.cell().index() + ":" + Thread.currentThread().getName());
            if (r.cell().index() == 0) {
                Relay.driverHasCell0.countDown();
            }
        });
        assertThat(results).hasSize(2);
        assertThat(results).allSatisfy(r -> assertThat(r.status()).as(r.message()).isEqualTo(CellResult.Status.OK));
        String caller = Thread.currentThread().getName();
        assertThat(order).containsExactly("0:" + caller, "1:" + caller);   // on the caller's thread, in order
    }

    /** An executor whose grid is not the driver's (other data, say) fails every cell, saying so. */
    @Test
    void anExecutorThatPreparesAnotherGridFailsItsCellsWithTheReason() {
        Drifting drifting = new Drifting();
        Spec spec = Relay.spec();
        List<Cell> cells = drifting.prepare(spec);
        List<CellResult> results = new SparkEngine().train(drifting, spec, cells, r -> { });
        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(CellResult.Status.FAILED);
            assertThat(r.message()).startsWith("IllegalStateException: this executor's grid differs from the "
                    + "driver's at cell " + r.cell().index());
            assertThat(r.metrics()).isEmpty();
        });
    }

    /** A task that itself fails (here: its result cannot be sent back) stops the run, saying how far it got. */
    @Test
    void aFailedSparkJobStopsTheRunWithWhatIsKept() {
        Unsendable unsendable = new Unsendable();
        Spec spec = Relay.spec();
        List<CellResult> delivered = new ArrayList<>();
        assertThatThrownBy(() -> new SparkEngine().train(unsendable, spec, unsendable.prepare(spec), delivered::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the Spark job failed after 0 of 2 cells (those are in cells.csv: finish "
                        + "with -Dresume=latest): ")
                .hasMessageContaining("not serializable");
        assertThat(delivered).isEmpty();
    }

    @Test
    void sparkPropertiesConfigureTheEngineAndTheMasterDefaultsToAllLocalCores() {
        Spec spec = Relay.spec();
        assertThat(SparkEngine.configuration(spec).get("spark.master")).isEqualTo("local[2]");
        System.clearProperty("spark.master");
        try {
            assertThat(SparkEngine.configuration(spec).get("spark.master")).isEqualTo("local[*]");
            assertThat(SparkEngine.configuration(spec).get("spark.app.name")).isEqualTo("gdlab relay");
        } finally {
            System.setProperty("spark.master", "local[2]");
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    record Result(int status, String out, String err) {
    }

    static Result main(Path results, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.put("results_dir", results.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Spec spec(Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.remove("experiment");
        props.putAll(extra);
        return Spec.resolve("batch-modes", Harness.allParams(new BatchModes().params()), Harness.defaults(),
                SpecFile.read(Path.of("experiments/batch-modes.properties")), props);
    }

    /** A copy of a finished run folder as an interrupted run leaves it: only its first {@code kept} cells. */
    static Path interruptedCopy(Path run, Path dir, int kept) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        List<List<String>> cells = Csv.parse(Files.readString(run.resolve("cells.csv")));
        StringBuilder text = new StringBuilder();
        cells.subList(0, 1 + kept).forEach(r -> text.append(Csv.line(r)));
        Files.writeString(dir.resolve("cells.csv"), text);
        Files.delete(dir.resolve("summary.md"));
        Files.delete(dir.resolve("summary.csv"));
        return dir;
    }

    /** The resumed run kept its first cells untouched (their timings too) and equals the whole run otherwise. */
    static void assertFinishedLike(Path resumed, Path whole, int kept) throws IOException {
        List<List<String>> all = Csv.parse(Files.readString(resumed.resolve("cells.csv")));
        List<List<String>> reference = Csv.parse(Files.readString(whole.resolve("cells.csv")));
        assertThat(all.subList(0, 1 + kept)).as("kept rows, timings included").isEqualTo(reference.subList(0, 1 + kept));
        assertThat(withoutTimings(resumed.resolve("cells.csv"))).isEqualTo(withoutTimings(whole.resolve("cells.csv")));
        assertThat(withoutTimings(resumed.resolve("summary.csv"))).isEqualTo(withoutTimings(whole.resolve("summary.csv")));
        assertThat(withoutTimings(resumed.resolve("curves.csv"))).isEqualTo(withoutTimings(whole.resolve("curves.csv")));
        assertThat(Files.readString(resumed.resolve("run.json"))).contains("\"resumed\": [" + kept + "]")
                .contains("\"status\": \"finished\"");
    }

    static List<List<String>> withoutTimings(Path csv) throws IOException {
        List<List<String>> records = Csv.parse(Files.readString(csv));
        List<String> header = records.get(0);
        List<List<String>> kept = new ArrayList<>();
        for (List<String> r : records) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (!header.get(i).endsWith("_ms") && !header.get(i).contains("_ms_")) {
                    row.add(r.get(i));
                }
            }
            kept.add(row);
        }
        return kept;
    }

    static Map<String, String> row(List<String> header, List<String> values) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            m.put(header.get(i), values.get(i));
        }
        return m;
    }

    static List<String> column(List<List<String>> records, String name) {
        int i = records.get(0).indexOf(name);
        return records.subList(1, records.size()).stream().map(r -> r.get(i)).toList();
    }

    // ------------------------------------------------------------------------- experiments known only here

    /** batch-modes, except that one cell throws (each executor re-creates it by its class). */
    public static final class OneBadCell extends ForwardingExperiment {
        static final int BAD = 3;

        public OneBadCell() {
            super(new BatchModes());
        }

        @Override
        public CellResult run(Cell cell) {
            if (cell.index() == BAD) {
                throw new IllegalStateException("cell " + BAD + " is bad on purpose");
            }
            return inner.run(cell);
        }
    }

    /** Two cells without ND4J; cell 1 waits (at most 60 s) until the driver has cell 0's result. */
    public static class Relay implements Experiment {
        static final CountDownLatch driverHasCell0 = new CountDownLatch(1);

        static Spec spec() {
            return new Spec("relay", "", Map.of("seeds", List.of("1")), List.of());
        }

        @Override
        public String name() {
            return "relay";
        }

        @Override
        public String question() {
            return "do results reach the driver as tasks finish?";
        }

        @Override
        public List<Param> params() {
            return List.of();
        }

        @Override
        public List<gdlab.report.Metric> metrics() {
            return List.of(gdlab.report.Metric.timing("waited_ms"));
        }

        @Override
        public List<String> curveColumns() {
            return List.of();
        }

        @Override
        public List<Cell> prepare(Spec spec) {
            return List.of(new Cell(0, Map.of("part", "first")), new Cell(1, Map.of("part", "second")));
        }

        @Override
        public CellResult run(Cell cell) {
            long start = System.nanoTime();
            if (cell.index() == 1) {
                try {
                    if (!driverHasCell0.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("cell 0's result never reached the driver while cell 1 ran");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return new CellResult(cell, CellResult.Status.OK, "",
                    Map.of("waited_ms", (System.nanoTime() - start) / 1e6), List.of());
        }

        @Override
        public Report summarize(List<CellResult> results) {
            throw new UnsupportedOperationException();
        }
    }

    /** A result that cannot travel back to the driver: the task, not the cell, fails. */
    public static final class Unsendable extends Relay {
        @Override
        public CellResult run(Cell cell) {
            return new CellResult(cell, CellResult.Status.OK, "", Map.of("waited_ms", new Object()), List.of());
        }
    }

    /** A grid that changes with every preparation: the driver's and the executor's never agree. */
    public static final class Drifting extends Relay {
        static final AtomicInteger PREPARED = new AtomicInteger();

        @Override
        public List<Cell> prepare(Spec spec) {
            String version = String.valueOf(PREPARED.incrementAndGet());
            return List.of(new Cell(0, Map.of("version", version)), new Cell(1, Map.of("version", version)));
        }

        @Override
        public CellResult run(Cell cell) {
            throw new AssertionError("never reached: the grid check comes first");
        }
    }
}
