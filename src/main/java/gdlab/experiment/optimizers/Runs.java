package gdlab.experiment.optimizers;

import gdlab.data.Dataset;
import gdlab.data.Split;
import gdlab.dl4j.FunctionNet;
import gdlab.dl4j.Networks;
import gdlab.dl4j.SameDiffDescent;
import gdlab.dl4j.Solvers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.optimizers.ReferenceSolvers.MlpObjective;
import gdlab.experiment.optimizers.ReferenceSolvers.Timed;
import gdlab.reference.Activation;
import gdlab.reference.GradientDescent;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;
import gdlab.reference.Updaters;
import gdlab.report.Metric;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static gdlab.experiment.optimizers.OptimizerBenchmark.DECLARED;
import static gdlab.experiment.optimizers.OptimizerBenchmark.network;
import static gdlab.experiment.optimizers.OptimizerBenchmark.NO_LR;
import static gdlab.experiment.optimizers.OptimizerBenchmark.REFERENCE_SOLVERS;

/**
 * How one cell of the optimizers experiment runs, by kind: an updater, a DL4J solver or a reference solver, on a
 * network or a 2-D function. Updater cells are replayed by the reference ({@link Replay}).
 */
final class Runs {
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

    private final Spec spec;
    private final DataType dtype;
    private final Map<String, Split> splits;

    Runs(Spec spec, DataType dtype, Map<String, Split> splits) {
        this.spec = spec;
        this.dtype = dtype;
        this.splits = splits;
    }

    Spec spec() {
        return spec;
    }

    DataType dtype() {
        return dtype;
    }

    Split split(String problem) {
        return splits.get(problem);
    }

    CellResult run(Cell cell) {
        boolean network = network(cell.get("problem"));
        String optimizer = cell.get("optimizer");
        try {
            if (REFERENCE_SOLVERS.contains(optimizer)) {
                return network ? networkReferenceSolver(cell) : functionReferenceSolver(cell);
            }
            if (Solvers.NAMES.contains(optimizer)) {
                return network ? networkSolver(cell) : functionSolver(cell);
            }
            return network ? networkUpdater(cell) : functionUpdater(cell);
        } catch (RuntimeException e) {
            return crashed(cell, e);
        }
    }

    /** A run that threw (AdaBelief in DL4J 1.0.0-M2.1): the exception and where it was thrown, as measured. */
    static CellResult crashed(Cell cell, RuntimeException e) {
        StackTraceElement at = e.getStackTrace().length == 0 ? null : e.getStackTrace()[0];
        String where = at == null ? "" : " at " + at.getClassName().substring(at.getClassName().lastIndexOf('.') + 1)
                + "." + at.getMethodName() + "(" + at.getFileName() + ":" + at.getLineNumber() + ")";
        String message = "crashed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().strip().lines().findFirst().orElse(""))
                + where;
        return new CellResult(cell, CellResult.Status.FAILED, message, Map.of(), List.of());
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
        if (network(problem)) {
            return spec.real("target_loss");
        }
        return problem.equals("saddle") ? -spec.real("saddle_escape") : spec.real("function_target");
    }

    private static double lr(Cell cell) {
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

    /** DL4J's default updater (the one its solvers search along) at the cell's lr. */
    private static IUpdater solverUpdater(Cell cell) {
        IUpdater updater = Solvers.defaultUpdater().clone();
        updater.setLrAndSchedule(lr(cell), null);
        return updater;
    }

    // ---------------------------------------------------------------- networks

    private int[] sizes(Split split) {
        return new int[]{split.train().numFeatures(), spec.integer("hidden"), split.train().numClasses()};
    }

    private Mlp referenceMlp(int[] sizes) {
        return new Mlp(sizes, Activation.named(spec.string("activation")), Activation.SOFTMAX, Loss.MCXENT);
    }

    /** Trains {@code net} on the problem's training set, {@code epochs} epochs of minibatches of {@code batch}. */
    private Trainer.Outcome train(MultiLayerNetwork net, Cell cell, int batch, int epochs, Trainer.Order order) {
        Dataset train = splits.get(cell.get("problem")).train();
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        return Trainer.train(net, x, y, new Trainer.Options(batch, epochs, spec.real("max_seconds"),
                target(cell.get("problem")), cell.longValue("seed"), order).classifier(train.numClasses()), null);
    }

    /** An updater cell's DL4J network, as its seed draws it. */
    MultiLayerNetwork updaterNetwork(Cell cell) {
        return Networks.classifier(sizes(splits.get(cell.get("problem"))), spec.string("activation"),
                dl4jUpdater(cell.get("optimizer"), lr(cell)), cell.longValue("seed"), dtype);
    }

    private CellResult networkUpdater(Cell cell) {
        String problem = cell.get("problem");
        int batch = spec.integer("batch_size");
        MultiLayerNetwork net = updaterNetwork(cell);
        double[] init = Tensors.toDoubles(net.params());
        Trainer.Outcome t = train(net, cell, batch, OptimizerBenchmark.epochs(spec, problem), Trainer.Order.SHUFFLED);
        return networkUpdaterResult(cell, net, init, t);
    }

    /**
     * An updater cell on a network built with {@link #updaterNetwork}, once trained ({@code net} holds its final
     * parameters): the reference's replay of its epochs and its result row.
     */
    CellResult networkUpdaterResult(Cell cell, MultiLayerNetwork net, double[] init, Trainer.Outcome t) {
        String optimizer = cell.get("optimizer");
        double lr = lr(cell);
        long seed = cell.longValue("seed");
        Split split = splits.get(cell.get("problem"));
        int batch = spec.integer("batch_size");
        Curve c = Curve.of(t);
        long exampleGradients = (long) t.epochs().size() * split.train().size();
        // the reference replays the same epochs: same initial parameters, same minibatches, same updater
        ReferenceTrainer ref = new ReferenceTrainer(referenceMlp(sizes(split)), referenceUpdater(optimizer, lr), init,
                split.train().features(), split.train().oneHot(), batch, Ordering.shuffled(seed));
        double[] refLosses = new double[c.losses().length];
        refLosses[0] = ref.trainLoss();
        for (int e = 1; e < refLosses.length; e++) {
            refLosses[e] = ref.finishEpoch().trainLoss();
        }
        return dl4jResult(cell, t, testAccuracy(net, split), null, c, t.updatesPerEpoch(),
                Replay.of(c.losses(), refLosses, t.updatesPerEpoch()), exampleGradients);
    }

    private CellResult networkSolver(Cell cell) {
        String problem = cell.get("problem");
        Split split = splits.get(problem);
        Dataset train = split.train();
        MultiLayerNetwork net = Solvers.withAlgorithm(Networks.classifier(sizes(split), spec.string("activation"),
                solverUpdater(cell), cell.longValue("seed"), dtype), Solvers.algorithm(cell.get("optimizer")));
        int budget = Budget.evaluations(spec, problem);
        Budget.Dl4jRun run = Budget.solve(net, Tensors.matrix(train.features(), dtype),
                Tensors.oneHot(train.labels(), train.numClasses(), dtype), new Trainer.Options(train.size(), budget,
                        spec.real("max_seconds"), target(problem), cell.longValue("seed"), Trainer.Order.AS_GIVEN)
                        .classifier(train.numClasses()), budget, null);
        Trainer.Outcome t = run.outcome();
        return dl4jResult(cell, t, testAccuracy(net, split), null, Curve.of(t), 1, null,
                (long) run.evaluations() * train.size());
    }

    private CellResult networkReferenceSolver(Cell cell) {
        Split split = splits.get(cell.get("problem"));
        int[] sizes = sizes(split);
        // DL4J's initial parameters of this seed, so the reference starts where the DL4J rows start
        double[] init = Tensors.toDoubles(Networks.classifier(sizes, spec.string("activation"),
                Solvers.defaultUpdater(), cell.longValue("seed"), dtype).params());
        Mlp mlp = referenceMlp(sizes);
        MlpObjective f = new MlpObjective(mlp, split.train().features(), split.train().oneHot());
        Timed timed = Timed.minimize(ReferenceSolvers.named(cell.get("optimizer")), f, init,
                Budget.evaluations(spec, cell.get("problem")), StopRule.never(), spec.real("max_seconds"));
        double accuracy = split.test().size() == 0 ? Double.NaN : ReferenceSolvers.accuracy(
                mlp.output(timed.trajectory().x(), split.test().features()), split.test().labels());
        return referenceResult(cell, timed, accuracy, null, split.train().size());
    }

    private static double testAccuracy(MultiLayerNetwork net, Split split) {
        if (split.test().size() == 0) {
            return Double.NaN;
        }
        INDArray out = net.output(Tensors.matrix(split.test().features(), net.params().dataType()));
        return Tensors.accuracy(out, split.test().labels());
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
        int recorded = 0;
        while (s < steps) {
            long t0 = System.nanoTime();
            d.step();
            ms += (System.nanoTime() - t0) / 1e6;
            s++;
            double f = d.value();
            losses[s] = f;
            if (s <= 20 || s % 10 == 0 || s == steps) {
                curve.add(List.of((long) s, f, ms));
                recorded = s;
            }
            if (!Double.isFinite(f) || f > Trainer.BLOW_UP * Math.max(f0, 1.0)) {
                diverged = true;
                reason = String.format(Locale.ROOT, "f = %s at step %d", f, s);
                break;
            }
            if (toTarget == null && f <= target) {
                toTarget = (long) s;
                msToTarget = ms;
                if (problem.equals("saddle")) {
                    reason = "escaped";
                    break;
                }
            }
            if (maxMs > 0 && ms >= maxMs) {
                reason = "time";
                break;
            }
        }
        if (recorded != s) {
            curve.add(List.of((long) s, losses[s], ms));
        }
        // the reference takes as many steps with the same updater from the same start
        Trajectory ref = GradientDescent.run(TestFunction.valueOf(problem.toUpperCase(Locale.ROOT)),
                referenceUpdater(optimizer, lr), x0, s);
        double[] mine = Arrays.copyOf(losses, s + 1);
        return result(cell, diverged, reason, s, losses[s], d.point(), Double.NaN, toTarget, msToTarget, ms, mine,
                1, Replay.of(mine, ref.values(), 1), curve, s);
    }

    private CellResult functionSolver(Cell cell) {
        String problem = cell.get("problem");
        double[] x0 = start(problem, cell.longValue("seed"));
        MultiLayerNetwork net = FunctionNet.network(problem, x0[0], x0[1], solverUpdater(cell),
                Solvers.algorithm(cell.get("optimizer")));
        double target = target(problem);
        boolean saddle = problem.equals("saddle");
        int budget = Budget.evaluations(spec, problem);
        Budget.Dl4jRun run = Budget.solve(net, FunctionNet.input(), FunctionNet.labels(), new Trainer.Options(1,
                budget, spec.real("max_seconds"), target, cell.longValue("seed"), Trainer.Order.AS_GIVEN), budget,
                e -> saddle && e.trainLoss() <= target);
        Trainer.Outcome t = run.outcome();
        return dl4jResult(cell, t, Double.NaN, net.params().toDoubleVector(), Curve.of(t), 1, null,
                run.evaluations());
    }

    private CellResult functionReferenceSolver(Cell cell) {
        String problem = cell.get("problem");
        double[] x0 = start(problem, cell.longValue("seed"));
        StopRule stop = problem.equals("saddle") ? StopRule.valueBelow(target(problem)) : StopRule.never();
        Timed timed = Timed.minimize(ReferenceSolvers.named(cell.get("optimizer")),
                TestFunction.valueOf(problem.toUpperCase(Locale.ROOT)), x0, Budget.evaluations(spec, problem), stop,
                spec.real("max_seconds"));
        return referenceResult(cell, timed, Double.NaN, timed.trajectory().x(), 1);
    }

    // ---------------------------------------------------------------- results

    /** A DL4J training's curve, one point per epoch or iteration, and its losses (the initial one first). */
    private record Curve(List<List<Object>> points, double[] losses) {
        static Curve of(Trainer.Outcome t) {
            List<List<Object>> points = new ArrayList<>();
            points.add(List.of(0L, t.initialLoss(), 0.0));
            double[] losses = new double[t.epochs().size() + 1];
            losses[0] = t.initialLoss();
            double elapsed = 0;
            for (Trainer.Epoch e : t.epochs()) {
                elapsed += e.epochMs();
                points.add(List.of(e.updates(), e.trainLoss(), elapsed));
                losses[e.epoch()] = e.trainLoss();
            }
            return new Curve(points, losses);
        }
    }

    /** A DL4J run through {@link Trainer} (a network, or a solver on a function): one curve point per epoch. */
    private CellResult dl4jResult(Cell cell, Trainer.Outcome t, double accuracy, double[] point, Curve c,
                                  long stepsPerPoint, Replay replay, long exampleGradients) {
        long steps = t.epochs().isEmpty() ? 0 : t.last().updates();
        return result(cell, t.status() == Trainer.Status.DIVERGED, t.stopReason(), steps, t.finalLoss(), point,
                accuracy, t.updatesToTarget(), t.msToTarget(), t.trainingMs(), c.losses(), stepsPerPoint, replay,
                c.points(), exampleGradients);
    }

    /** A reference solver's run; each of its evaluations costs {@code examples} example gradients. */
    private CellResult referenceResult(Cell cell, Timed timed, double accuracy, double[] point, int examples) {
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
        String end = timed.budgetSpent() ? "budget" : tr.status().label();
        return result(cell, diverged, end + ", " + tr.evaluations() + " evaluations",
                tr.iterations(), tr.finalValue(), point, accuracy, toTarget, msToTarget,
                timed.ms()[tr.values().length - 1], tr.values(), 1, null, curve, (long) tr.evaluations() * examples);
    }

    /**
     * A cell's result. {@code losses} are the loss at each curve point ({@code stepsPerPoint} steps apart); the
     * last step where it went down is recorded as {@code last_progress_step}.
     */
    private static CellResult result(Cell cell, boolean diverged, String reason, long steps, double finalLoss,
                                     double[] point, double accuracy, Long toTarget, Double msToTarget, double trainMs,
                                     double[] losses, long stepsPerPoint, Replay replay, List<List<Object>> curve,
                                     long exampleGradients) {
        long lastProgress = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i] < losses[i - 1]) {
                lastProgress = i * stepsPerPoint;
            }
        }
        Metric.Values v = Metric.values(DECLARED).put("steps", steps).put("final_loss", finalLoss)
                .put("final_x", point == null ? null : point[0]).put("final_y", point == null ? null : point[1])
                .put("test_accuracy", Double.isNaN(accuracy) ? null : accuracy).put("steps_to_target", toTarget)
                .put("time_to_target_ms", msToTarget).put("train_time_ms", trainMs)
                .put("last_progress_step", lastProgress).put("example_gradients", exampleGradients);
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged || !reason.equals("budget") ? reason : "", Replay.put(replay, v).map(), curve);
    }
}
