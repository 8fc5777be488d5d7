package gdlab.crosscheck;

/**
 * How far DL4J's numbers are from the reference's: the largest absolute difference, and that divided by the largest
 * reference magnitude ({@code max|a - b| / max|b|}, a normwise relative difference: unlike an element-wise
 * {@code |a - b| / |b|} it does not blow up on entries that happen to be near zero, and it is what rounding errors
 * of a float or double computation are bounded by). NaN anywhere makes both NaN, which never passes.
 *
 * @param abs max |dl4j - reference|
 * @param rel abs / max |reference| (0 when both are all zeros, infinite when only the reference is)
 */
public record Diff(double abs, double rel) {

    public static Diff of(double[] dl4j, double[] reference) {
        if (dl4j.length != reference.length) {
            throw new IllegalArgumentException("cannot compare " + dl4j.length + " DL4J values with "
                    + reference.length + " reference values");
        }
        double maxAbs = 0;
        double scale = 0;
        for (int i = 0; i < dl4j.length; i++) {
            double d = Math.abs(dl4j[i] - reference[i]);
            if (Double.isNaN(d)) {
                return new Diff(Double.NaN, Double.NaN);
            }
            maxAbs = Math.max(maxAbs, d);
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        double rel = maxAbs == 0 ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : maxAbs / scale;
        return new Diff(maxAbs, rel);
    }

    public static Diff of(double dl4j, double reference) {
        return of(new double[]{dl4j}, new double[]{reference});
    }

    public static Diff of(double[][] dl4j, double[][] reference) {
        return of(flatten(dl4j), flatten(reference));
    }

    /** Passes when the relative difference is at most {@code tolerance} (NaN never passes). */
    public boolean within(double tolerance) {
        return rel <= tolerance;
    }

    static double[] flatten(double[][] rows) {
        int n = 0;
        for (double[] r : rows) {
            n += r.length;
        }
        double[] flat = new double[n];
        int k = 0;
        for (double[] r : rows) {
            System.arraycopy(r, 0, flat, k, r.length);
            k += r.length;
        }
        return flat;
    }
}
