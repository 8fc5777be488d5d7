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

    @Test
    void anEqualAspectFigureDrawsOneUnitOnXAsLongAsOneUnitOnY(@TempDir Path dir) throws Exception {
        // a 20:1 ellipse: drawn with independent axes it fills the plot like a circle
        double[] x = new double[121];
        double[] y = new double[121];
        for (int i = 0; i <= 120; i++) {
            x[i] = 6 * Math.cos(2 * Math.PI * i / 120);
            y[i] = 0.3 * Math.sin(2 * Math.PI * i / 120);
        }
        List<Figure.Series> series = List.of(Figure.Series.line("ellipse", x, y),
                Figure.Series.line("path", new double[]{-6, 3, -1, 0}, new double[]{1.5, -1, 0.5, 0}));
        Figure.Lines f = new Figure.Lines("ellipse", "Ellipse", "x", "y", false, false, series, true);
        org.knowm.xchart.XYChart chart = (org.knowm.xchart.XYChart) Plots.render(f);
        double[] ppu = Plots.pixelsPerUnit(chart);
        double xSpan = chart.getStyler().getXAxisMax() - chart.getStyler().getXAxisMin();
        double ySpan = chart.getStyler().getYAxisMax() - chart.getStyler().getYAxisMin();
        // the same units per pixel on both axes: across the whole plot they differ by under a pixel
        assertThat(Math.abs(ppu[0] - ppu[1]) * Math.max(xSpan, ySpan)).isLessThan(1);
        assertThat(chart.getStyler().getXAxisMin()).isLessThanOrEqualTo(-6);
        assertThat(chart.getStyler().getXAxisMax()).isGreaterThanOrEqualTo(6);
        assertThat(chart.getStyler().getYAxisMin()).isLessThanOrEqualTo(-1);
        assertThat(chart.getStyler().getYAxisMax()).isGreaterThanOrEqualTo(1.5);
        // a plot in the data's proportions, not one squeezed into the default frame
        assertThat(xSpan / ySpan).isBetween(2.0, 6.0);
        Figure.Lines independent = new Figure.Lines("free", "Free", "x", "y", false, false, series);
        double[] free = Plots.pixelsPerUnit(paintedFree(independent));
        assertThat(free[1] / free[0]).as("independent axes stretch y").isGreaterThan(2);
        Plots.write(f, dir);
        assertThat(dir.resolve("ellipse.png")).isNotEmptyFile();
    }

    /** A figure drawn with XChart's own ranges, painted so its axes map data to pixels. */
    private static org.knowm.xchart.XYChart paintedFree(Figure.Lines f) {
        org.knowm.xchart.XYChart chart = (org.knowm.xchart.XYChart) Plots.render(f);
        BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        chart.paint(image.createGraphics(), chart.getWidth(), chart.getHeight());
        chart.getStyler().setXAxisMin(-6.0).setXAxisMax(6.0).setYAxisMin(-1.0).setYAxisMax(1.5);
        chart.paint(image.createGraphics(), chart.getWidth(), chart.getHeight());
        return chart;
    }
}
