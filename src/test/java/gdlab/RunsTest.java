package gdlab;

import gdlab.report.Csv;
import gdlab.report.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -Dexperiment=runs} over run folders made here: order, status, cell and claim counts, odd folders. */
class RunsTest {
    @TempDir
    Path results;

    Path run(String relative, String experiment, String started, String status, List<String> overridden,
             String cells, String claims) throws IOException {
        Path dir = Files.createDirectories(results.resolve(relative));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("experiment", experiment);
        info.put("status", status);
        info.put("started", started);
        info.put("cells", 4);
        info.put("spec", Map.of("quick", "true", "lr", "0.3", "results_dir", "/x", "quiet", "true"));
        info.put("overridden", overridden);
        Files.writeString(dir.resolve("run.json"), Json.write(info));
        if (cells != null) {
            Files.writeString(dir.resolve("cells.csv"), cells.replace("\n", Csv.EOL));
        }
        if (claims != null) {
            Files.writeString(dir.resolve("claims.csv"), claims.replace("\n", Csv.EOL));
        }
        return dir;
    }

    static final String FOUR_CELLS = """
            cell,lr,seed,loss,status,message
            0,0.3,1,0.1,ok,
            1,0.3,2,NaN,diverged,loss became NaN
            2,0.3,3,,failed,"boom, badly"
            3,0.3,4,0.2,ok,
            """;
    static final String CLAIMS = """
            claim,kind,statement,measured,expected,verdict
            a,integrity,A.,1,1,holds
            b,integrity,B.,2,1,does not hold
            c,finding,C.,3,1,does not hold
            d,finding,D.,-,1,not tested
            """;

    static List<String> cells(String tableLine) {
        List<String> cells = List.of(tableLine.substring(1, tableLine.length() - 1).split("\\|"));
        return cells.stream().map(String::strip).toList();
    }

    @Test
    void everyRunNewestFirstWithStatusCellsOverriddenKeysAndClaims() throws IOException {
        run("batch-modes/20261204-100000-aaaaaaa", "batch-modes", "2026-12-04T10:00:00.123Z", "finished",
                List.of("quick", "lr", "results_dir", "quiet"), FOUR_CELLS, CLAIMS);
        run("momentum/20261204-120000-bbbbbbb", "momentum", "2026-12-04T12:00:00Z", "interrupted",
                List.of("results_dir"), "cell,lr,seed,loss,status,message\n0,0.3,1,0.1,ok,\n1,0.3,2,0.1,o", null);
        run("baseline/batch-modes", "batch-modes", "2026-12-01T08:00:00Z", "finished", List.of("quick"),
                FOUR_CELLS, CLAIMS);
        run("epochs/20261204-130000-ccccccc", "epochs", "2026-12-04T13:00:00Z", "running", List.of(), null, null);
        Files.createSymbolicLink(results.resolve("batch-modes/latest"), Path.of("20261204-100000-aaaaaaa"));

        String table = Runs.markdown(results);
        List<String> lines = table.lines().toList();
        assertThat(cells(lines.get(0))).isEqualTo(Runs.COLUMNS);
        assertThat(lines).hasSize(2 + 4);   // the latest link is not a fifth run
        assertThat(cells(lines.get(2))).containsExactly("2026-12-04T13:00:00Z", "epochs",
                "epochs/20261204-130000-ccccccc", "running", "4", "0", "0", "0", "-", "-", "-");
        assertThat(cells(lines.get(3))).containsExactly("2026-12-04T12:00:00Z", "momentum",
                "momentum/20261204-120000-bbbbbbb", "interrupted", "4", "1", "0", "0", "-", "-", "-");
        assertThat(cells(lines.get(4))).containsExactly("2026-12-04T10:00:00Z", "batch-modes",
                "batch-modes/20261204-100000-aaaaaaa", "finished", "4", "2", "1", "1", "quick=true lr=0.3", "1/4",
                "1");
        assertThat(cells(lines.get(5))).containsExactly("2026-12-01T08:00:00Z", "batch-modes", "baseline/batch-modes",
                "finished", "4", "2", "1", "1", "quick=true", "1/4", "1");
    }

    @Test
    void aRunJsonThatCannotBeReadIsARowSayingSoListedLast() throws IOException {
        run("batch-modes/20261204-100000-aaaaaaa", "batch-modes", "2026-12-04T10:00:00Z", "finished",
                List.of(), FOUR_CELLS, CLAIMS);
        Path broken = Files.createDirectories(results.resolve("momentum/20261204-110000-bbbbbbb"));
        Files.writeString(broken.resolve("run.json"), "{\"experiment\": ");
        List<String> lines = Runs.markdown(results).lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(cells(lines.get(2)).get(2)).isEqualTo("batch-modes/20261204-100000-aaaaaaa");
        assertThat(cells(lines.get(3))).containsExactly("-", "momentum", "momentum/20261204-110000-bbbbbbb",
                "unreadable run.json", "-", "-", "-", "-", "-", "-", "-");
    }

    @Test
    void aResultsDirHoldingOneExperimentsRunsListsThemToo() throws IOException {
        run("20261204-100000-aaaaaaa", "batch-modes", "2026-12-04T10:00:00Z", "failed", List.of(), FOUR_CELLS,
                null);
        List<String> lines = Runs.markdown(results).lines().toList();
        assertThat(cells(lines.get(2))).startsWith("2026-12-04T10:00:00Z", "batch-modes", "20261204-100000-aaaaaaa",
                "failed");
    }
}
