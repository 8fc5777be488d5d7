package gdlab.spec;

import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * One key a spec may set: its name, what values it allows (said in words for error messages), and whether a
 * comma list makes it a sweep axis.
 *
 * @param key         snake_case name, the same in spec files and on the command line
 * @param allowed     the allowed values in words, shown when a value is rejected
 * @param accepts     tells whether one (trimmed, non-empty) value is allowed
 * @param sweepable   whether a comma-separated list of values is allowed (a sweep axis)
 * @param description one line for the README and {@code list}
 */
public record Param(String key, String allowed, Predicate<String> accepts, boolean sweepable, String description) {

    public Param {
        if (!key.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("spec keys are snake_case, got '" + key + "'");
        }
    }

    /**
     * Checks a raw value and returns its parts: a sweep axis splits a comma list, any other key keeps the value
     * whole (a path may hold commas). Throws with a message naming key, value and what is allowed.
     */
    public List<String> parse(String raw) {
        String trimmed = raw == null ? "" : raw.trim();
        if (!sweepable) {
            if (!accepts.test(trimmed)) {
                throw new BadInputException("bad value '" + trimmed + "' for " + key + "; allowed: " + allowed
                        + (trimmed.contains(",") ? " (a single value: " + key + " is not a sweep axis)" : ""));
            }
            return List.of(trimmed);
        }
        List<String> parts = List.of(trimmed.split("\\s*,\\s*", -1));
        for (String part : parts) {
            if (!accepts.test(part)) {
                throw new BadInputException("bad value '" + (parts.size() > 1 ? part + "' in '" + trimmed : part)
                        + "' for " + key + "; allowed: " + allowed);
            }
        }
        rejectRepeats(trimmed, parts);
        return parts;
    }

    /** A sweep axis lists each value once: a repeat would pool copies of one cell as if they were two. */
    private void rejectRepeats(String trimmed, List<String> parts) {
        for (int i = 0; i < parts.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (sameValue(parts.get(j), parts.get(i))) {
                    String repeat = parts.get(j).equals(parts.get(i)) ? parts.get(i) + " is listed twice"
                            : parts.get(j) + " and " + parts.get(i) + " are the same value";
                    throw new BadInputException("bad value '" + trimmed + "' for " + key + ": " + repeat
                            + "; each value of a sweep axis must be distinct");
                }
            }
        }
    }

    /** Equal text, or equal numbers ({@code 0.1} and {@code 0.10}). */
    private static boolean sameValue(String a, String b) {
        double x = parseDouble(a);
        return a.equals(b) || (!Double.isNaN(x) && x == parseDouble(b));
    }

    public static Param integer(String key, int min, int max, boolean sweepable, String description) {
        String allowed = max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer from " + min + " to " + max;
        return new Param(key, allowed, s -> {
            try {
                int v = Integer.parseInt(s);
                return v >= min && v <= max;
            } catch (NumberFormatException e) {
                return false;
            }
        }, sweepable, description);
    }

    /** A finite number strictly greater than {@code exclusiveMin}. */
    public static Param real(String key, double exclusiveMin, boolean sweepable, String description) {
        String allowed = "a finite number > " + format(exclusiveMin);
        return new Param(key, allowed, s -> {
            double v = parseDouble(s);
            return Double.isFinite(v) && v > exclusiveMin;
        }, sweepable, description);
    }

    /** A finite number in [min, max]. */
    public static Param realIn(String key, double min, double max, boolean sweepable, String description) {
        String allowed = "a number from " + format(min) + " to " + format(max);
        return new Param(key, allowed, s -> {
            double v = parseDouble(s);
            return v >= min && v <= max;
        }, sweepable, description);
    }

    public static Param bool(String key, String description) {
        return new Param(key, "true or false", s -> s.equals("true") || s.equals("false"), false, description);
    }

    public static Param choice(String key, List<String> choices, boolean sweepable, String description) {
        return new Param(key, String.join(", ", choices), choices::contains, sweepable, description);
    }

    public static Param text(String key, String allowed, String description) {
        return new Param(key, allowed, s -> true, false, description);
    }

    static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
