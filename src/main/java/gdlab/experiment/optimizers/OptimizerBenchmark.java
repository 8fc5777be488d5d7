package gdlab.experiment.optimizers;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.FunctionNet;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.SameDiffDescent;
import gdlab.dl4j.Solvers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.Activation;
import gdlab.reference.ConjugateGradient;
import gdlab.reference.GradientDescent;
import gdlab.reference.Lbfgs;
import gdlab.reference.LineSearchGradientDescent;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Objective;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Solver;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;
import gdlab.reference.Updaters;
import gdlab.report.Metric;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

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
 * functions run the updaters through {@link SameDiffDescent} and DL4J's solvers through {@link FunctionNet}. Every
 * updater cell is replayed by the reference (same start, same minibatches, same number of steps) and the difference
 * recorded; the reference's own solvers are rows of their own ({@code line-gd-ref}, {@code cg-ref},
 * {@code lbfgs-ref}).
 */
public final class OptimizerBenchmark implements Experiment {
    static final List<String> NETWORKS = List.of("digits", "iris");
    static final List<String> FUNCTIONS = List.of("rosenbrock", "beale", "himmelblau", "saddle");
    static final List<String> PROBLEMS = concat(NETWORKS, FUNCTIONS);
    static final String ADABELIEF = "adabelief";
    static final List<String> REFERENCE_SOLVERS = List.of("line-gd-ref", "cg-ref", "lbfgs-ref");
    static final List<String> OPTIMIZERS = concat(concat(Optimizers.UPDATERS, List.of(ADABELIEF)),
            concat(Solvers.NAMES, REFERENCE_SOLVERS));
    /** The lr coordinate of optimizers that have none (AdaDelta, the reference's solvers). */
    static final String NO_LR = "none";
    /** The centre of each function's start points. */
    static final Map<String, double[]> CENTERS = Map.of(
            "rosenbrock", new double[]{-1.2, 1.0},
            "beale", new double[]{1.0, 1.5},
            "himmelblau", new double[]{0.0, 0.0},
            "saddle", new double[]{1.0, 0.01});
    /**
     * The saddle's y offset: y starts in [0.005, 0.015], close to the ridge y = 0 where the gradient along the
     * escape direction (2y) is tiny, so how fast an optimizer gets away is the question.
     */
    static final double SADDLE_Y_RADIUS = 0.005;

    /** DL4J against the reference: relative loss differences, judged against the 1e-6 of {@link #agree}. */
    static final List<Metric> DECLARED = List.of(measure("steps"), measure("final_loss"), measure("final_x"),
            measure("final_y"), measure("test_accuracy"), measure("steps_to_target"), timing("time_to_target_ms"),
            timing("train_time_ms"), measure("last_progress_step"), measure("ref_final_loss"),
            discrepancy("ref_first_rel_diff", Metric.Bound.of(1e-6)), measure("ref_first_agrees"),
            discrepancy("ref_final_rel_diff", Metric.Bound.of(1e-6)), measure("ref_split_step"),
            measure("ref_agrees"));
    static final List<String> METRICS = Metric.names(DECLARED);
    static final List<String> CURVE = List.of("step", "loss", "elapsed_ms");

    private Spec spec;
    private DataType dtype;
    private final Map<String, Split> splits = new LinkedHashMap<>();
    private List<Double> grid;

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
                Param.choice("problems", PROBLEMS, true, "the problems: the digits and iris MLPs, 2-D functions"),
                Param.choice("optimizers", OPTIMIZERS, true, "DL4J updaters, adabelief, DL4J solvers "
                        + "(line-gd cg lbfgs) and the reference's solvers (*-ref)"),
                Param.real("lr", 0, true, "the tuning grid of learning rates (DL4J's default is always run too)"),
                Param.choice("dtype", Networks.DTYPES, false, "ND4J data type of the networks"),
                Param.realIn("test_fraction", 0.0, 0.9, false, "share of examples held out for test accuracy"),
                Param.integer("split_seed", 0, Integer.MAX_VALUE, false, "seed of the train/test split"),
                Param.integer("hidden", 1, 4096, false, "units in the MLPs' hidden layer"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "hidden-layer activation"),
                Param.integer("batch_size", 1, 1_000_000, false, "minibatch size of the updaters on networks"),
                Param.integer("digits_epochs", 1, 100_000, false, "epochs of the updaters on digits"),
                Param.integer("iris_epochs", 1, 100_000, false, "epochs of the updaters on iris"),
                Param.integer("solver_iterations", 1, 1_000_000, false,
                        "iterations of the solvers on networks (full batch, one line search each)"),
                Param.integer("function_steps", 1, 1_000_000, false,
                        "steps (updaters) or iterations (solvers) on the 2-D functions"),
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
        this.dtype = Networks.dtype(spec.string("dtype"));
        this.grid = new ArrayList<>(new TreeSet<>(spec.reals("lr")));
        List<String> problems = distinct(spec.list("problems"));
        List<String> optimizers = distinct(spec.list("optimizers"));
        int batch = spec.integer("batch_size");
        for (String p : problems) {
            if (NETWORKS.contains(p)) {
                Dataset data = Datasets.load(p);
                Split split = Split.of(data, spec.real("test_fraction"), spec.longValue("split_seed"), 0);
                if (batch > split.train().size()) {
                    throw new BadInputException("bad value '" + batch + "' for batch_size: larger than the "
                            + split.train().size() + " training examples of " + p + "; allowed: 1 to "
                            + split.train().size());
                }
                splits.put(p, split);
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (String p : problems) {
            for (String o : optimizers) {
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

    /** The start of seed {@code seed} on a 2-D function: its centre plus a uniform offset in [-r, r]^2. */
    double[] start(String function, long seed) {
        double r = spec.real("start_radius");
        double ry = function.equals("saddle") ? SADDLE_Y_RADIUS : r;
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + function.hashCode());
        double[] c = CENTERS.get(function);
        return new double[]{c[0] + r * (2 * random.nextDouble() - 1), c[1] + ry * (2 * random.nextDouble() - 1)};
    }

    /** What a run must reach: training loss on networks, f on functions, -saddle_escape on the saddle. */
    double target(String problem) {
        if (NETWORKS.contains(problem)) {
            return spec.real("target_loss");
        }
        return problem.equals("saddle") ? -spec.real("saddle_escape") : spec.real("function_target");
    }

    @Override
    public CellResult run(Cell cell) {
        String problem = cell.get("problem");
        String optimizer = cell.get("optimizer");
        try {
            if (NETWORKS.contains(problem)) {
                if (REFERENCE_SOLVERS.contains(optimizer)) {
                    return networkReferenceSolver(cell);
                }
                return Solvers.NAMES.contains(optimizer) ? networkSolver(cell) : networkUpdater(cell);
            }
            if (REFERENCE_SOLVERS.contains(optimizer)) {
                return functionReferenceSolver(cell);
            }
            return Solvers.NAMES.contains(optimizer) ? functionSolver(cell) : functionUpdater(cell);
        } catch (RuntimeException e) {
            return crashed(cell, e);
        }
    }

    /** A run that threw (AdaBelief in DL4J 1.0.0-M2.1): the exception and where it was thrown, as measured. */
    static CellResult crashed(Cell cell, RuntimeException e) {
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        String where = at == null ? "" : " at " + simpleClass(at.getClassName()) + "." + at.getMethodName()
                + "(" + at.getFileName() + ":" + at.getLineNumber() + ")";
        String message = "crashed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().strip().lines().findFirst().orElse(""))
                + where;
        return new CellResult(cell, CellResult.Status.FAILED, message, Map.of(), List.of());
    }

    private static String simpleClass(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private double lr(Cell cell) {
        String lr = cell.get("lr");
        return lr.equals(NO_LR) ? Double.NaN : Double.parseDouble(lr);
    }

    /** The DL4J updater of an updater row; AdaDelta (no learning rate) gets DL4J's no-argument one. */
    private static IUpdater dl4jUpdater(String optimizer, double lr) {
        return Solvers.updater(optimizer, Double.isNaN(lr) ? 1.0 : lr);
    }

    /** The reference updater of an updater row (none for AdaBelief). */
    private static gdlab.reference.Updater referenceUpdater(String optimizer, double lr) {
        return Double.isNaN(lr) ? Updaters.create(optimizer) : Updaters.create(optimizer, lr);
    }

    // ---------------------------------------------------------------- networks

    private int[] sizes(Split split) {
        return new int[]{split.train().numFeatures(), spec.integer("hidden"), split.train().numClasses()};
    }

    private int epochs(String problem) {
        return spec.integer(problem + "_epochs");
    }

    private Mlp referenceMlp(int[] sizes) {
        Activation hidden = Activation.named(spec.string("activation"));
        return new Mlp(sizes, hidden, Activation.SOFTMAX, Loss.MCXENT);
    }

    private CellResult networkUpdater(Cell cell) {
        String problem = cell.get("problem");
        String optimizer = cell.get("optimizer");
        double lr = lr(cell);
        long seed = cell.longValue("seed");
        Split split = splits.get(problem);
        Dataset train = split.train();
        int[] sizes = sizes(split);
        int batch = spec.integer("batch_size");
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"), dl4jUpdater(optimizer, lr),
                seed, dtype);
        double[] init = Tensors.toDoubles(net.params());
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        Trainer.Outcome t = Trainer.train(net, x, y, new Trainer.Options(batch, epochs(problem),
                spec.real("max_seconds"), target(problem), seed, Trainer.Order.SHUFFLED).classifier(train.numClasses()),
                null);
        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0L, t.initialLoss(), 0.0));
        double elapsed = 0;
        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        for (Trainer.Epoch e : t.epochs()) {
            elapsed += e.epochMs();
            curve.add(List.of(e.updates(), e.trainLoss(), elapsed));
            losses[e.epoch()] = e.trainLoss();
        }
        // the reference replays the same epochs: same initial parameters, same minibatches, same updater
        ReferenceTrainer ref = new ReferenceTrainer(referenceMlp(sizes), referenceUpdater(optimizer, lr), init,
                train.features(), train.oneHot(), batch, Ordering.shuffled(seed));
        double[] refLosses = new double[losses.length];
        refLosses[0] = ref.trainLoss();
        for (int e = 1; e < refLosses.length; e++) {
            refLosses[e] = ref.finishEpoch().trainLoss();
        }
        long steps = t.epochs().isEmpty() ? 0 : t.last().updates();
        return result(cell, t.status() == Trainer.Status.DIVERGED, t.stopReason(), steps, t.finalLoss(), null,
                testAccuracy(net, split), t.updatesToTarget(), t.msToTarget(), t.trainingMs(),
                lastProgress(losses, t.updatesPerEpoch()), Replay.of(losses, refLosses, t.updatesPerEpoch()), curve);
    }

    private CellResult networkSolver(Cell cell) {
        String problem = cell.get("problem");
        double lr = lr(cell);
        long seed = cell.longValue("seed");
        Split split = splits.get(problem);
        Dataset train = split.train();
        IUpdater updater = Solvers.defaultUpdater().clone();
        updater.setLrAndSchedule(lr, null);
        MultiLayerNetwork net = Solvers.withAlgorithm(Networks.classifier(sizes(split), spec.string("activation"),
                updater, seed, dtype), Solvers.algorithm(cell.get("optimizer")));
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        Trainer.Outcome t = Trainer.train(net, x, y, new Trainer.Options(train.size(),
                spec.integer("solver_iterations"), spec.real("max_seconds"), target(problem), seed,
                Trainer.Order.AS_GIVEN).classifier(train.numClasses()), null);
        return solverResult(cell, t, testAccuracy(net, split), null);
    }

    private CellResult networkReferenceSolver(Cell cell) {
        String problem = cell.get("problem");
        long seed = cell.longValue("seed");
        Split split = splits.get(problem);
        int[] sizes = sizes(split);
        // DL4J's initial parameters of this seed, so the reference starts where the DL4J rows start
        double[] init = Tensors.toDoubles(Networks.classifier(sizes, spec.string("activation"),
                Solvers.defaultUpdater(), seed, dtype).params());
        Mlp mlp = referenceMlp(sizes);
        Objective f = new MlpObjective(mlp, split.train().features(), split.train().oneHot());
        Timed timed = Timed.minimize(referenceSolver(cell.get("optimizer")), f, init,
                spec.integer("solver_iterations"), StopRule.never(), spec.real("max_seconds"));
        Trajectory tr = timed.trajectory();
        double accuracy = split.test().size() == 0 ? Double.NaN
                : accuracy(mlp.output(tr.x(), split.test().features()), split.test().labels());
        return referenceResult(cell, timed, accuracy, null);
    }

    private static double testAccuracy(MultiLayerNetwork net, Split split) {
        if (split.test().size() == 0) {
            return Double.NaN;
        }
        INDArray out = net.output(Tensors.matrix(split.test().features(), net.params().dataType()));
        return Tensors.accuracy(out, split.test().labels());
    }

    static double accuracy(double[][] outputs, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int arg = 0;
            for (int j = 1; j < outputs[i].length; j++) {
                if (outputs[i][j] > outputs[i][arg]) {
                    arg = j;
                }
            }
            if (arg == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
    }

    // ---------------------------------------------------------------- 2-D functions

    private CellResult functionUpdater(Cell cell) {
        String problem = cell.get("problem");
        String optimizer = cell.get("optimizer");
        double lr = lr(cell);
        double[] x0 = start(problem, cell.longValue("seed"));
        SameDiffDescent d = SameDiffDescent.function(problem, x0[0], x0[1], dl4jUpdater(optimizer, lr));
        int steps = spec.integer("function_steps");
        double target = target(problem);
        boolean saddle = problem.equals("saddle");
        double maxMs = spec.real("max_seconds") * 1000;
        double f0 = d.value();
        double[] losses = new double[steps + 1];
        losses[0] = f0;
        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0L, f0, 0.0));
        double ms = 0;
        Long toTarget = null;
        Double msToTarget = null;
        boolean diverged = false;
        String reason = "budget";
        int s = 0;
        while (s < steps) {
            long t0 = System.nanoTime();
            d.step();
            ms += (System.nanoTime() - t0) / 1e6;
            s++;
            double f = d.value();
            losses[s] = f;
            if (s <= 20 || s % 10 == 0 || s == steps) {
                curve.add(List.of((long) s, f, ms));
            }
            if (!Double.isFinite(f) || f > Trainer.BLOW_UP * Math.max(f0, 1.0)) {
                diverged = true;
                reason = String.format(Locale.ROOT, "f = %s at step %d", f, s);
                break;
            }
            if (toTarget == null && f <= target) {
                toTarget = (long) s;
                msToTarget = ms;
                if (saddle) {
                    reason = "escaped";
                    break;
                }
            }
            if (maxMs > 0 && ms >= maxMs) {
                reason = "time";
                break;
            }
        }
        if (!curve.isEmpty() && ((Number) curve.get(curve.size() - 1).get(0)).longValue() != s) {
            curve.add(List.of((long) s, losses[s], ms));
        }
        double[] p = d.point();
        // the reference takes as many steps with the same updater from the same start
        Trajectory ref = GradientDescent.run(testFunction(problem), referenceUpdater(optimizer, lr), x0, s);
        double[] mine = Arrays.copyOf(losses, s + 1);
        return result(cell, diverged, reason, s, losses[s], p, Double.NaN, toTarget, msToTarget, ms,
                lastProgress(mine, 1), Replay.of(mine, ref.values(), 1), curve);
    }

    private CellResult functionSolver(Cell cell) {
        String problem = cell.get("problem");
        double[] x0 = start(problem, cell.longValue("seed"));
        IUpdater updater = Solvers.defaultUpdater().clone();
        updater.setLrAndSchedule(lr(cell), null);
        MultiLayerNetwork net = FunctionNet.network(problem, x0[0], x0[1], updater,
                Solvers.algorithm(cell.get("optimizer")));
        double target = target(problem);
        boolean saddle = problem.equals("saddle");
        Trainer.Outcome t = Trainer.train(net, FunctionNet.input(), FunctionNet.labels(), new Trainer.Options(1,
                spec.integer("function_steps"), spec.real("max_seconds"), target, cell.longValue("seed"),
                Trainer.Order.AS_GIVEN), e -> saddle && e.trainLoss() <= target);
        return solverResult(cell, t, Double.NaN, net.params().toDoubleVector());
    }

    private CellResult functionReferenceSolver(Cell cell) {
        String problem = cell.get("problem");
        double[] x0 = start(problem, cell.longValue("seed"));
        StopRule stop = problem.equals("saddle") ? StopRule.valueBelow(target(problem)) : StopRule.never();
        Timed timed = Timed.minimize(referenceSolver(cell.get("optimizer")), testFunction(problem), x0,
                spec.integer("function_steps"), stop, spec.real("max_seconds"));
        return referenceResult(cell, timed, Double.NaN, timed.trajectory().x());
    }

    static TestFunction testFunction(String name) {
        return TestFunction.valueOf(name.toUpperCase(Locale.ROOT));
    }

    static Solver referenceSolver(String name) {
        return switch (name) {
            case "line-gd-ref" -> new LineSearchGradientDescent();
            case "cg-ref" -> new ConjugateGradient();
            case "lbfgs-ref" -> new Lbfgs();
            default -> throw new IllegalArgumentException("unknown reference solver '" + name + "'");
        };
    }

    // ---------------------------------------------------------------- results

    /** A DL4J solver's run (network or function): one curve point per iteration, no reference replay. */
    private CellResult solverResult(Cell cell, Trainer.Outcome t, double accuracy, double[] point) {
        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0L, t.initialLoss(), 0.0));
        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        double elapsed = 0;
        for (Trainer.Epoch e : t.epochs()) {
            elapsed += e.epochMs();
            curve.add(List.of(e.updates(), e.trainLoss(), elapsed));
            losses[e.epoch()] = e.trainLoss();
        }
        long steps = t.epochs().isEmpty() ? 0 : t.last().updates();
        return result(cell, t.status() == Trainer.Status.DIVERGED, t.stopReason(), steps, t.finalLoss(), point,
                accuracy, t.updatesToTarget(), t.msToTarget(), t.trainingMs(), lastProgress(losses, 1), null, curve);
    }

    /** A reference solver's run. */
    private CellResult referenceResult(Cell cell, Timed timed, double accuracy, double[] point) {
        Trajectory tr = timed.trajectory();
        double target = target(cell.get("problem"));
        Long toTarget = null;
        Double msToTarget = null;
        List<List<Object>> curve = new ArrayList<>();
        for (int i = 0; i < tr.values().length; i++) {
            curve.add(List.of((long) i, tr.values()[i], timed.ms()[i]));
            if (toTarget == null && tr.values()[i] <= target) {
                toTarget = (long) i;
                msToTarget = timed.ms()[i];
            }
        }
        boolean diverged = tr.status() == gdlab.reference.Status.DIVERGED;
        return result(cell, diverged, tr.status().label() + ", " + tr.evaluations() + " evaluations",
                tr.iterations(), tr.finalValue(), point, accuracy, toTarget, msToTarget,
                timed.ms()[tr.values().length - 1], lastProgress(tr.values(), 1), null, curve);
    }

    private CellResult result(Cell cell, boolean diverged, String reason, long steps, double finalLoss, double[] point,
                              double accuracy, Long toTarget, Double msToTarget, double trainMs, long lastProgress,
                              Replay replay, List<List<Object>> curve) {
        List<Object> metrics = Arrays.asList(steps, finalLoss, point == null ? null : point[0],
                point == null ? null : point[1], Double.isNaN(accuracy) ? null : accuracy, toTarget, msToTarget,
                trainMs, lastProgress, replay == null ? null : replay.finalLoss(),
                replay == null ? null : replay.firstRelDiff(), replay == null ? null : replay.firstAgrees() ? 1 : 0,
                replay == null ? null : replay.finalRelDiff(),
                replay == null ? null : replay.splitStep(), replay == null ? null : replay.agrees() ? 1 : 0);
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged || !reason.equals("budget") ? reason : "", Metric.inOrder(DECLARED, metrics), curve);
    }

    /**
     * The reference's replay of a DL4J run, compared point by point (after each epoch on networks, each step on
     * functions).
     *
     * @param finalLoss    the reference's loss at the end
     * @param firstRelDiff relative difference after the first epoch or step (NaN if either is not finite)
     * @param firstAgrees  whether they {@link #agree} after the first epoch or step
     * @param finalRelDiff relative difference at the end (NaN if either is not finite)
     * @param splitStep    the first step at which they disagree ({@link #agree}), or null if they never do
     * @param agrees       whether they agree at the end
     */
    record Replay(double finalLoss, double firstRelDiff, boolean firstAgrees, double finalRelDiff, Long splitStep,
                  boolean agrees) {
        static Replay of(double[] dl4j, double[] reference, long stepsPerPoint) {
            int n = Math.min(dl4j.length, reference.length);
            Long split = null;
            for (int i = 0; i < n && split == null; i++) {
                if (!agree(dl4j[i], reference[i], dl4j[0])) {
                    split = i * stepsPerPoint;
                }
            }
            double mine = dl4j[dl4j.length - 1];
            double theirs = reference[reference.length - 1];
            return new Replay(theirs, n > 1 ? relativeDifference(dl4j[1], reference[1]) : Double.NaN,
                    n <= 1 || agree(dl4j[1], reference[1], dl4j[0]), relativeDifference(mine, theirs), split,
                    agree(mine, theirs, dl4j[0]));
        }
    }

    static double relativeDifference(double a, double b) {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            return Double.NaN;
        }
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    /**
     * DL4J and the reference agree when their losses after the same steps differ by at most 1e-6 relative (plus
     * 1e-12 absolute), or when both blew up (non-finite, or above {@link Trainer#BLOW_UP} times the start).
     */
    static boolean agree(double dl4j, double reference, double initial) {
        double limit = Trainer.BLOW_UP * Math.max(initial, 1.0);
        boolean blewDl4j = !Double.isFinite(dl4j) || dl4j > limit;
        boolean blewRef = !Double.isFinite(reference) || reference > limit;
        if (blewDl4j || blewRef) {
            return blewDl4j && blewRef;
        }
        return Math.abs(dl4j - reference) <= 1e-6 * Math.max(Math.abs(dl4j), Math.abs(reference)) + 1e-12;
    }

    /** The last step at which the loss went down (0 if it never did); {@code perPoint} steps per entry. */
    static long lastProgress(double[] losses, long perPoint) {
        long last = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i] < losses[i - 1]) {
                last = i * perPoint;
            }
        }
        return last;
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new OptimizerSummary(spec, grid, results).report();
    }

    // ---------------------------------------------------------------- helpers

    /** The reference MLP's full-batch training loss as an {@link Objective}; score and gradient in one pass. */
    static final class MlpObjective implements Objective {
        private final Mlp mlp;
        private final double[][] x;
        private final double[][] y;
        private double[] at;
        private Mlp.Evaluation cached;

        MlpObjective(Mlp mlp, double[][] x, double[][] y) {
            this.mlp = mlp;
            this.x = x;
            this.y = y;
        }

        @Override
        public int dimension() {
            return mlp.numParams();
        }

        private Mlp.Evaluation evaluate(double[] p) {
            if (at == null || !Arrays.equals(at, p)) {
                cached = mlp.evaluate(p, x, y);
                at = p.clone();
            }
            return cached;
        }

        @Override
        public double value(double[] p) {
            return evaluate(p).score();
        }

        @Override
        public double[] gradient(double[] p) {
            return evaluate(p).gradient().clone();
        }
    }

    /** A reference solver's trajectory with the wall time at each iteration (seen through its stop rule). */
    record Timed(Trajectory trajectory, double[] ms) {
        static Timed minimize(Solver solver, Objective f, double[] x0, int iterations, StopRule stop,
                              double maxSeconds) {
            List<Double> times = new ArrayList<>();
            long t0 = System.nanoTime();
            StopRule observed = p -> {
                double ms = (System.nanoTime() - t0) / 1e6;
                if (p.iteration() == times.size()) {
                    times.add(ms);
                }
                return stop.isMet(p) || (maxSeconds > 0 && ms >= maxSeconds * 1000);
            };
            Trajectory tr = solver.minimize(f, x0, iterations, observed);
            double end = (System.nanoTime() - t0) / 1e6;
            double[] ms = new double[tr.values().length];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = i < times.size() ? times.get(i) : end;
            }
            return new Timed(tr, ms);
        }
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(values));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
