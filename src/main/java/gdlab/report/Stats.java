package gdlab.report;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Mean, sample standard deviation and 95% confidence interval (Student t) of the finite values among a group's
 * seeds. Non-finite values (a diverged seed's NaN loss) are left out and counted by the caller.
 *
 * @param n    how many finite values
 * @param mean their mean (NaN when n = 0)
 * @param std  sample standard deviation (0 when n = 1, NaN when n = 0)
 */
public record Stats(int n, double mean, double std) {

    public static Stats of(List<? extends Number> values) {
        double[] v = values.stream().filter(Objects::nonNull).mapToDouble(Number::doubleValue)
                .filter(Double::isFinite).toArray();
        return of(v);
    }

    public static Stats of(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (v.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(v).sum() / v.length;
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        return new Stats(v.length, mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0.0);
    }

    /** Half-width of the 95% confidence interval of the mean: t(0.975, n-1) std / sqrt(n); NaN for n < 2. */
    public double ci95() {
        if (n < 2) {
            return Double.NaN;
        }
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
        return t * std / Math.sqrt(n);
    }

    public double ciLow() {
        return mean - ci95();
    }

    public double ciHigh() {
        return mean + ci95();
    }

    /** Whether both 95% intervals exist and overlap: a difference of means inside them is within seed noise. */
    public boolean overlaps(Stats other) {
        return n >= 2 && other.n >= 2 && ciLow() <= other.ciHigh() && other.ciLow() <= ciHigh();
    }

    /** "mean ± std" for people; "-" when there is no value. */
    public String pretty() {
        if (n == 0) {
            return "-";
        }
        return n == 1 || std == 0 ? Table.readable(mean) : Table.readable(mean) + " ± " + Table.readable(std);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (n=%d)", pretty(), n);
    }
}
