package gdlab.experiment.optimizers;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.optimizers.OptimizerBenchmark.PROBLEMS;

/**
 * The user's data as problems of the optimizers experiment: a {@code csv:PATH} (label column: the {@code label} key)
 * or {@code idx:IMAGES+LABELS} entry of {@code problems} is an MLP classifier like digits and iris, named in cells
 * and tables by its file's short name ({@code csv:/data/wine.csv} is {@code wine}).
 */
final class UserProblems {
    private UserProblems() {
    }

    /** A built-in problem, {@code csv:PATH} or {@code idx:IMAGES+LABELS} (two non-blank files joined by '+'). */
    static boolean isProblem(String s) {
        return PROBLEMS.contains(s) || Datasets.isDataValue(s);
    }

    /** The name a problem has in cells and tables: a built-in's own, a file's name without directory and suffixes. */
    static String shortName(String problem) {
        if (PROBLEMS.contains(problem)) {
            return problem;
        }
        String file = problem.startsWith("idx:") ? problem.substring(4).split("\\+", -1)[0] : problem.substring(4);
        String name = Path.of(file.strip()).getFileName().toString().replaceFirst("(?i)\\.gz$", "");
        name = problem.startsWith("idx:") ? name.replaceFirst("(?i)[-_.](images|idx\\d).*$", "")
                : name.replaceFirst("(?i)\\.(csv|txt)$", "");
        return name.isEmpty() ? file : name;
    }

    /**
     * Short name -> problem value, in the given order. Two entries with one short name (two files called
     * {@code wine.csv}, or a file called {@code iris.csv} beside iris) would share their rows: refused.
     */
    static Map<String, String> named(List<String> problems) {
        Map<String, String> named = new LinkedHashMap<>();
        for (String p : problems) {
            String name = shortName(p);
            String other = named.put(name, p);
            if (other != null && !other.equals(p)) {
                throw new BadInputException("bad value '" + p + "' for problems: its name '" + name
                        + "' is also that of '" + other + "'; allowed: problems with distinct names (rename a file)");
            }
        }
        return named;
    }

    /** The data set of a network problem: digits and iris, or the user's file read for a classifier. */
    static Dataset load(Spec spec, String problem) {
        String label = spec.values().containsKey("label") ? spec.string("label") : "";
        return Datasets.load(problem, PROBLEMS.contains(problem) ? "" : label);
    }
}
