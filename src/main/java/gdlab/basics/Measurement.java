package gdlab.basics;

import java.util.Arrays;
import java.util.List;

/**
 * One measured number in curves.csv's long format: which part of gradient-basics measured it, of what (a loss
 * function, a parameter block, a step direction), at which x (a class, a parameter index, a step size, a step), and
 * what quantity it is.
 *
 * @param part     {@code losses}, {@code loss-example}, {@code gradient-check}, {@code step-direction} or {@code sgd}
 * @param series   what was measured: a loss ({@code mcxent+softmax}), a parameter block ({@code 0_W}), a direction
 *                 ({@code -g}), {@code loss}
 * @param x        the class, flat parameter index, step size eta or step number; null when there is none
 * @param quantity the name of the number, snake_case
 * @param value    the number
 */
public record Measurement(String part, String series, Number x, String quantity, double value) {

    public static final List<String> COLUMNS = List.of("part", "series", "x", "quantity", "value");

    public List<Object> toRow() {
        return Arrays.asList(part, series, x, quantity, value);
    }

    /** Reads back a row written by {@link #toRow()}. */
    public static Measurement of(List<Object> row) {
        return new Measurement((String) row.get(0), (String) row.get(1), (Number) row.get(2), (String) row.get(3),
                ((Number) row.get(4)).doubleValue());
    }

    public double xValue() {
        return x == null ? Double.NaN : x.doubleValue();
    }
}
