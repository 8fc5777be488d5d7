package gdlab.sweep;

import gdlab.experiment.batchmodes.BatchModes;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.ForwardingExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run in which every cell throws is a failed run (exit 1), not a finished one; some failed cells are not. */
class AllCellsFailedTest {
    @TempDir
    Path results;

    /** batch-modes whose cells throw: all of them, or only the one with index {@code bad}. */
    static final class Throwing extends ForwardingExperiment {
        private final int bad;

        Throwing(int bad) {
            super(new BatchModes());
            this.bad = bad;
        }

        @Override
        public CellResult run(Cell cell) {
            if (bad < 0 || cell.index() == bad) {
                throw new IllegalStateException("cell " + cell.index() + " throws\non purpose");
            }
            return inner.run(cell);
        }
    }

    Spec spec() {
        BatchModes experiment = new BatchModes();
        Map<String, String> overrides = new HashMap<>(Map.of("quick", "true", "max_epochs", "1", "seeds", "1",
                "quiet", "true", "workers", "1", "results_dir", results.toString(), "curve_batch_sizes", "none"));
        return Spec.resolve(experiment.name(), Harness.allParams(experiment.params()), Harness.defaults(),
                SpecFile.read(Path.of("experiments/batch-modes.properties")), overrides);
    }

    record Run(SweepRunner.Outcome outcome, String runJson, String err) {
    }

    Run run(int bad) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        SweepRunner.Outcome outcome = new SweepRunner(new PrintStream(new ByteArrayOutputStream()), errStream,
                Clock.systemDefaultZone(), Map.of()).run(new Throwing(bad), spec());
        return new Run(outcome, Files.readString(outcome.folder().file("run.json")),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCellFailingIsAFailedRunWithTheFirstFailureOnOneStderrLine() throws IOException {
        Run r = run(-1);
        assertThat(r.outcome().allCellsFailed()).isTrue();
        assertThat(r.outcome().failed()).as("exit status 1").isTrue();
        assertThat(r.runJson()).contains("\"status\": \"failed\"").contains("\"cells_failed\": 3");
        List<String> lines = r.err().lines().toList();
        // lr is lr_ratio x lr_crit, measured at the start: its digits are the machine's
        assertThat(lines.get(lines.size() - 1)).matches("gdlab: all 3 cells failed; the first, cell 0"
                + " \\(part=modes mode=batch batch_size=320 lr_ratio=0\\.9 lr=[0-9.]+ seed=1\\): "
                + "IllegalStateException: cell 0 throws on purpose");
        assertThat(r.outcome().folder().file("cells.csv")).exists();
    }

    @Test
    void someCellsFailingIsStillAFinishedRun() throws IOException {
        Run r = run(1);
        assertThat(r.outcome().allCellsFailed()).isFalse();
        assertThat(r.outcome().failed()).as("exit status 0").isFalse();
        assertThat(r.runJson()).contains("\"status\": \"finished\"").contains("\"cells_failed\": 1");
        assertThat(r.err()).doesNotContain("cells failed");
    }
}
