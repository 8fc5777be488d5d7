package gdlab.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PlotsTest {
    private static final Figure LOSS = new Figure.Lines("loss", "Loss", "epoch", "loss", false, true,
            List.of(Figure.Series.overSeeds("sgd", List.of(new double[]{1, 2, 3}, new double[]{1, 2}),
                    List.of(new double[]{1.0, 0.5, 0.25}, new double[]{1.2, 0.4}))));

    @Test
    void writesPngAlwaysAndSvgOnlyWhenAsked(@TempDir Path dir) throws Exception {
        Plots.write(LOSS, dir);
        assertThat(dir.resolve("loss.png")).isNotEmptyFile();
        assertThat(dir.resolve("loss.svg")).doesNotExist();
        Plots.write(LOSS, dir, true);
        assertThat(dir.resolve("loss.svg")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("loss.svg"))).contains("<svg");
    }

    @Test
    void everyFigureNamesItsRunInAFooter(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("batch-modes").resolve("20261204-101010-abcdef0"));
        assertThat(Plots.footer(run)).isEqualTo("batch-modes/20261204-101010-abcdef0");
        Plots.write(LOSS, run, true);
        BufferedImage png = ImageIO.read(run.resolve("loss.png").toFile());
        assertThat(png.getHeight()).isGreaterThan(520);
        // the strip below the chart is not blank: the footer is drawn there
        boolean ink = false;
        for (int y = 520; y < png.getHeight() && !ink; y++) {
            for (int x = 0; x < png.getWidth() && !ink; x++) {
                ink = (png.getRGB(x, y) & 0xffffff) != 0xffffff;
            }
        }
        assertThat(ink).as("footer pixels").isTrue();
        assertThat(Files.readString(run.resolve("loss.svg"))).contains("batch-modes/20261204-101010-abcdef0");
    }

    @Test
    void aBandReachingZeroOnALogAxisIsStillDrawn(@TempDir Path dir) {
        double[] x = {1, 2, 3};
        Figure f = new Figure.Lines("band", "Band", "x", "y", false, true,
                List.of(Figure.Series.band("s", x, new double[]{1, 0.1, 0.01}, new double[]{0.5, 0, -1},
                        new double[]{5, 1, 0.1}), Figure.Series.line("target", x, new double[]{0.1, 0.1, 0.1})
                        .asDashed()));
        Plots.write(f, dir);
        assertThat(dir.resolve("band.png")).isNotEmptyFile();
        Plots.write(new Figure.Bars("bars", "Bars", "ms", false, List.of("a", "b"), new double[]{1, Double.NaN},
                new double[]{0.1, Double.NaN}), dir);
        assertThat(dir.resolve("bars.png")).isNotEmptyFile();
    }

    @Test
    void logScaledBarsAreDrawnOnALogAxisAndLeaveNoTemporaryFile(@TempDir Path dir) throws Exception {
        Plots.write(new Figure.Bars("ratios", "Ratios", "ratio", true, List.of("a", "b", "c", "d"),
                new double[]{1e-8, 0.5, 1e3, Double.NaN}, new double[]{1e-9, 0.1, 10, 1}), dir, true);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("ratios.png", "ratios.svg");
        }
    }
}
