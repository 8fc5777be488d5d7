package gdlab.experiment.learningrate;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.experiment.GdMode;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Regression;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.exact.LeastSquares;
import gdlab.exact.Sharpness;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Objective;
import gdlab.reference.Ordering;
import gdlab.reference.Quadratic;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Theory;
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
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * Learning rate: too small, too large, and where the edge is. Plain gradient descent (DL4J's Sgd) on three problems:
 * linear least squares with a chosen Hessian spectrum ({@code quadratic}), least squares on the digits features
 * ({@code digits-linear}), both a DL4J one-layer identity network with MSE, and the digits MLP ({@code digits-mlp}).
 * The learning rate is swept as a multiple of the critical rate 2 / lambda_max, over batch modes.
 *
 * <p>For least squares lambda_max is exact: the Hessian of DL4J's MSE is (2 / (N nOut)) Xa'Xa per output
 * ({@link LeastSquares}), diagonalised in plain Java. For the MLP it is the sharpness at the initial parameters,
 * by power iteration on Hessian-vector products of the reference MLP's gradient: a local estimate only.
 *
 * <p>Besides the sweep, two searches measure what theory predicts for full-batch GD on least squares: the divergence
 * edge (doubling, then bisection on "the loss grows over the second half of the run") and, on the synthetic
 * quadratic, the learning rate with the fastest measured convergence rate (a scan, then golden-section search).
 * Neither search is told the prediction; the reference (plain-Java MLP and SGD from the same start) repeats both.
 */
public final class LearningRate implements Experiment {
    static final String QUADRATIC = "quadratic";
    static final String DIGITS_LINEAR = "digits-linear";
    static final String DIGITS_MLP = "digits-mlp";
    static final List<String> PROBLEMS = List.of(QUADRATIC, DIGITS_LINEAR, DIGITS_MLP);

    static final String SWEEP = "sweep";
    static final String EDGE = "edge";
    static final String BEST_LR = "best-lr";

    static final String TOO_SLOW = "too-slow";
    static final String CONVERGED = "converged";
    static final String OSCILLATING = "oscillating";
    static final String DIVERGED = "diverged";

    /** Share of epochs with a rising loss above which a run that missed the target counts as oscillating. */
    static final double OSCILLATION_SHARE = 0.2;

    /** final_gap (loss minus the least-squares minimum) is a subtraction: below 1e-12 x the loss it is rounding. */
    static final List<Metric> DECLARED = List.of(measure("lr_crit"), measure("initial_loss"), measure("final_loss"),
            measure("final_gap", Metric.Bound.relativeTo("final_loss", 1e-12)), setting("target_loss"),
            measure("epochs_run"), setting("updates_per_epoch"), measure("epochs_to_target"),
            measure("updates_to_target"), measure("loss_up_share"), measure("overshoot_share"), outcome("regime"),
            measure("ref_mismatch_epochs"), measure("predicted_lr"), measure("measured_lr"), measure("reference_lr"),
            measure("measured_to_predicted"), measure("predicted_rate"), measure("measured_rate"),
            measure("reference_rate"), measure("search_runs"), timing("train_time_ms"));
    static final List<String> METRICS = Metric.names(DECLARED);
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "loss_gap", "top_component",
            "ref_rel_diff");

    /**
     * DL4J and the reference disagree on an epoch when their losses differ by more than this, relative to the
     * excess loss. Round-off differences are ~1e-15..1e-10 (they grow as the excess shrinks); cells.csv counts the
     * disagreements rather than recording round-off, which changes with the CPU's kernels; curves.csv has each
     * epoch's difference.
     */
    static final double REF_TOLERANCE = 1e-7;

    private Spec spec;
    private DataType dtype;
    private final Map<String, Problem> problems = new LinkedHashMap<>();

    /**
     * One problem: its data, what is known exactly about it, and how to build its DL4J network and reference model.
     *
     * @param ls       the least-squares objective (null for the MLP)
     * @param ref      the reference model with DL4J's layout and loss
     * @param lambda   largest Hessian eigenvalue (exact, or the MLP's sharpness at init)
     * @param lambdaMin smallest non-zero eigenvalue (least squares only, else NaN)
     * @param lossStar least loss (least squares only, else NaN)
     * @param top      flat unit eigenvector of lambda for output 0 (least squares only)
     */
    record Problem(String name, double[][] x, double[][] y, int[] sizes, LeastSquares ls, Mlp ref, double lambda,
                   double lambdaMin, double lossStar, double[] top, String lambdaSource) {
        boolean linear() {
            return ls != null;
        }

        double lrCrit() {
            return Theory.criticalLearningRate(lambda);
        }

        double lrOptimal() {
            return linear() ? Theory.optimalLearningRate(lambdaMin, lambda) : Double.NaN;
        }

        int n() {
            return x.length;
        }
    }

    @Override
    public String name() {
        return "learning-rate";
    }

    @Override
    public String question() {
        return "How does the learning rate change gradient descent (too small, too large), and where is the edge "
                + "of divergence?";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.choice("problem", PROBLEMS, true, "quadratic (synthetic least squares), digits-linear "
                        + "(least squares on the digits), digits-mlp"),
                new Param("batch_size", "1, full, or an integer >= 2 (at most the number of training examples)",
                        s -> s.equals("full") || s.matches("[1-9][0-9]{0,8}"), true,
                        "the batch-mode axis: 1 = stochastic, full = batch, between = mini-batch"),
                Param.real("lr_ratio", 0, true, "learning rates as multiples of the critical rate 2 / lambda_max"),
                Param.real("condition", 1, false, "condition number k of the synthetic quadratic's Hessian"),
                Param.real("lambda_max", 0, false, "largest Hessian eigenvalue of the synthetic quadratic"),
                Param.integer("features", 1, 1000, false, "features of the synthetic quadratic"),
                Param.integer("examples", 3, 1_000_000, false, "examples of the synthetic quadratic"),
                Param.realIn("noise", 0, 100, false, "standard deviation of the synthetic targets' noise"),
                Param.integer("data_seed", 0, Integer.MAX_VALUE, false,
                        "seed of the synthetic data and of the digits' shuffle"),
                Param.integer("max_examples", 0, Integer.MAX_VALUE, false, "use only this many digits (0 = all)"),
                Param.integer("hidden", 1, 4096, false, "hidden units of the digits MLP"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "hidden activation of the digits MLP"),
                Param.choice("dtype", Networks.DTYPES, false, "ND4J data type"),
                Param.integer("max_epochs_batch", 1, 1_000_000, false, "epochs (= steps) of full-batch runs"),
                Param.integer("max_epochs_mini_batch", 1, 1_000_000, false, "epochs of mini-batch runs"),
                Param.integer("max_epochs_stochastic", 1, 1_000_000, false, "epochs of stochastic runs"),
                Param.realIn("target_gap", 1e-15, 0.999, false,
                        "least squares: target of the relative excess loss (L - L*) / (L0 - L*)"),
                Param.real("target_loss", 0, false, "digits MLP: training loss that counts as converged"),
                Param.integer("edge_iterations", 10, 1_000_000, false,
                        "steps of each run in the divergence-edge search"),
                Param.realIn("edge_tolerance", 1e-6, 0.5, false,
                        "the edge search stops when its bracket's relative width is below this"),
                Param.integer("best_lr_iterations", 10, 1_000_000, false,
                        "step budget of each run in the best-lr search"),
                Param.integer("best_lr_evaluations", 1, 200, false, "golden-section steps of the best-lr search"),
                Param.integer("sharpness_iterations", 1, 100_000, false,
                        "power iterations for the MLP's sharpness at init"));
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
        List<Long> seeds = Harness.seeds(spec);
        for (String name : new java.util.LinkedHashSet<>(spec.list("problem"))) {
            problems.put(name, build(name, seeds.get(0)));
        }
        List<Cell> cells = new ArrayList<>();
        // the searches first: each is one long sequential cell, so they start while the sweep fills the workers
        for (Problem p : problems.values()) {
            if (p.linear()) {
                cells.add(cell(cells.size(), p.name(), EDGE, p.n(), "", "", seeds.get(0)));
                if (p.name().equals(QUADRATIC)) {
                    cells.add(cell(cells.size(), p.name(), BEST_LR, p.n(), "", "", seeds.get(0)));
                }
            }
        }
        for (Problem p : problems.values()) {
            for (String raw : new java.util.LinkedHashSet<>(spec.list("batch_size"))) {
                int b = raw.equals("full") ? p.n() : Integer.parseInt(raw);
                if (b > p.n()) {
                    throw new BadInputException("bad value '" + raw + "' for batch_size: larger than the " + p.n()
                            + " training examples of " + p.name() + "; allowed: 1, full, or an integer from 2 to "
                            + p.n());
                }
                for (double ratio : new java.util.TreeSet<>(spec.reals("lr_ratio"))) {
                    for (long seed : seeds) {
                        cells.add(cell(cells.size(), p.name(), SWEEP, b, format(ratio),
                                format(ratio * p.lrCrit()), seed));
                    }
                }
            }
        }
        return cells;
    }

    private Cell cell(int index, String problem, String task, int batch, String ratio, String lr, long seed) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("problem", problem);
        c.put("task", task);
        c.put("mode", GdMode.of(batch, problems.get(problem).n()));
        c.put("batch_size", String.valueOf(batch));
        c.put("lr_ratio", ratio);
        c.put("lr", lr);
        c.put("seed", String.valueOf(seed));
        return new Cell(index, c);
    }

    /** A value as written in a coordinate: the shortest text that reads back to the same double. */
    static String format(double v) {
        return gdlab.report.Csv.format(v);
    }

    private Problem build(String name, long firstSeed) {
        return switch (name) {
            case QUADRATIC -> {
                double k = spec.real("condition");
                double lmax = spec.real("lambda_max");
                if (2.0 < lmax / k - 1e-12 || 2.0 > lmax + 1e-12) {
                    throw new BadInputException(String.format(Locale.ROOT, "bad values lambda_max=%s, condition=%s: "
                            + "the bias adds the Hessian eigenvalue 2 (= 2/nOut), which must lie in [lambda_max / "
                            + "condition, lambda_max] = [%s, %s] for the condition number to be k; allowed: "
                            + "lambda_max >= 2 and lambda_max / condition <= 2", spec.raw("lambda_max"),
                            spec.raw("condition"), Table.readable(lmax / k), Table.readable(lmax)));
                }
                int d = spec.integer("features");
                int n = spec.integer("examples");
                if (n < d + 2) {
                    throw new BadInputException("bad value '" + n + "' for examples: the synthetic quadratic needs "
                            + "at least features + 2 = " + (d + 2) + "; allowed: an integer >= " + (d + 2));
                }
                double[] spectrum = d == 1 ? new double[]{lmax} : Quadratic.geometricSpectrum(d, lmax / k, lmax);
                LeastSquares ls = LeastSquares.synthetic(n, spectrum, true, spec.real("noise"),
                        spec.longValue("data_seed"));
                yield linearProblem(name, ls, "exact: eigenvalues of (2/(N nOut)) Xa'Xa");
            }
            case DIGITS_LINEAR -> {
                Split s = Split.of(Datasets.load("digits"), 0, spec.longValue("data_seed"),
                        spec.integer("max_examples"));
                LeastSquares ls = LeastSquares.of(s.train().features(), s.train().oneHot(), true);
                yield linearProblem(name, ls, "exact: eigenvalues of (2/(N nOut)) Xa'Xa");
            }
            case DIGITS_MLP -> {
                Split s = Split.of(Datasets.load("digits"), 0, spec.longValue("data_seed"),
                        spec.integer("max_examples"));
                double[][] x = s.train().features();
                double[][] y = s.train().oneHot();
                int[] sizes = {x[0].length, spec.integer("hidden"), y[0].length};
                Mlp ref = new Mlp(sizes, Activation.named(spec.string("activation")), Activation.SOFTMAX,
                        Loss.MCXENT);
                MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"), new Sgd(0.1),
                        firstSeed, dtype);
                double[] init = Tensors.toDoubles(net.params());
                Objective f = new Objective() {
                    @Override
                    public int dimension() {
                        return init.length;
                    }

                    @Override
                    public double value(double[] p) {
                        return ref.score(p, x, y);
                    }

                    @Override
                    public double[] gradient(double[] p) {
                        return ref.gradient(p, x, y);
                    }
                };
                Sharpness.Estimate e = Sharpness.largestEigenvalue(f, init, spec.integer("sharpness_iterations"),
                        1e-4, firstSeed);
                yield new Problem(name, x, y, sizes, null, ref, e.lambdaMax(), Double.NaN, Double.NaN, null,
                        String.format(Locale.ROOT, "estimate: sharpness at the initial parameters (seed %d), "
                                + "power iteration, %d products%s", firstSeed, e.iterations(),
                                e.converged() ? "" : ", not converged"));
            }
            default -> throw new BadInputException("unknown problem '" + name + "'; known: " + PROBLEMS);
        };
    }

    private static Problem linearProblem(String name, LeastSquares ls, String source) {
        int[] sizes = {ls.nIn(), ls.nOut()};
        Mlp ref = new Mlp(sizes, Activation.IDENTITY, Activation.IDENTITY, Loss.MSE);
        double[] top = ls.embed(ls.eigen().top(), 0);
        return new Problem(name, ls.features(), ls.targets(), sizes, ls, ref, ls.lambdaMax(), ls.lambdaMinPositive(),
                ls.minimumValue(), top, source);
    }

    private MultiLayerNetwork network(Problem p, double lr, long seed) {
        return p.linear() ? Regression.linear(p.sizes()[0], p.sizes()[1], true, new Sgd(lr), seed, dtype)
                : Networks.classifier(p.sizes(), spec.string("activation"), new Sgd(lr), seed, dtype);
    }

    /** The classifier's divergence rule for the softmax MLP; none for the least-squares problems. */
    private static Trainer.Options classifierIfMlp(Problem p, Trainer.Options o) {
        return p.linear() ? o : o.classifier(p.sizes()[p.sizes().length - 1]);
    }

    private int epochs(String mode) {
        return spec.integer("max_epochs_" + mode.replace('-', '_'));
    }

    @Override
    public CellResult run(Cell cell) {
        Problem p = problems.get(cell.get("problem"));
        return switch (cell.get("task")) {
            case EDGE -> edge(cell, p);
            case BEST_LR -> bestLr(cell, p);
            default -> sweep(cell, p);
        };
    }

    private static Map<String, Object> metrics(Map<String, Object> values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String m : METRICS) {
            row.put(m, values.get(m));
        }
        return row;
    }

    // ---------------------------------------------------------------------------------------------- the sweep

    private CellResult sweep(Cell cell, Problem p) {
        double lr = cell.real("lr");
        int b = cell.integer("batch_size");
        long seed = cell.longValue("seed");
        String mode = cell.get("mode");
        MultiLayerNetwork net = network(p, lr, seed);
        double[] init = Tensors.toDoubles(net.params());
        INDArray x = Tensors.matrix(p.x(), dtype);
        INDArray y = Tensors.matrix(p.y(), dtype);
        double l0 = net.score(new DataSet(x, y));
        double target = p.linear() ? p.lossStar() + spec.real("target_gap") * (l0 - p.lossStar())
                : spec.real("target_loss");
        boolean trackTop = p.linear() && b == p.n();
        List<Double> top = new ArrayList<>();
        if (trackTop) {
            top.add(p.ls().component(init, p.top()));
        }
        Trainer.EpochHook hook = trackTop ? e -> {
            top.add(p.ls().component(Tensors.toDoubles(net.params()), p.top()));
            return false;
        } : null;
        Trainer.Outcome t = Trainer.train(net, x, y,
                classifierIfMlp(p, new Trainer.Options(b, epochs(mode), 0, target, seed, Trainer.Order.SHUFFLED)), hook);

        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        for (int i = 0; i < t.epochs().size(); i++) {
            losses[i + 1] = t.epochs().get(i).trainLoss();
        }
        double scale = p.linear() ? l0 - p.lossStar() : 1;
        double floor = p.linear() ? p.lossStar() : 0;
        double upShare = upShare(losses, floor, scale);
        Double overshoot = trackTop ? signAlternation(top) : null;
        double finalLoss = t.finalLoss();
        String regime = regime(t.status() == Trainer.Status.DIVERGED, finalLoss, l0, target, upShare,
                overshoot == null ? 0 : overshoot);

        Integer mismatches = null;
        Double[] refDiffs = new Double[losses.length];
        if (p.linear()) {
            ReferenceTrainer ref = new ReferenceTrainer(p.ref(), new gdlab.reference.Sgd(lr), init, p.x(), p.y(), b,
                    Ordering.shuffled(seed));
            mismatches = 0;
            for (int i = 1; i < losses.length; i++) {
                double r = ref.finishEpoch().trainLoss();
                // compared while the excess loss is above round-off (1e-8 of its start)
                if (Double.isFinite(r) && Double.isFinite(losses[i]) && Math.abs(r) < 1e100
                        && r - floor > 1e-8 * scale) {
                    refDiffs[i] = Math.abs(losses[i] - r) / (r - floor);
                    if (refDiffs[i] > REF_TOLERANCE) {
                        mismatches++;
                    }
                }
            }
        }

        List<List<Object>> curve = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            long updates = (long) i * t.updatesPerEpoch();
            curve.add(Arrays.asList(i, updates, losses[i], p.linear() ? (losses[i] - floor) / scale : null,
                    trackTop && i < top.size() ? top.get(i) : null, refDiffs[i]));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr_crit", p.lrCrit());
        m.put("initial_loss", l0);
        m.put("final_loss", finalLoss);
        m.put("final_gap", p.linear() ? gapOrZero((finalLoss - floor) / scale) : null);
        m.put("target_loss", target);
        m.put("epochs_run", t.epochs().size());
        m.put("updates_per_epoch", t.updatesPerEpoch());
        m.put("epochs_to_target", t.epochsToTarget());
        m.put("updates_to_target", t.updatesToTarget());
        m.put("loss_up_share", upShare);
        m.put("overshoot_share", overshoot);
        m.put("regime", regime);
        m.put("ref_mismatch_epochs", mismatches);
        m.put("train_time_ms", t.trainingMs());
        boolean diverged = regime.equals(DIVERGED);
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? (t.status() == Trainer.Status.DIVERGED ? t.stopReason() : "final loss above the initial")
                        : "", metrics(m), curve);
    }

    /**
     * The relative excess loss, or 0 below 1e-12: there L - L* is at the precision of the loss itself (round-off,
     * which differs between CPUs' kernels), not a measurement.
     */
    static double gapOrZero(double gap) {
        return Math.abs(gap) < 1e-12 ? 0.0 : gap;
    }

    /**
     * The regime of one run, from its measurements: {@code diverged} when the loss blew up (non-finite or above the
     * Trainer's blow-up bound) or ended no lower than it started; {@code converged} when the final loss is at most
     * the target; otherwise {@code oscillating} when the loss rose in at least {@value #OSCILLATION_SHARE} of the
     * epochs or the iterates overshot (the top-eigenvector component changed sign in at least half the steps), and
     * {@code too-slow} when it fell steadily but not far enough.
     */
    static String regime(boolean blewUp, double finalLoss, double initialLoss, double target, double upShare,
                         double overshoot) {
        if (blewUp || !(finalLoss < initialLoss)) {
            return DIVERGED;
        }
        if (finalLoss <= target) {
            return CONVERGED;
        }
        if (upShare >= OSCILLATION_SHARE || overshoot >= 0.5) {
            return OSCILLATING;
        }
        return TOO_SLOW;
    }

    /**
     * Share of epochs whose loss rose over the previous one; changes are counted only while the loss is above
     * {@code floor + 1e-10 scale} (below that, round-off moves it either way).
     */
    static double upShare(double[] losses, double floor, double scale) {
        int counted = 0;
        int up = 0;
        for (int i = 1; i < losses.length; i++) {
            if (!(losses[i - 1] - floor > 1e-10 * scale) && !(losses[i] - floor > 1e-10 * scale)) {
                continue;
            }
            counted++;
            if (!(losses[i] <= losses[i - 1])) {
                up++;
            }
        }
        return counted == 0 ? 0 : (double) up / counted;
    }

    /** Share of steps where the value changed sign, while it is above 1e-9 of its start in magnitude. */
    static double signAlternation(List<Double> values) {
        double start = Math.abs(values.get(0));
        int counted = 0;
        int flips = 0;
        for (int i = 1; i < values.size(); i++) {
            double a = values.get(i - 1);
            double b = values.get(i);
            if (!Double.isFinite(a) || !Double.isFinite(b)
                    || Math.max(Math.abs(a), Math.abs(b)) <= 1e-9 * start) {
                continue;
            }
            counted++;
            if (a * b < 0) {
                flips++;
            }
        }
        return counted == 0 ? 0 : (double) flips / counted;
    }

    // ------------------------------------------------------------------------------------ the searches

    /**
     * A full-batch run of {@code steps} steps from {@code start} (null: the network's own initialisation): the loss
     * at the start and after each step; it stops once the relative excess loss is at most {@code stopGap}.
     */
    private double[] dl4jRun(Problem p, double[] start, double lr, long seed, int steps, double stopGap) {
        MultiLayerNetwork net = network(p, lr, seed);
        if (start != null) {
            net.setParams(org.nd4j.linalg.factory.Nd4j.create(start).reshape(1, start.length).castTo(dtype));
        }
        INDArray x = Tensors.matrix(p.x(), dtype);
        INDArray y = Tensors.matrix(p.y(), dtype);
        double l0 = net.score(new DataSet(x, y));
        double stopAt = p.lossStar() + stopGap * (l0 - p.lossStar());
        Trainer.Outcome t = Trainer.train(net, x, y,
                new Trainer.Options(p.n(), steps, 0, Double.NaN, seed, Trainer.Order.AS_GIVEN),
                e -> e.trainLoss() <= stopAt);
        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        for (int i = 0; i < t.epochs().size(); i++) {
            losses[i + 1] = t.epochs().get(i).trainLoss();
        }
        if (t.status() == Trainer.Status.DIVERGED) {
            losses[losses.length - 1] = Double.POSITIVE_INFINITY;
        }
        return losses;
    }

    /** The same run in the reference: plain-Java MLP and SGD from the same start (DL4J's initial parameters). */
    private double[] referenceRun(Problem p, double[] init, double lr, int steps, double stopGap) {
        ReferenceTrainer ref = new ReferenceTrainer(p.ref(), new gdlab.reference.Sgd(lr), init, p.x(), p.y(), p.n(),
                Ordering.FIXED);
        double l0 = ref.trainLoss();
        double stopAt = p.lossStar() + stopGap * (l0 - p.lossStar());
        List<Double> losses = new ArrayList<>(List.of(l0));
        for (int s = 0; s < steps; s++) {
            double l = ref.finishEpoch().trainLoss();
            losses.add(l);
            if (!Double.isFinite(l) || Math.abs(l - p.lossStar()) > 1e6 * Math.max(1, l0) || l <= stopAt) {
                break;
            }
        }
        return losses.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Unstable when the excess loss at the end is larger than at half-way (and still above 1e-9 of its start) or
     * the run blew up. Near the edge only the top eigen-direction matters after a few steps, and its factor per
     * step is |1 - lr lambda_max|: growing exactly when lr > 2 / lambda_max.
     */
    static boolean unstable(double[] losses, double lossStar) {
        int end = losses.length - 1;
        double last = losses[end] - lossStar;
        if (!Double.isFinite(last)) {
            return true;
        }
        double half = losses[end / 2] - lossStar;
        double start = losses[0] - lossStar;
        return last > half && last > 1e-9 * start;
    }

    private CellResult edge(Cell cell, Problem p) {
        long seed = cell.longValue("seed");
        int steps = spec.integer("edge_iterations");
        double tol = spec.real("edge_tolerance");
        double[] init = Tensors.toDoubles(network(p, 1, seed).params());
        long t0 = System.nanoTime();
        EdgeSearch dl4j = EdgeSearch.of(lr -> unstable(dl4jRun(p, null, lr, seed, steps, 1e-12), p.lossStar()),
                tol);
        double ms = (System.nanoTime() - t0) / 1e6;
        EdgeSearch ref = EdgeSearch.of(lr -> unstable(referenceRun(p, init, lr, steps, 1e-12), p.lossStar()), tol);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr_crit", p.lrCrit());
        m.put("predicted_lr", p.lrCrit());
        m.put("measured_lr", dl4j.edge());
        m.put("reference_lr", ref.edge());
        m.put("measured_to_predicted", dl4j.edge() / p.lrCrit());
        m.put("search_runs", dl4j.runs());
        m.put("train_time_ms", ms);
        return new CellResult(cell, CellResult.Status.OK, String.format(Locale.ROOT, "bracket [%s, %s]",
                Table.readable(dl4j.lo()), Table.readable(dl4j.hi())), metrics(m), List.of());
    }

    /**
     * The measured convergence rate of a full-batch run: per step, the error factor sqrt(gap_t2 / gap_t1)^(1/(t2 -
     * t1)) between the first step with a relative excess loss at most 1e-2 (or half-way if it never gets there) and
     * the last step (the run stops at 1e-10). Infinity when the run is unstable.
     */
    static double measuredRate(double[] losses, double lossStar) {
        if (unstable(losses, lossStar)) {
            return Double.POSITIVE_INFINITY;
        }
        double start = losses[0] - lossStar;
        int end = losses.length - 1;
        int t1 = end / 2;
        for (int t = 0; t < end; t++) {
            if (losses[t] - lossStar <= 1e-2 * start) {
                t1 = t;
                break;
            }
        }
        if (end - t1 < 2) {
            t1 = Math.max(0, end - 2);
        }
        double g1 = losses[t1] - lossStar;
        double g2 = losses[end] - lossStar;
        if (!(g1 > 0) || !(g2 > 0)) {
            return 0;
        }
        return Math.pow(g2 / g1, 0.5 / (end - t1));
    }

    /**
     * The worst-case start for rates: theta* + u_min / sqrt(lambda_min) + u_max / sqrt(lambda_max) (output 0), the
     * two extreme eigen-directions with equal shares (1/2 each) of the excess loss L0 - L* = 1. From there the
     * excess loss is exactly (rate_min^2t + rate_max^2t) / 2, so the fastest lr is the one that balances the two.
     */
    static double[] worstStart(LeastSquares ls) {
        double[] start = ls.minimizer();
        double[] values = ls.eigen().values();
        int low = 0;
        while (values[low] <= 1e-10 * ls.lambdaMax()) {
            low++;
        }
        double[] bottom = ls.embed(ls.eigen().vectors()[low], 0);
        double[] top = ls.embed(ls.eigen().top(), 0);
        for (int i = 0; i < start.length; i++) {
            start[i] += bottom[i] / Math.sqrt(values[low]) + top[i] / Math.sqrt(ls.lambdaMax());
        }
        return start;
    }

    private CellResult bestLr(Cell cell, Problem p) {
        long seed = cell.longValue("seed");
        int steps = spec.integer("best_lr_iterations");
        int evaluations = spec.integer("best_lr_evaluations");
        double[] start = worstStart(p.ls());
        long t0 = System.nanoTime();
        RateSearch dl4j = RateSearch.of(lr -> measuredRate(dl4jRun(p, start, lr, seed, steps, 1e-10), p.lossStar()),
                evaluations);
        double ms = (System.nanoTime() - t0) / 1e6;
        RateSearch ref = RateSearch.of(lr -> measuredRate(referenceRun(p, start, lr, steps, 1e-10), p.lossStar()),
                evaluations);
        double k = p.lambda() / p.lambdaMin();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr_crit", p.lrCrit());
        m.put("predicted_lr", p.lrOptimal());
        m.put("measured_lr", dl4j.lr());
        m.put("reference_lr", ref.lr());
        m.put("measured_to_predicted", dl4j.lr() / p.lrOptimal());
        m.put("predicted_rate", Theory.gradientDescentRate(k));
        m.put("measured_rate", dl4j.rate());
        m.put("reference_rate", ref.rate());
        m.put("search_runs", dl4j.runs());
        m.put("train_time_ms", ms);
        return new CellResult(cell, CellResult.Status.OK, "", metrics(m), List.of());
    }

    // ------------------------------------------------------------------------------------------- summary

    /** The seeds of one (problem, batch size, lr) point of the sweep. */
    static final class Group {
        final List<CellResult> results = new ArrayList<>();

        Cell first() {
            return results.get(0).cell();
        }

        Stats stat(String column) {
            return Stats.of(results.stream().map(r -> (Number) r.metric(column)).toList());
        }

        String regime() {
            Map<String, Integer> counts = new TreeMap<>();
            for (CellResult r : results) {
                counts.merge(String.valueOf(r.metric("regime")), 1, Integer::sum);
            }
            if (counts.size() == 1) {
                return counts.keySet().iterator().next();
            }
            List<String> parts = new ArrayList<>();
            counts.forEach((k, v) -> parts.add(k + " " + v + "/" + results.size()));
            return String.join(", ", parts);
        }

        boolean anyDiverged() {
            return results.stream().anyMatch(r -> DIVERGED.equals(r.metric("regime")));
        }

        long reached() {
            return results.stream().filter(r -> r.metric("epochs_to_target") != null).count();
        }

        /** The loss to rank by: the relative excess loss for least squares, the loss for the MLP. */
        Stats rankLoss() {
            return first().get("problem").equals(DIGITS_MLP) ? stat("final_loss") : stat("final_gap");
        }
    }

    @Override
    public Report summarize(List<CellResult> results) {
        Map<String, Group> groups = new LinkedHashMap<>();
        List<CellResult> edges = new ArrayList<>();
        List<CellResult> bests = new ArrayList<>();
        for (CellResult r : results) {
            switch (r.cell().get("task")) {
                case EDGE -> edges.add(r);
                case BEST_LR -> bests.add(r);
                default -> groups.computeIfAbsent(r.cell().get("problem") + "|" + r.cell().get("batch_size") + "|"
                        + r.cell().get("lr_ratio"), k -> new Group()).results.add(r);
            }
        }
        Table csv = new Table("problem", "mode", "batch_size", "lr", "lr_ratio", "seeds", "regime",
                "final_loss_mean", "final_loss_std", "final_gap_mean", "final_gap_std", "reached_target",
                "epochs_to_target_mean", "epochs_to_target_std", "updates_to_target_mean", "loss_up_share_mean",
                "overshoot_share_mean", "ref_mismatch_epochs");
        for (Group g : groups.values()) {
            Cell c = g.first();
            csv.add(c.get("problem"), c.get("mode"), c.integer("batch_size"), c.real("lr"), c.real("lr_ratio"),
                    g.results.size(), g.regime(), g.stat("final_loss").mean(), g.stat("final_loss").std(),
                    g.stat("final_gap").mean(), g.stat("final_gap").std(), g.reached(),
                    g.stat("epochs_to_target").mean(), g.stat("epochs_to_target").std(),
                    g.stat("updates_to_target").mean(), g.stat("loss_up_share").mean(),
                    g.stat("overshoot_share").mean(), sum(g, "ref_mismatch_epochs"));
        }

        StringBuilder text = new StringBuilder();
        text.append("Plain gradient descent (DL4J Sgd, ").append(spec.string("dtype")).append(") with the learning "
                + "rate as a multiple of the critical rate lr_crit = 2 / lambda_max; ").append(Harness.seeds(spec)
                .size()).append(" seed(s) per point.\n\n");
        Table problemsTable = new Table("problem", "examples", "parameters", "lambda_max", "lambda_min",
                "condition", "lr_crit", "lr_optimal", "least_loss", "lambda_max_source");
        for (Problem p : problems.values()) {
            problemsTable.add(p.name(), p.n(), p.linear() ? p.ls().dimension() : p.ref().numParams(), p.lambda(),
                    p.linear() ? p.lambdaMin() : null, p.linear() ? p.lambda() / p.lambdaMin() : null, p.lrCrit(),
                    p.linear() ? p.lrOptimal() : null, p.linear() ? p.lossStar() : null, p.lambdaSource());
        }
        text.append(problemsTable.toMarkdown()).append('\n');
        text.append("lambda_min is the smallest non-zero eigenvalue (constant pixels of the digits give exact "
                + "zeros: those weights have zero gradient and never move). lr_optimal = 2 / (lambda_min + "
                + "lambda_max) is the constant rate with the fastest worst-case convergence, (k-1)/(k+1) per "
                + "step.\n\n");

        if (!edges.isEmpty()) {
            text.append("### Full-batch GD on least squares: the divergence edge, measured vs predicted\n\n");
            Table t = new Table("problem", "predicted_edge_2_over_lambda_max", "measured_edge_dl4j",
                    "measured_edge_reference", "dl4j_over_predicted", "runs", "bracket");
            for (CellResult r : edges) {
                t.add(r.cell().get("problem"), r.number("predicted_lr"), r.number("measured_lr"),
                        r.number("reference_lr"), r.number("measured_to_predicted"),
                        r.metric("search_runs"), r.message());
            }
            text.append(t.toMarkdown()).append('\n');
            text.append(String.format(Locale.ROOT, "Each search starts at lr = 1 and halves or doubles it until "
                    + "the verdict flips. A run is unstable when, in %d full-batch steps from the network's initial "
                    + "parameters, its excess loss L - L* grows over the second half (or it blows up). Then it bisects "
                    + "to a bracket %s wide (relative); the measured edge is the bracket's geometric middle. Neither "
                    + "DL4J's search nor the reference's knows lambda_max.%n%n", spec.integer("edge_iterations"),
                    Table.readable(spec.real("edge_tolerance"))));
        }
        if (!bests.isEmpty()) {
            text.append("### Full-batch GD on the quadratic: the best constant learning rate\n\n");
            Table t = new Table("problem", "predicted_lr_2_over_min_plus_max", "measured_best_lr_dl4j",
                    "measured_best_lr_reference", "dl4j_over_predicted", "predicted_rate_k_minus_1_over_k_plus_1",
                    "measured_rate_dl4j", "measured_rate_reference", "runs");
            for (CellResult r : bests) {
                t.add(r.cell().get("problem"), r.number("predicted_lr"), r.number("measured_lr"),
                        r.number("reference_lr"), r.number("measured_to_predicted"),
                        r.number("predicted_rate"), r.number("measured_rate"),
                        r.number("reference_rate"), r.metric("search_runs"));
            }
            text.append(t.toMarkdown()).append('\n');
            text.append("Runs start from the worst case, theta* + u_min / sqrt(lambda_min) + u_max / "
                    + "sqrt(lambda_max) (the two extreme eigen-directions, half the excess loss each). The rate is "
                    + "measured per step on the error (the square root of the excess loss's factor) between a "
                    + "relative excess of 1e-2 and the end of the run (1e-10 or the step budget). The search scans lr "
                    + "down from 1 by factors of sqrt(2) and refines the best by golden-section search. Near the "
                    + "optimum the rate is a V in lr: below it the slowest direction (lambda_min) limits, above it "
                    + "the fastest (lambda_max), which then overshoots every step.\n\n");
        }

        for (Problem p : problems.values()) {
            text.append("### ").append(p.name()).append(": the sweep\n\n");
            Table md = new Table("mode", "batch_size", "lr", "lr_ratio", "regime", p.linear() ? "final_gap"
                    : "final_loss", "epochs_to_target", "loss_up_share", "overshoot_share", "ref_mismatch_epochs");
            for (Group g : groups.values()) {
                Cell c = g.first();
                if (!c.get("problem").equals(p.name())) {
                    continue;
                }
                Stats e = g.stat("epochs_to_target");
                md.add(c.get("mode"), c.get("batch_size"), c.real("lr"), c.real("lr_ratio"), g.regime(),
                        g.rankLoss().pretty(), g.reached() == 0 ? "- (0/" + g.results.size() + ")"
                                : e.pretty() + " (" + g.reached() + "/" + g.results.size() + ")",
                        g.stat("loss_up_share").pretty(), g.stat("overshoot_share").pretty(),
                        p.linear() ? Table.readable(sum(g, "ref_mismatch_epochs")) : "-");
            }
            text.append(md.toMarkdown()).append('\n');
        }
        text.append("""
                Columns: lr_ratio = lr / lr_crit. final_gap = (L - L*) / (L0 - L*), the excess loss relative to \
                the start (least squares; the target is target_gap); final_loss is the training loss (MLP; the \
                target is target_loss). epochs_to_target: first epoch at or below the target (k/n = seeds that got \
                there). loss_up_share: share of epochs whose loss rose. overshoot_share (full batch, least \
                squares): share of steps where the error's component along the top eigenvector changed sign, i.e. \
                the step jumped across the valley; it is 1 exactly when lr > 1/lambda_max = lr_crit/2. \
                ref_mismatch_epochs (least squares): epochs where DL4J's loss and the reference's (plain-Java MLP \
                and SGD from the same initial parameters over the same minibatches) differ by more than 1e-7 of \
                the excess loss, summed over seeds; 0 means they agree to round-off (each epoch's difference is in \
                curves.csv, ref_rel_diff). final_gap below 1e-12 is written as 0: L - L* is then below the \
                precision of the loss.

                Regimes, from the measurements: **diverged** = the loss blew up (non-finite, or 100x its start) or \
                ended no lower than it started; **converged** = the final loss is at or below the target; \
                **oscillating** = not converged, and the loss rose in at least 20% of the epochs or the iterates \
                overshot in at least half the steps; **too-slow** = not converged, the loss fell steadily but not \
                far enough within the budget. For the digits MLP (a softmax classifier) the trainer's rule applies \
                too: """ + Trainer.DIVERGENCE_RULE + "\n\n");

        text.append("### Best learning rate per batch size\n\n");
        Table best = new Table("problem", "mode", "batch_size", "best_lr", "best_lr_ratio", "regime", "loss",
                "epochs_to_target", "first_diverging_lr_ratio");
        Map<String, List<Group>> byBatch = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            byBatch.computeIfAbsent(g.first().get("problem") + "|" + g.first().get("batch_size"),
                    k -> new ArrayList<>()).add(g);
        }
        for (List<Group> gs : byBatch.values()) {
            Group winner = winner(gs);
            Double firstDiverging = gs.stream().filter(Group::anyDiverged).map(g -> g.first().real("lr_ratio"))
                    .min(Double::compare).orElse(null);
            Cell c = gs.get(0).first();
            if (winner == null) {
                best.add(c.get("problem"), c.get("mode"), c.get("batch_size"), "-", "-", "every lr diverged", "-",
                        "-", firstDiverging);
                continue;
            }
            Cell w = winner.first();
            best.add(w.get("problem"), w.get("mode"), w.get("batch_size"), w.real("lr"), w.real("lr_ratio"),
                    winner.regime(), winner.rankLoss().pretty(), winner.stat("epochs_to_target").pretty(),
                    firstDiverging);
        }
        text.append(best.toMarkdown()).append('\n');
        text.append("Best, among the learning rates where no seed diverged: the fewest epochs to the target (every "
                + "seed reaching it), then the lowest mean final loss (excess loss for least squares). The grid is "
                + "coarse: for full-batch least squares the searches above give the best rate exactly.\n\n");
        return new Report(csv, text.toString(), false, figures(groups, results),
                LearningRateClaims.of(edges, bests, groups.values()));
    }

    /** The best of one batch size's groups (see {@link #better}) among those where no seed diverged; null if none. */
    static Group winner(List<Group> gs) {
        Group winner = null;
        for (Group g : gs) {
            if (!g.anyDiverged() && Double.isFinite(g.rankLoss().mean()) && (winner == null || better(g, winner))) {
                winner = g;
            }
        }
        return winner;
    }

    /**
     * Whether g beats the best so far: when both reached the target with every seed, fewer epochs to it (then the
     * lower final loss); one that reached it beats one that did not; otherwise the lower final loss.
     */
    static boolean better(Group g, Group best) {
        boolean all = g.reached() == g.results.size();
        boolean bestAll = best.reached() == best.results.size();
        if (all != bestAll) {
            return all;
        }
        if (all) {
            double e = g.stat("epochs_to_target").mean();
            double be = best.stat("epochs_to_target").mean();
            if (e != be) {
                return e < be;
            }
        }
        return g.rankLoss().mean() < best.rankLoss().mean();
    }

    private static double sum(Group g, String column) {
        return g.results.stream().mapToDouble(r -> r.number(column)).filter(Double::isFinite).sum();
    }

    private List<Figure> figures(Map<String, Group> groups, List<CellResult> results) {
        List<Figure> figures = new ArrayList<>();
        for (Problem p : problems.values()) {
            Map<String, List<Group>> byBatch = new LinkedHashMap<>();
            for (Group g : groups.values()) {
                if (g.first().get("problem").equals(p.name())) {
                    byBatch.computeIfAbsent(g.first().get("mode") + " (B=" + g.first().get("batch_size") + ")",
                            k -> new ArrayList<>()).add(g);
                }
            }
            List<Figure.Series> series = new ArrayList<>();
            byBatch.forEach((label, gs) -> {
                double[] x = gs.stream().mapToDouble(g -> g.first().real("lr_ratio")).toArray();
                double[] y = gs.stream().mapToDouble(g -> g.rankLoss().mean()).toArray();
                series.add(Figure.Series.line(label, x, y));
            });
            figures.add(new Figure.Lines("final-loss-vs-lr-" + p.name(), p.name() + ": final "
                    + (p.linear() ? "relative excess loss" : "training loss") + " vs lr / lr_crit",
                    "lr / lr_crit (log)", p.linear() ? "(L - L*) / (L0 - L*) (log)" : "training loss (log)", true,
                    true, series));
            // loss curves of full-batch runs (first seed) at a few learning rates
            List<Figure.Series> curves = new ArrayList<>();
            String firstSeed = String.valueOf(Harness.seeds(spec).get(0));
            List<CellResult> full = results.stream().filter(r -> r.cell().get("task").equals(SWEEP)
                    && r.cell().get("problem").equals(p.name()) && r.cell().get("mode").equals(GdMode.BATCH)
                    && r.cell().get("seed").equals(firstSeed)).toList();
            for (CellResult r : pick(full)) {
                double[] x = r.curve().stream().mapToDouble(q -> ((Number) q.get(0)).doubleValue()).toArray();
                double[] y = r.curve().stream().mapToDouble(q -> q.get(p.linear() ? 3 : 2) == null ? Double.NaN
                        : ((Number) q.get(p.linear() ? 3 : 2)).doubleValue()).toArray();
                curves.add(Figure.Series.line("lr = " + r.cell().get("lr_ratio") + " x lr_crit", x, y));
            }
            if (!curves.isEmpty()) {
                figures.add(new Figure.Lines("loss-curves-" + p.name(), p.name() + ": full-batch loss per step",
                        "step", p.linear() ? "(L - L*) / (L0 - L*) (log)" : "training loss (log)", false, true,
                        curves));
            }
        }
        return figures;
    }

    /** Up to six runs spread over the learning rates: the ones nearest 1e-3, 0.1, 0.5, 0.9, 1.05, 3 x lr_crit. */
    private static List<CellResult> pick(List<CellResult> runs) {
        List<CellResult> picked = new ArrayList<>();
        for (double want : new double[]{1e-3, 0.1, 0.5, 0.9, 1.05, 3}) {
            runs.stream().min((a, b) -> Double.compare(Math.abs(Math.log(a.cell().real("lr_ratio") / want)),
                    Math.abs(Math.log(b.cell().real("lr_ratio") / want)))).filter(r -> !picked.contains(r))
                    .ifPresent(picked::add);
        }
        picked.sort((a, b) -> Double.compare(a.cell().real("lr_ratio"), b.cell().real("lr_ratio")));
        return picked;
    }
}
