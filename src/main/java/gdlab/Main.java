package gdlab;

import gdlab.answers.AnswersPage;
import gdlab.dl4j.Nd4jSetup;
import gdlab.report.Compare;
import gdlab.report.CompareFiles;
import gdlab.report.RunFolder;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.spec.UnknownKey;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.SweepRunner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The entry point: {@code -Dexperiment=NAME} (or {@code experiment=NAME} as an argument) plus spec overrides
 * {@code -Dkey=value}; {@code list}, {@code runs} and {@code compare} are commands, and {@code -Dhelp=true} explains
 * them or one experiment ({@link Help}). Exit status: 0 done; 1 the experiment found a failure, all its cells failed, or its results
 * could not be written once the run had started; 2 bad input (including a results_dir that cannot be created),
 * nothing written.
 */
public final class Main {
    /** The experiment to run. */
    static final String EXPERIMENT = "experiment";

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> props = userProperties(System.getProperties());
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                System.err.println("gdlab: bad argument '" + arg + "'; expected key=value");
                System.exit(2);
            }
            props.put(arg.substring(0, eq).strip(), arg.substring(eq + 1));
        }
        int status = run(props, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * The gdlab keys among the JVM's system properties: all of them except the JVM's, Maven's and the libraries'
     * own ({@link OutsideProperties}). A key that is not a gdlab key is refused later, with the closest known one.
     */
    static Map<String, String> userProperties(Properties system) {
        Map<String, String> props = new LinkedHashMap<>();
        system.stringPropertyNames().stream().sorted()
                .filter(k -> !OutsideProperties.contains(k))
                .forEach(k -> props.put(k, system.getProperty(k)));
        return props;
    }

    public static int run(Map<String, String> properties, PrintStream out, PrintStream err) {
        Map<String, String> props = new LinkedHashMap<>(properties);
        String name = props.remove(EXPERIMENT);
        String specPath = props.getOrDefault(Harness.SPEC, "").strip();
        String help = props.remove(Help.KEY);
        try {
            if (help != null && Boolean.parseBoolean(Help.PARAM.parse(help).get(0))) {
                out.print(Help.of(name, specPath));
                return 0;
            }
            if (name == null || name.isBlank()) {
                err.print(Help.usage());
                return 2;
            }
            name = name.strip();
            switch (name) {
                case "list":
                    out.print(Help.list());
                    return 0;
                case "compare":
                    return compare(props, out);
                case "report":
                    return AnswersPage.run(props, Registry::create, Clock.systemDefaultZone(), out);
                case "runs":
                    return runs(props, out);
                default:
                    break;
            }
            Experiment experiment = Registry.create(name);
            SpecFile file = SpecFile.read(Path.of(specPath.isEmpty() ? "experiments/" + name + ".properties"
                    : specPath));
            Spec spec = Spec.resolve(name, Harness.allParams(experiment.params()), Harness.defaults(), file, props);
            Nd4jSetup.singleThreadedOps();
            SweepRunner runner = new SweepRunner(out, err, Clock.systemDefaultZone(), Nd4jSetup.describe());
            return runner.run(experiment, spec).failed() ? 1 : 0;
        } catch (BadInputException e) {
            err.println("gdlab: " + e.getMessage());
            return 2;
        } catch (RunFolder.ResultWriteException e) {
            err.println("gdlab: " + e.getMessage());
            return 1;
        }
    }

    /** {@code compare}: exit 0 when nothing got worse or changed outcome, 1 when something did. */
    static int compare(Map<String, String> props, PrintStream out) {
        checkKeys(props, Compare.PARAMS, " for compare");
        Compare.Result result = Compare.run(props);
        out.print(Compare.markdown(result));
        out.println("(also in " + CompareFiles.write(result, props) + ": compare.md, compare.json, curve overlays)");
        return result.worse() + result.changed() > 0 ? 1 : 0;
    }

    /** {@code runs}: the run folders under results_dir, newest first. */
    static int runs(Map<String, String> props, PrintStream out) {
        checkKeys(props, Runs.PARAMS, " for runs");
        out.print(Runs.markdown(Path.of(props.getOrDefault(Harness.RESULTS_DIR,
                Runs.DEFAULTS.get(Harness.RESULTS_DIR)).strip())));
        return 0;
    }

    /** Refuses a key that is not one of {@code params} (naming the closest) and a bad value. */
    private static void checkKeys(Map<String, String> props, List<Param> params, String where) {
        for (String key : props.keySet()) {
            if (params.stream().noneMatch(p -> p.key().equals(key))) {
                throw new BadInputException(UnknownKey.message(key, where, params.stream().map(Param::key).toList()));
            }
        }
        params.stream().filter(p -> props.containsKey(p.key())).forEach(p -> p.parse(props.get(p.key())));
    }
}
