package gdlab;

import gdlab.answers.AnswersPage;
import gdlab.report.Claim;
import gdlab.report.Compare;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.SpecFile;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What gdlab prints to explain itself: the usage with the list of experiments, and with {@code -Dhelp=true
 * -Dexperiment=NAME} one experiment's question, the claims its run checks and every key it takes with its default,
 * quick value and meaning. Each comes from its one source: defaults and claims from the spec file, meanings and
 * allowed values from the experiment's (and the harness's) {@link Param} declarations.
 */
final class Help {
    /** The key that asks for help. */
    static final String KEY = "help";
    static final Param PARAM = Param.bool(KEY, "print how to use gdlab, or with experiment=NAME that experiment's "
            + "claims and keys, and exit");

    private Help() {
    }

    /** The help for {@code -Dexperiment=name} (none, list, compare, runs, report or an experiment). */
    static String of(String name, String specPath) {
        if (name == null || name.isBlank() || name.strip().equals("list")) {
            return usage();
        }
        return switch (name.strip()) {
            case "compare" -> "compare: two runs (or the groups of one run) side by side, metric by metric, each "
                    + "with a verdict\n\n" + keys(Compare.PARAMS, Compare.DEFAULTS, null);
            case "runs" -> "runs: every run folder under results_dir, newest first\n\n"
                    + keys(Runs.PARAMS, Runs.DEFAULTS, null);
            case "report" -> "report: the answers page (index.html and ANSWERS.md under results_dir), each classic "
                    + "question answered from the latest run's claims\n\n"
                    + keys(AnswersPage.PARAMS, AnswersPage.DEFAULTS, null);
            default -> experiment(Registry.create(name.strip()), specPath);
        };
    }

    static String usage() {
        return """
                usage: mvn -q compile exec:java -Dexperiment=NAME [-Dkey=value ...]
                  -Dexperiment=list       the experiments and the question each answers
                  -Dhelp=true             with -Dexperiment=NAME: its claims and every key with its default
                  -Dquick=true            a small, fast setting
                  -Dkey=v1,v2,...         a comma list makes a sweep axis
                  -Dresume=latest         finish an interrupted run
                mvn -q compile exec:java -Dexperiment=runs [-Dresults_dir=DIR]
                mvn -q compile exec:java -Dexperiment=report [-Dresults_dir=DIR]
                mvn -q compile exec:java -Dexperiment=compare -Dbaseline=RUN_DIR -Dcandidate=RUN_DIR [-Dtolerance=R]
                mvn -q compile exec:java -Dexperiment=compare -Drun=RUN_DIR -Dby=KEY [-Dbase_value=V]

                """ + list();
    }

    static String list() {
        StringBuilder sb = new StringBuilder("experiments:\n");
        int width = Registry.names().stream().mapToInt(String::length).max().orElse(0);
        for (String n : Registry.names()) {
            sb.append("  ").append(n).append(" ".repeat(width - n.length())).append("  ")
                    .append(Registry.create(n).question()).append('\n');
        }
        return sb.toString();
    }

    /** One experiment: its question, its claims one a line, its keys and the harness's. */
    static String experiment(Experiment experiment, String specPath) {
        String name = experiment.name();
        SpecFile file = SpecFile.read(Path.of(specPath == null || specPath.isBlank()
                ? "experiments/" + name + ".properties" : specPath.strip()));
        StringBuilder sb = new StringBuilder(name + ": " + experiment.question() + "\n\n");
        sb.append("usage: mvn -q compile exec:java -Dexperiment=").append(name).append(" [-Dkey=value ...]\n\n");
        List<Map.Entry<String, String>> claims = Claim.sentences(file.hypothesis());
        sb.append("You should see (the hypothesis in ").append(file.path()).append("; the run checks each claim):\n");
        if (claims.isEmpty()) {
            sb.append("  ").append(file.hypothesis()).append('\n');
        }
        claims.forEach(c -> sb.append("  [").append(c.getKey()).append("] ").append(c.getValue()).append('\n'));
        Map<String, String> harnessDefaults = new java.util.LinkedHashMap<>(Harness.defaults());
        harnessDefaults.putAll(file.values());
        sb.append("\nIts keys (default: the spec file's; quick: its value with -Dquick=true, where it differs):\n\n")
                .append(keys(experiment.params(), file.values(), file.quick()))
                .append("\nKeys every experiment has:\n\n")
                .append(keys(Harness.PARAMS, harnessDefaults, file.quick()));
        return sb.toString();
    }

    /** key, default, quick (left out when {@code quick} is null), meaning: one row per key. */
    static String keys(List<Param> params, Map<String, String> defaults, Map<String, String> quick) {
        Table t = quick == null ? new Table("key", "default", "meaning")
                : new Table("key", "default", "quick", "meaning");
        for (Param p : params) {
            String meaning = p.description() + "; allowed: " + p.allowed()
                    + (p.sweepable() ? "; a comma list is a sweep axis" : "");
            String value = shown(defaults.get(p.key()));
            if (quick == null) {
                t.add(p.key(), value, meaning);
            } else {
                t.add(p.key(), value, quick.containsKey(p.key()) ? shown(quick.get(p.key())) : "", meaning);
            }
        }
        return t.toMarkdown();
    }

    private static String shown(String value) {
        return value == null || value.isEmpty() ? "(none)" : value;
    }
}
