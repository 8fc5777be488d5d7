package gdlab.spark;

import gdlab.Registry;
import gdlab.dl4j.Nd4jSetup;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Objects;

/**
 * What a Spark task runs, on an executor: its one cell, trained by this JVM's prepared experiment. Whatever goes
 * wrong (the experiment cannot be created or prepared here, the executor's grid is not the driver's, the cell
 * throws) becomes a {@code failed} result with the message, never a failed task.
 */
final class CellTask extends AbstractFunction1<Iterator<Cell>, CellResult> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String experimentClass;
    private final Spec spec;

    CellTask(String experimentClass, Spec spec) {
        this.experimentClass = experimentClass;
        this.spec = spec;
    }

    @Override
    public CellResult apply(Iterator<Cell> partition) {
        Cell cell = partition.next();
        if (partition.hasNext()) {
            throw new IllegalStateException("a task holds more than one cell");   // a bug in SparkEngine
        }
        try {
            Prepared prepared = Prepared.get(experimentClass, spec);
            return prepared.experiment().run(prepared.check(cell));
        } catch (Throwable e) {   // a cell must end as a row, whatever it threw
            return CellResult.failed(cell, e);
        }
    }

    /** This JVM's experiment, prepared once per spec (the grid it returned is kept to check each cell against). */
    record Prepared(String experimentClass, Spec spec, Experiment experiment, List<Cell> cells,
                    RuntimeException error) {
        private static Prepared current;
        private static int preparations;

        static synchronized Prepared get(String experimentClass, Spec spec) {
            if (current == null || !current.experimentClass.equals(experimentClass)
                    || !current.spec.equals(spec)) {
                current = null;   // let the previous run's data go before loading this one's
                current = prepare(experimentClass, spec);
            }
            if (current.error != null) {
                throw current.error;
            }
            return current;
        }

        /** How often this JVM has prepared an experiment (once per spec, however many cells it trains). */
        static synchronized int preparations() {
            return preparations;
        }

        private static Prepared prepare(String experimentClass, Spec spec) {
            preparations++;
            try {
                Nd4jSetup.singleThreadedOps();
                Experiment experiment = create(experimentClass, spec.experiment());
                List<Cell> cells = experiment.prepare(spec);
                return new Prepared(experimentClass, spec, experiment, cells, null);
            } catch (ReflectiveOperationException e) {
                return failedPreparation(experimentClass, spec, new IllegalStateException(
                        "cannot create " + experimentClass + " on this executor (it needs a no-argument "
                                + "constructor, and gdlab's jar on the executor class path): " + e, e));
            } catch (RuntimeException | LinkageError e) {
                return failedPreparation(experimentClass, spec, new IllegalStateException(
                        "cannot prepare " + spec.experiment() + " on this executor: " + e, e));
            }
        }

        /** As the driver made it: the registry's, or else (an experiment known only to a test) by its class. */
        private static Experiment create(String experimentClass, String name) throws ReflectiveOperationException {
            if (Registry.names().contains(name)) {
                Experiment registered = Registry.create(name);
                if (registered.getClass().getName().equals(experimentClass)) {
                    return registered;
                }
            }
            Constructor<?> constructor = Class.forName(experimentClass).getDeclaredConstructor();
            constructor.setAccessible(true);
            return (Experiment) constructor.newInstance();
        }

        private static Prepared failedPreparation(String experimentClass, Spec spec, RuntimeException error) {
            return new Prepared(experimentClass, spec, null, List.of(), error);
        }

        /** The driver's cell, once this executor's grid agrees on it (same data, same spec, same code). */
        Cell check(Cell cell) {
            Cell mine = cell.index() < cells.size() ? cells.get(cell.index()) : null;
            if (mine == null || !Objects.equals(mine.coords(), cell.coords())) {
                throw new IllegalStateException("this executor's grid differs from the driver's at cell "
                        + cell.index() + ": " + cell.coords() + " vs " + (mine == null ? "none" : mine.coords())
                        + " (is the same data at the same path on every executor?)");
            }
            return cell;
        }
    }
}
