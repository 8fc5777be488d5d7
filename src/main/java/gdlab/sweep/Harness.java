package gdlab.sweep;

import gdlab.spec.Param;
import gdlab.spec.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The spec keys every experiment has, and their defaults (a spec file may set them too). */
public final class Harness {
    private Harness() {
    }

    public static final String QUICK = "quick";
    public static final String SEEDS = "seeds";
    public static final String WORKERS = "workers";
    public static final String RESULTS_DIR = "results_dir";
    public static final String QUIET = "quiet";
    public static final String RESUME = "resume";
    public static final String ENGINE = "engine";
    public static final String SPEC = "spec";
    public static final String SVG = "svg";
    public static final String STACK = "stack";

    public static final List<Param> PARAMS = List.of(
            Param.bool(QUICK, "a small, fast setting of the experiment (the spec file's quick.* values)"),
            Param.integer(SEEDS, 1, Integer.MAX_VALUE, true,
                    "one number N means seeds 1..N; a comma list names the seeds"),
            Param.integer(WORKERS, 1, 256, false, "cells trained at once, each with one ND4J thread"),
            Param.text(RESULTS_DIR, "a folder path", "where run folders are written"),
            Param.bool(QUIET, "no progress lines on stderr"),
            Param.text(RESUME, "latest or the path of a run folder",
                    "finish an interrupted run: train only the cells its cells.csv lacks"),
            Param.choice(ENGINE, Engine.NAMES, false, "who trains the cells: in-process workers, worker JVMs or Spark tasks"),
            Param.text(SPEC, "the path of a spec file", "another spec file than experiments/<name>.properties"),
            Param.bool(SVG, "draw every figure as SVG too (PNG always)"),
            Param.integer(STACK, 1, 1024, false, "cells of one shape trained as one stacked computation (local engine; "
                    + "1 = one cell at a time; cells that cannot stack train alone)"));

    /** The keys that say how and where a run is carried out, not what it computes. */
    public static final Set<String> HOW_KEYS = Set.of(WORKERS, QUIET, RESULTS_DIR, RESUME, ENGINE, SPEC, SVG, STACK);

    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(QUICK, "false");
        d.put(SEEDS, "3");
        d.put(WORKERS, String.valueOf(Runtime.getRuntime().availableProcessors()));
        d.put(RESULTS_DIR, "results");
        d.put(QUIET, "false");
        d.put(RESUME, "");
        d.put(ENGINE, "local");
        d.put(SPEC, "");
        d.put(SVG, "false");
        d.put(STACK, "1");
        return d;
    }

    /** The seeds of a run: {@code seeds=N} means 1..N, a list means those values. */
    public static List<Long> seeds(Spec spec) {
        List<String> raw = spec.list(SEEDS);
        List<Long> seeds = new ArrayList<>();
        if (raw.size() == 1) {
            for (long s = 1; s <= Long.parseLong(raw.get(0)); s++) {
                seeds.add(s);
            }
        } else {
            raw.forEach(s -> seeds.add(Long.parseLong(s)));
        }
        return seeds;
    }

    /** All keys an experiment's spec may hold: the harness's and its own. */
    public static List<Param> allParams(List<Param> experimentParams) {
        List<Param> all = new ArrayList<>(PARAMS);
        all.addAll(experimentParams);
        return all;
    }
}
