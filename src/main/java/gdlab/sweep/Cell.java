package gdlab.sweep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One point of a sweep: its position in the grid and its coordinates (sweep key to value, e.g. {@code mode},
 * {@code batch_size}, {@code lr}, {@code seed}). Plain data, so any engine can carry it.
 */
public record Cell(int index, Map<String, String> coords) implements java.io.Serializable {

    public Cell {
        coords = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(coords));
    }

    public String get(String key) {
        String v = coords.get(key);
        if (v == null) {
            throw new IllegalArgumentException("cell " + index + " has no coordinate '" + key + "'");
        }
        return v;
    }

    public int integer(String key) {
        return Integer.parseInt(get(key));
    }

    public long longValue(String key) {
        return Long.parseLong(get(key));
    }

    public double real(String key) {
        return Double.parseDouble(get(key));
    }

    /** {@code key=value key=value}, for progress lines. */
    public String label() {
        return coords.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
