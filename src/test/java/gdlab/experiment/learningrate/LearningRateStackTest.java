package gdlab.experiment.learningrate;

import gdlab.Main;
import gdlab.report.Csv;
import gdlab.report.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * learning-rate with {@code stack=16} writes the table {@code stack=1} writes (every number within 1e-10 relative in
 * double, statuses and regimes the same), says in run.json which cells it stacked (the sweep cells, not the
 * searches), and a partly finished stacked run resumed trains only the missing cells, in stacks, to the same table.
 */
class LearningRateStackTest {
    static final Map<String, String> SPEC = Map.of("experiment", "learning-rate", "quick", "true",
            "lr_ratio", "1e-4, 0.5, 1.05, 10", "seeds", "2", "workers", "2", "quiet", "true");

    static String run(Path results, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(SPEC);
        props.put("results_dir", results.toString());
        props.putAll(extra);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return err.toString(StandardCharsets.UTF_8);
    }

    static List<List<String>> cells(Path run) throws IOException {
        List<List<String>> rows = new ArrayList<>(Csv.parse(Files.readString(run.resolve("cells.csv"))));
        List<String> header = rows.remove(0);
        rows.sort((a, b) -> Integer.compare(Integer.parseInt(a.get(0)), Integer.parseInt(b.get(0))));
        rows.add(0, header);
        return rows;
    }

    /** Equal cell by cell: text the same, numbers within 1e-10 relative, timings skipped. */
    static void assertSameTable(List<List<String>> expected, List<List<String>> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        List<String> header = expected.get(0);
        assertThat(actual.get(0)).isEqualTo(header);
        for (int r = 1; r < expected.size(); r++) {
            for (int c = 0; c < header.size(); c++) {
                String a = expected.get(r).get(c);
                String b = actual.get(r).get(c);
                if (header.get(c).endsWith("_ms") || a.equals(b)) {
                    continue;
                }
                String what = "row " + r + " " + header.get(c) + ": " + a + " vs " + b;
                if (header.get(c).equals("message")) {
                    assertThat(b.replaceAll("[-0-9.eE]+", "#")).as(what).isEqualTo(a.replaceAll("[-0-9.eE]+", "#"));
                    continue;
                }
                double x = Double.parseDouble(a);
                double y = Double.parseDouble(b);
                assertThat(Math.abs(x - y)).as(what).isLessThanOrEqualTo(1e-10 * Math.max(Math.abs(x), 1e-300));
            }
        }
    }

    @Test
    void stackedSweepWritesTheTableOfOneCellAtATimeAndResumesInStacks(@TempDir Path tmp) throws IOException {
        run(tmp.resolve("one"), Map.of("stack", "1"));
        run(tmp.resolve("stacked"), Map.of("stack", "16"));
        Path one = tmp.resolve("one/learning-rate/latest");
        Path stacked = tmp.resolve("stacked/learning-rate/latest");
        List<List<String>> expected = cells(one);
        assertSameTable(expected, cells(stacked));

        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) Json.parse(Files.readString(stacked.resolve("run.json")));
        int taskColumn = expected.get(0).indexOf("task");
        List<Integer> sweepCells = expected.subList(1, expected.size()).stream()
                .filter(r -> r.get(taskColumn).equals(LearningRate.SWEEP))
                .map(r -> Integer.parseInt(r.get(0))).sorted().toList();
        assertThat(info.get("stacked_cells")).asList().map(o -> ((Number) o).intValue())
                .containsExactlyElementsOf(sweepCells);
        assertThat(((Map<?, ?>) Json.parse(Files.readString(one.resolve("run.json")))).get("stacked_cells")).asList().isEmpty();

        // a stacked run cut short: its cells.csv keeps the searches and half of the sweep rows
        List<String> lines = List.of(Files.readString(stacked.resolve("cells.csv")).split("\r\n"));
        int keep = 1 + (lines.size() - 1) / 2;
        Files.writeString(stacked.resolve("cells.csv"), String.join("\r\n", lines.subList(0, keep)) + "\r\n");
        String err = run(tmp.resolve("stacked"), Map.of("stack", "16", "quiet", "false",
                "resume", stacked.toRealPath().toString()));
        assertThat(err).contains((keep - 1) + " already done, " + (lines.size() - keep) + " to train");
        assertSameTable(expected, cells(stacked));
    }
}
