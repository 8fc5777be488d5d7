package gdlab.reference;

/** One strong-Wolfe line search (Nocedal &amp; Wright 2006, Algorithms 3.5 and 3.6), see {@link LineSearch#strongWolfe}. */
final class WolfeSearch {
    private final Objective f;
    private final double[] x;
    private final double[] d;
    private final double phi0;
    private final double dphi0;
    private final double c1;
    private final double c2;
    private final int maxEvaluations;
    private int evaluations;

    /** phi(alpha) = f(x + alpha d) at one trial, with its derivative and the full gradient. */
    private record Trial(double alpha, double[] point, double phi, double dphi, double[] gradient) {
    }

    WolfeSearch(Objective f, double[] x, double fx, double slope, double[] d, double c1, double c2,
            int maxEvaluations) {
        this.f = f;
        this.x = x;
        this.d = d;
        this.phi0 = fx;
        this.dphi0 = slope;
        this.c1 = c1;
        this.c2 = c2;
        this.maxEvaluations = maxEvaluations;
    }

    LineSearch.Step run(double initialStep) {
        Trial previous = new Trial(0, x, phi0, dphi0, null);
        double alpha = initialStep;
        while (evaluations < maxEvaluations) {
            Trial t = evaluate(alpha);
            if (!Double.isFinite(t.phi) || t.phi > phi0 + c1 * alpha * dphi0
                    || (previous.alpha > 0 && t.phi >= previous.phi)) {
                return zoom(previous, t);
            }
            if (Math.abs(t.dphi) <= -c2 * dphi0) {
                return step(t);
            }
            if (t.dphi >= 0) {
                return zoom(t, previous);
            }
            previous = t;
            alpha *= 2;
        }
        return null;
    }

    /** lo satisfies sufficient decrease and has the lower phi; the minimiser lies between lo and hi. */
    private LineSearch.Step zoom(Trial lo, Trial hi) {
        while (evaluations < maxEvaluations) {
            double width = hi.alpha - lo.alpha;
            if (Math.abs(width) <= 1e-16 * Math.max(1, Math.abs(lo.alpha))) {
                break;
            }
            double alpha = Double.NaN;
            if (Double.isFinite(hi.phi)) {
                // minimiser of the quadratic through phi(lo), phi'(lo), phi(hi)
                double curvature = hi.phi - lo.phi - lo.dphi * width;
                if (curvature > 0) {
                    alpha = lo.alpha - lo.dphi * width * width / (2 * curvature);
                }
            }
            double a = Math.min(lo.alpha, hi.alpha) + 0.1 * Math.abs(width);
            double b = Math.max(lo.alpha, hi.alpha) - 0.1 * Math.abs(width);
            if (!(alpha >= a && alpha <= b)) {
                alpha = lo.alpha + 0.5 * width;
            }
            Trial t = evaluate(alpha);
            if (!Double.isFinite(t.phi) || t.phi > phi0 + c1 * alpha * dphi0 || t.phi >= lo.phi) {
                hi = t;
            } else {
                if (Math.abs(t.dphi) <= -c2 * dphi0) {
                    return step(t);
                }
                if (t.dphi * width >= 0) {
                    hi = lo;
                }
                lo = t;
            }
        }
        // out of budget: the best point with sufficient decrease, if the bracket ever found one
        return lo.alpha > 0 ? step(lo) : null;
    }

    private Trial evaluate(double alpha) {
        evaluations++;
        double[] point = Vectors.plus(x, alpha, d);
        double phi = f.value(point);
        double[] g = Double.isFinite(phi) ? f.gradient(point) : null;
        double dphi = g == null ? Double.NaN : Vectors.dot(g, d);
        return new Trial(alpha, point, phi, dphi, g);
    }

    private LineSearch.Step step(Trial t) {
        return new LineSearch.Step(t.alpha, t.point, t.phi, t.gradient, evaluations);
    }
}
