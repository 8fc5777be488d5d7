package gdlab.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Renders {@link Figure}s with XChart, headless, as PNG and SVG (each written to a temp file, then renamed). */
public final class Plots {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 520;

    private Plots() {
    }

    /** Writes {@code <name>.png} and {@code <name>.svg} into {@code dir}. */
    public static void write(Figure figure, Path dir) {
        System.setProperty("java.awt.headless", "true");
        Chart<?, ?> chart = figure instanceof Figure.Lines lines ? lines(lines) : bars((Figure.Bars) figure);
        Path png = dir.resolve(figure.name() + ".png");
        Path svg = dir.resolve(figure.name() + ".svg");
        Path tmpPng = dir.resolve(figure.name() + ".tmp.png");
        Path tmpSvg = dir.resolve(figure.name() + ".tmp.svg");
        try {
            BitmapEncoder.saveBitmap(chart, tmpPng.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmpPng, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            VectorGraphicsEncoder.saveVectorGraphic(chart, tmpSvg.toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Files.move(tmpSvg, svg, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RunFolder.ResultWriteException("cannot write plot " + png + ": " + e.getMessage(), e);
        } finally {
            // a chart that fails while painting leaves its temporary file behind
            deleteQuietly(tmpPng);
            deleteQuietly(tmpSvg);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing more to do: the run's files are intact
        }
    }

    private static XYChart lines(Figure.Lines f) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(f.title())
                .xAxisTitle(f.xLabel()).yAxisTitle(f.yLabel()).build();
        // outside the plot area, so a legend never hides a curve's end
        Styler.LegendPosition legend = f.series().size() > 6 ? Styler.LegendPosition.OutsideE
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
     * XChart cannot draw bars on a logarithmic axis; a log-scaled bar figure is drawn as log10 of its values on a
     * linear axis, so labelled (error bars are left out there: they are not symmetric in log10).
     */
    private static CategoryChart bars(Figure.Bars f) {
        String yLabel = f.logY() ? "log10 " + f.yLabel() : f.yLabel();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(f.title())
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(f.categories().size() > 6 ? 45 : 0);
        List<Double> values = Arrays.stream(f.values()).map(v -> f.logY() ? Math.log10(v) : v)
                .map(v -> Double.isFinite(v) ? v : 0.0).boxed().toList();
        if (f.errors() == null || f.logY()) {
            chart.addSeries(yLabel, f.categories(), values);
        } else {
            List<Double> errors = Arrays.stream(f.errors()).map(v -> Double.isFinite(v) ? v : 0.0).boxed().toList();
            chart.addSeries(yLabel, f.categories(), values, errors);
        }
        return chart;
    }
}
