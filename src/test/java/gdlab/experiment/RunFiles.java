package gdlab.experiment;

import gdlab.report.Claim;
import gdlab.report.Csv;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading a run folder back in tests: its CSV files as rows, and its cells as the results summarize() takes. */
public final class RunFiles {
    private RunFiles() {
    }

    public static List<Map<String, String>> rows(Path file) throws IOException {
        return Csv.rows(Files.readString(file));
    }

    /** The rows without their wall-time columns ({@code *_ms}), which differ from run to run. */
    public static List<Map<String, String>> withoutTimings(List<Map<String, String>> rows) {
        rows.forEach(r -> r.keySet().removeIf(k -> k.endsWith("_ms")));
        return rows;
    }

    /** The run's cells as {@code experiment} returned them: coordinates, metrics by name, status and curve. */
    public static List<CellResult> results(Path run, Experiment experiment) throws IOException {
        List<String> header = Csv.parse(Files.readString(run.resolve("cells.csv"))).get(0);
        List<String> metricNames = experiment.metricColumns();
        List<String> coordNames = header.subList(1, header.size() - 2 - metricNames.size());
        Map<Integer, List<List<Object>>> curves = new LinkedHashMap<>();
        Path curveFile = run.resolve("curves.csv");
        if (Files.exists(curveFile)) {
            for (Map<String, String> r : rows(curveFile)) {
                List<Object> point = new ArrayList<>();
                experiment.curveColumns().forEach(c -> point.add(Csv.value(r.get(c))));
                curves.computeIfAbsent(Integer.parseInt(r.get("cell")), k -> new ArrayList<>()).add(point);
            }
        }
        List<CellResult> out = new ArrayList<>();
        for (Map<String, String> r : rows(run.resolve("cells.csv"))) {
            int index = Integer.parseInt(r.get("cell"));
            Map<String, String> coords = new LinkedHashMap<>();
            coordNames.forEach(k -> coords.put(k, r.get(k)));
            CellResult.Status status = CellResult.Status.valueOf(r.get("status").toUpperCase(Locale.ROOT));
            Map<String, Object> metrics = new LinkedHashMap<>();
            if (status != CellResult.Status.FAILED) {
                metricNames.forEach(m -> metrics.put(m, Csv.value(r.get(m))));
            }
            out.add(new CellResult(new Cell(index, coords), status, r.get("message"), metrics,
                    curves.getOrDefault(index, List.of())));
        }
        return out;
    }

    /** {@code experiment} prepared with its shipped spec file and {@code quick=true}, ready to summarize results. */
    public static <E extends Experiment> E quick(E experiment) {
        experiment.prepare(Spec.resolve(experiment.name(), Harness.allParams(experiment.params()), Harness.defaults(),
                SpecFile.read(Path.of("experiments/" + experiment.name() + ".properties")), Map.of("quick", "true")));
        return experiment;
    }

    /** {@code r} with metric {@code name} set to {@code value}. */
    public static CellResult with(CellResult r, String name, Object value) {
        Map<String, Object> metrics = new LinkedHashMap<>(r.metrics());
        metrics.put(name, value);
        return new CellResult(r.cell(), r.status(), r.message(), metrics, r.curve());
    }

    /** The claim of {@code report} with this id. */
    public static Claim claim(Report report, String id) {
        return report.claims().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
