package gdlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 4180 CSV: comma separated, CRLF line ends, a field quoted when it holds a comma, quote, CR or LF (quotes
 * doubled inside). Numbers are written with {@link Locale#ROOT} so a German or French locale never writes
 * "0,5".
 */
public final class Csv {
    private Csv() {
    }

    public static final String EOL = "\r\n";

    /** One record, with its line end. */
    public static String line(List<?> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(format(fields.get(i))));
        }
        return sb.append(EOL).toString();
    }

    public static String quote(String field) {
        if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    /**
     * The text of a value: integers as such, doubles in the shortest form that reads back exactly, NaN and
     * infinities by name, null as empty.
     */
    public static String format(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return formatDouble(d);
        }
        if (value instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        return value.toString();
    }

    static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) d);
        }
        return Double.toString(d).replace("E", "e");
    }

    /**
     * A field read back as the value it was written from: empty as null, integers as Long, other numbers
     * (NaN and infinities too) as Double, true/false as Boolean, anything else as the string.
     */
    public static Object value(String field) {
        if (field.isEmpty()) {
            return null;
        }
        if (field.equals("true") || field.equals("false")) {
            return Boolean.valueOf(field);
        }
        if (field.matches("-?\\d{1,18}")) {
            return Long.parseLong(field);
        }
        if (field.matches("[-+]?(NaN|Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?)")) {
            return Double.parseDouble(field);
        }
        return field;
    }

    /**
     * Parses RFC 4180 text with a header row into one map per record, header name to field, in column order.
     *
     * @throws IllegalArgumentException when a record has a different number of fields than the header
     */
    public static List<Map<String, String>> rows(String text) {
        List<List<String>> records = parse(text);
        List<Map<String, String>> rows = new ArrayList<>();
        if (records.isEmpty()) {
            return rows;
        }
        List<String> header = records.get(0);
        for (List<String> r : records.subList(1, records.size())) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("a row has " + r.size() + " fields, the header " + header.size());
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                m.put(header.get(i), r.get(i));
            }
            rows.add(m);
        }
        return rows;
    }

    /** Parses RFC 4180 text into records (used by tests and by readers of earlier runs). */
    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            any = true;
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                any = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted field in CSV");
        }
        if (any) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }
}
