package gdlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A summary table declared once, column by column: its name and how a row's value is computed. The CSV (for
 * machines, exact values) and the Markdown (for people) come from the same declaration, so the two cannot drift
 * apart and no value is added by position. A {@link #stats} column is three CSV columns ({@code name_mean},
 * {@code name_std}, {@code name_ci95}) and one Markdown column ("mean ± std").
 *
 * @param <T> what one row is made from (a seed group, a setting, ...)
 */
public final class Columns<T> {

    private record Column<T>(String name, Function<T, ?> value, boolean csv, boolean markdown, boolean stats) {
    }

    private final List<Column<T>> columns = new ArrayList<>();

    /** A column in both tables, with the same value. */
    public Columns<T> add(String name, Function<T, ?> value) {
        columns.add(new Column<>(name, value, true, true, false));
        return this;
    }

    /** A column in the CSV only (an exact value that the Markdown shows in another column). */
    public Columns<T> csv(String name, Function<T, ?> value) {
        columns.add(new Column<>(name, value, true, false, false));
        return this;
    }

    /** A column in the Markdown only (a value worded for people). */
    public Columns<T> markdown(String name, Function<T, ?> value) {
        columns.add(new Column<>(name, value, false, true, false));
        return this;
    }

    /** Mean, std and 95% interval in the CSV; "mean ± std" in the Markdown. */
    public Columns<T> stats(String name, Function<T, Stats> value) {
        columns.add(new Column<>(name, value, true, true, true));
        return this;
    }

    public Table csv(List<T> rows) {
        List<String> names = new ArrayList<>();
        for (Column<T> c : columns) {
            if (c.csv) {
                if (c.stats) {
                    names.addAll(List.of(c.name + "_mean", c.name + "_std", c.name + "_ci95"));
                } else {
                    names.add(c.name);
                }
            }
        }
        Table t = new Table(names);
        for (T row : rows) {
            List<Object> values = new ArrayList<>();
            for (Column<T> c : columns) {
                if (c.csv) {
                    Object v = c.value.apply(row);
                    if (c.stats) {
                        Stats s = (Stats) v;
                        values.addAll(List.of(s.mean(), s.std(), s.ci95()));
                    } else {
                        values.add(v);
                    }
                }
            }
            t.add(values);
        }
        return t;
    }

    public Table markdown(List<T> rows) {
        Table t = new Table(columns.stream().filter(c -> c.markdown).map(c -> c.name).toList());
        for (T row : rows) {
            t.add(columns.stream().filter(c -> c.markdown).map(c -> {
                Object v = c.value.apply(row);
                return c.stats ? ((Stats) v).pretty() : v;
            }).toList());
        }
        return t;
    }
}
