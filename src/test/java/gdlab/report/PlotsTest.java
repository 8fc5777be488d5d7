package gdlab.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlotsTest {
    @Test
    void writesPngAndSvg(@TempDir Path dir) {
        Figure f = new Figure.Lines("loss", "Loss", "epoch", "loss", false, true,
                List.of(Figure.Series.overSeeds("sgd", List.of(new double[]{1, 2, 3}, new double[]{1, 2}),
                        List.of(new double[]{1.0, 0.5, 0.25}, new double[]{1.2, 0.4}))));
        Plots.write(f, dir);
        assertThat(dir.resolve("loss.png")).isNotEmptyFile();
        assertThat(dir.resolve("loss.svg")).isNotEmptyFile();
    }

    @Test
    void aBandReachingZeroOnALogAxisIsStillDrawn(@TempDir Path dir) {
        double[] x = {1, 2, 3};
        Figure f = new Figure.Lines("band", "Band", "x", "y", false, true,
                List.of(Figure.Series.band("s", x, new double[]{1, 0.1, 0.01}, new double[]{0.5, 0, -1},
                        new double[]{5, 1, 0.1})));
        Plots.write(f, dir);
        assertThat(dir.resolve("band.png")).isNotEmptyFile();
        Plots.write(new Figure.Bars("bars", "Bars", "ms", false, List.of("a", "b"), new double[]{1, Double.NaN},
                new double[]{0.1, Double.NaN}), dir);
        assertThat(dir.resolve("bars.svg")).isNotEmptyFile();
    }

    @Test
    void logScaledBarsAreDrawnAsLog10AndLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
        Plots.write(new Figure.Bars("ratios", "Ratios", "ratio", true, List.of("a", "b", "c"),
                new double[]{1e-8, 0.5, 1e3}, null), dir);
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("ratios.png", "ratios.svg");
        }
    }
}
