package gdlab.bench;

import gdlab.report.Plots;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.ForwardingExperiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SweepRunner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One whole sweep of another experiment through the ordinary {@link SweepRunner} (spec, run folder, CSV, summary,
 * plots), into a temporary folder, with the experiment wrapped so the time inside its own code is measured: the
 * preparation, each cell's {@code run} (building the net, converting data, training, evaluating) and the summary.
 * The rest of the wall time is the harness: the worker pool, run-folder writes, progress and the plots.
 */
public final class SweepProbe {
    private SweepProbe() {
    }

    /**
     * @param wallMs      the sweep's wall time, {@code SweepRunner.run} from call to return
     * @param cells       cells trained
     * @param prepareMs   the experiment's {@code prepare} (data loading, grid)
     * @param cellMsSum   sum over cells of the time inside {@code run(cell)}
     * @param trainingMsSum sum over cells of the training loop's update time (its {@code epoch_time_ms} curve
     *                    column summed; NaN if the experiment has none)
     * @param summarizeMs the experiment's {@code summarize}
     * @param plotsMs     drawing the report's figures again, after the run, into a scratch folder: an estimate
     *                    of the plots' part of the rest
     * @param steps       each cell's training-loop time per update, in the sweep (its {@code epoch_time_ms}
     *                    summed over its {@code updates}), with its {@code batch_size}; empty if the experiment
     *                    has no such columns
     */
    public record Result(int workers, double wallMs, int cells, double prepareMs, double cellMsSum,
                         double trainingMsSum, double summarizeMs, double plotsMs, List<Step> steps) {

        public double cellsPerMinute() {
            return cells / (wallMs / 60_000.0);
        }

        /** Share of the workers' capacity (workers x wall time) spent outside the cells' own code. */
        public double harnessShare() {
            return 1 - cellMsSum / (workers * wallMs);
        }

        /** Share of the workers' capacity spent outside the training loop's updates. */
        public double outsideTrainingShare() {
            return 1 - trainingMsSum / (workers * wallMs);
        }

        /** Wall time in neither prepare, the cells (per worker) nor summarize: pool, run folder, plots. */
        public double restMs() {
            return wallMs - prepareMs - cellMsSum / workers - summarizeMs;
        }
    }

    /** One cell's training-loop milliseconds per update inside a sweep, and its batch size. */
    public record Step(String batch, double ms) {
    }

    /**
     * Runs {@code experiment} (a fresh instance) with its spec file, the given overrides, {@code engine} and
     * {@code workers}, quietly, into a temporary results folder that is deleted afterwards. With an engine that trains
     * the cells in other JVMs, the time inside the cells is not seen here: {@code cellMsSum} is NaN.
     */
    public static Result run(Experiment experiment, Map<String, String> overrides, String engine, int workers,
                             Map<String, Object> environment) {
        Path dir;
        try {
            dir = Files.createTempDirectory("gdlab-bench-sweep");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Timed timed = new Timed(experiment);
            Map<String, String> props = new LinkedHashMap<>(overrides);
            props.put(Harness.WORKERS, String.valueOf(workers));
            props.put(Harness.ENGINE, engine);
            props.put(Harness.QUIET, "true");
            props.put(Harness.RESULTS_DIR, dir.toString());
            SpecFile file = SpecFile.read(Path.of("experiments", experiment.name() + ".properties"));
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            long t0 = System.nanoTime();
            Spec spec = Spec.resolve(experiment.name(), Harness.allParams(timed.params()), Harness.defaults(), file, props);
            SweepRunner.Outcome outcome = new SweepRunner(nowhere, nowhere, Clock.systemDefaultZone(), environment)
                    .run(timed, spec);
            double wall = (System.nanoTime() - t0) / 1e6;
            int column = timed.curveColumns().indexOf("epoch_time_ms");
            double training = column < 0 ? Double.NaN : outcome.results().stream()
                    .flatMap(r -> r.curve().stream())
                    .mapToDouble(p -> ((Number) p.get(column)).doubleValue()).sum();
            long failed = outcome.results().stream().filter(r -> r.status() == CellResult.Status.FAILED).count();
            if (failed > 0) {
                throw new IllegalStateException(failed + " cells of the " + experiment + " sweep failed: "
                        + outcome.results().stream().filter(r -> r.status() == CellResult.Status.FAILED)
                        .findFirst().map(CellResult::message).orElse(""));
            }
            Path scratch = Files.createDirectory(dir.resolve("plots-again"));
            long p0 = System.nanoTime();
            outcome.report().figures().forEach(f -> Plots.write(f, scratch));
            double plots = (System.nanoTime() - p0) / 1e6;
            double cellSum = engine.equals("local") ? timed.cells.get() / 1e6 : Double.NaN;
            return new Result(workers, wall, outcome.results().size(), timed.prepare.get() / 1e6, cellSum, training,
                    timed.summarize.get() / 1e6, plots, steps(outcome.results(), timed.curveColumns()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(dir);
        }
    }

    private static List<Step> steps(List<CellResult> results, List<String> curveColumns) {
        int time = curveColumns.indexOf("epoch_time_ms");
        int updates = curveColumns.indexOf("updates");
        List<Step> steps = new java.util.ArrayList<>();
        for (CellResult r : results) {
            String batch = r.coords().get("batch_size");
            if (time < 0 || updates < 0 || batch == null || r.curve().isEmpty()) {
                continue;
            }
            double ms = r.curve().stream().mapToDouble(p -> ((Number) p.get(time)).doubleValue()).sum();
            double n = r.curve().stream().mapToDouble(p -> ((Number) p.get(updates)).doubleValue()).max()
                    .orElse(0);
            // a cell whose curve is not timed (batch-modes' steps-to-target points) says nothing about the step
            if (n > 0 && Double.isFinite(ms)) {
                steps.add(new Step(batch, ms / n));
            }
        }
        return steps;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    /** An experiment that measures the time spent in its own methods. */
    static final class Timed extends ForwardingExperiment {
        final AtomicLong prepare = new AtomicLong();
        final AtomicLong cells = new AtomicLong();
        final AtomicLong summarize = new AtomicLong();

        Timed(Experiment inner) {
            super(inner);
        }

        @Override
        public List<Cell> prepare(Spec spec) {
            long t0 = System.nanoTime();
            try {
                return inner.prepare(spec);
            } finally {
                prepare.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public CellResult run(Cell cell) {
            long t0 = System.nanoTime();
            try {
                return inner.run(cell);
            } finally {
                cells.addAndGet(System.nanoTime() - t0);
            }
        }

        @Override
        public Report summarize(List<CellResult> results) {
            long t0 = System.nanoTime();
            try {
                return inner.summarize(results);
            } finally {
                summarize.addAndGet(System.nanoTime() - t0);
            }
        }
    }
}
