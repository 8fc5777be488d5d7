package gdlab.sweep;

import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker JVMs train the same cells as in-process workers; a cell that throws, or whose worker JVM dies, is a failed
 * row and the others go on; a run started on one engine is finished on the other.
 */
class ProcessEngineTest {
    /** A short batch-modes sweep (on ResumeTest's quick spec): 6 cells of about a second each. */
    static final Map<String, String> SMALL = Map.of("max_epochs", "3", "seeds", "2", "curve_batch_sizes", "none");

    @Test
    void workerJvmsGiveTheLocalEnginesCells(@TempDir Path tmp) throws IOException {
        ResumeTest.Result local = ResumeTest.main(tmp.resolve("local"), with(SMALL, "engine", "local"));
        ResumeTest.Result processes = ResumeTest.main(tmp.resolve("processes"),
                with(SMALL, "engine", "processes", "workers", "2"));
        assertThat(local.status()).as(local.err()).isZero();
        assertThat(processes.status()).as(processes.err()).isZero();
        Path localCells = tmp.resolve("local/batch-modes/latest/cells.csv");
        Path processCells = tmp.resolve("processes/batch-modes/latest/cells.csv");
        assertThat(ResumeTest.dataRows(processCells)).isEqualTo(6);
        assertThat(ResumeTest.withoutTimings(processCells)).isEqualTo(ResumeTest.withoutTimings(localCells));
        assertThat(ResumeTest.withoutTimings(tmp.resolve("processes/batch-modes/latest/curves.csv")))
                .isEqualTo(ResumeTest.withoutTimings(tmp.resolve("local/batch-modes/latest/curves.csv")));
    }

    @Test
    void aRunStartedOnOneEngineIsFinishedOnTheOther(@TempDir Path tmp) throws IOException {
        for (String[] engines : List.of(new String[] {"local", "processes"}, new String[] {"processes", "local"})) {
            Path dir = tmp.resolve(engines[0] + "-then-" + engines[1]);
            assertThat(ResumeTest.main(dir, with(SMALL, "engine", engines[0], "workers", "2")).status()).isZero();
            Path cells = dir.resolve("batch-modes/latest/cells.csv");
            List<List<String>> whole = ResumeTest.withoutTimings(cells);
            // as if interrupted after the first two cells: keep the header and two rows
            List<String> lines = Files.readAllLines(cells);
            Files.writeString(cells, String.join("\r\n", lines.subList(0, 3)) + "\r\n");

            ResumeTest.Result resumed = ResumeTest.main(dir, with(SMALL, "engine", engines[1], "workers", "2",
                    "resume", "latest"));
            assertThat(resumed.status()).as(resumed.err()).isZero();
            assertThat(ResumeTest.withoutTimings(cells)).as(String.join(" then ", engines)).isEqualTo(whole);
            assertThat(Files.readString(dir.resolve("batch-modes/latest/run.json"))).contains("\"resumed\": [2]");
        }
    }

    @Test
    void aCellThatThrowsOrKillsItsWorkerIsAFailedRowAndTheOthersGoOn() {
        Spec spec = new Spec("toy", "", Map.of("workers", List.of("2")), List.of());
        Toy toy = new Toy();
        List<Cell> cells = toy.prepare(spec);
        List<CellResult> seen = Collections.synchronizedList(new ArrayList<>());
        List<CellResult> results = new ProcessEngine(ToyWorker.class.getName())
                .train(toy, spec, cells, seen::add);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(results);
        Map<Integer, CellResult> byIndex = results.stream()
                .collect(Collectors.toMap(r -> r.cell().index(), r -> r));
        assertThat(byIndex.keySet()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(byIndex.get(Toy.THROWS).status()).isEqualTo(CellResult.Status.FAILED);
        assertThat(byIndex.get(Toy.THROWS).message()).isEqualTo("IllegalStateException: cell 2 throws on purpose");
        assertThat(byIndex.get(Toy.KILLS).status()).isEqualTo(CellResult.Status.FAILED);
        assertThat(byIndex.get(Toy.KILLS).message()).contains("the worker JVM (pid ")
                .contains("died while training this cell, exit status 3").contains("not retried");
        results.stream().filter(r -> r.cell().index() != Toy.THROWS && r.cell().index() != Toy.KILLS)
                .sorted(Comparator.comparingInt(r -> r.cell().index()))
                .forEach(r -> {
                    assertThat(r.status()).isEqualTo(CellResult.Status.OK);
                    assertThat(r.metrics()).containsExactly(Map.entry("value", 10 * r.cell().index()),
                            Map.entry("where", ToyWorker.PID_MARK));
                });
    }

    @Test
    void badInputNamesTheValueAndWhatIsAllowed(@TempDir Path tmp) {
        ResumeTest.Result zero = ResumeTest.main(tmp, with(SMALL, "engine", "processes", "workers", "0"));
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.err()).contains("'0'").contains("workers");
        ResumeTest.Result typo = ResumeTest.main(tmp, with(SMALL, "engine", "process"));
        assertThat(typo.status()).isEqualTo(2);
        assertThat(typo.err()).contains("'process'").contains("local, processes, spark");
    }

    @Test
    void workerJvmsGetThisJvmsCollectorFlagsOrTheProjectDefaults() {
        assertThat(ProcessEngine.jvmFlags(List.of("-Xmx4g", "-XX:+UseParallelGC", "-Xmn64m", "-Xlog:gc:file=x",
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-Dmaven.home=/m", "-javaagent:j.jar")))
                .containsExactly("-Xmx4g", "-XX:+UseParallelGC", "-Xmn64m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        assertThat(ProcessEngine.jvmFlags(List.of("-Dclassworlds.conf=x")))
                .containsExactlyElementsOf(ProcessEngine.DEFAULT_JVM_FLAGS);
    }

    private static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** Eight cells of plain Java: cell 2 throws, cell 4 ends its worker JVM (only in a worker JVM). */
    static final class Toy implements Experiment {
        static final int THROWS = 2;
        static final int KILLS = 4;

        @Override
        public String name() {
            return "toy";
        }

        @Override
        public String question() {
            return "Do failures stay in their cells?";
        }

        @Override
        public List<Param> params() {
            return List.of();
        }

        @Override
        public List<Metric> metrics() {
            return Metric.settings("value", "where");
        }

        @Override
        public List<String> curveColumns() {
            return List.of();
        }

        @Override
        public List<Cell> prepare(Spec spec) {
            return IntStream.range(0, 8).mapToObj(i -> new Cell(i, Map.of("i", String.valueOf(i)))).toList();
        }

        @Override
        public CellResult run(Cell cell) {
            if (cell.index() == THROWS) {
                throw new IllegalStateException("cell 2 throws on purpose");
            }
            if (cell.index() == KILLS && ToyWorker.inWorker) {
                Runtime.getRuntime().halt(3);
            }
            return new CellResult(cell, CellResult.Status.OK, "", Metric.values(metrics()).put("value", 10 * cell.index())
                    .put("where", ToyWorker.inWorker ? ToyWorker.PID_MARK : "parent").map(), List.of());
        }

        @Override
        public Report summarize(List<CellResult> results) {
            return new Report(new Table(List.of()), "", List.of(), List.of());
        }
    }

    /** The worker JVMs' main class for {@link Toy}. */
    public static final class ToyWorker {
        static final String PID_MARK = "worker";
        static volatile boolean inWorker;

        public static void main(String[] args) throws IOException {
            inWorker = true;
            ProcessWorker.serve(args, name -> new Toy());
            System.exit(0);
        }
    }
}
