package gdlab.experiment.momentum;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.HeavyBall;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Regression;
import gdlab.dl4j.SameDiffDescent;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.exact.LeastSquares;
import gdlab.exact.MomentumRates;
import gdlab.exact.SymmetricEigen;
import gdlab.reference.GradientDescent;
import gdlab.reference.Objective;
import gdlab.reference.Quadratic;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;
import gdlab.reference.Updater;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Stats;
import gdlab.report.Table;
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
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.timing;

/**
 * Momentum: plain gradient descent (DL4J Sgd) against heavy-ball momentum (gdlab's DL4J {@link HeavyBall}: v = mu v
 * + g, theta -= lr v) and DL4J's Nesterov ({@code Nesterovs}) on three kinds of problems.
 *
 * <ul>
 *   <li>{@code quadratic}: least squares with a chosen Hessian spectrum (geometric in [1, k], no bias, exact fit),
 *   trained by a DL4J one-layer identity network with MSE, full batch. Each (optimizer, mu) gets the learning rate
 *   theory says is best for it on this spectrum; the iterations until the loss gap is 1e-6 of its start are
 *   measured and set beside the count the exact rate predicts, and beside the reference (plain-Java updaters on
 *   the same least-squares objective from the same start).</li>
 *   <li>{@code trajectory}: 2-D paths, drawn, on an ill-conditioned quadratic and on Rosenbrock's function
 *   (SameDiff graphs stepped by the DL4J updaters): the "inertia" overshoot.</li>
 *   <li>{@code mlp}: the digits MLP, mini-batch, over a small learning-rate grid per (optimizer, mu).</li>
 * </ul>
 */
public final class Momentum implements Experiment {
    static final String QUADRATIC = "quadratic";
    static final String TRAJECTORY = "trajectory";
    static final String MLP = "mlp";
    static final List<String> PARTS = List.of(QUADRATIC, TRAJECTORY, MLP);
    static final String OPTIMAL = "optimal";
    static final String SGD = "sgd";
    static final String HEAVY_BALL = "momentum";
    static final String NESTEROV = "nesterov";
    static final String QUADRATIC_2D = "quadratic-2d";
    static final String ROSENBROCK = "rosenbrock";

    static final List<Metric> DECLARED = List.of(measure("mu"), measure("condition"), measure("predicted_rate"),
            measure("predicted_iterations"), measure("exact_iterations"), measure("measured_iterations"),
            measure("reference_iterations"), measure("measured_to_predicted"), measure("ref_mismatch_steps"),
            measure("final_loss"), measure("final_relative_loss"), measure("epochs_to_target"),
            measure("updates_to_target"), measure("overshoot"), measure("valley_crossings"),
            measure("distance_to_minimum"), outcome("diverged"), timing("train_time_ms"));
    static final List<String> METRICS = Metric.names(DECLARED);
    static final List<String> CURVE = List.of("step", "x", "y", "loss", "relative_loss", "ref_diff");

    /**
     * DL4J and the reference disagree on a step when the losses differ by more than this relative to the loss gap
     * (quadratics), or the points by more than this (2-D paths). cells.csv counts disagreements rather than recording
     * round-off, which changes with the CPU's kernels; curves.csv has each step's difference (ref_diff).
     */
    static final double REF_TOLERANCE = 1e-7;

    private Spec spec;
    private DataType dtype;
    private final Map<String, LeastSquares> quadratics = new LinkedHashMap<>();
    private double[][] mlpX;
    private double[][] mlpY;

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
                Param.choice("part", PARTS, true, "quadratic (iteration counts vs theory), trajectory (2-D paths), "
                        + "mlp (digits MLP)"),
                Param.choice("optimizer", List.of(SGD, HEAVY_BALL, NESTEROV), true,
                        "sgd (plain GD), momentum (heavy ball, gdlab's DL4J updater), nesterov (DL4J's Nesterovs)"),
                new Param("momentum", "a number in [0, 1), or optimal", s -> s.equals(OPTIMAL) || inUnit(s), true,
                        "mu; 0 is plain GD (the sgd row); optimal = theory's best for the quadratic"),
                Param.real("condition", 1, true, "condition numbers k of the quadratics"),
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
                Param.integer("max_examples", 0, Integer.MAX_VALUE, false, "MLP: use only this many digits (0 = all)"),
                Param.integer("hidden", 1, 4096, false, "MLP: hidden units"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "MLP: hidden activation"),
                Param.choice("dtype", Networks.DTYPES, false, "MLP: ND4J data type (the quadratics use double)"),
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
        this.dtype = Networks.dtype(spec.string("dtype"));
        List<String> parts = new ArrayList<>(new LinkedHashSet<>(spec.list("part")));
        List<Long> seeds = Harness.seeds(spec);
        List<Cell> cells = new ArrayList<>();
        if (parts.contains(TRAJECTORY)) {
            double mu = spec.real("trajectory_momentum");
            for (String surface : List.of(QUADRATIC_2D, ROSENBROCK)) {
                List<String[]> rows = new ArrayList<>(List.of(new String[]{SGD, "0"},
                        new String[]{HEAVY_BALL, Table.readable(mu)}, new String[]{NESTEROV, Table.readable(mu)}));
                if (surface.equals(QUADRATIC_2D)) {
                    rows.add(new String[]{HEAVY_BALL, OPTIMAL});
                }
                for (String[] row : rows) {
                    double[] lrMu = trajectoryLrMu(surface, row[0], row[1]);
                    cells.add(cell(cells.size(), TRAJECTORY, surface, row[0], row[1], lrMu[0], seeds.get(0)));
                }
            }
        }
        if (parts.contains(QUADRATIC)) {
            int d = spec.integer("features");
            int n = spec.integer("examples");
            if (n < d + 2) {
                throw new BadInputException("bad value '" + n + "' for examples: the quadratics need at least "
                        + "features + 2 = " + (d + 2) + "; allowed: an integer >= " + (d + 2));
            }
            for (double k : new LinkedHashSet<>(spec.reals("condition"))) {
                String name = "k=" + Table.readable(k);
                quadratics.put(name, LeastSquares.synthetic(n, Quadratic.geometricSpectrum(d, 1, k), false, 0,
                        spec.longValue("data_seed")));
                double[] spectrum = quadratics.get(name).eigen().values();
                for (String[] row : rows(true)) {
                    double lr = tuned(row[0], row[1], spectrum)[0];
                    cells.add(cell(cells.size(), QUADRATIC, name, row[0], row[1], lr, seeds.get(0)));
                }
            }
        }
        if (parts.contains(MLP)) {
            Split s = Split.of(Datasets.load("digits"), 0, spec.longValue("data_seed"), spec.integer("max_examples"));
            mlpX = s.train().features();
            mlpY = s.train().oneHot();
            if (mlpBatchSize() > mlpX.length) {
                throw new BadInputException("bad value '" + spec.raw("batch_size") + "' for batch_size: larger than "
                        + "the " + mlpX.length + " training examples; allowed: an integer from 1 to " + mlpX.length);
            }
            for (String[] row : rows(false)) {
                for (double lr : new LinkedHashSet<>(spec.reals("lr"))) {
                    for (long seed : seeds) {
                        cells.add(cell(cells.size(), MLP, "digits-mlp", row[0], row[1], lr, seed));
                    }
                }
            }
        }
        return cells;
    }

    private int mlpBatchSize() {
        return spec.string("batch_size").equals("full") ? mlpX.length : spec.integer("batch_size");
    }

    private Cell cell(int index, String part, String problem, String optimizer, String mu, double lr, long seed) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("part", part);
        c.put("problem", problem);
        c.put("optimizer", optimizer);
        c.put("momentum", mu);
        c.put("lr", gdlab.report.Csv.format(lr));
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

    /**
     * The theory's (lr, mu) for one row on a spectrum: sgd at 2 / (lambda_min + lambda_max); heavy ball at its best
     * lr for that mu ({@link MomentumRates#heavyBallLearningRate}), "optimal" being Polyak's (lr*, mu*); Nesterov at
     * the lr minimising its exact rate for that mu, "optimal" being the textbook mu = (sqrt k - 1)/(sqrt k + 1),
     * lr = 1 / lambda_max.
     */
    static double[] tuned(String optimizer, String mu, double[] spectrum) {
        double lmin = Arrays.stream(spectrum).min().orElseThrow();
        double lmax = Arrays.stream(spectrum).max().orElseThrow();
        double k = lmax / lmin;
        return switch (optimizer) {
            case SGD -> new double[]{2 / (lmin + lmax), 0};
            case HEAVY_BALL -> {
                double m = mu.equals(OPTIMAL) ? MomentumRates.heavyBallOptimalMomentum(k) : Double.parseDouble(mu);
                yield new double[]{MomentumRates.heavyBallLearningRate(m, lmin, lmax), m};
            }
            case NESTEROV -> {
                if (mu.equals(OPTIMAL)) {
                    yield new double[]{1 / lmax, MomentumRates.nesterovTextbookMomentum(k)};
                }
                double m = Double.parseDouble(mu);
                yield new double[]{MomentumRates.tunedLearningRate(NESTEROV, m, spectrum), m};
            }
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    @Override
    public CellResult run(Cell cell) {
        return switch (cell.get("part")) {
            case QUADRATIC -> quadratic(cell);
            case TRAJECTORY -> trajectory(cell);
            default -> mlp(cell);
        };
    }

    private static Map<String, Object> metrics(Map<String, Object> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String m : METRICS) {
            row.put(m, values.get(m));
        }
        return row;
    }

    // -------------------------------------------------------------------------------------------- quadratics

    /**
     * theta* + u_min / sqrt(lambda_min) + u_max / sqrt(lambda_max): the two extreme eigen-directions with half the
     * loss gap each (L0 - L* = 1), the start whose gap decays at the worst-case rate.
     */
    static double[] worstStart(LeastSquares ls) {
        double[] start = ls.minimizer();
        double[] bottom = ls.eigen().bottom();
        double[] top = ls.eigen().top();
        for (int i = 0; i < start.length; i++) {
            start[i] += bottom[i] / Math.sqrt(ls.eigen().min()) + top[i] / Math.sqrt(ls.lambdaMax());
        }
        return start;
    }

    private CellResult quadratic(Cell cell) {
        LeastSquares ls = quadratics.get(cell.get("problem"));
        String optimizer = cell.get("optimizer");
        double[] spectrum = ls.eigen().values();
        double[] lrMu = tuned(optimizer, cell.get("momentum"), spectrum);
        double lr = cell.real("lr");
        double mu = lrMu[1];
        double tol = spec.real("tolerance");
        int budget = spec.integer("max_iterations");
        double predictedRate = MomentumRates.rate(optimizer, lr, mu, spectrum);
        int predicted = MomentumRates.iterationsForLoss(predictedRate, tol);
        double[] start = worstStart(ls);
        double lossStar = ls.minimumValue();

        MultiLayerNetwork net = Regression.linear(ls.nIn(), ls.nOut(), false, dl4jUpdater(optimizer, lr, mu),
                cell.longValue("seed"), DataType.DOUBLE);
        net.setParams(Nd4j.create(start).reshape(1, start.length));
        INDArray x = Tensors.matrix(ls.features(), DataType.DOUBLE);
        INDArray y = Tensors.matrix(ls.targets(), DataType.DOUBLE);
        double l0 = net.score(new DataSet(x, y));
        double target = lossStar + tol * (l0 - lossStar);
        double[] bottom = ls.eigen().bottom();
        double[] top = ls.eigen().top();
        List<double[]> path = new ArrayList<>();
        path.add(new double[]{ls.component(start, bottom), ls.component(start, top)});
        Trainer.Outcome t = Trainer.train(net, x, y,
                new Trainer.Options(ls.examples(), budget, 0, target, 1, Trainer.Order.AS_GIVEN), e -> {
                    double[] p = Tensors.toDoubles(net.params());
                    path.add(new double[]{ls.component(p, bottom), ls.component(p, top)});
                    return e.trainLoss() <= target;
                });
        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        for (int i = 0; i < t.epochs().size(); i++) {
            losses[i + 1] = t.epochs().get(i).trainLoss();
        }

        Trajectory ref = GradientDescent.run(ls, referenceUpdater(optimizer, lr, mu), start, budget,
                StopRule.relativeLossBelow(lossStar, tol));
        int mismatches = Math.abs(losses.length - ref.values().length);
        Double[] refDiffs = new Double[losses.length];
        for (int i = 0; i < Math.min(losses.length, ref.values().length); i++) {
            double r = ref.values()[i] - lossStar;
            if (Double.isFinite(r) && Double.isFinite(losses[i]) && r > 1e-10 * (l0 - lossStar)) {
                refDiffs[i] = Math.abs(losses[i] - ref.values()[i]) / r;
                if (refDiffs[i] > REF_TOLERANCE) {
                    mismatches++;
                }
            }
        }
        Integer measured = t.epochsToTarget();
        double lmin = ls.eigen().min();
        double lmax = ls.lambdaMax();
        int exact = MomentumRates.exactIterations(optimizer, lr, mu, new double[]{lmin, lmax},
                new double[]{1 / Math.sqrt(lmin), 1 / Math.sqrt(lmax)}, tol, budget);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mu", mu);
        m.put("condition", ls.lambdaMax() / ls.eigen().min());
        m.put("predicted_rate", predictedRate);
        m.put("predicted_iterations", predicted == Integer.MAX_VALUE ? null : predicted);
        m.put("exact_iterations", exact < 0 ? null : exact);
        m.put("measured_iterations", measured);
        m.put("reference_iterations", ref.status() == gdlab.reference.Status.CONVERGED ? ref.iterations() : null);
        m.put("measured_to_predicted", measured == null || predicted == Integer.MAX_VALUE ? null
                : (double) measured / predicted);
        m.put("ref_mismatch_steps", mismatches);
        m.put("final_loss", t.finalLoss());
        m.put("final_relative_loss", (t.finalLoss() - lossStar) / (l0 - lossStar));
        m.put("overshoot", overshoot(path.stream().mapToDouble(p -> p[0]).toArray()));
        m.put("diverged", t.status() == Trainer.Status.DIVERGED);
        m.put("train_time_ms", t.trainingMs());
        List<List<Object>> curve = new ArrayList<>();
        int stride = Math.max(1, losses.length / 400);
        for (int i = 0; i < losses.length; i++) {
            if ((i < 100 || i % stride == 0 || i == losses.length - 1) && i < path.size()) {
                curve.add(Arrays.asList(i, path.get(i)[0], path.get(i)[1], losses[i],
                        (losses[i] - lossStar) / (l0 - lossStar), refDiffs[i]));
            }
        }
        boolean diverged = t.status() == Trainer.Status.DIVERGED;
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : measured == null ? "not reached in " + budget + " steps" : "",
                metrics(m), curve);
    }

    /**
     * How far the path passes the minimum along one direction: the largest excursion to the far side, as a share of
     * the starting offset (0 when it never crosses; plain GD with lr &lt; 1 / lambda never does along lambda).
     */
    static double overshoot(double[] offsets) {
        double start = offsets[0];
        if (start == 0) {
            return 0;
        }
        double worst = 0;
        for (double o : offsets) {
            worst = Math.max(worst, -o / start);
        }
        return worst;
    }

    // ----------------------------------------------------------------------------------------- trajectories

    /** The 2-D quadratic: f = 1/2 (x^2 + k y^2), minimum 0 at the origin. */
    private double[][] hessian2d() {
        return new double[][]{{1, 0}, {0, spec.real("trajectory_condition")}};
    }

    static final double[] QUADRATIC_START = {-6, 1.5};
    static final double[] ROSENBROCK_START = {-1.2, 1};

    /** (lr, mu) of a trajectory row. */
    private double[] trajectoryLrMu(String surface, String optimizer, String mu) {
        if (surface.equals(ROSENBROCK)) {
            return new double[]{spec.real("rosenbrock_lr"), optimizer.equals(SGD) ? 0 : Double.parseDouble(mu)};
        }
        double k = spec.real("trajectory_condition");
        if (mu.equals(OPTIMAL)) {
            double m = MomentumRates.heavyBallOptimalMomentum(k);
            return new double[]{MomentumRates.heavyBallLearningRate(m, 1, k), m};
        }
        // one lr for all three, 1 / lambda_max: stable for each (Nesterov's bound at mu = 0.9 is 1.36 / lambda_max)
        return new double[]{1 / k, optimizer.equals(SGD) ? 0 : Double.parseDouble(mu)};
    }

    private CellResult trajectory(Cell cell) {
        String surface = cell.get("problem");
        String optimizer = cell.get("optimizer");
        double[] lrMu = trajectoryLrMu(surface, optimizer, cell.get("momentum"));
        double lr = cell.real("lr");
        double mu = lrMu[1];
        boolean quadratic = surface.equals(QUADRATIC_2D);
        double[] x0 = quadratic ? QUADRATIC_START : ROSENBROCK_START;
        int steps = quadratic ? spec.integer("trajectory_steps") : spec.integer("rosenbrock_steps");
        IUpdater updater = dl4jUpdater(optimizer, lr, mu);
        SameDiffDescent d = quadratic ? SameDiffDescent.quadratic(hessian2d(), new double[2], x0, updater)
                : SameDiffDescent.function(ROSENBROCK, x0[0], x0[1], updater);
        Objective f = quadratic ? Quadratic.diagonal(1, spec.real("trajectory_condition")) : TestFunction.ROSENBROCK;
        double[] minimum = quadratic ? new double[]{0, 0} : new double[]{1, 1};
        long t0 = System.nanoTime();
        List<double[]> path = d.run(steps);
        double ms = (System.nanoTime() - t0) / 1e6;
        Trajectory ref = GradientDescent.run(f, referenceUpdater(optimizer, lr, mu), x0, steps);
        int mismatches = Math.abs(path.size() - ref.points().size());
        Double[] deviations = new Double[path.size()];
        for (int i = 0; i < Math.min(path.size(), ref.points().size()); i++) {
            double[] a = path.get(i);
            double[] b = ref.points().get(i);
            deviations[i] = Math.hypot(a[0] - b[0], a[1] - b[1]);
            if (!(deviations[i] <= REF_TOLERANCE)) {
                mismatches++;
            }
        }
        // the flattest direction at the minimum: where inertia carries the path past it
        double[] slow = SymmetricEigen.of(quadratic ? hessian2d() : new double[][]{{802, -400}, {-400, 200}})
                .bottom();
        double[] along = path.stream().mapToDouble(p -> (p[0] - minimum[0]) * slow[0] + (p[1] - minimum[1]) * slow[1])
                .toArray();
        // across the valley: its floor is the flat axis y = 0 (quadratic) or the parabola y = x^2 (Rosenbrock)
        int crossings = 0;
        double previous = 0;
        for (double[] p : path) {
            double side = quadratic ? p[1] : p[1] - p[0] * p[0];
            if (Math.abs(side) > 1e-12) {
                if (previous * side < 0) {
                    crossings++;
                }
                previous = side;
            }
        }
        double[] last = path.get(path.size() - 1);
        double f0 = f.value(x0);
        double fEnd = Double.isFinite(last[0]) && Double.isFinite(last[1]) ? f.value(last) : Double.NaN;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mu", mu);
        m.put("ref_mismatch_steps", mismatches);
        m.put("final_loss", fEnd);
        m.put("final_relative_loss", fEnd / f0);
        m.put("overshoot", overshoot(along));
        m.put("valley_crossings", crossings);
        m.put("distance_to_minimum", Math.hypot(last[0] - minimum[0], last[1] - minimum[1]));
        m.put("diverged", !Double.isFinite(fEnd));
        m.put("train_time_ms", ms);
        List<List<Object>> curve = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            double[] p = path.get(i);
            double v = Double.isFinite(p[0]) && Double.isFinite(p[1]) ? f.value(p) : Double.NaN;
            curve.add(Arrays.asList(i, p[0], p[1], v, v / f0, deviations[i]));
        }
        return new CellResult(cell, CellResult.Status.OK, "", metrics(m), curve);
    }

    // ---------------------------------------------------------------------------------------------- the MLP

    private CellResult mlp(Cell cell) {
        String optimizer = cell.get("optimizer");
        double lr = cell.real("lr");
        double mu = Double.parseDouble(cell.get("momentum"));
        long seed = cell.longValue("seed");
        int[] sizes = {mlpX[0].length, spec.integer("hidden"), mlpY[0].length};
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"), dl4jUpdater(optimizer, lr, mu),
                seed, dtype);
        INDArray x = Tensors.matrix(mlpX, dtype);
        INDArray y = Tensors.matrix(mlpY, dtype);
        double target = spec.real("target_loss");
        Trainer.Outcome t = Trainer.train(net, x, y, new Trainer.Options(mlpBatchSize(),
                spec.integer("max_epochs"), 0, target, seed, Trainer.Order.SHUFFLED).classifier(mlpY[0].length),
                e -> e.trainLoss() <= target);
        boolean diverged = t.status() == Trainer.Status.DIVERGED || !(t.finalLoss() < t.initialLoss());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mu", mu);
        m.put("final_loss", t.finalLoss());
        m.put("epochs_to_target", t.epochsToTarget());
        m.put("updates_to_target", t.updatesToTarget());
        m.put("diverged", diverged);
        m.put("train_time_ms", t.trainingMs());
        List<List<Object>> curve = new ArrayList<>();
        curve.add(Arrays.asList(0L, null, null, t.initialLoss(), null, null));
        for (Trainer.Epoch e : t.epochs()) {
            curve.add(Arrays.asList(e.updates(), null, null, e.trainLoss(), null, null));
        }
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? (t.status() == Trainer.Status.DIVERGED ? t.stopReason() : "final loss above the initial")
                        : "", metrics(m), curve);
    }

    // ------------------------------------------------------------------------------------------- summary

    private static String label(Cell c) {
        return c.get("optimizer").equals(SGD) ? "sgd" : c.get("optimizer") + " mu=" + c.get("momentum");
    }

    @Override
    public Report summarize(List<CellResult> results) {
        StringBuilder text = new StringBuilder();
        Table csv = new Table("part", "problem", "optimizer", "momentum", "mu", "lr", "seeds", "predicted_rate",
                "predicted_iterations", "exact_iterations", "measured_iterations", "reference_iterations",
                "measured_to_predicted",
                "speedup_measured", "speedup_predicted", "ref_mismatch_steps", "final_loss_mean", "final_loss_std",
                "updates_to_target_mean", "updates_to_target_std", "reached_target", "diverged", "overshoot",
                "valley_crossings", "distance_to_minimum");
        List<Figure> figures = new ArrayList<>();

        List<CellResult> quad = results.stream().filter(r -> r.cell().get("part").equals(QUADRATIC)).toList();
        if (!quad.isEmpty()) {
            quadraticSection(quad, text, csv, figures);
        }
        List<CellResult> traj = results.stream().filter(r -> r.cell().get("part").equals(TRAJECTORY)).toList();
        if (!traj.isEmpty()) {
            trajectorySection(traj, text, csv, figures);
        }
        List<CellResult> mlp = results.stream().filter(r -> r.cell().get("part").equals(MLP)).toList();
        if (!mlp.isEmpty()) {
            mlpSection(mlp, text, csv, figures);
        }
        return new Report(csv, text.toString(), false, figures,
                MomentumClaims.of(results, spec.real("tolerance")));
    }

    private void quadraticSection(List<CellResult> quad, StringBuilder text, Table csv, List<Figure> figures) {
        text.append(String.format(Locale.ROOT, "### Quadratics: iterations until (L - L*) / (L0 - L*) <= %s%n%n",
                Table.readable(spec.real("tolerance"))));
        text.append(String.format(Locale.ROOT, "Least squares on a DL4J one-layer identity network (MSE, no bias, %d "
                        + "features, %d examples, exact fit): Hessian eigenvalues geometric in [1, k], computed from "
                        + "the data. Full batch, from the worst-case start theta* + u_min/sqrt(lambda_min) + "
                        + "u_max/sqrt(lambda_max). Each row runs at the learning rate theory gives it for its mu "
                        + "(see below).%n%n", spec.integer("features"), spec.integer("examples")));
        Table md = new Table("k", "optimizer", "mu", "lr", "predicted_rate", "predicted_iterations",
                "exact_iterations", "measured_iterations", "reference_iterations", "measured_over_predicted",
                "speedup_measured", "speedup_predicted", "overshoot");
        Map<String, List<CellResult>> byK = new LinkedHashMap<>();
        quad.forEach(r -> byK.computeIfAbsent(r.cell().get("problem"), k -> new ArrayList<>()).add(r));
        Table scaling = new Table("k", "sgd_measured", "sgd_predicted", "momentum_optimal_measured",
                "momentum_optimal_predicted", "nesterov_optimal_measured", "nesterov_optimal_predicted",
                "sgd_over_momentum_optimal");
        for (Map.Entry<String, List<CellResult>> e : byK.entrySet()) {
            CellResult gd = e.getValue().stream().filter(r -> r.cell().get("optimizer").equals(SGD)).findFirst()
                    .orElse(null);
            double gdMeasured = gd == null ? Double.NaN : gd.number("measured_iterations");
            double gdPredicted = gd == null ? Double.NaN : gd.number("predicted_iterations");
            for (CellResult r : e.getValue()) {
                Cell c = r.cell();
                double meas = r.number("measured_iterations");
                double pred = r.number("predicted_iterations");
                Object refIt = r.metric("reference_iterations");
                Object measIt = r.metric("measured_iterations");
                md.add(e.getKey().substring(2), label(c).startsWith("sgd") ? SGD : c.get("optimizer"),
                        c.get("momentum").equals(OPTIMAL) ? "optimal " + Table.readable(r.number("mu"))
                                : c.get("momentum"), c.real("lr"), r.number("predicted_rate"),
                        r.metric("predicted_iterations") == null ? "never"
                                : r.metric("predicted_iterations"),
                        r.metric("exact_iterations") == null ? "not reached"
                                : r.metric("exact_iterations"),
                        measIt == null ? "not reached" : measIt, refIt == null ? "not reached" : refIt,
                        r.metric("measured_to_predicted"), gdMeasured / meas, gdPredicted / pred,
                        r.number("overshoot"));
                csv.add(QUADRATIC, e.getKey(), c.get("optimizer"), c.get("momentum"), r.number("mu"),
                        c.real("lr"), 1, r.number("predicted_rate"),
                        r.metric("predicted_iterations"), r.metric("exact_iterations"), measIt,
                        refIt, r.metric("measured_to_predicted"),
                        gdMeasured / meas, gdPredicted / pred, r.number("ref_mismatch_steps"),
                        r.number("final_loss"), null, null, null, measIt == null ? 0 : 1,
                        r.metric("diverged"), r.number("overshoot"), null, null);
            }
            CellResult hb = find(e.getValue(), HEAVY_BALL, OPTIMAL);
            CellResult nag = find(e.getValue(), NESTEROV, OPTIMAL);
            scaling.add(e.getKey().substring(2), gdMeasured, gdPredicted,
                    hb == null ? null : hb.metric("measured_iterations"),
                    hb == null ? null : hb.metric("predicted_iterations"),
                    nag == null ? null : nag.metric("measured_iterations"),
                    nag == null ? null : nag.metric("predicted_iterations"),
                    hb == null ? null : gdMeasured / hb.number("measured_iterations"));
        }
        text.append(md.toMarkdown()).append('\n');
        text.append("""
                Learning rates (theory, on each spectrum): sgd 2 / (lambda_min + lambda_max); momentum (heavy ball) \
                2 (1 + mu) / (lambda_min + lambda_max) while mu is below Polyak's mu* = ((sqrt k - 1)/(sqrt k + 1))^2, \
                else Polyak's lr* = (2 / (sqrt lambda_max + sqrt lambda_min))^2, where the rate is sqrt(mu) whatever \
                the lr (optimal = (lr*, mu*)); nesterov (DL4J's Nesterovs) the lr minimising its exact rate for that \
                mu, optimal = the textbook mu = (sqrt k - 1)/(sqrt k + 1) with lr = 1 / lambda_max. predicted_rate is \
                the exact asymptotic factor per step of the error (largest root of each eigen-direction's \
                recurrence over the spectrum); predicted_iterations = ceil(ln(tolerance) / (2 ln rate)), since the \
                loss gap is quadratic in the error. exact_iterations: the same theory without the asymptotic \
                shortcut, each eigen-direction's recurrence iterated from the start (transients included). \
                measured_iterations: DL4J; reference_iterations: the \
                reference's plain-Java updaters on the same least-squares objective from the same start. \
                speedup = sgd's iterations / the row's. overshoot: how far the path passes the minimum along the \
                flattest direction (lambda_min), as a share of its starting offset; plain GD never crosses it.

                """);
        text.append("#### How the counts grow with k\n\n").append(scaling.toMarkdown()).append('\n');
        text.append("""
                Gradient descent's count grows like k (its rate (k-1)/(k+1) ~ 1 - 2/k), heavy ball's like sqrt(k) \
                (rate (sqrt k - 1)/(sqrt k + 1) ~ 1 - 2/sqrt k). Goh 2017 ("Why momentum really works") tabulates \
                the error ||x - x*|| reaching 1e-6 (GD 69/691/6908, heavy ball 21/69/218 for k = 10/100/1000): \
                those are the counts for a loss tolerance of 1e-12, twice the ones here. Heavy ball at its optimum \
                has a double root, so its error decays like (a + b t) r^t: its measured count runs above the \
                rate-only prediction by that transient.

                """);
        List<Figure.Series> sgdSeries = new ArrayList<>();
        List<Figure.Series> hbSeries = new ArrayList<>();
        List<Figure.Series> nagSeries = new ArrayList<>();
        double[] ks = byK.values().stream().mapToDouble(l -> l.get(0).number("condition")).toArray();
        sgdSeries.add(Figure.Series.points("sgd measured", ks, scalingColumn(byK, SGD, "0", "measured_iterations")));
        sgdSeries.add(Figure.Series.line("sgd predicted", ks, scalingColumn(byK, SGD, "0", "predicted_iterations")));
        hbSeries.add(Figure.Series.points("momentum optimal measured", ks,
                scalingColumn(byK, HEAVY_BALL, OPTIMAL, "measured_iterations")));
        hbSeries.add(Figure.Series.line("momentum optimal predicted", ks,
                scalingColumn(byK, HEAVY_BALL, OPTIMAL, "predicted_iterations")));
        nagSeries.add(Figure.Series.points("nesterov optimal measured", ks,
                scalingColumn(byK, NESTEROV, OPTIMAL, "measured_iterations")));
        nagSeries.add(Figure.Series.line("nesterov optimal predicted", ks,
                scalingColumn(byK, NESTEROV, OPTIMAL, "predicted_iterations")));
        List<Figure.Series> all = new ArrayList<>(sgdSeries);
        all.addAll(hbSeries);
        all.addAll(nagSeries);
        figures.add(new Figure.Lines("iterations-vs-k", "Iterations to a loss gap of "
                + Table.readable(spec.real("tolerance")) + " vs condition number", "k (log)", "iterations (log)",
                true, true, all));
        for (Map.Entry<String, List<CellResult>> e : byK.entrySet()) {
            List<Figure.Series> s = new ArrayList<>();
            for (CellResult r : e.getValue()) {
                double[] x = r.curve().stream().mapToDouble(p -> ((Number) p.get(0)).doubleValue()).toArray();
                double[] y = r.curve().stream().mapToDouble(p -> ((Number) p.get(4)).doubleValue()).toArray();
                s.add(Figure.Series.line(label(r.cell()), x, y));
            }
            figures.add(new Figure.Lines("loss-gap-" + e.getKey().replace("=", ""), "Quadratic " + e.getKey()
                    + ": (L - L*) / (L0 - L*) per step", "step", "relative loss gap (log)", false, true, s));
        }
    }

    /** Largest finite value of a curve column (e.g. the DL4J-vs-reference differences). */
    static double maxCurve(CellResult r, int column) {
        return r.curve().stream().map(p -> (Number) p.get(column)).filter(java.util.Objects::nonNull)
                .mapToDouble(Number::doubleValue).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    private static CellResult find(List<CellResult> rs, String optimizer, String mu) {
        return rs.stream().filter(r -> r.cell().get("optimizer").equals(optimizer)
                && r.cell().get("momentum").equals(mu)).findFirst().orElse(null);
    }

    private static double[] scalingColumn(Map<String, List<CellResult>> byK, String optimizer, String mu,
                                          String column) {
        return byK.values().stream().mapToDouble(l -> {
            CellResult r = find(l, optimizer, mu);
            return r == null ? Double.NaN : r.number(column);
        }).toArray();
    }

    private void trajectorySection(List<CellResult> traj, StringBuilder text, Table csv, List<Figure> figures) {
        text.append("### 2-D paths: the inertia\n\n");
        text.append(String.format(Locale.ROOT, "f = (x^2 + %s y^2) / 2 from (%s, %s), %d steps, and Rosenbrock "
                        + "(1 - x)^2 + 100 (y - x^2)^2 from (%s, %s), %d steps at lr = %s: SameDiff graphs stepped by "
                        + "the DL4J updaters, the reference (plain Java) alongside.%n%n",
                Table.readable(spec.real("trajectory_condition")), Table.readable(QUADRATIC_START[0]),
                Table.readable(QUADRATIC_START[1]), spec.integer("trajectory_steps"),
                Table.readable(ROSENBROCK_START[0]), Table.readable(ROSENBROCK_START[1]),
                spec.integer("rosenbrock_steps"), Table.readable(spec.real("rosenbrock_lr"))));
        Table md = new Table("surface", "optimizer", "mu", "lr", "final_f_over_start", "distance_to_minimum",
                "overshoot_past_minimum", "valley_crossings", "max_deviation_from_reference",
                "ref_mismatch_steps");
        for (CellResult r : traj) {
            Cell c = r.cell();
            md.add(c.get("problem"), c.get("optimizer"), c.get("momentum"), c.real("lr"),
                    r.number("final_relative_loss"), r.number("distance_to_minimum"),
                    r.number("overshoot"), r.metric("valley_crossings"), maxCurve(r, 5),
                    r.metric("ref_mismatch_steps"));
            csv.add(TRAJECTORY, c.get("problem"), c.get("optimizer"), c.get("momentum"), r.number("mu"),
                    c.real("lr"), 1, null, null, null, null, null, null, null, null,
                    r.number("ref_mismatch_steps"),
                    r.number("final_loss"), null, null, null, null, r.metric("diverged"),
                    r.number("overshoot"), r.metric("valley_crossings"),
                    r.number("distance_to_minimum"));
        }
        text.append(md.toMarkdown()).append('\n');
        text.append("""
                overshoot_past_minimum: the largest excursion beyond the minimum along its flattest direction \
                (the x axis for the quadratic, the valley's direction for Rosenbrock), as a share of the start's \
                offset: gradient descent comes straight in (0), momentum's inertia carries it past and back. \
                valley_crossings: how often the path crossed the valley's floor (the x axis for the quadratic, \
                y = x^2 for Rosenbrock), the zig-zag across the valley. The \
                quadratic's paths share lr = 1 / lambda_max (momentum optimal: Polyak's lr*, mu*). \
                max_deviation_from_reference: largest distance between DL4J's and the reference's points; \
                ref_mismatch_steps: steps where it exceeds 1e-7. The \
                paths are in curves.csv (columns x, y). The quadratic's figure draws exact level sets (ellipses); \
                Rosenbrock's level sets through this region are thin bananas reaching far outside it, so its figure \
                draws the valley floor y = x^2 instead.

                """);
        for (String surface : List.of(QUADRATIC_2D, ROSENBROCK)) {
            List<Figure.Series> series = new ArrayList<>(contours(surface, traj));
            for (CellResult r : traj) {
                if (!r.cell().get("problem").equals(surface)) {
                    continue;
                }
                double[] x = r.curve().stream().mapToDouble(p -> ((Number) p.get(1)).doubleValue()).toArray();
                double[] y = r.curve().stream().mapToDouble(p -> ((Number) p.get(2)).doubleValue()).toArray();
                series.add(Figure.Series.line(label(r.cell()) + " (lr " + r.cell().get("lr") + ")", x, y));
            }
            if (series.size() > 0) {
                figures.add(new Figure.Lines("path-" + surface, surface.equals(ROSENBROCK)
                        ? "Rosenbrock: paths along the curved valley"
                        : "Quadratic, k = " + Table.readable(spec.real("trajectory_condition"))
                        + ": paths, with level sets f = c", "x", "y", false, false, series));
            }
        }
    }

    /** Exact level sets as closed polylines: ellipses for the quadratic, the two valley branches for Rosenbrock. */
    private List<Figure.Series> contours(String surface, List<CellResult> traj) {
        List<Figure.Series> out = new ArrayList<>();
        if (surface.equals(QUADRATIC_2D)) {
            double k = spec.real("trajectory_condition");
            double f0 = 0.5 * (QUADRATIC_START[0] * QUADRATIC_START[0] + k * QUADRATIC_START[1] * QUADRATIC_START[1]);
            for (double share : new double[]{1, 0.25, 0.05}) {
                double c = f0 * share;
                int n = 120;
                double[] x = new double[n + 1];
                double[] y = new double[n + 1];
                for (int i = 0; i <= n; i++) {
                    double a = 2 * Math.PI * i / n;
                    x[i] = Math.sqrt(2 * c) * Math.cos(a);
                    y[i] = Math.sqrt(2 * c / k) * Math.sin(a);
                }
                out.add(Figure.Series.line("f = " + Table.readable(c), x, y));
            }
        } else {
            // Rosenbrock's level sets through the paths' region are long thin bananas reaching far beyond it
            // (f = 4 spans x in [-1, 3], y up to 9), which would squeeze the paths into a corner; its valley floor
            // y = x^2 over the paths' x range shows the structure instead
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (CellResult r : traj) {
                if (r.cell().get("problem").equals(ROSENBROCK)) {
                    for (List<Object> p : r.curve()) {
                        double x = ((Number) p.get(1)).doubleValue();
                        if (Double.isFinite(x)) {
                            lo = Math.min(lo, x);
                            hi = Math.max(hi, x);
                        }
                    }
                }
            }
            lo = Math.min(lo, 1) - 0.1;
            hi = Math.max(hi, 1) + 0.1;
            int n = 100;
            double[] x = new double[n + 1];
            double[] y = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                x[i] = lo + (hi - lo) * i / n;
                y[i] = x[i] * x[i];
            }
            out.add(Figure.Series.line("valley floor y = x^2", x, y));
            out.add(Figure.Series.points("minimum (1, 1)", new double[]{1}, new double[]{1}));
        }
        return out;
    }

    private void mlpSection(List<CellResult> mlp, StringBuilder text, Table csv, List<Figure> figures) {
        text.append(String.format(Locale.ROOT, "### Digits MLP: updates until the training loss is <= %s%n%n",
                Table.readable(spec.real("target_loss"))));
        text.append(String.format(Locale.ROOT, "MLP %d-%d-10 (%s, %s) on %d digits, %s, at most %d epochs (a run "
                        + "stops at the target); %d seed(s); learning rates %s. No theory gives mu* here (the Hessian "
                        + "changes along the way), so there is no optimal row; each row shows its best lr.%n%n",
                mlpX[0].length, spec.integer("hidden"), spec.string("activation"), spec.string("dtype"), mlpX.length,
                mlpBatchSize() == mlpX.length ? "full batch (one step per epoch)" : "minibatch " + mlpBatchSize(),
                spec.integer("max_epochs"), Harness.seeds(spec).size(), spec.raw("lr")));
        Map<String, Map<String, List<CellResult>>> byRow = new LinkedHashMap<>();
        for (CellResult r : mlp) {
            byRow.computeIfAbsent(label(r.cell()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.cell().get("lr"), k -> new ArrayList<>()).add(r);
        }
        Table grid = new Table("optimizer", "mu", "lr", "updates_to_target", "final_loss", "diverged");
        Map<String, List<CellResult>> bestByRow = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<CellResult>>> row : byRow.entrySet()) {
            List<CellResult> best = null;
            for (List<CellResult> g : row.getValue().values()) {
                Cell c = g.get(0).cell();
                Stats updates = stat(g, "updates_to_target");
                Stats loss = stat(g, "final_loss");
                long reached = g.stream().filter(r -> r.metric("updates_to_target") != null).count();
                long diverged = g.stream().filter(r -> Boolean.TRUE.equals(r.metric("diverged"))).count();
                grid.add(c.get("optimizer"), c.get("momentum"), c.real("lr"), reached == 0 ? "- (0/" + g.size() + ")"
                        : updates.pretty() + " (" + reached + "/" + g.size() + ")", loss.pretty(),
                        diverged + "/" + g.size());
                csv.add(MLP, c.get("problem"), c.get("optimizer"), c.get("momentum"), g.get(0).number("mu"),
                        c.real("lr"), g.size(), null, null, null, null, null, null, null, null, null, loss.mean(),
                        loss.std(), updates.mean(), updates.std(), reached, diverged, null, null, null);
                if (better(g, best)) {
                    best = g;
                }
            }
            bestByRow.put(row.getKey(), best);
        }
        Table md = new Table("optimizer", "mu", "best_lr", "updates_to_target", "final_loss", "speedup_over_sgd");
        List<CellResult> sgdBest = bestByRow.get("sgd");
        double sgdUpdates = sgdBest == null ? Double.NaN : stat(sgdBest, "updates_to_target").mean();
        List<Figure.Series> curves = new ArrayList<>();
        for (Map.Entry<String, List<CellResult>> e : bestByRow.entrySet()) {
            List<CellResult> g = e.getValue();
            Cell c = g.get(0).cell();
            long reached = g.stream().filter(r -> r.metric("updates_to_target") != null).count();
            Stats updates = stat(g, "updates_to_target");
            md.add(c.get("optimizer"), c.get("momentum"), c.real("lr"), reached == 0 ? "- (0/" + g.size() + ")"
                            : updates.pretty() + " (" + reached + "/" + g.size() + ")", stat(g, "final_loss").pretty(),
                    reached == g.size() ? sgdUpdates / updates.mean() : null);
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (CellResult r : g) {
                xs.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(0)).doubleValue()).toArray());
                ys.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(3)).doubleValue()).toArray());
            }
            curves.add(Figure.Series.overSeeds(e.getKey() + " lr " + c.get("lr"), xs, ys));
        }
        text.append(md.toMarkdown()).append('\n');
        text.append("Best lr per row: all seeds reach the target in the fewest updates (mean); if none does, the "
                + "lowest final loss. speedup_over_sgd = sgd's best updates / the row's. " + Trainer.DIVERGENCE_RULE
                + " The whole grid:\n\n");
        text.append(grid.toMarkdown()).append('\n');
        // momentum with mu at lr against plain GD at the "effective" lr / (1 - mu), where the grid has both
        Table effective = new Table("optimizer", "mu", "lr", "updates_to_target", "sgd_lr_equal_lr_over_1_minus_mu",
                "sgd_updates_to_target");
        Map<String, List<CellResult>> sgdByLr = byRow.getOrDefault("sgd", Map.of());
        for (Map.Entry<String, Map<String, List<CellResult>>> row : byRow.entrySet()) {
            for (List<CellResult> g : row.getValue().values()) {
                Cell c = g.get(0).cell();
                double mu = g.get(0).number("mu");
                if (mu == 0) {
                    continue;
                }
                double equivalent = c.real("lr") / (1 - mu);
                sgdByLr.values().stream().filter(s -> Math.abs(s.get(0).cell().real("lr") / equivalent - 1) < 1e-9)
                        .findFirst().ifPresent(s -> effective.add(c.get("optimizer"), c.get("momentum"), c.real("lr"),
                                reachedText(g), equivalent, reachedText(s)));
            }
        }
        if (!effective.rows().isEmpty()) {
            text.append("Momentum mu at lr against plain GD at lr / (1 - mu), its steady-state step on a constant "
                    + "gradient (rows where the grid has both):\n\n").append(effective.toMarkdown()).append('\n');
        }
        figures.add(new Figure.Lines("mlp-loss", "Digits MLP: training loss per update at each row's best lr "
                + "(mean over seeds)", "updates", "training loss (log)", false, true, curves));
    }

    private static String reachedText(List<CellResult> g) {
        long reached = g.stream().filter(r -> r.metric("updates_to_target") != null).count();
        return reached == 0 ? "- (0/" + g.size() + ")"
                : stat(g, "updates_to_target").pretty() + " (" + reached + "/" + g.size() + ")";
    }

    private static Stats stat(List<CellResult> g, String column) {
        return Stats.of(g.stream().map(r -> (Number) r.metric(column)).toList());
    }

    /** Whether lr group g beats the best so far: all seeds reached, fewer updates; else lower final loss. */
    static boolean better(List<CellResult> g, List<CellResult> best) {
        boolean diverged = g.stream().anyMatch(r -> Boolean.TRUE.equals(r.metric("diverged")));
        if (best == null) {
            return true;
        }
        boolean bestDiverged = best.stream().anyMatch(r -> Boolean.TRUE.equals(r.metric("diverged")));
        if (diverged != bestDiverged) {
            return !diverged;
        }
        boolean all = g.stream().allMatch(r -> r.metric("updates_to_target") != null);
        boolean bestAll = best.stream().allMatch(r -> r.metric("updates_to_target") != null);
        if (all != bestAll) {
            return all;
        }
        if (all) {
            return stat(g, "updates_to_target").mean() < stat(best, "updates_to_target").mean();
        }
        return stat(g, "final_loss").mean() < stat(best, "final_loss").mean();
    }
}
