package gdlab.sweep;

import gdlab.spec.Param;
import gdlab.spec.Spec;

import java.util.List;

/** An experiment that hands every call to another one; a subclass overrides the calls it changes or observes. */
public abstract class ForwardingExperiment implements Experiment {
    protected final Experiment inner;

    protected ForwardingExperiment(Experiment inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String question() {
        return inner.question();
    }

    @Override
    public List<Param> params() {
        return inner.params();
    }

    @Override
    public List<gdlab.report.Metric> metrics() {
        return inner.metrics();
    }

    @Override
    public List<String> curveColumns() {
        return inner.curveColumns();
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        return inner.prepare(spec);
    }

    @Override
    public CellResult run(Cell cell) {
        return inner.run(cell);
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return inner.summarize(results);
    }
}
