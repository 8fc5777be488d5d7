package gdlab.reference;

import java.util.Locale;

/** How a minimisation run ended. */
public enum Status {
    /** The stop rule was met. */
    CONVERGED,
    /** The value or the point became non-finite, or the value blew up (see {@link GradientDescent#BLOW_UP}). */
    DIVERGED,
    /** A line search found no step that decreases the value: no further progress is possible. */
    STALLED,
    /** The iteration budget ran out first. */
    MAX_ITERATIONS;

    /** Lower-case label for tables: {@code converged}, {@code diverged}, {@code stalled}, {@code max_iterations}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
