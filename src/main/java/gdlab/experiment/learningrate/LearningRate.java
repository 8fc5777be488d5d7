package gdlab.experiment.learningrate;

import gdlab.data.Datasets;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.GdMode;
import gdlab.experiment.Keys;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Theory;
import gdlab.report.Csv;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.Stackable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

import static gdlab.experiment.learningrate.Measures.DIVERGED;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * Learning rate: too small, too large, and where the edge is. Plain gradient descent (DL4J's Sgd) on three problems
 * ({@link Problem}): linear least squares with a chosen Hessian spectrum ({@code quadratic}), least squares on the
 * data ({@code linear}: the digits by default, or the user's CSV or IDX files, {@link ProblemData}), both a DL4J
 * one-layer identity network with MSE, and the MLP on the data ({@code mlp}, class labels only). The learning rate
 * is swept as a multiple of the critical rate 2 / lambda_max, over batch modes.
 *
 * <p>Besides the sweep, two searches measure what theory predicts for full-batch GD on least squares: the divergence
 * edge ({@link EdgeSearch}: doubling, then bisection on "the loss grows over the second half of the run") and, on
 * the synthetic quadratic, the learning rate with the fastest measured convergence rate ({@link RateSearch}: a scan,
 * then golden-section search). Neither search is told the prediction; the reference (plain-Java MLP and SGD from the
 * same start) repeats both.
 */
public final class LearningRate implements Experiment, Stackable {
    static final String SWEEP = "sweep";
    static final String EDGE = "edge";
    static final String BEST_LR = "best-lr";

    /** final_gap (loss minus the least-squares minimum) is a subtraction: below 1e-12 x the loss it is rounding. */
    static final List<Metric> DECLARED = List.of(measure("lr_crit"), measure("initial_loss"), measure("final_loss"),
            measure("final_gap", Metric.Bound.relativeTo("final_loss", 1e-12)), setting("target_loss"),
            measure("epochs_run"), setting("updates_per_epoch"), measure("epochs_to_target"),
            measure("updates_to_target"), measure("loss_up_share"), measure("overshoot_share"), outcome("regime"),
            measure("ref_mismatch_epochs"), measure("predicted_lr"), measure("measured_lr"), measure("reference_lr"),
            measure("measured_to_predicted"), measure("predicted_rate"), measure("measured_rate"),
            measure("reference_rate"), measure("search_runs"), timing("train_time_ms"));
    static final List<String> SWEEP_ONLY = List.of("initial_loss", "final_loss", "final_gap", "target_loss",
            "epochs_run", "updates_per_epoch", "epochs_to_target", "updates_to_target", "loss_up_share",
            "overshoot_share", "regime", "ref_mismatch_epochs");
    static final List<String> SEARCH_ONLY = List.of("predicted_lr", "measured_lr", "reference_lr",
            "measured_to_predicted", "predicted_rate", "measured_rate", "reference_rate", "search_runs");
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
    /** The data of linear and mlp (null when the run has neither). */
    private ProblemData data;

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
                Param.choice("problem", Problem.NAMES, true, "quadratic (synthetic least squares), linear (least "
                        + "squares on the data), mlp (the softmax MLP on the data; class labels only)"),
                Datasets.param(),
                Datasets.labelParam(),
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
                        "seed of the synthetic data and of the data's shuffle"),
                Keys.maxExamples("use only this many examples of the data (0 = all)"),
                Keys.hidden("hidden units of the MLP"),
                Keys.activation("hidden activation of the MLP"),
                Keys.dtype("ND4J data type"),
                Param.integer("max_epochs_batch", 1, 1_000_000, false, "epochs (= steps) of full-batch runs"),
                Param.integer("max_epochs_mini_batch", 1, 1_000_000, false, "epochs of mini-batch runs"),
                Param.integer("max_epochs_stochastic", 1, 1_000_000, false, "epochs of stochastic runs"),
                Param.realIn("target_gap", 1e-15, 0.999, false,
                        "least squares: target of the relative excess loss (L - L*) / (L0 - L*)"),
                Param.real("target_loss", 0, false, "MLP: training loss that counts as converged"),
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
        this.dtype = gdlab.dl4j.Networks.dtype(spec.string("dtype"));
        List<Long> seeds = Harness.seeds(spec);
        List<String> kinds = new ArrayList<>(new LinkedHashSet<>(spec.list("problem")));
        if (kinds.contains(Problem.LINEAR) || kinds.contains(Problem.MLP)) {
            data = ProblemData.load(spec);
            if (data.continuous() && kinds.remove(Problem.MLP) && !kinds.contains(Problem.LINEAR)) {
                throw new BadInputException("data " + spec.string("data") + ": " + data.labelSource()
                        + " is continuous, so only problem linear (least squares) can use it, and problem = "
                        + String.join(", ", spec.list("problem")) + " does not name it (mlp is a classifier); "
                        + "allowed with a continuous label: quadratic, linear");
            }
        }
        for (String kind : kinds) {
            Problem p = Problem.build(kind, spec, data, seeds.get(0), dtype);
            problems.put(p.name(), p);
        }
        List<Cell> cells = new ArrayList<>();
        // the searches first: each is one long sequential cell, so they start while the sweep fills the workers
        for (Problem p : problems.values()) {
            if (p.linear()) {
                cells.add(cell(cells.size(), p, EDGE, p.n(), "", "", seeds.get(0)));
                if (p.name().equals(Problem.QUADRATIC)) {
                    cells.add(cell(cells.size(), p, BEST_LR, p.n(), "", "", seeds.get(0)));
                }
            }
        }
        for (Problem p : problems.values()) {
            for (String raw : new LinkedHashSet<>(spec.list("batch_size"))) {
                int b = raw.equals("full") ? p.n() : Integer.parseInt(raw);
                if (b > p.n()) {
                    throw new BadInputException("bad value '" + raw + "' for batch_size: larger than the " + p.n()
                            + " training examples of " + p.name() + "; allowed: 1, full, or an integer from 2 to "
                            + p.n());
                }
                for (double ratio : new TreeSet<>(spec.reals("lr_ratio"))) {
                    for (long seed : seeds) {
                        cells.add(cell(cells.size(), p, SWEEP, b, Csv.format(ratio), Csv.format(ratio * p.lrCrit()),
                                seed));
                    }
                }
            }
        }
        return cells;
    }

    private static Cell cell(int index, Problem p, String task, int batch, String ratio, String lr, long seed) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("problem", p.name());
        c.put("task", task);
        c.put("mode", GdMode.of(batch, p.n()));
        c.put("batch_size", String.valueOf(batch));
        c.put("lr_ratio", ratio);
        c.put("lr", lr);
        c.put("seed", String.valueOf(seed));
        return new Cell(index, c);
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

    @Override
    public String stackKey(Cell cell) {
        return StackedSweep.key(cell, problems.get(cell.get("problem")));
    }

    @Override
    public void runStacked(List<Cell> cells, Consumer<CellResult> onFinished) {
        new StackedSweep(this, problems.get(cells.get(0).get("problem")), dtype).run(cells, onFinished);
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new LearningRateSummary(spec, problems.values(), data).report(results);
    }

    // ---------------------------------------------------------------------------------------------- the sweep

    private CellResult sweep(Cell cell, Problem p) {
        Start s = start(cell, p);
        int b = cell.integer("batch_size");
        long seed = cell.longValue("seed");
        INDArray x = Tensors.matrix(p.x(), dtype);
        INDArray y = Tensors.matrix(p.y(), dtype);
        // full-batch least squares: the error's component along the top eigenvector, before and after each step
        List<Double> top = tracksTop(p, b) ? new ArrayList<>(List.of(p.ls().component(s.init(), p.top()))) : null;
        Trainer.EpochHook hook = top != null ? e -> {
            top.add(p.ls().component(Tensors.toDoubles(s.net().params()), p.top()));
            return false;
        } : null;
        Trainer.Options options = new Trainer.Options(b, s.maxEpochs(), 0, s.target(), seed, Trainer.Order.SHUFFLED);
        // the classifier's divergence rule for the softmax MLP; none for least squares
        Trainer.Outcome t = Trainer.train(s.net(), x, y, p.linear() ? options : options.classifier(p.y()[0].length),
                hook);
        return measured(cell, p, s, t, top);
    }

    /** A sweep cell's DL4J network as built for its seed, its parameters, initial loss, target and epoch budget. */
    record Start(MultiLayerNetwork net, double[] init, double l0, double target, int maxEpochs) {
    }

    Start start(Cell cell, Problem p) {
        MultiLayerNetwork net = p.network(cell.real("lr"), cell.longValue("seed"), dtype);
        double l0 = net.score(new DataSet(Tensors.matrix(p.x(), dtype), Tensors.matrix(p.y(), dtype)));
        double target = p.linear() ? p.lossStar() + spec.real("target_gap") * (l0 - p.lossStar())
                : spec.real("target_loss");
        return new Start(net, Tensors.toDoubles(net.params()), l0, target,
                spec.integer("max_epochs_" + cell.get("mode").replace('-', '_')));
    }

    static boolean tracksTop(Problem p, int batch) {
        return p.linear() && batch == p.n();
    }

    /** The measures of a trained sweep cell; {@code top} is the top-eigenvector component per epoch, or null. */
    CellResult measured(Cell cell, Problem p, Start s, Trainer.Outcome t, List<Double> top) {
        double lr = cell.real("lr");
        int b = cell.integer("batch_size");
        long seed = cell.longValue("seed");
        double[] init = s.init();
        double l0 = s.l0();
        double target = s.target();
        boolean trackTop = top != null;
        double[] losses = Measures.losses(t);
        if (trackTop && top.size() < losses.length) {
            // the trainer stops at a blow-up before the hook sees that step: count its overshoot too
            top.add(p.ls().component(Tensors.toDoubles(s.net().params()), p.top()));
        }
        double scale = p.linear() ? l0 - p.lossStar() : 1;
        double floor = p.linear() ? p.lossStar() : 0;
        double upShare = Measures.upShare(losses, floor, scale);
        Double overshoot = trackTop ? Measures.signAlternation(top) : null;
        String regime = Measures.regime(t.status() == Trainer.Status.DIVERGED, t.finalLoss(), l0, target, upShare,
                overshoot == null ? 0 : overshoot);
        Double[] refDiffs = new Double[losses.length];
        Integer mismatches = p.linear() ? mismatches(p, lr, init, b, seed, losses, floor, scale, refDiffs) : null;

        List<List<Object>> curve = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            curve.add(Arrays.asList(i, (long) i * t.updatesPerEpoch(), losses[i],
                    p.linear() ? (losses[i] - floor) / scale : null, trackTop && i < top.size() ? top.get(i) : null,
                    refDiffs[i]));
        }
        Map<String, Object> m = values(SEARCH_ONLY).put("lr_crit", p.lrCrit()).put("initial_loss", l0)
                .put("final_loss", t.finalLoss())
                .put("final_gap", p.linear() ? Measures.gapOrZero((t.finalLoss() - floor) / scale) : null)
                .put("target_loss", target).put("epochs_run", t.epochs().size())
                .put("updates_per_epoch", t.updatesPerEpoch()).put("epochs_to_target", t.epochsToTarget())
                .put("updates_to_target", t.updatesToTarget()).put("loss_up_share", upShare)
                .put("overshoot_share", overshoot).put("regime", regime).put("ref_mismatch_epochs", mismatches)
                .put("train_time_ms", t.trainingMs()).map();
        boolean diverged = regime.equals(DIVERGED);
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? (t.status() == Trainer.Status.DIVERGED ? t.stopReason() : "final loss above the initial")
                        : "", m, curve);
    }

    /**
     * The same run in the reference, epoch by epoch: how many epochs' losses differ from DL4J's by more than
     * {@link #REF_TOLERANCE} of the excess loss; each epoch's difference goes to {@code refDiffs}.
     */
    private static int mismatches(Problem p, double lr, double[] init, int b, long seed, double[] losses,
                                  double floor, double scale, Double[] refDiffs) {
        ReferenceTrainer ref = new ReferenceTrainer(p.ref(), new gdlab.reference.Sgd(lr), init, p.x(), p.y(), b,
                Ordering.shuffled(seed));
        int mismatches = 0;
        for (int i = 1; i < losses.length; i++) {
            double r = ref.finishEpoch().trainLoss();
            // compared while the excess loss is above round-off (1e-8 of its start)
            if (Double.isFinite(r) && Double.isFinite(losses[i]) && Math.abs(r) < 1e100 && r - floor > 1e-8 * scale) {
                refDiffs[i] = Math.abs(losses[i] - r) / (r - floor);
                mismatches += refDiffs[i] > REF_TOLERANCE ? 1 : 0;
            }
        }
        return mismatches;
    }

    // ------------------------------------------------------------------------------------ the searches

    /**
     * A full-batch run of {@code steps} steps from {@code start} (null: the network's own initialisation): the loss
     * at the start and after each step; it stops once the relative excess loss is at most {@code stopGap}.
     */
    private double[] dl4jRun(Problem p, double[] start, double lr, long seed, int steps, double stopGap) {
        MultiLayerNetwork net = p.network(lr, seed, dtype);
        if (start != null) {
            net.setParams(Nd4j.create(start).reshape(1, start.length).castTo(dtype));
        }
        INDArray x = Tensors.matrix(p.x(), dtype);
        INDArray y = Tensors.matrix(p.y(), dtype);
        double stopAt = p.lossStar() + stopGap * (net.score(new DataSet(x, y)) - p.lossStar());
        Trainer.Outcome t = Trainer.train(net, x, y,
                new Trainer.Options(p.n(), steps, 0, Double.NaN, seed, Trainer.Order.AS_GIVEN),
                e -> e.trainLoss() <= stopAt);
        double[] losses = Measures.losses(t);
        if (t.status() == Trainer.Status.DIVERGED) {
            losses[losses.length - 1] = Double.POSITIVE_INFINITY;
        }
        return losses;
    }

    /** The same run in the reference: plain-Java MLP and SGD from the same start (DL4J's initial parameters). */
    private static double[] referenceRun(Problem p, double[] init, double lr, int steps, double stopGap) {
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

    /** A cell's metrics, with no value for {@code absent} (the other task's). */
    private static Metric.Values values(List<String> absent) {
        Metric.Values v = Metric.values(DECLARED);
        absent.forEach(name -> v.put(name, null));
        return v;
    }

    private CellResult edge(Cell cell, Problem p) {
        long seed = cell.longValue("seed");
        int steps = spec.integer("edge_iterations");
        double tol = spec.real("edge_tolerance");
        double[] init = Tensors.toDoubles(p.network(1, seed, dtype).params());
        long t0 = System.nanoTime();
        EdgeSearch dl4j = EdgeSearch.of(lr -> Measures.unstable(dl4jRun(p, null, lr, seed, steps, 1e-12),
                p.lossStar()), tol);
        double ms = (System.nanoTime() - t0) / 1e6;
        EdgeSearch ref = EdgeSearch.of(lr -> Measures.unstable(referenceRun(p, init, lr, steps, 1e-12),
                p.lossStar()), tol);
        Map<String, Object> m = values(SWEEP_ONLY).put("lr_crit", p.lrCrit()).put("predicted_lr", p.lrCrit())
                .put("measured_lr", dl4j.edge()).put("reference_lr", ref.edge())
                .put("measured_to_predicted", dl4j.edge() / p.lrCrit()).put("predicted_rate", null)
                .put("measured_rate", null).put("reference_rate", null)
                .put("search_runs", dl4j.runs()).put("train_time_ms", ms).map();
        return new CellResult(cell, CellResult.Status.OK, String.format(Locale.ROOT, "bracket [%s, %s]",
                Table.readable(dl4j.lo()), Table.readable(dl4j.hi())), m, List.of());
    }

    private CellResult bestLr(Cell cell, Problem p) {
        long seed = cell.longValue("seed");
        int steps = spec.integer("best_lr_iterations");
        int evaluations = spec.integer("best_lr_evaluations");
        double[] start = Measures.worstStart(p.ls());
        long t0 = System.nanoTime();
        RateSearch dl4j = RateSearch.of(lr -> Measures.measuredRate(dl4jRun(p, start, lr, seed, steps, 1e-10),
                p.lossStar()), evaluations);
        double ms = (System.nanoTime() - t0) / 1e6;
        RateSearch ref = RateSearch.of(lr -> Measures.measuredRate(referenceRun(p, start, lr, steps, 1e-10),
                p.lossStar()), evaluations);
        Map<String, Object> m = values(SWEEP_ONLY).put("lr_crit", p.lrCrit()).put("predicted_lr", p.lrOptimal())
                .put("measured_lr", dl4j.lr()).put("reference_lr", ref.lr())
                .put("measured_to_predicted", dl4j.lr() / p.lrOptimal())
                .put("predicted_rate", Theory.gradientDescentRate(p.lambda() / p.lambdaMin()))
                .put("measured_rate", dl4j.rate()).put("reference_rate", ref.rate()).put("search_runs", dl4j.runs())
                .put("train_time_ms", ms).map();
        return new CellResult(cell, CellResult.Status.OK, "", m, List.of());
    }
}
