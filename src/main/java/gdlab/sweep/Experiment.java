package gdlab.sweep;

import gdlab.report.Metric;
import gdlab.spec.Param;
import gdlab.spec.Spec;

import java.util.List;

/**
 * One question about gradient descent, answered by a sweep of DL4J training runs.
 *
 * <p>Lifecycle, for every run: a fresh instance from the {@link gdlab.Registry}; {@link #prepare} with the resolved spec
 * (loads data, rejects values that only the data can judge, returns the grid); {@link #run} once per cell,
 * possibly from several worker threads at once (so it must only read what {@code prepare} built); then
 * {@link #summarize} with every cell's result in grid order.
 */
public interface Experiment {

    /** The name used with {@code -Dexperiment=}. */
    String name();

    /** The question it answers, one line. */
    String question();

    /** The spec keys it reads, beyond the harness's own ({@code seeds}, {@code quick}, ...). */
    List<Param> params();

    /** cells.csv columns after the cell's coordinates, each with its kind (a measure, a setting, ...). */
    List<Metric> metrics();

    /** The names of {@link #metrics()}, in order. */
    default List<String> metricColumns() {
        return Metric.names(metrics());
    }

    /** curves.csv columns after the cell's coordinates. */
    List<String> curveColumns();

    /** Loads what the cells need and returns the grid; throws {@link gdlab.spec.BadInputException} on bad input. */
    List<Cell> prepare(Spec spec);

    /** Trains one cell. A diverging run returns status {@code diverged}; it does not throw. */
    CellResult run(Cell cell);

    /**
     * What {@link #prepare} measured that every cell shares (e.g. a critical learning rate), written to run.json as
     * {@code facts}; empty (the default) writes nothing.
     */
    default java.util.Map<String, Object> facts() {
        return java.util.Map.of();
    }

    /** Aggregates the results (in grid order) into the tables people read. */
    Report summarize(List<CellResult> results);
}
