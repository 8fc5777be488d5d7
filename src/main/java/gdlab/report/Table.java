package gdlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A result table: fixed column names (snake_case, with units) and rows of values. Renders as RFC 4180 CSV for
 * machines and as an aligned Markdown table for people.
 */
public final class Table {
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public Table(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    public Table(String... columns) {
        this(List.of(columns));
    }

    public Table add(List<?> row) {
        if (row.size() != columns.size()) {
            throw new IllegalArgumentException("row has " + row.size() + " values for " + columns.size()
                    + " columns " + columns);
        }
        rows.add(new ArrayList<>(row));
        return this;
    }

    public Table add(Object... row) {
        return add(java.util.Arrays.asList(row));
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<Object>> rows() {
        return java.util.Collections.unmodifiableList(rows);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(Csv.line(columns));
        rows.forEach(r -> sb.append(Csv.line(r)));
        return sb.toString();
    }

    /** Aligned Markdown; numbers are rounded to 4 significant digits for reading (the CSV keeps them exact). */
    public String toMarkdown() {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns);
        for (List<Object> row : rows) {
            cells.add(row.stream().map(Table::readable).toList());
        }
        int[] width = new int[columns.size()];
        for (List<String> r : cells) {
            for (int c = 0; c < r.size(); c++) {
                width[c] = Math.max(Math.max(width[c], r.get(c).length()), 3);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            appendRow(sb, cells.get(i), width);
            if (i == 0) {
                List<String> rule = new ArrayList<>();
                for (int w : width) {
                    rule.add("-".repeat(w));
                }
                appendRow(sb, rule, width);
            }
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> r, int[] width) {
        sb.append('|');
        for (int c = 0; c < r.size(); c++) {
            String v = r.get(c).replace("|", "\\|");
            sb.append(' ').append(v).append(" ".repeat(Math.max(0, width[c] - v.length()))).append(" |");
        }
        sb.append('\n');
    }

    /** A value as a person reads it: doubles with 4 significant digits, the rest as in the CSV. */
    public static String readable(Object value) {
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return Csv.format(d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e6) {
                return String.format(Locale.ROOT, "%d", (long) d);
            }
            double a = Math.abs(d);
            if (a != 0 && (a < 1e-3 || a >= 1e6)) {
                return String.format(Locale.ROOT, "%.3e", d);
            }
            return String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
        }
        return Csv.format(value);
    }
}
