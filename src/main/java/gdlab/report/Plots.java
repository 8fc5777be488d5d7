package gdlab.report;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Renders {@link Figure}s with XChart, headless: always a PNG, and an SVG when asked (a quick run's SVGs weigh
 * ~1 MB, its PNGs a tenth of that). Each file is written to a temporary file, then renamed. Every figure carries a
 * footer naming the run it came from ({@code <experiment>/<run id>}, the last two parts of its folder), so a
 * figure copied out of its folder still says where it belongs.
 */
public final class Plots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 520;
    /** The strip below the chart that holds the footer. */
    private static final int FOOTER = 22;

    private Plots() {
    }

    /** Writes {@code <name>.png} into {@code dir}. */
    public static void write(Figure figure, Path dir) {
        write(figure, dir, false);
    }

    /** Writes {@code <name>.png} into {@code dir}, and {@code <name>.svg} too when {@code svg}. */
    public static void write(Figure figure, Path dir, boolean svg) {
        System.setProperty("java.awt.headless", "true");
        Chart<?, ?> chart = render(figure);
        String footer = footer(dir);
        Path png = dir.resolve(figure.name() + ".png");
        Path tmpPng = dir.resolve(figure.name() + ".tmp.png");
        Path tmpSvg = dir.resolve(figure.name() + ".tmp.svg");
        try {
            BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight() + FOOTER,
                    BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            paint(chart, g, footer);
            g.dispose();
            ImageIO.write(image, "png", tmpPng.toFile());
            Files.move(tmpPng, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (svg) {
                VectorGraphics2D vg = new VectorGraphics2D();
                paint(chart, vg, footer);
                try (OutputStream os = Files.newOutputStream(tmpSvg)) {
                    new SVGProcessor().getDocument(vg.getCommands(),
                            new PageSize(0, 0, chart.getWidth(), chart.getHeight() + FOOTER)).writeTo(os);
                }
                Files.move(tmpSvg, dir.resolve(figure.name() + ".svg"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RunFolder.ResultWriteException("cannot write plot " + png + ": " + e.getMessage(), e);
        } finally {
            // a chart that fails while painting leaves its temporary file behind
            deleteQuietly(tmpPng);
            deleteQuietly(tmpSvg);
        }
    }

    /** {@code <experiment>/<run id>}: the folder's last two names, which name the run in the results tree. */
    static String footer(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        return (parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "/")
                + abs.getFileName();
    }

    /** The chart, then the footer in the strip below it, right-aligned. */
    private static void paint(Chart<?, ?> chart, Graphics2D g, String footer) {
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.setColor(Color.WHITE);
        g.fillRect(0, chart.getHeight(), chart.getWidth(), FOOTER);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        String text = "run " + footer;
        int width = g.getFontMetrics().stringWidth(text);
        g.drawString(text, chart.getWidth() - width - 8, chart.getHeight() + FOOTER - 7);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: the run's files are intact
        }
    }

    /** The figure as XChart draws it: lines (at equal aspect when asked) or bars. */
    static Chart<?, ?> render(Figure figure) {
        if (figure instanceof Figure.Lines lines) {
            return lines.equalAspect() ? equalAspect(lines) : lines(lines, HEIGHT);
        }
        return bars((Figure.Bars) figure);
    }

    /**
     * Lines with one unit on x as long as one unit on y. XChart scales each axis to its own data, so the axis ranges
     * are set here: first the data's box (with a margin), and a chart height that gives the plot area the box's
     * height-to-width ratio (within MIN_HEIGHT..MAX_HEIGHT); then, since the title, legend and tick labels take
     * room that depends on the ranges, the chart is painted off-screen and the axis with more pixels per unit is
     * widened about its centre until both agree, in a few rounds, to well under a pixel across the plot.
     */
    static XYChart equalAspect(Figure.Lines f) {
        double[] box = dataBox(f);
        XYChart chart = lines(f, HEIGHT);
        double[] scale = paintWithRange(chart, box);
        // the plot's height the box needs at the x axis's pixels per unit
        double height = HEIGHT + (scale[0] - scale[1]) * (box[3] - box[2]);
        int h = (int) Math.round(Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, height)));
        chart = lines(f, h);
        scale = paintWithRange(chart, box);
        for (int round = 0; round < 8 && !sameScale(scale, box); round++) {
            double ppu = Math.min(scale[0], scale[1]);
            double halfX = (box[1] - box[0]) * scale[0] / ppu / 2;
            double halfY = (box[3] - box[2]) * scale[1] / ppu / 2;
            double cx = (box[0] + box[1]) / 2;
            double cy = (box[2] + box[3]) / 2;
            box = new double[]{cx - halfX, cx + halfX, cy - halfY, cy + halfY};
            scale = paintWithRange(chart, box);
        }
        return chart;
    }

    private static final int MIN_HEIGHT = 300;
    private static final int MAX_HEIGHT = 1000;

    /** Whether the two axes' pixels per unit differ by under half a pixel across the longer side of the box. */
    private static boolean sameScale(double[] scale, double[] box) {
        double span = Math.max(box[1] - box[0], box[3] - box[2]);
        return Math.abs(scale[0] - scale[1]) * span < 0.5;
    }

    /** The finite points' box (x min, x max, y min, y max), widened by 4% of its larger side on every side. */
    private static double[] dataBox(Figure.Lines f) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (Figure.Series s : f.series()) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    b[0] = Math.min(b[0], s.x()[i]);
                    b[1] = Math.max(b[1], s.x()[i]);
                    b[2] = Math.min(b[2], s.y()[i]);
                    b[3] = Math.max(b[3], s.y()[i]);
                }
            }
        }
        if (b[0] > b[1]) {
            return new double[]{-1, 1, -1, 1};
        }
        double margin = Math.max(Math.max(b[1] - b[0], b[3] - b[2]) * 0.04, 1e-9);
        return new double[]{b[0] - margin, b[1] + margin, b[2] - margin, b[3] + margin};
    }

    /** Sets the axis ranges, paints the chart off-screen, and returns its pixels per unit on x and on y. */
    private static double[] paintWithRange(XYChart chart, double[] box) {
        chart.getStyler().setXAxisMin(box[0]).setXAxisMax(box[1]).setYAxisMin(box[2]).setYAxisMax(box[3]);
        BufferedImage scratch = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
        return pixelsPerUnit(chart);
    }

    /** A painted chart's pixels per unit along x and along y, from its axis ranges and their screen positions. */
    static double[] pixelsPerUnit(XYChart chart) {
        double x0 = chart.getStyler().getXAxisMin();
        double x1 = chart.getStyler().getXAxisMax();
        double y0 = chart.getStyler().getYAxisMin();
        double y1 = chart.getStyler().getYAxisMax();
        return new double[]{Math.abs(chart.getScreenXFromChart(x1) - chart.getScreenXFromChart(x0)) / (x1 - x0),
                Math.abs(chart.getScreenYFromChart(y1) - chart.getScreenYFromChart(y0)) / (y1 - y0)};
    }

    private static XYChart lines(Figure.Lines f, int height) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(f.title())
                .xAxisTitle(f.xLabel()).yAxisTitle(f.yLabel()).build();
        // outside the plot area, so a legend never hides a curve's end
        // (below an equal-aspect plot, which is wide and flat or tall and narrow, and needs the chart's width)
        Styler.LegendPosition legend = f.series().size() > 6 && !f.equalAspect() ? Styler.LegendPosition.OutsideE
                : Styler.LegendPosition.OutsideS;
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setXAxisLogarithmic(f.logX());
        chart.getStyler().setYAxisLogarithmic(f.logY());
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Figure.Series s : f.series()) {
            List<double[]> kept = keep(s, f.logX(), f.logY());
            if (kept.get(0).length == 0) {
                continue;
            }
            XYSeries series = chart.addSeries(s.name(), kept.get(0), kept.get(1),
                    s.low() == null ? null : errors(kept.get(1), kept.get(2), kept.get(3), f.logY()));
            if (s.dashed()) {
                series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[]{8f, 6f}, 0f));
            }
            if (s.markersOnly()) {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else if (kept.get(0).length > 30) {
                series.setMarker(SeriesMarkers.NONE);
            }
        }
        return chart;
    }

    /** Finite points only, and only positive ones on a log axis; returns x, y, low, high. */
    private static List<double[]> keep(Figure.Series s, boolean logX, boolean logY) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i];
            double y = s.y()[i];
            boolean ok = Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
            if (ok && s.low() != null) {
                ok = Double.isFinite(s.low()[i]) && Double.isFinite(s.high()[i]);
            }
            if (ok) {
                idx.add(i);
            }
        }
        double[] x = idx.stream().mapToDouble(i -> s.x()[i]).toArray();
        double[] y = idx.stream().mapToDouble(i -> s.y()[i]).toArray();
        double[] lo = s.low() == null ? null : idx.stream().mapToDouble(i -> s.low()[i]).toArray();
        double[] hi = s.high() == null ? null : idx.stream().mapToDouble(i -> s.high()[i]).toArray();
        return Arrays.asList(x, y, lo, hi);
    }

    /**
     * XChart draws symmetric error bars: the larger distance from y to the band's edges. On a log axis a bar may
     * not reach zero, so it is shortened to stay above it (the band's upper side is then understated).
     */
    private static double[] errors(double[] y, double[] low, double[] high, boolean logY) {
        double[] e = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            e[i] = Math.max(Math.abs(y[i] - low[i]), Math.abs(high[i] - y[i]));
            if (logY) {
                e[i] = Math.min(e[i], 0.9 * y[i]);
            }
        }
        return e;
    }

    /**
     * Bars on a linear axis with their error bars, or on a logarithmic axis (a decade below the smallest bar up)
     * without them: XChart misplaces error bars on a log axis. A value a log axis cannot show (zero, negative,
     * not a number) is left out: its category has no bar.
     */
    private static CategoryChart bars(Figure.Bars f) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(f.title())
                .yAxisTitle(f.yLabel()).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(f.categories().size() > 6 ? 45 : 0);
        List<Double> values = new ArrayList<>();
        for (double v : f.values()) {
            if (Double.isFinite(v) && (!f.logY() || v > 0)) {
                values.add(v);
            } else {
                values.add(f.logY() ? null : Double.valueOf(0));
            }
        }
        if (f.logY()) {
            double smallest = values.stream().filter(v -> v != null).mapToDouble(v -> v).min().orElse(1);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        }
        if (f.errors() == null || f.logY()) {
            chart.addSeries(f.yLabel(), f.categories(), values);
        } else {
            List<Double> errors = Arrays.stream(f.errors()).map(v -> Double.isFinite(v) ? v : 0.0).boxed().toList();
            chart.addSeries(f.yLabel(), f.categories(), values, errors);
        }
        return chart;
    }
}
