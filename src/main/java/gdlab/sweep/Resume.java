package gdlab.sweep;

import gdlab.report.Csv;
import gdlab.report.Json;
import gdlab.report.RunFolder;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Picking up an interrupted run: the cells already in its cells.csv are kept, the rest are trained. The spec
 * must be the one the run started with (apart from how it runs: workers, quiet, results_dir, resume, engine, and which file held it).
 */
final class Resume {
    /** Keys that say how a run is carried out, not what it computes. */
    static final Set<String> HOW_KEYS = Harness.HOW_KEYS;

    private Resume() {
    }

    /** {@code latest} or a run folder path; it must hold a run.json of the same experiment. */
    static RunFolder locate(String resume, Spec spec) {
        Path dir = resume.equals("latest")
                ? Path.of(spec.string(Harness.RESULTS_DIR)).resolve(spec.experiment()).resolve("latest")
                : Path.of(resume);
        try {
            if (Files.isRegularFile(dir)) {   // a text pointer where symbolic links are not available
                dir = dir.resolveSibling(Files.readString(dir).strip());
            }
            dir = dir.toRealPath();
        } catch (IOException e) {
            throw new BadInputException("bad value '" + resume + "' for resume: no run folder at " + dir
                    + "; allowed: latest or the path of a run folder");
        }
        if (!Files.isRegularFile(dir.resolve("run.json"))) {
            throw new BadInputException("bad value '" + resume + "' for resume: " + dir + " has no run.json");
        }
        return RunFolder.open(dir);
    }

    /** The run's recorded spec; refuses to go on when the experiment or any computing key differs. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> checkSameSpec(RunFolder folder, Spec spec) {
        Map<String, Object> info;
        try {
            info = (Map<String, Object>) Json.parse(Files.readString(folder.file("run.json")));
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new BadInputException("cannot resume " + folder.dir() + ": unreadable run.json (" + e.getMessage()
                    + ")");
        }
        if (!spec.experiment().equals(info.get("experiment"))) {
            throw new BadInputException("cannot resume " + folder.dir() + ": it is a run of '"
                    + info.get("experiment") + "', not '" + spec.experiment() + "'");
        }
        Map<String, Object> old = info.get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, String> now = spec.flat();
        List<String> changes = new ArrayList<>();
        Set<String> keys = new TreeMap<String, Object>(old).keySet();
        java.util.SortedSet<String> all = new java.util.TreeSet<>(keys);
        all.addAll(now.keySet());
        for (String k : all) {
            if (HOW_KEYS.contains(k)) {
                continue;
            }
            String before = old.containsKey(k) ? String.valueOf(old.get(k)) : "(unset)";
            String after = now.getOrDefault(k, "(unset)");
            if (!Objects.equals(before, after)) {
                changes.add(k + ": " + before + " -> " + after);
            }
        }
        if (!changes.isEmpty()) {
            throw new BadInputException("cannot resume " + folder.dir() + ": the spec changed since it started ("
                    + String.join("; ", changes) + "); resume with the same settings or start a new run");
        }
        return info;
    }

    /**
     * The finished cells recorded in the folder, by index, with their curves. Rewrites cells.csv and curves.csv
     * to hold exactly those (a torn last line and the curves of a cell that never finished are dropped).
     */
    static Map<Integer, CellResult> load(RunFolder folder, List<Cell> cells, List<String> cellHeader,
                                         List<String> curveHeader, Experiment experiment) {
        List<List<String>> records = folder.committedRecords("cells.csv");
        Map<Integer, CellResult> done = new TreeMap<>();
        if (records.isEmpty()) {
            return done;
        }
        if (!records.get(0).equals(cellHeader)) {
            throw new BadInputException("cannot resume " + folder.dir() + ": its cells.csv columns "
                    + records.get(0) + " differ from this version's " + cellHeader);
        }
        int coordCount = cellHeader.size() - 3 - experiment.metricColumns().size();
        for (List<String> row : records.subList(1, records.size())) {
            if (row.size() != cellHeader.size()) {
                continue;
            }
            int index = Integer.parseInt(row.get(0));
            Cell cell = index < cells.size() ? cells.get(index) : null;
            List<String> coords = row.subList(1, 1 + coordCount);
            if (cell == null || !new ArrayList<>(cell.coords().values()).equals(coords)) {
                throw new BadInputException("cannot resume " + folder.dir() + ": its cell " + index + " " + coords
                        + " is not this grid's cell " + index);
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            List<String> names = experiment.metricColumns();
            for (int m = 0; m < names.size(); m++) {
                metrics.put(names.get(m), Csv.value(row.get(1 + coordCount + m)));
            }
            CellResult.Status status = CellResult.Status.valueOf(row.get(row.size() - 2).toUpperCase(java.util.Locale.ROOT));
            done.put(index, new CellResult(cell, status, row.get(row.size() - 1), metrics, new ArrayList<>()));
        }
        Map<Integer, List<List<Object>>> curves = new LinkedHashMap<>();
        List<List<String>> curveRecords = folder.committedRecords("curves.csv");
        for (List<String> row : curveRecords.isEmpty() ? List.<List<String>>of() : curveRecords.subList(1, curveRecords.size())) {
            int index = Integer.parseInt(row.get(0));
            if (done.containsKey(index) && row.size() == curveHeader.size()) {
                List<Object> point = new ArrayList<>();
                row.subList(1 + coordCount, row.size()).forEach(v -> point.add(Csv.value(v)));
                curves.computeIfAbsent(index, k -> new ArrayList<>()).add(point);
            }
        }
        curves.forEach((i, c) -> {
            CellResult r = done.get(i);
            done.put(i, new CellResult(r.cell(), r.status(), r.message(), r.metrics(), c));
        });
        return done;
    }
}
