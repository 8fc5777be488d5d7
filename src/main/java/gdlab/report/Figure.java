package gdlab.report;

import java.util.List;

/**
 * A figure an experiment wants drawn: plain data, rendered to PNG (and SVG on request) by {@link Plots} in the run
 * folder and embedded in summary.md. Experiments build figures; they never touch a plotting library.
 */
public sealed interface Figure permits Figure.Lines, Figure.Bars {

    /** File name without extension, e.g. {@code loss-curves}. */
    String name();

    String title();

    /**
     * Line plot: one series per group, optionally with a spread (e.g. min..max or a CI over seeds), which
     * {@link Plots} draws as symmetric error bars reaching the farther of low and high.
     *
     * @param logX log-scaled x axis (e.g. learning rate)
     * @param logY log-scaled y axis (e.g. loss); non-positive values are dropped from a log axis
     * @param equalAspect one unit on x is as long as one unit on y (a 2-D path over a surface, whose level sets
     *                    keep their shape); {@link Plots} sets the axis ranges from the data and the plot's height
     *                    from their ratio. Linear axes only.
     */
    record Lines(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                 List<Series> series, boolean equalAspect) implements Figure {
        public Lines {
            if (equalAspect && (logX || logY)) {
                throw new IllegalArgumentException("equal aspect needs linear axes: " + name);
            }
        }

        /** A plot whose axes are scaled independently, each to its data. */
        public Lines(String name, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                     List<Series> series) {
            this(name, title, xLabel, yLabel, logX, logY, series, false);
        }
    }

    /**
     * One line; {@code low}/{@code high} are null or the same length as x (the spread).
     * {@code markersOnly} draws points without a connecting line (scatter); {@code dashed} draws the line dashed
     * (e.g. the candidate run beside a baseline's solid line).
     */
    record Series(String name, double[] x, double[] y, double[] low, double[] high, boolean markersOnly,
                  boolean dashed) {
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, null, false, false);
        }

        public static Series band(String name, double[] x, double[] y, double[] low, double[] high) {
            return new Series(name, x, y, low, high, false, false);
        }

        public static Series points(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, null, true, false);
        }

        /** The same series drawn with a dashed line. */
        public Series asDashed() {
            return new Series(name, x, y, low, high, markersOnly, true);
        }

        /**
         * The mean over seeds of curves sampled at the same x positions, with the seeds' min..max as the band.
         * Curves may be shorter (a diverged seed stops early): each point averages the seeds that reached it.
         */
        public static Series overSeeds(String name, List<double[]> xs, List<double[]> ys) {
            int longest = 0;
            for (int s = 0; s < xs.size(); s++) {
                if (xs.get(s).length > xs.get(longest).length) {
                    longest = s;
                }
            }
            double[] x = xs.isEmpty() ? new double[0] : xs.get(longest);
            double[] mean = new double[x.length];
            double[] low = new double[x.length];
            double[] high = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double sum = 0;
                int n = 0;
                low[i] = Double.POSITIVE_INFINITY;
                high[i] = Double.NEGATIVE_INFINITY;
                for (double[] y : ys) {
                    if (i < y.length && Double.isFinite(y[i])) {
                        sum += y[i];
                        n++;
                        low[i] = Math.min(low[i], y[i]);
                        high[i] = Math.max(high[i], y[i]);
                    }
                }
                mean[i] = n == 0 ? Double.NaN : sum / n;
            }
            return ys.size() > 1 ? band(name, x, mean, low, high) : line(name, x, mean);
        }
    }

    /**
     * Bar chart: one bar per category, with optional error bars (e.g. the 95% CI half-width); {@code logY} draws
     * log10 of the values.
     */
    record Bars(String name, String title, String yLabel, boolean logY, List<String> categories, double[] values,
                double[] errors) implements Figure {
    }
}
