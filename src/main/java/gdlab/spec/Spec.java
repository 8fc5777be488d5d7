package gdlab.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The resolved settings of one run: the spec file's defaults, then its quick values (with {@code quick=true}),
 * then the command-line overrides, each value checked against its {@link Param}. Immutable.
 *
 * @param experiment the experiment's name
 * @param hypothesis what the run expects to show
 * @param values     every key's values (one, or several for a sweep axis), in a stable order
 * @param overridden the keys set on the command line
 */
public record Spec(String experiment, String hypothesis, Map<String, List<String>> values, List<String> overridden)
        implements java.io.Serializable {

    public Spec {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        overridden = List.copyOf(overridden);
    }

    /**
     * Resolves a spec. Every key, in the file or on the command line, must be one of {@code params}; every
     * experiment key must end up with a value.
     */
    public static Spec resolve(String experiment, Collection<Param> params, Map<String, String> defaults,
                               SpecFile file, Map<String, String> overrides) {
        Map<String, Param> known = new LinkedHashMap<>();
        params.forEach(p -> known.put(p.key(), p));
        Map<String, List<String>> values = new LinkedHashMap<>();
        defaults.forEach((k, v) -> values.put(k, check(known, k, v, " (a default)")));
        file.values().forEach((k, v) -> values.put(k, check(known, k, v, " in " + file.path())));
        boolean quick = Boolean.parseBoolean(overrides.getOrDefault("quick",
                file.values().getOrDefault("quick", "false")).trim());
        if (quick) {
            file.quick().forEach((k, v) -> values.put(k, check(known, k, v, " in " + file.path() + " (quick)")));
        }
        List<String> overridden = new ArrayList<>();
        overrides.forEach((k, v) -> {
            values.put(k, check(known, k, v, ""));
            overridden.add(k);
        });
        List<String> missing = known.keySet().stream().filter(k -> !values.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            throw new BadInputException(file.path() + " does not set " + String.join(", ", missing));
        }
        Map<String, List<String>> ordered = new LinkedHashMap<>();
        known.keySet().forEach(k -> ordered.put(k, values.get(k)));
        return new Spec(experiment, file.hypothesis(), ordered, overridden);
    }

    private static List<String> check(Map<String, Param> known, String key, String raw, String where) {
        Param param = known.get(key);
        if (param == null) {
            throw new BadInputException(UnknownKey.message(key, where, known.keySet()));
        }
        return param.parse(raw);
    }

    public List<String> list(String key) {
        List<String> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("spec has no key '" + key + "'");
        }
        return v;
    }

    public String string(String key) {
        List<String> v = list(key);
        if (v.size() != 1) {
            throw new IllegalStateException(key + " is a sweep axis here: " + v);
        }
        return v.get(0);
    }

    public int integer(String key) {
        return Integer.parseInt(string(key));
    }

    public long longValue(String key) {
        return Long.parseLong(string(key));
    }

    public double real(String key) {
        return Double.parseDouble(string(key));
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(string(key));
    }

    public List<Double> reals(String key) {
        return list(key).stream().map(Double::parseDouble).toList();
    }

    /** Value as written, comma-joined when a list. */
    public String raw(String key) {
        return String.join(",", list(key));
    }

    /** key -> comma-joined value, for run.json and hashing. */
    public Map<String, String> flat() {
        return values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> String.join(",", e.getValue()), (a, b) -> a, LinkedHashMap::new));
    }
}
