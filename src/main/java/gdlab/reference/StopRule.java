package gdlab.reference;

/** When a minimisation run counts as converged; checked at the start and after every step. */
@FunctionalInterface
public interface StopRule {
    boolean isMet(Progress p);

    /** Never met: the run takes all its iterations (unless it diverges). */
    static StopRule never() {
        return p -> false;
    }

    /** ||gradient|| <= tol. */
    static StopRule gradientNormBelow(double tol) {
        Check.positive("gradient tolerance", tol);
        return p -> Vectors.norm(p.gradient()) <= tol;
    }

    /** f(x) <= target. */
    static StopRule valueBelow(double target) {
        if (Double.isNaN(target)) {
            throw new IllegalArgumentException("target value must not be NaN, got " + target);
        }
        return p -> p.value() <= target;
    }

    /** (f(x) - fStar) <= tol (f(x0) - fStar): the loss gap relative to the start. */
    static StopRule relativeLossBelow(double fStar, double tol) {
        Check.positive("relative loss tolerance", tol);
        if (!Double.isFinite(fStar)) {
            throw new IllegalArgumentException("minimum value must be finite, got " + fStar);
        }
        return p -> p.value() - fStar <= tol * (p.value0() - fStar);
    }

    /** ||x - xStar|| <= tol ||x0 - xStar||: the error relative to the start. */
    static StopRule relativeErrorBelow(double[] xStar, double tol) {
        double[] target = Check.finite("xStar", xStar).clone();
        Check.positive("relative error tolerance", tol);
        return p -> Vectors.distance(p.x(), target) <= tol * Vectors.distance(p.x0(), target);
    }

    /** Met when either rule is. */
    default StopRule or(StopRule other) {
        Check.notNull("other", other);
        return p -> isMet(p) || other.isMet(p);
    }
}
