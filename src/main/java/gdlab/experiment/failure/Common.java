package gdlab.experiment.failure;

import gdlab.experiment.Keys;
import gdlab.spec.Param;

import java.util.List;

/** Spec keys and small conversions several parts share. */
final class Common {
    private Common() {
    }

    /**
     * The data keys of the MLPs of vanishing and step size (the digits by default, or the user's CSV or IDX set: one
     * classification set, the nets' sizes from it); the other parts run on their own functions and sets.
     */
    static List<Param> dataParams() {
        return List.of(gdlab.data.Datasets.param(), gdlab.data.Datasets.labelParam(),
                Keys.testFraction("vanishing / step size: share of examples held out"),
                Keys.splitSeed("vanishing / step size: seed of the train/test split"),
                Keys.maxExamples("vanishing / step size: use only this many examples (0 = all)"));
    }

    static gdlab.data.Split split(gdlab.spec.Spec spec) {
        return gdlab.data.Split.of(gdlab.data.Datasets.load(spec), spec.real("test_fraction"),
                spec.longValue("split_seed"), spec.integer("max_examples"));
    }

    /** A data set's short name for tables: digits, iris, or the file name of a CSV or IDX images file. */
    static String dataName(gdlab.data.Dataset d) {
        return java.nio.file.Path.of(d.name()).getFileName().toString();
    }

    /** The reference twin of a DL4J classifier: hidden layers of {@code activation}, softmax, cross-entropy. */
    static gdlab.reference.Mlp classifier(int[] sizes, String activation) {
        return new gdlab.reference.Mlp(sizes, gdlab.reference.Activation.named(activation),
                gdlab.reference.Activation.SOFTMAX, gdlab.reference.Loss.MCXENT);
    }

    /** Two values agree when both are NaN or they differ by at most tol relative to max(1, |b|). */
    static boolean agree(double a, double b, double tol) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
    }

    /** Two orbits that stay this close are the same orbit (rounding level for O(1) coordinates). */
    static final double ORBIT_TOL = 1e-9;
    /** Orbits equal to {@link #ORBIT_TOL} for at least this many steps before they part started out identical. */
    static final int CHAOS_MIN_STEPS = 10;

    /** The first step at which two orbits are farther apart than {@link #ORBIT_TOL}, or -1 if they never are. */
    static int splitStep(List<double[]> a, List<double[]> b) {
        int n = Math.min(a.size(), b.size());
        for (int k = 0; k < n; k++) {
            double[] p = a.get(k);
            double[] q = b.get(k);
            double d = 0;
            for (int i = 0; i < p.length; i++) {
                d += (p[i] - q[i]) * (p[i] - q[i]);
            }
            if (!(Math.sqrt(d) <= ORBIT_TOL)) {
                return k;
            }
        }
        return -1;
    }

    static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
