package gdlab.experiment;

import gdlab.report.Claim;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One part of an experiment made of parts ({@link PartedExperiment}): its spec keys, its cells, how a cell runs, its
 * section of the summary and its claims. {@link #prepare} runs once; {@link #run} may run on several threads at once
 * and only reads what {@code prepare} built. An experiment's own Part class adds its coordinates and curve columns.
 */
public abstract class ExperimentPart {
    public final String name;
    /** Heading of its section in summary.md. */
    public final String title;
    /** Its metric columns (cells.csv holds the union over parts; absent values stay empty). */
    public final List<Metric> metrics;
    /** Its claims in hypothesis order, as stated (before a run tests them). */
    public final List<Claim> claims;

    protected ExperimentPart(String name, String title, List<Metric> metrics, Claim... claims) {
        this.name = name;
        this.title = title;
        this.metrics = metrics;
        this.claims = List.of(claims);
    }

    protected abstract List<Param> params();

    /** Loads what its cells need and returns their coordinates. */
    protected abstract List<Map<String, String>> prepare(Spec spec);

    protected abstract Outcome run(Cell cell);

    /** Its section, from its cells (never empty: a part not in the run has {@link #notRun} instead). */
    protected abstract Section summarize(List<CellResult> rows);

    /** Its claims when the run left it out: each not tested. */
    public List<Claim> notRun() {
        return claims.stream().map(c -> notTested(c, "part " + name + " is not in this run", "-")).toList();
    }

    /** A finding as stated, before a run tests it. */
    public static Claim finding(String id, String statement) {
        return Claim.notTested(id, Claim.Kind.FINDING, statement, "", "");
    }

    /** An integrity check as stated, before a run tests it. */
    public static Claim integrity(String id, String statement) {
        return Claim.notTested(id, Claim.Kind.INTEGRITY, statement, "", "");
    }

    public static Claim notTested(Claim c, String why, String expected) {
        return Claim.notTested(c.id(), c.kind(), c.statement(), why, expected);
    }

    /** What one cell produced: metrics by name, curve rows in the experiment's curve column order. */
    public record Outcome(CellResult.Status status, String message, Map<String, Object> metrics,
                          List<List<Object>> curve) {
        public static Outcome ok(Map<String, Object> metrics, CurveRows curve) {
            return new Outcome(CellResult.Status.OK, "", metrics, curve.rows);
        }

        public static Outcome of(boolean diverged, String why, Map<String, Object> metrics, CurveRows curve) {
            return diverged ? new Outcome(CellResult.Status.DIVERGED, why, metrics, curve.rows) : ok(metrics, curve);
        }
    }

    /** A part's section: its main table (also in summary.csv), its figures and its claims checked, in order. */
    public record Section(String markdown, Table table, List<Figure> figures, List<Claim> claims) {
    }

    /** The curve rows a cell builds; an experiment's Part says how a row is added. */
    public abstract static class CurveRows {
        protected final List<List<Object>> rows = new ArrayList<>();
    }
}
