package gdlab.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** compare's files: compare.md with the curve overlays, compare.json with its table, beside the candidate. */
class CompareFilesTest {
    private static final Path BASELINE = Path.of("results/baseline/batch-modes");

    @TempDir
    Path tmp;

    private Path copy(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("batch-modes").resolve(name));
        try (Stream<Path> files = Files.list(BASELINE)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv") || f.toString().endsWith(".json"))
                    .toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void writesTheTableAsJsonAndOneOverlayPerGroupBesideTheCandidate() throws IOException {
        Path base = copy("20261204-100000-aaaaaaa");
        Path cand = copy("20261204-110000-bbbbbbb");
        Map<String, String> settings = Map.of("baseline", base.toString(), "candidate", cand.toString());
        Compare.Result result = Compare.run(settings);
        Path out = CompareFiles.write(result, settings);

        assertThat(out).isEqualTo(cand.toRealPath().resolve("compare-vs-20261204-100000-aaaaaaa"));
        assertThat(Files.readString(out.resolve("compare.md"))).startsWith(Compare.markdown(result))
                .contains("![part=modes, mode=batch, batch_size=320, lr_ratio=0.9, lr=0.8404](compare-curves-1.png)");
        assertThat(result.pairs()).hasSize(6);   // 3 modes, 3 batch sizes of the steps-to-target curve
        for (int i = 1; i <= 6; i++) {
            assertThat(ImageIO.read(out.resolve("compare-curves-" + i + ".png").toFile()).getWidth()).isPositive();
        }
        assertThat(out.resolve("compare-curves-1.svg")).doesNotExist();

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(out.resolve("compare.json")));
        List<?> rows = (List<?>) json.get("rows");
        assertThat(rows).hasSize(result.table().rows().size());
        Map<?, ?> first = (Map<?, ?>) rows.get(0);
        assertThat(first.get("mode")).isEqualTo("batch");
        assertThat(first.get("verdict")).isEqualTo(result.table().rows().get(0)
                .get(result.table().columns().indexOf("verdict")));
        assertThat(((Map<?, ?>) json.get("counts")).get("same")).isEqualTo((double) result.same());
        assertThat(json.get("columns")).isEqualTo(result.table().columns());
    }

    @Test
    void comparingAgainstACommittedBaselineAndAlongAKeyNameTheirFolders() throws IOException {
        Path cand = copy("20261204-110000-bbbbbbb");
        assertThat(CompareFiles.folder(Map.of("baseline", BASELINE.toString(), "candidate", cand.toString())))
                .isEqualTo(cand.toRealPath().resolve("compare-vs-baseline"));
        assertThat(CompareFiles.folder(Map.of("run", cand.toString(), "by", "mode")))
                .isEqualTo(cand.toRealPath().resolve("compare-by-mode"));
        assertThat(CompareFiles.folder(Map.of("out", tmp.resolve("x").toString(), "by", "mode")))
                .isEqualTo(tmp.resolve("x"));

        Map<String, String> by = Map.of("run", cand.toString(), "by", "mode");
        Path out = CompareFiles.write(Compare.run(by), by);
        // stochastic and mini-batch each against batch: their own batch sizes and rates, so no shared group
        assertThat(out.resolve("compare.json")).isNotEmptyFile();
    }
}
