package gdlab.reference;

/** Argument checks whose messages name the argument and the bad value. */
final class Check {
    private Check() {
    }

    static double positive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be > 0 and finite, got " + value);
        }
        return value;
    }

    static double nonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be >= 0 and finite, got " + value);
        }
        return value;
    }

    /** A decay rate or momentum: 0 <= value < 1. */
    static double unitInterval(String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), got " + value);
        }
        return value;
    }

    static int atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static double[] finite(String what, double[] values) {
        if (values == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] must be finite, got " + values[i]);
            }
        }
        return values;
    }

    static void length(String what, double[] values, int expected) {
        if (values == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (values.length != expected) {
            throw new IllegalArgumentException(what + " must have length " + expected + ", got " + values.length);
        }
    }

    static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
