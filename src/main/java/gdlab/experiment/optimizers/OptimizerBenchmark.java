package gdlab.experiment.optimizers;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.SameDiffDescent;
import gdlab.dl4j.Solvers;
import gdlab.dl4j.Trainer;
import gdlab.experiment.Keys;
import gdlab.report.Metric;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.Stackable;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static gdlab.report.Metric.discrepancy;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.timing;

/**
 * Which optimizer? Every DL4J updater, gdlab's heavy ball, AdaBelief (which crashes) and DL4J's line-search solvers,
 * beside the reference's correct line-search GD, CG and L-BFGS, on two networks and four 2-D test functions, each at
 * DL4J's default learning rate ("one-shot") and at every learning rate of a small grid ("tuned"), over seeds.
 *
 * <p>Cells are (problem, optimizer, lr, seed). Networks (digits and iris MLPs) train minibatch updaters with
 * {@link Trainer}; DL4J's solvers train the same network full batch, one solver iteration per {@code fit}. The 2-D
 * functions run the updaters through {@link SameDiffDescent} and DL4J's solvers through a one-layer network. Every
 * updater cell is replayed by the reference (same start, same minibatches, same number of steps) and the difference
 * recorded; the reference's own solvers are rows of their own ({@code line-gd-ref}, {@code cg-ref},
 * {@code lbfgs-ref}). How each kind of cell runs: {@link Runs}.
 */
public final class OptimizerBenchmark implements Experiment, Stackable {
    static final List<String> NETWORKS = List.of("digits", "iris");
    static final List<String> FUNCTIONS = List.of("rosenbrock", "beale", "himmelblau", "saddle");
    static final List<String> PROBLEMS = concat(NETWORKS, FUNCTIONS);
    static final String ADABELIEF = "adabelief";
    static final List<String> REFERENCE_SOLVERS = List.of("line-gd-ref", "cg-ref", "lbfgs-ref");
    static final List<String> OPTIMIZERS = concat(Optimizers.UPDATERS, List.of(ADABELIEF), Solvers.NAMES,
            REFERENCE_SOLVERS);
    /** The lr coordinate of optimizers that have none (AdaDelta, the reference's solvers). */
    static final String NO_LR = "none";

    /** DL4J against the reference: relative loss differences, judged against the 1e-6 of {@link Replay#agree}. */
    static final List<Metric> DECLARED = List.of(measure("steps"), measure("final_loss"), measure("final_x"),
            measure("final_y"), measure("test_accuracy"), measure("steps_to_target"), timing("time_to_target_ms"),
            timing("train_time_ms"), measure("last_progress_step"), measure("example_gradients"),
            measure("ref_final_loss"),
            discrepancy("ref_first_rel_diff", Metric.Bound.of(1e-6)), measure("ref_first_agrees"),
            discrepancy("ref_final_rel_diff", Metric.Bound.of(1e-6)), measure("ref_split_step"),
            measure("ref_agrees"));
    static final List<String> CURVE = List.of("step", "loss", "elapsed_ms");

    private Spec spec;
    private List<Double> grid;
    private Runs runs;

    @Override
    public String name() {
        return "optimizers";
    }

    @Override
    public String question() {
        return "How do you choose an optimizer (SGD, momentum, Adam & co., line search, CG, L-BFGS), with and "
                + "without tuning its learning rate?";
    }

    @Override
    public List<Param> params() {
        return List.of(
                new Param("problems", String.join(", ", PROBLEMS) + ", csv:PATH or idx:IMAGES+LABELS",
                        UserProblems::isProblem, true, "the problems: the digits and iris MLPs, 2-D functions, and "
                        + "MLPs on your own data (csv:PATH with label, idx:IMAGES+LABELS), named by the file"),
                Datasets.labelParam(),
                Param.choice("optimizers", OPTIMIZERS, true, "DL4J updaters, adabelief, DL4J solvers "
                        + "(line-gd cg lbfgs) and the reference's solvers (*-ref)"),
                Param.real("lr", 0, true, "the tuning grid of learning rates (DL4J's default is always run too)"),
                Keys.dtype("ND4J data type of the networks"),
                Keys.testFraction("share of examples held out for test accuracy"),
                Keys.splitSeed("seed of the train/test split"),
                Keys.hidden("units in the MLPs' hidden layer"),
                Keys.activation("hidden-layer activation"),
                Param.integer("batch_size", 1, 1_000_000, false, "minibatch size of the updaters on networks"),
                Param.integer("digits_epochs", 1, 100_000, false, "epochs of the updaters on digits"),
                Param.integer("iris_epochs", 1, 100_000, false, "epochs of the updaters on iris"),
                Param.integer("data_epochs", 1, 100_000, false, "epochs of the updaters on a csv: or idx: problem"),
                Param.integer("function_steps", 1, 1_000_000, false,
                        "the budget on the 2-D functions: steps of the updaters, evaluations of the solvers"),
                Param.realIn("start_radius", 0.0, 10.0, false,
                        "each seed starts a 2-D function at a uniform point within this distance (per axis) of "
                                + "its centre (the saddle's y: within 0.005 of 0.01)"),
                Param.real("target_loss", 0, false, "training loss that counts as reached on networks"),
                Param.real("function_target", 0, false, "f that counts as reached on functions with minimum 0"),
                Param.real("saddle_escape", 0, false, "the saddle counts as escaped at f <= -saddle_escape"),
                Param.realIn("max_seconds", 0.0, 1e6, false, "wall-time budget per cell (0 = none)"),
                new Param("profile_tau", "numbers >= 1", OptimizerBenchmark::atLeastOne, true,
                        "factors tau of the performance profile table"));
    }

    private static boolean atLeastOne(String s) {
        try {
            double v = Double.parseDouble(s);
            return v >= 1 && Double.isFinite(v);
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

    @Override
    public List<Cell> prepare(Spec spec) {
        this.spec = spec;
        this.grid = new ArrayList<>(new TreeSet<>(spec.reals("lr")));
        List<String> problems = distinct(spec.list("problems"));
        int batch = spec.integer("batch_size");
        Map<String, String> named = UserProblems.named(problems);
        problems = List.copyOf(named.keySet());
        Map<String, Split> splits = new LinkedHashMap<>();
        for (String p : problems) {
            if (network(p)) {
                Split split = Split.of(UserProblems.load(spec, named.get(p)), spec.real("test_fraction"),
                        spec.longValue("split_seed"), 0);
                if (batch > split.train().size()) {
                    throw new BadInputException("bad value '" + batch + "' for batch_size: larger than the "
                            + split.train().size() + " training examples of " + p + "; allowed: 1 to "
                            + split.train().size());
                }
                splits.put(p, split);
            }
        }
        this.runs = new Runs(spec, Networks.dtype(spec.string("dtype")), splits);
        List<Cell> cells = new ArrayList<>();
        for (String p : problems) {
            for (String o : distinct(spec.list("optimizers"))) {
                for (String lr : learningRates(o)) {
                    for (long seed : Harness.seeds(spec)) {
                        Map<String, String> coords = new LinkedHashMap<>();
                        coords.put("problem", p);
                        coords.put("optimizer", o);
                        coords.put("lr", lr);
                        coords.put("seed", String.valueOf(seed));
                        cells.add(new Cell(cells.size(), coords));
                    }
                }
            }
        }
        return cells;
    }

    /** The grid plus DL4J's default (as strings, ascending); "none" for optimizers without a learning rate. */
    List<String> learningRates(String optimizer) {
        double def = defaultLearningRate(optimizer);
        if (Double.isNaN(def)) {
            return List.of(NO_LR);
        }
        TreeSet<Double> lrs = new TreeSet<>(grid);
        lrs.add(def);
        return lrs.stream().map(OptimizerBenchmark::lrString).toList();
    }

    /** Whether a problem is a network (shipped or the user's data) rather than a 2-D function. */
    static boolean network(String problem) {
        return !FUNCTIONS.contains(problem);
    }

    /** The updaters' epochs on a network problem: its own key for digits and iris, data_epochs for user data. */
    static int epochs(Spec spec, String problem) {
        return spec.integer((NETWORKS.contains(problem) ? problem : "data") + "_epochs");
    }

    /**
     * DL4J's default learning rate: the updater's own default, for DL4J's solvers that of the updater DL4J gives a
     * network that names none (its solvers search along that updater's step); NaN for AdaDelta and the reference's
     * solvers, which have none.
     */
    static double defaultLearningRate(String optimizer) {
        if (REFERENCE_SOLVERS.contains(optimizer)) {
            return Double.NaN;
        }
        if (Solvers.NAMES.contains(optimizer)) {
            return Solvers.defaultUpdater().getLearningRate(0, 0);
        }
        return Solvers.defaultLearningRate(optimizer);
    }

    /** The one-shot lr coordinate: DL4J's default as written, or "none". */
    static String oneShotLr(String optimizer) {
        double def = defaultLearningRate(optimizer);
        return Double.isNaN(def) ? NO_LR : lrString(def);
    }

    static String lrString(double lr) {
        return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
    }

    /** Who computes the row. */
    static String implementation(String optimizer) {
        if (REFERENCE_SOLVERS.contains(optimizer)) {
            return "reference (plain Java)";
        }
        if (Solvers.NAMES.contains(optimizer)) {
            return "DL4J " + Solvers.algorithm(optimizer);
        }
        if (optimizer.equals("momentum")) {
            return "gdlab HeavyBall in DL4J";
        }
        return "DL4J " + Solvers.updater(optimizer, 0.1).getClass().getSimpleName();
    }

    @Override
    public CellResult run(Cell cell) {
        return runs.run(cell);
    }

    @Override
    public String stackKey(Cell cell) {
        return new StackedRuns(runs).key(cell);
    }

    @Override
    public void runStacked(List<Cell> cells, Consumer<CellResult> onFinished) {
        new StackedRuns(runs).run(cells, onFinished);
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new OptimizerSummary(spec, grid, results).report();
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
