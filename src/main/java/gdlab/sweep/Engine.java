package gdlab.sweep;

import gdlab.spec.BadInputException;
import gdlab.spec.Spec;

import java.util.List;
import java.util.function.Consumer;

/**
 * Who trains the cells: the seam between a sweep and the machines it runs on. {@code local} is a pool of
 * in-process workers; {@code processes} a pool of worker JVMs on this machine ({@link ProcessEngine}); {@code spark} (built with the {@code spark} Maven profile) hands each cell to a Spark task.
 * Cells and results are plain serializable data, so an engine may carry them anywhere; the run folder is always
 * written by the caller, on this machine.
 */
public interface Engine {

    List<String> NAMES = List.of("local", "processes", "spark");

    /**
     * Trains {@code cells} of an experiment already prepared with {@code spec} and returns one result per cell,
     * in any order. {@code onFinished} is called once per finished cell, as soon as it is known (it appends the
     * cell to the run folder); a cell that throws becomes a {@code failed} result, not an exception.
     */
    List<CellResult> train(Experiment experiment, Spec spec, List<Cell> cells, Consumer<CellResult> onFinished);

    /** Who trains the cells, for the progress line, e.g. {@code 2 workers}. */
    default String describe(Spec spec) {
        int workers = spec.integer(Harness.WORKERS);
        return workers + (workers == 1 ? " worker" : " workers");
    }

    static Engine named(String name) {
        return switch (name) {
            case "local" -> new LocalEngine();
            case "processes" -> new ProcessEngine();
            case "spark" -> {
                try {
                    yield (Engine) Class.forName("gdlab.spark.SparkEngine").getDeclaredConstructor().newInstance();
                } catch (ClassNotFoundException e) {
                    throw new BadInputException("engine=spark needs the Spark build: run with "
                            + "mvn -Pspark -q compile exec:java ... (see README, 'Running on Apache Spark')");
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot start the Spark engine: " + e, e);
                }
            }
            default -> throw new BadInputException("bad value '" + name + "' for engine; allowed: "
                    + String.join(", ", NAMES));
        };
    }
}
