package gdlab.experiment.momentum;

import gdlab.data.Datasets;
import gdlab.dl4j.HeavyBall;
import gdlab.exact.LeastSquares;
import gdlab.experiment.Keys;
import gdlab.reference.Updater;
import gdlab.spec.BadInputException;
import gdlab.report.Csv;
import gdlab.report.Metric;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.timing;

/**
 * Momentum: plain gradient descent (DL4J Sgd) against heavy-ball momentum (gdlab's DL4J {@link HeavyBall}: v = mu v
 * + g, theta -= lr v) and DL4J's Nesterov ({@code Nesterovs}) on three kinds of problems, one class each.
 *
 * <ul>
 *   <li>{@code quadratic} ({@link Quadratics}): least squares with a chosen Hessian spectrum, or on the user's data
 *   when its label is continuous ({@link MomentumData}), each (optimizer, mu) at the learning rate theory says is best
 *   for it; iterations to a loss gap of 1e-6 of its start, beside theory's counts and the reference's.</li>
 *   <li>{@code trajectory} ({@link Paths}): 2-D paths, drawn, on an ill-conditioned quadratic and on Rosenbrock's
 *   function: the "inertia" overshoot.</li>
 *   <li>{@code mlp} ({@link MlpPart}): an MLP on the data's classes (the digits by default) over a small
 *   learning-rate grid per (optimizer, mu).</li>
 * </ul>
 * {@link MomentumReport} writes the summary, {@link MomentumClaims} checks the hypothesis.
 */
public final class Momentum implements Experiment {
    static final String QUADRATIC = "quadratic";
    static final String TRAJECTORY = "trajectory";
    static final String MLP = "mlp";
    static final String OPTIMAL = "optimal";
    static final String SGD = "sgd";
    static final String HEAVY_BALL = "momentum";
    static final String NESTEROV = "nesterov";
    static final String QUADRATIC_2D = "quadratic-2d";
    static final String ROSENBROCK = "rosenbrock";

    static final List<Metric> DECLARED = List.of(measure("mu"), measure("condition"), measure("lambda_min"),
            measure("lambda_max"), measure("predicted_rate"),
            measure("predicted_iterations"), measure("exact_iterations"), measure("measured_iterations"),
            measure("reference_iterations"), measure("measured_to_predicted"), measure("ref_mismatch_steps"),
            measure("final_loss"), measure("final_relative_loss"), measure("epochs_to_target"),
            measure("updates_to_target"), measure("overshoot"), measure("valley_crossings"),
            measure("distance_to_minimum"), outcome("diverged"), timing("train_time_ms"));
    static final List<String> CURVE = List.of("step", "x", "y", "loss", "relative_loss", "ref_diff");

    /**
     * DL4J and the reference disagree on a step when the losses differ by more than this relative to the loss gap
     * (quadratics), or the points by more than this (2-D paths). cells.csv counts disagreements rather than recording
     * round-off, which changes with the CPU's kernels; curves.csv has each step's difference (ref_diff).
     */
    static final double REF_TOLERANCE = 1e-7;

    private Spec spec;
    private Quadratics quadratics;
    private Paths paths;
    private MlpPart mlp;
    private MomentumData data;

    @Override
    public String name() {
        return "momentum";
    }

    @Override
    public String question() {
        return "What does momentum add to gradient descent, and how much faster is it (heavy ball, Nesterov)?";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.choice("part", List.of(QUADRATIC, TRAJECTORY, MLP), true, "quadratic (iteration counts vs "
                        + "theory), trajectory (2-D paths), mlp (an MLP on the digits or the data's classes)"),
                Param.choice("optimizer", List.of(SGD, HEAVY_BALL, NESTEROV), true,
                        "sgd (plain GD), momentum (heavy ball, gdlab's DL4J updater), nesterov (DL4J's Nesterovs)"),
                new Param("momentum", "a number in [0, 1), or optimal", s -> s.equals(OPTIMAL) || inUnit(s), true,
                        "mu; 0 is plain GD (the sgd row); optimal = theory's best for the quadratic"),
                Datasets.param(),
                Datasets.labelParam(),
                Param.real("condition", 1, true, "condition numbers k of the synthetic quadratics (a continuous "
                        + "label's data replaces them)"),
                Param.integer("features", 2, 1000, false, "dimension of the quadratics"),
                Param.integer("examples", 3, 1_000_000, false, "examples of the quadratics' least-squares data"),
                Param.integer("data_seed", 0, Integer.MAX_VALUE, false, "seed of the quadratics' data and the "
                        + "digits' shuffle"),
                Param.realIn("tolerance", 1e-14, 0.5, false, "quadratics: converged when (L - L*) / (L0 - L*) "
                        + "<= tolerance"),
                Param.integer("max_iterations", 1, 10_000_000, false, "quadratics: step budget"),
                Param.real("trajectory_condition", 1, false, "condition number of the 2-D quadratic"),
                new Param("trajectory_momentum", "a number in [0, 1)", Momentum::inUnit, false,
                        "mu of the momentum and nesterov paths"),
                Param.integer("trajectory_steps", 1, 1_000_000, false, "steps of the 2-D quadratic paths"),
                Param.real("rosenbrock_lr", 0, false, "learning rate of every Rosenbrock path"),
                Param.integer("rosenbrock_steps", 1, 1_000_000, false, "steps of the Rosenbrock paths"),
                Keys.maxExamples("use only this many examples of the data, a seeded subsample (0 = all)"),
                Keys.hidden("MLP: hidden units"),
                Keys.activation("MLP: hidden activation"),
                Keys.dtype("MLP: ND4J data type (the quadratics use double)"),
                Param.real("lr", 0, true, "MLP: the learning-rate grid of every (optimizer, mu)"),
                new Param("batch_size", "full, or an integer >= 1 (at most the number of training examples)",
                        s -> s.equals("full") || s.matches("[1-9][0-9]{0,8}"), false,
                        "MLP: examples per step (full = plain full-batch gradient descent)"),
                Param.integer("max_epochs", 1, 1_000_000, false, "MLP: epoch budget"),
                Param.real("target_loss", 0, false, "MLP: training loss that counts as reached (the run stops)"));
    }

    private static boolean inUnit(String s) {
        try {
            double v = Double.parseDouble(s);
            return v >= 0 && v < 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public List<Metric> metrics() {
        return DECLARED;
    }

    @Override
    public List<String> curveColumns() {
        return CURVE;
    }

    /** The (optimizer, mu) rows: sgd once (mu 0), then momentum and nesterov at every mu > 0 (and optimal). */
    private List<String[]> rows(boolean withOptimal) {
        List<String[]> rows = new ArrayList<>();
        List<String> optimizers = new ArrayList<>(new LinkedHashSet<>(spec.list("optimizer")));
        List<String> mus = new ArrayList<>(new LinkedHashSet<>(spec.list("momentum")));
        if (optimizers.contains(SGD) || mus.stream().anyMatch(m -> !m.equals(OPTIMAL) && Double.parseDouble(m) == 0)) {
            rows.add(new String[]{SGD, "0"});
        }
        for (String o : optimizers) {
            if (o.equals(SGD)) {
                continue;
            }
            for (String m : mus) {
                if (m.equals(OPTIMAL) ? withOptimal : Double.parseDouble(m) > 0) {
                    rows.add(new String[]{o, m});
                }
            }
        }
        return rows;
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        this.spec = spec;
        List<String> parts = spec.list("part");
        data = MomentumData.load(spec);
        if (data.continuous()) {
            if (!parts.contains(QUADRATIC)) {
                throw new BadInputException("data " + data.data() + ": " + data.labelSource() + " is continuous "
                        + "and part names only " + String.join(", ", parts) + "; allowed: part = quadratic "
                        + "(least squares on the label; the MLP and the 2-D paths do not use the data), or a "
                        + "column of class labels for the mlp part");
            }
            parts = parts.stream().filter(p -> !p.equals(MLP)).toList();
        }
        List<Long> seeds = Harness.seeds(spec);
        List<Cell> cells = new ArrayList<>();
        if (parts.contains(TRAJECTORY)) {
            paths = new Paths(spec);
            for (String surface : List.of(QUADRATIC_2D, ROSENBROCK)) {
                for (Paths.Row row : paths.rows(surface)) {
                    cells.add(cell(cells.size(), TRAJECTORY, surface, row.optimizer(), row.mu(), row.lr(),
                            seeds.get(0)));
                }
            }
        }
        if (parts.contains(QUADRATIC)) {
            quadratics = data.continuous() ? Quadratics.onData(spec, data) : new Quadratics(spec);
            for (Map.Entry<String, LeastSquares> problem : quadratics.problems().entrySet()) {
                for (String[] row : rows(true)) {
                    double lr = Quadratics.tuned(row[0], row[1], problem.getValue().eigen().values())[0];
                    cells.add(cell(cells.size(), QUADRATIC, problem.getKey(), row[0], row[1], lr, seeds.get(0)));
                }
            }
        }
        if (parts.contains(MLP)) {
            mlp = new MlpPart(spec, data);
            for (String[] row : rows(false)) {
                for (double lr : new LinkedHashSet<>(spec.reals("lr"))) {
                    for (long seed : seeds) {
                        cells.add(cell(cells.size(), MLP, data.name() + "-mlp", row[0], row[1], lr, seed));
                    }
                }
            }
        }
        return cells;
    }

    private static Cell cell(int index, String part, String problem, String optimizer, String mu, double lr,
                             long seed) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("part", part);
        c.put("problem", problem);
        c.put("optimizer", optimizer);
        c.put("momentum", mu);
        c.put("lr", Csv.format(lr));
        c.put("seed", String.valueOf(seed));
        return new Cell(index, c);
    }

    static IUpdater dl4jUpdater(String optimizer, double lr, double mu) {
        return switch (optimizer) {
            case SGD -> new Sgd(lr);
            case HEAVY_BALL -> new HeavyBall(lr, mu);
            case NESTEROV -> new Nesterovs(lr, mu);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    static Updater referenceUpdater(String optimizer, double lr, double mu) {
        return switch (optimizer) {
            case SGD -> new gdlab.reference.Sgd(lr);
            case HEAVY_BALL -> new gdlab.reference.HeavyBall(lr, mu);
            case NESTEROV -> new gdlab.reference.Nesterov(lr, mu);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    @Override
    public CellResult run(Cell cell) {
        return switch (cell.get("part")) {
            case QUADRATIC -> quadratics.run(cell);
            case TRAJECTORY -> paths.run(cell);
            default -> mlp.run(cell);
        };
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new MomentumReport(spec, mlp, quadratics).report(results);
    }

    /** A cell's metric values, starting with those its part does not measure (blank in cells.csv). */
    static Metric.Values unmeasured(String... names) {
        Metric.Values values = Metric.values(DECLARED);
        for (String name : names) {
            values.put(name, null);
        }
        return values;
    }

    /** A row's name: "sgd", or the optimizer and its mu ("nesterov mu=0.9"). */
    static String label(Cell c) {
        return c.get("optimizer").equals(SGD) ? SGD : c.get("optimizer") + " mu=" + c.get("momentum");
    }

    /** Whether the cell is {@code optimizer}'s at {@code mu} (any mu when null). */
    static boolean is(CellResult r, String optimizer, String mu) {
        return r.cell().get("optimizer").equals(optimizer) && (mu == null || r.cell().get("momentum").equals(mu));
    }

    static List<CellResult> part(List<CellResult> results, String part) {
        return results.stream().filter(r -> r.cell().get("part").equals(part)).toList();
    }
}
