package gdlab.sweep;

import gdlab.report.Claim;
import gdlab.report.Figure;
import gdlab.report.Json;
import gdlab.report.Metric;
import gdlab.report.Plots;
import gdlab.report.RunFolder;
import gdlab.report.RunPage;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one experiment's sweep into a run folder: every cell on a pool of workers, each finished cell appended to
 * cells.csv at once, then the summary. Writes nothing before the experiment has accepted the spec.
 */
public final class SweepRunner {
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Map<String, Object> environment;

    /**
     * @param environment versions, backend and machine facts for run.json
     */
    public SweepRunner(PrintStream out, PrintStream err, Clock clock, Map<String, Object> environment) {
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.environment = environment;
    }

    /**
     * Outcome of a run: its folder, its cells and the experiment's report (an empty one when every cell failed:
     * there is nothing to summarize).
     */
    public record Outcome(RunFolder folder, List<CellResult> results, Report report) {
        /** True when no cell trained: every one threw. */
        public boolean allCellsFailed() {
            return !results.isEmpty() && results.stream().allMatch(r -> r.status() == CellResult.Status.FAILED);
        }

        /** The exit status is 1: the experiment found a failure, or every cell failed. */
        public boolean failed() {
            return allCellsFailed() || report.fails();
        }
    }

    public Outcome run(Experiment experiment, Spec spec) {
        List<Cell> cells = experiment.prepare(spec);
        rejectSameCellTwice(cells);
        Engine engine = Engine.named(spec.string(Harness.ENGINE));
        List<String> coordColumns = cells.isEmpty() ? List.of() : new ArrayList<>(cells.get(0).coords().keySet());
        List<String> cellHeader = cellHeader(coordColumns, experiment.metricColumns());
        List<String> curveHeader = curveHeader(coordColumns, experiment.curveColumns());

        String resume = spec.string(Harness.RESUME);
        RunFolder folder;
        Map<String, Object> runInfo;
        Map<Integer, CellResult> done;
        if (resume.isEmpty()) {
            folder = RunFolder.create(Path.of(spec.string(Harness.RESULTS_DIR)), experiment.name(), hash(spec),
                    LocalDateTime.now(clock));
            runInfo = runInfo(experiment, spec, cells.size());
            runInfo.put("coords", coordColumns);
            runInfo.put("metrics", experiment.metricColumns());
            runInfo.put("metric_kinds", Metric.toJson(experiment.metrics()));
            if (!experiment.facts().isEmpty()) {
                runInfo.put("facts", experiment.facts());
            }
            done = Map.of();
            folder.markLatest();
        } else {
            folder = Resume.locate(resume, spec);
            runInfo = Resume.checkSameSpec(folder, spec);
            done = Resume.load(folder, cells, cellHeader, curveHeader, experiment);
            List<Integer> resumes = new ArrayList<>();
            if (runInfo.get("resumed") instanceof List<?> earlier) {
                earlier.forEach(e -> resumes.add(((Number) e).intValue()));
            }
            resumes.add(done.size());
            runInfo.put("resumed", resumes);
            runInfo.put("status", "running");
            runInfo.putAll(environment);
            // keep exactly the finished cells: drops a torn last line and curves of unfinished cells
            Table kept = new Table(cellHeader);
            Table keptCurves = new Table(curveHeader);
            done.values().forEach(r -> {
                kept.add(cellRecord(r, coordColumns, experiment.metricColumns()));
                curveRecords(r, coordColumns).forEach(keptCurves::add);
            });
            folder.writeAtomically("cells.csv", kept.toCsv());
            folder.writeAtomically("curves.csv", keptCurves.toCsv());
        }
        folder.writeAtomically("run.json", Json.write(runInfo));
        try (InterruptHook hook = InterruptHook.install(folder, runInfo, ResumeCommand.of(spec, folder.dir()), err)) {
            return train(experiment, spec, engine, cells, done, folder, runInfo, hook);
        }
    }

    /**
     * run.json's {@code stacked_cells}: the indices of the cells trained in a stack of two or more (this run's and
     * any earlier part's of a resumed run); only the local engine stacks, so another engine with {@code stack} above
     * 1 gets a {@code stack_note} saying so.
     */
    private void recordStacks(Experiment experiment, Spec spec, Engine engine, List<Cell> todo,
                              Map<String, Object> runInfo, boolean quiet) {
        int stack = spec.integer(Harness.STACK);
        java.util.TreeSet<Integer> stacked = new java.util.TreeSet<>();
        if (runInfo.get("stacked_cells") instanceof List<?> earlier) {
            earlier.forEach(e -> stacked.add(((Number) e).intValue()));
        }
        if (engine instanceof LocalEngine) {
            stacked.addAll(Stacks.stackedIndices(experiment, stack, todo));
        } else if (stack > 1) {
            String note = "stack=" + stack + " applies to the local engine only: engine "
                    + spec.string(Harness.ENGINE) + " trains one cell at a time";
            runInfo.put("stack_note", note);
            progress(quiet, experiment.name() + ": " + note);
        }
        runInfo.put("stacked_cells", new ArrayList<>(stacked));
    }

    /** Trains the cells a run still lacks and writes its results; {@code hook} writes the final run.json. */
    private Outcome train(Experiment experiment, Spec spec, Engine engine, List<Cell> cells,
                          Map<Integer, CellResult> done, RunFolder folder, Map<String, Object> runInfo,
                          InterruptHook hook) {
        boolean quiet = spec.bool(Harness.QUIET);
        List<String> coordColumns = cells.isEmpty() ? List.of() : new ArrayList<>(cells.get(0).coords().keySet());
        List<String> cellHeader = cellHeader(coordColumns, experiment.metricColumns());
        List<String> curveHeader = curveHeader(coordColumns, experiment.curveColumns());
        List<Cell> todo = cells.stream().filter(c -> !done.containsKey(c.index())).toList();
        progress(quiet, experiment.name() + ": " + cells.size() + " cells" + (done.isEmpty() ? ""
                : " (" + done.size() + " already done, " + todo.size() + " to train)") + ", "
                + engine.describe(spec) + ", run folder " + folder.dir());

        recordStacks(experiment, spec, engine, todo, runInfo, quiet);
        folder.writeAtomically("run.json", Json.write(runInfo));
        Instant start = clock.instant();
        List<CellResult> results = new ArrayList<>(done.values());
        results.addAll(trainAll(engine, experiment, spec, todo, r -> {
            // curves first: a cell counts as finished only once its cells.csv row is there
            folder.appendRecords("curves.csv", curveHeader, curveRecords(r, coordColumns));
            folder.appendRecord("cells.csv", cellHeader, cellRecord(r, coordColumns, experiment.metricColumns()));
        }));
        results.sort(Comparator.comparingInt(r -> r.cell().index()));

        // the append logs, rewritten in grid order so equal runs give equal files
        Table cellsTable = new Table(cellHeader);
        Table curves = new Table(curveHeader);
        for (CellResult r : results) {
            cellsTable.add(cellRecord(r, coordColumns, experiment.metricColumns()));
            curveRecords(r, coordColumns).forEach(curves::add);
        }
        folder.writeAtomically("cells.csv", cellsTable.toCsv());
        folder.writeAtomically("curves.csv", curves.toCsv());

        Outcome outcome = new Outcome(folder, results, new Report(new Table(List.of()), "", List.of(), List.of()));
        if (outcome.allCellsFailed()) {
            runInfo.put("status", "failed");
            runInfo.put("wall_time_ms", Duration.between(start, clock.instant()).toMillis());
            runInfo.put("cells_failed", results.size());
            hook.finish(runInfo);
            folder.markLatest();
            CellResult first = results.get(0);
            err.println("gdlab: all " + results.size() + " cells failed; the first, cell " + first.cell().index()
                    + " (" + first.cell().label() + "): " + first.message().replaceAll("\\s+", " ").strip());
            err.flush();
            return outcome;
        }
        Report report = experiment.summarize(results);
        StringBuilder figures = new StringBuilder();
        for (Figure figure : report.figures()) {
            try {
                Plots.write(figure, folder.dir(), spec.bool(Harness.SVG));
                figures.append("![").append(figure.title()).append("](").append(figure.name()).append(".png)\n\n");
            } catch (RunFolder.ResultWriteException e) {
                throw e;
            } catch (RuntimeException e) {
                // a figure the plotting library cannot draw must not cost the run its tables
                figures.append("_Figure '").append(figure.name()).append("' could not be drawn: ")
                        .append(e).append("_\n\n");
                progress(quiet, "warning: figure " + figure.name() + " could not be drawn: " + e);
            }
        }
        Duration wall = Duration.between(start, clock.instant());
        String markdown = "# " + experiment.name() + ": " + experiment.question() + "\n\n"
                + (spec.hypothesis().isEmpty() ? "" : "**Hypothesis.** " + spec.hypothesis() + "\n\n")
                + report.markdown().strip() + "\n\n"
                + (report.claims().isEmpty() ? "" : Claim.markdown(report.claims()) + "\n")
                + (figures.length() == 0 ? "" : "### Figures\n\n" + figures)
                + String.format(java.util.Locale.ROOT, "_%d cells (%d ok, %d diverged, %d failed)%s in %.1f s; run folder %s_%n",
                results.size(), count(results, CellResult.Status.OK), count(results, CellResult.Status.DIVERGED),
                count(results, CellResult.Status.FAILED),
                done.isEmpty() ? "" : ", " + done.size() + " of them from the interrupted run,",
                wall.toMillis() / 1000.0, folder.dir());
        folder.writeAtomically("summary.csv", report.summary().toCsv());
        folder.writeAtomically("summary.md", markdown);
        folder.writeAtomically("claims.csv", Claim.table(report.claims()).toCsv());
        runInfo.put("status", "finished");
        runInfo.put("wall_time_ms", wall.toMillis());
        runInfo.put("cells_failed", count(results, CellResult.Status.FAILED));
        hook.finish(runInfo);
        RunPage.write(folder, markdown, runInfo);
        folder.markLatest();
        out.print(markdown);
        out.flush();
        return new Outcome(folder, results, report);
    }

    /**
     * Two sweep values that resolve to one point ({@code batch_size=full,320} on 320 examples) would give the same
     * cell twice and pool the copies as if they were two seeds.
     */
    static void rejectSameCellTwice(List<Cell> cells) {
        Map<Map<String, String>, Cell> seen = new java.util.HashMap<>();
        for (Cell cell : cells) {
            Cell first = seen.putIfAbsent(cell.coords(), cell);
            if (first != null) {
                throw new BadInputException("cells " + first.index() + " and " + cell.index() + " are the same ("
                        + cell.label() + "): two sweep values resolve to one; list each setting once");
            }
        }
    }

    static List<List<Object>> curveRecords(CellResult r, List<String> coordColumns) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> point : r.curve()) {
            List<Object> row = new ArrayList<>();
            row.add(r.cell().index());
            coordColumns.forEach(c -> row.add(r.cell().coords().get(c)));
            row.addAll(point);
            rows.add(row);
        }
        return rows;
    }

    private List<CellResult> trainAll(Engine engine, Experiment experiment, Spec spec, List<Cell> cells,
                                      java.util.function.Consumer<CellResult> onFinished) {
        try (Progress progress = Progress.of(experiment.name(), cells.size(), spec.bool(Harness.QUIET), err, clock)) {
            return engine.train(experiment, spec, cells, r -> {
                onFinished.accept(r);
                progress.finished(r.cell(), r);
            });
        }
    }

    static List<String> curveHeader(List<String> coordColumns, List<String> curveColumns) {
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(coordColumns);
        header.addAll(curveColumns);
        return header;
    }

    static List<String> cellHeader(List<String> coordColumns, List<String> metricColumns) {
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(coordColumns);
        header.addAll(metricColumns);
        header.add("status");
        header.add("message");
        return header;
    }

    static List<Object> cellRecord(CellResult r, List<String> coordColumns, List<String> metricColumns) {
        List<Object> row = new ArrayList<>();
        row.add(r.cell().index());
        coordColumns.forEach(c -> row.add(r.cell().coords().get(c)));
        row.addAll(r.metricRow(metricColumns));
        row.add(r.status());
        row.add(r.message());
        return row;
    }

    private Map<String, Object> runInfo(Experiment experiment, Spec spec, int cellCount) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", experiment.name());
        info.put("question", experiment.question());
        info.put("hypothesis", spec.hypothesis());
        info.put("status", "running");
        info.put("started", clock.instant().toString());
        info.put("cells", cellCount);
        info.put("seeds", Harness.seeds(spec));
        info.put("spec", spec.flat());
        info.put("overridden", spec.overridden());
        info.put("spec_hash", hash(spec));
        info.put("git_commit", GitInfo.commit());
        info.putAll(environment);
        return info;
    }

    private static long count(List<CellResult> results, CellResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    private void progress(boolean quiet, String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }

    /** Seven hex digits of SHA-256 over the experiment and its resolved spec (names the run folder). */
    public static String hash(Spec spec) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(spec.experiment().getBytes(StandardCharsets.UTF_8));
            spec.flat().forEach((k, v) -> {
                if (!Resume.HOW_KEYS.contains(k)) {
                    sha.update(("\n" + k + "=" + v).getBytes(StandardCharsets.UTF_8));
                }
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
