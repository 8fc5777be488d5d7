package gdlab.exact;

import gdlab.reference.Objective;

import java.util.Random;

/**
 * The largest Hessian eigenvalue ("sharpness") of any smooth objective at a point, by power iteration on
 * Hessian-vector products taken as central differences of its exact gradient: Hv ~ (g(p + hv) - g(p - hv)) / 2h.
 * For a quadratic the difference is exact up to round-off; for a network it is the local curvature.
 */
public final class Sharpness {
    private Sharpness() {
    }

    /**
     * The estimate and how many products it took; {@code converged} when the Rayleigh quotient settled;
     * {@code vector} the unit vector the iteration ended on (the top eigenvector's estimate).
     */
    public record Estimate(double lambdaMax, int iterations, boolean converged, double[] vector) {
    }

    /**
     * Power iteration from a seeded random start until the Rayleigh quotient changes by less than
     * {@code relativeTolerance} between iterations, at most {@code maxIterations} products.
     */
    public static Estimate largestEigenvalue(Objective f, double[] p, int maxIterations, double relativeTolerance,
                                             long seed) {
        int n = p.length;
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        normalize(v);
        double pNorm = 0;
        for (double c : p) {
            pNorm = Math.max(pNorm, Math.abs(c));
        }
        double h = 1e-5 * Math.max(1.0, pNorm);
        double lambda = Double.NaN;
        for (int it = 1; it <= maxIterations; it++) {
            double[] hv = hessianTimes(f, p, v, h);
            double rayleigh = 0;
            for (int i = 0; i < n; i++) {
                rayleigh += v[i] * hv[i];
            }
            double norm = normalize(hv);
            if (norm == 0 || !Double.isFinite(norm)) {
                return new Estimate(rayleigh, it, false, v);
            }
            boolean settled = Math.abs(rayleigh - lambda) <= relativeTolerance * Math.abs(rayleigh);
            lambda = rayleigh;
            v = hv;
            if (settled) {
                return new Estimate(lambda, it, true, v);
            }
        }
        return new Estimate(lambda, maxIterations, false, v);
    }

    /** Central-difference Hessian-vector product with step h along v. */
    public static double[] hessianTimes(Objective f, double[] p, double[] v, double h) {
        int n = p.length;
        double[] plus = new double[n];
        double[] minus = new double[n];
        for (int i = 0; i < n; i++) {
            plus[i] = p[i] + h * v[i];
            minus[i] = p[i] - h * v[i];
        }
        double[] gp = f.gradient(plus);
        double[] gm = f.gradient(minus);
        double[] hv = new double[n];
        for (int i = 0; i < n; i++) {
            hv[i] = (gp[i] - gm[i]) / (2 * h);
        }
        return hv;
    }

    private static double normalize(double[] v) {
        double s = 0;
        for (double c : v) {
            s += c * c;
        }
        s = Math.sqrt(s);
        if (s > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= s;
            }
        }
        return s;
    }
}
