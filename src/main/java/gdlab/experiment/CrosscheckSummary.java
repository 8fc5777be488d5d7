package gdlab.experiment;

import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances;
import gdlab.data.Dataset;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The crosscheck's tables: the long table (one row per cell and stage), the worst difference per stage, verdicts. */
final class CrosscheckSummary {
    static final String PASS = "PASS";
    static final String FAIL = "FAIL";

    /** One stage of one cell, as in summary.csv. */
    record Row(CellResult cell, Stage stage, Double abs, Double rel, double tolerance, String verdict) {
        String get(String key) {
            return cell.cell().get(key);
        }
    }

    private final Spec spec;
    private final List<CellResult> results;
    private final Map<String, Dataset> train;
    private final List<Row> rows = new ArrayList<>();

    private CrosscheckSummary(Spec spec, List<CellResult> results, Map<String, Dataset> train) {
        this.spec = spec;
        this.results = results;
        this.train = train;
        for (CellResult r : results) {
            for (Stage s : Stage.values()) {
                String dtype = r.cell().get("dtype");
                double tol = Tolerances.of(s, dtype);
                Double abs = number(r, s.label() + "_abs_diff");
                Double rel = number(r, s.label() + "_rel_diff");
                boolean pass = r.status() == CellResult.Status.OK && rel != null && rel <= tol;
                rows.add(new Row(r, s, abs, rel, tol, pass ? PASS : FAIL));
            }
        }
    }

    static CrosscheckSummary of(Spec spec, List<CellResult> results, Map<String, Dataset> train) {
        return new CrosscheckSummary(spec, results, train);
    }

    private static Double number(CellResult r, String column) {
        Object v = r.metric(Crosscheck.METRICS, column);
        return v == null ? null : ((Number) v).doubleValue();
    }

    List<Row> rows() {
        return rows;
    }

    boolean failed() {
        return rows.stream().anyMatch(r -> r.verdict().equals(FAIL));
    }

    Table longTable() {
        Table t = new Table("data", "updater", "mode", "batch_size", "dtype", "lr", "seed", "stage", "max_abs_diff",
                "max_rel_diff", "tolerance", "verdict");
        for (Row r : rows) {
            t.add(r.get("data"), r.get("updater"), r.get("mode"), r.cell().cell().integer("batch_size"),
                    r.get("dtype"), r.get("lr"), r.cell().cell().longValue("seed"), r.stage().label(), r.abs(),
                    r.rel(), r.tolerance(), r.verdict());
        }
        return t;
    }

    Report report() {
        StringBuilder md = new StringBuilder();
        long failedRows = rows.stream().filter(r -> r.verdict().equals(FAIL)).count();
        md.append(String.format(Locale.ROOT, "**Verdict: %s** — %d of %d rows pass (%d cells x %d stages).%n%n",
                failedRows == 0 ? "every row PASSES" : failedRows + " row(s) FAIL", rows.size() - failedRows,
                rows.size(), results.size(), Stage.values().length));
        md.append(setup()).append('\n');
        md.append("### Worst difference per stage and data type\n\n").append(worstTable().toMarkdown()).append('\n');
        if (failedRows > 0) {
            md.append("### Failing rows\n\n").append(failingTable().toMarkdown()).append('\n');
        }
        md.append("### Every cell (max relative difference per stage)\n\n").append(wideTable().toMarkdown())
                .append('\n');
        return new Report(longTable(), md.toString(), failed());
    }

    private String setup() {
        StringBuilder sb = new StringBuilder();
        List<String> nets = new ArrayList<>();
        for (Map.Entry<String, Dataset> e : train.entrySet()) {
            Dataset d = e.getValue();
            nets.add(String.format(Locale.ROOT, "%s %d-%s-%d (%d examples)", e.getKey(), d.numFeatures(),
                    spec.string("hidden_" + e.getKey()), d.numClasses(), d.size()));
        }
        sb.append(String.format(Locale.ROOT, """
                Nets: %s; %s hidden layer, softmax output, multi-class cross-entropy, Xavier init. DL4J's initial \
                parameters are copied into the reference, which computes in double (for float cells, from DL4J's \
                float inputs and parameters); both sides see the same minibatches (one seeded shuffle per epoch, \
                shared). Stages 1-2 use the whole training set at the initial parameters, 3-4 the first minibatch, \
                5 is after %d updates, 6 after %d shuffled epochs.

                **max_rel_diff = max|DL4J - reference| / max|reference|** over the compared vector (outputs, \
                gradient or parameters); a normwise relative difference, robust to entries near zero. NaN fails.

                """, String.join(", ", nets), spec.string("activation"), spec.integer("steps"), spec.integer("epochs")));
        Table tol = new Table("stage", "meaning", "double_tolerance", "float_tolerance");
        for (Stage s : Stage.values()) {
            tol.add(s.title(), s.meaning().replace("`steps`", spec.string("steps"))
                    .replace("`epochs`", spec.string("epochs")), Tolerances.DOUBLE.get(s), Tolerances.FLOAT.get(s));
        }
        sb.append(tol.toMarkdown());
        return sb.toString();
    }

    private Table worstTable() {
        Table t = new Table("stage", "dtype", "rows", "failed", "worst_rel_diff", "worst_abs_diff", "tolerance",
                "worst_cell");
        for (String dtype : List.of("double", "float")) {
            for (Stage s : Stage.values()) {
                List<Row> g = rows.stream().filter(r -> r.stage() == s && r.get("dtype").equals(dtype)).toList();
                if (g.isEmpty()) {
                    continue;
                }
                Row worst = g.get(0);
                double worstAbs = 0;
                for (Row r : g) {
                    if (rank(r.rel()) > rank(worst.rel())) {
                        worst = r;
                    }
                    worstAbs = Math.max(worstAbs, r.abs() == null || r.abs().isNaN() ? Double.POSITIVE_INFINITY
                            : r.abs());
                }
                long failed = g.stream().filter(r -> r.verdict().equals(FAIL)).count();
                t.add(s.title(), dtype, g.size(), failed, worst.rel(), worstAbs, Tolerances.of(s, dtype),
                        cellName(worst));
            }
        }
        return t;
    }

    /** NaN and missing rank worst. */
    private static double rank(Double rel) {
        return rel == null || rel.isNaN() ? Double.POSITIVE_INFINITY : rel;
    }

    private static String cellName(Row r) {
        return r.get("data") + " " + r.get("updater") + " " + r.get("mode") + " " + r.get("dtype")
                + (r.cell().status() == CellResult.Status.OK ? "" : " (" + r.cell().status() + ")");
    }

    private Table failingTable() {
        Table t = new Table("data", "updater", "mode", "dtype", "stage", "max_abs_diff", "max_rel_diff", "tolerance",
                "verdict", "note");
        for (Row r : rows) {
            if (r.verdict().equals(FAIL)) {
                t.add(r.get("data"), r.get("updater"), r.get("mode"), r.get("dtype"), r.stage().title(), r.abs(),
                        r.rel(), r.tolerance(), r.verdict(), r.cell().message());
            }
        }
        return t;
    }

    private Table wideTable() {
        List<String> cols = new ArrayList<>(List.of("data", "updater", "mode", "dtype", "lr"));
        for (Stage s : Stage.values()) {
            cols.add(s.title());
        }
        cols.addAll(List.of("loss_before", "loss_after", "verdict"));
        Table t = new Table(cols);
        Map<CellResult, List<Row>> byCell = new LinkedHashMap<>();
        rows.forEach(r -> byCell.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<CellResult, List<Row>> e : byCell.entrySet()) {
            CellResult c = e.getKey();
            List<Object> row = new ArrayList<>(List.of(c.cell().get("data"), c.cell().get("updater"),
                    c.cell().get("mode"), c.cell().get("dtype"), c.cell().get("lr")));
            boolean ok = true;
            for (Row r : e.getValue()) {
                row.add(r.rel() == null ? "-" : Table.readable(r.rel()) + (r.verdict().equals(PASS) ? "" : " FAIL"));
                ok &= r.verdict().equals(PASS);
            }
            row.add(c.metric(Crosscheck.METRICS, "initial_loss"));
            row.add(c.metric(Crosscheck.METRICS, "final_loss"));
            row.add(ok ? PASS : FAIL);
            t.add(row);
        }
        return t;
    }
}
