package gdlab.experiment;

import gdlab.report.Figure;

import java.util.List;

/**
 * Mean-over-seeds figure series that are safe on a log axis. The plotter draws a band as a symmetric error bar
 * (the larger distance from the mean to the band's edges); on a log y axis a bar reaching zero or below makes
 * XChart throw and the run end without its summary. Such a series is drawn as its mean line, without the band.
 */
public final class SeedBands {
    private SeedBands() {
    }

    public static Figure.Series overSeeds(String name, List<double[]> xs, List<double[]> ys, boolean logY) {
        Figure.Series s = Figure.Series.overSeeds(name, xs, ys);
        if (!logY || s.low() == null) {
            return s;
        }
        for (int i = 0; i < s.y().length; i++) {
            double y = s.y()[i];
            double err = Math.max(Math.abs(y - s.low()[i]), Math.abs(s.high()[i] - y));
            if (Double.isFinite(y) && Double.isFinite(err) && y > 0 && y - err <= 0) {
                return Figure.Series.line(name + " (mean)", s.x(), s.y());
            }
        }
        return s;
    }
}
