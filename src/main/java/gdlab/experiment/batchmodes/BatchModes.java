package gdlab.experiment.batchmodes;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.GdMode;
import gdlab.experiment.Keys;
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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * Batch vs stochastic vs mini-batch gradient descent: the same MLP and plain SGD, trained with B = N, B = 1 and
 * 1 < B < N, each mode at its own learning rate, over several seeds. Everything in the table is measured.
 */
public final class BatchModes implements Experiment {
    /** Settings describe the cell (how many examples, updates and bytes); the rest are what it measured. */
    static final List<Metric> DECLARED = List.of(setting("n_train"), setting("updates_per_epoch"),
            measure("epochs_run"), timing("epoch_time_ms"), measure("epochs_to_target"), measure("updates_to_target"),
            timing("time_to_target_ms"), measure("final_train_loss"), measure("test_accuracy"),
            measure("loss_noise_std"), measure("loss_noise_cv"), measure("loss_rises"),
            setting("activation_bytes"), measure("tuned_lr_ratio"), measure("curve_tries"));
    /** The part of the main comparison's cells; the curve's are {@link BatchCurve#PART}. */
    static final String MODES = "modes";
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "minibatch_loss_std",
            "epoch_time_ms");

    private Spec spec;
    private Split split;
    private DataType dtype;
    private ModeRates rates;
    private INDArray x;
    private INDArray y;
    private INDArray testX;

    @Override
    public String name() {
        return "batch-modes";
    }

    @Override
    public String question() {
        return "How do batch, stochastic and mini-batch gradient descent differ (updates, noise, memory, speed)?";
    }

    @Override
    public List<Param> params() {
        List<Param> params = new ArrayList<>(List.of(
                Datasets.param(),
                Datasets.labelParam(),
                Keys.testFraction("share of examples held out for test accuracy"),
                Keys.splitSeed("seed of the train/test split"),
                Keys.maxExamples("use only this many examples (0 = all)"),
                Keys.hidden("units in the hidden layer"),
                Keys.activation("hidden-layer activation"),
                Keys.dtype("ND4J data type"),
                new Param("batch_size", "1, full, or an integer >= 2 (at most the number of training examples)",
                        s -> s.equals("full") || s.matches("[1-9][0-9]{0,8}"), true,
                        "the sweep axis: 1 = stochastic, full = batch, between = mini-batch"),
                Param.integer("max_epochs", 1, 1_000_000, false, "epochs each cell trains"),
                Param.realIn("max_seconds", 0, 1e9, false, "wall-time budget per cell's updates (0 = none)"),
                Param.real("target_loss", 0, false, "training loss that counts as reached")));
        params.addAll(ModeRates.params());
        params.addAll(BatchCurve.params());
        return params;
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
        this.split = Split.of(Datasets.load(spec), spec.real("test_fraction"), spec.longValue("split_seed"),
                spec.integer("max_examples"));
        // built once and only read by the cells: a large set is held once in native memory, not once per cell
        this.x = Tensors.matrix(split.train().features(), dtype);
        this.y = Tensors.oneHot(split.train().labels(), split.train().numClasses(), dtype);
        this.testX = split.test().size() == 0 ? null : Tensors.matrix(split.test().features(), dtype);
        int n = split.train().size();
        List<Long> seeds = Harness.seeds(spec);
        this.rates = ModeRates.measure(spec, split.train(), sizes(), seeds.get(0), dtype);
        List<Cell> cells = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        for (String raw : spec.list("batch_size")) {
            int b = raw.equals("full") ? n : Integer.parseInt(raw);
            if (b > n) {
                throw new BadInputException("bad value '" + raw + "' for batch_size: larger than the " + n
                        + " training examples; allowed: 1, full, or an integer from 2 to " + n);
            }
            String mode = GdMode.of(b, n);
            modes.add(mode);
            for (long seed : seeds) {
                Map<String, String> coords = new LinkedHashMap<>();
                coords.put("part", MODES);
                coords.put("mode", mode);
                coords.put("batch_size", String.valueOf(b));
                coords.put("lr_ratio", Table.readable(rates.ratio(mode)));
                coords.put("lr", Table.readable(rates.lr(mode)));
                coords.put("seed", String.valueOf(seed));
                cells.add(new Cell(cells.size(), coords));
            }
        }
        cells.addAll(BatchCurve.cells(spec, n, seeds, cells.size()));
        if (!spec.bool(Harness.QUIET)) {
            System.err.println("batch-modes: " + rates.describe(modes));
        }
        return cells;
    }

    /** lambda_max, lr_crit and each mode's absolute learning rate and ratio, for run.json. */
    @Override
    public Map<String, Object> facts() {
        return rates == null ? Map.of() : rates.facts(spec.list("batch_size").stream().map(raw -> GdMode.of(
                raw.equals("full") ? split.train().size() : Integer.parseInt(raw), split.train().size())).toList());
    }

    /** Inputs, hidden units, classes. */
    private int[] sizes() {
        return new int[]{split.train().numFeatures(), spec.integer("hidden"), split.train().numClasses()};
    }

    @Override
    public CellResult run(Cell cell) {
        if (cell.get("part").equals(BatchCurve.PART)) {
            return BatchCurve.run(cell, spec, rates, sizes(), x, y, dtype, DECLARED);
        }
        Dataset train = split.train();
        int b = cell.integer("batch_size");
        long seed = cell.longValue("seed");
        int[] sizes = sizes();
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"),
                Optimizers.updater("sgd", cell.real("lr")), seed, dtype);
        // a cell stops at the epoch it reaches the target: every mode's measures are then taken at the same loss
        double target = spec.real("target_loss");
        Trainer.Outcome t = Trainer.train(net, x, y, new Trainer.Options(b, spec.integer("max_epochs"),
                spec.real("max_seconds"), target, seed, Trainer.Order.SHUFFLED)
                .classifier(train.numClasses()), e -> e.trainLoss() <= target);

        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0, 0L, t.initialLoss(), 0.0, 0.0));
        for (Trainer.Epoch e : t.epochs()) {
            curve.add(List.of(e.epoch(), e.updates(), e.trainLoss(), e.minibatchLossStd(), e.epochMs()));
        }
        Trainer.Epoch last = t.last();
        Map<String, Object> metrics = Metric.values(DECLARED)
                .put("n_train", train.size())
                .put("updates_per_epoch", t.updatesPerEpoch())
                .put("epochs_run", t.epochs().size())
                .put("epoch_time_ms", median(t.epochs().stream().mapToDouble(Trainer.Epoch::epochMs).toArray()))
                .put("epochs_to_target", t.epochsToTarget())
                .put("updates_to_target", t.updatesToTarget())
                .put("time_to_target_ms", t.msToTarget())
                .put("final_train_loss", t.finalLoss())
                .put("test_accuracy", testX == null ? Double.NaN : Tensors.accuracy(net.output(testX),
                        split.test().labels()))
                .put("loss_noise_std", b == train.size() ? Double.NaN : last.minibatchLossStd())
                .put("loss_noise_cv", b == train.size() ? Double.NaN
                        : last.minibatchLossStd() / last.minibatchLossMean())
                .put("loss_rises", rises(t))
                .put("activation_bytes", (long) b * Arrays.stream(sizes).sum() * dtype.width())
                .put("tuned_lr_ratio", null)
                .put("curve_tries", null)
                .map();
        boolean diverged = t.status() == Trainer.Status.DIVERGED;
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : "", metrics, curve);
    }

    /** How many epochs ended with a higher training loss than the one before (the first: than the initial loss). */
    static int rises(Trainer.Outcome t) {
        int rises = 0;
        double before = t.initialLoss();
        for (Trainer.Epoch e : t.epochs()) {
            rises += e.trainLoss() > before ? 1 : 0;
            before = e.trainLoss();
        }
        return rises;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new BatchModesReport(spec, split, dtype, rates).summarize(results);
    }
}
