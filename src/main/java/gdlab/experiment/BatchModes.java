package gdlab.experiment;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * Batch vs stochastic vs mini-batch gradient descent: the same MLP and plain SGD, trained with B = N, B = 1 and
 * 1 < B < N, each mode at its own learning rate, over several seeds. Everything in the table is measured.
 */
public final class BatchModes implements Experiment {
    static final String BATCH = GdMode.BATCH;
    static final String STOCHASTIC = GdMode.STOCHASTIC;
    static final String MINI_BATCH = GdMode.MINI_BATCH;

    /** Settings describe the cell (how many examples, updates and bytes); the rest are what it measured. */
    static final List<Metric> DECLARED = List.of(setting("n_train"), setting("updates_per_epoch"),
            measure("epochs_run"), timing("epoch_time_ms"), measure("epochs_to_target"), measure("updates_to_target"),
            timing("time_to_target_ms"), measure("final_train_loss"), measure("test_accuracy"),
            measure("loss_noise_std"), measure("loss_noise_cv"), setting("activation_bytes"));
    static final List<String> METRICS = Metric.names(DECLARED);
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "minibatch_loss_std",
            "epoch_time_ms");

    private Spec spec;
    private Split split;
    private DataType dtype;

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
        return List.of(
                Datasets.param(),
                Datasets.labelParam(),
                Param.realIn("test_fraction", 0.0, 0.9, false, "share of examples held out for test accuracy"),
                Param.integer("split_seed", 0, Integer.MAX_VALUE, false, "seed of the train/test split"),
                Param.integer("max_examples", 0, Integer.MAX_VALUE, false,
                        "use only this many examples (0 = all)"),
                Param.integer("hidden", 1, 4096, false, "units in the hidden layer"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "hidden-layer activation"),
                Param.choice("dtype", Networks.DTYPES, false, "ND4J data type"),
                new Param("batch_size", "1, full, or an integer >= 2 (at most the number of training examples)",
                        s -> s.equals("full") || s.matches("[1-9][0-9]{0,8}"), true,
                        "the sweep axis: 1 = stochastic, full = batch, between = mini-batch"),
                Param.real("lr_batch", 0, false, "learning rate for batch mode"),
                Param.real("lr_stochastic", 0, false, "learning rate for stochastic mode"),
                Param.real("lr_mini_batch", 0, false, "learning rate for mini-batch mode"),
                Param.integer("max_epochs", 1, 1_000_000, false, "epochs each cell trains"),
                Param.realIn("max_seconds", 0, 1e9, false, "wall-time budget per cell's updates (0 = none)"),
                Param.real("target_loss", 0, false, "training loss that counts as reached"));
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
        Dataset data = Datasets.load(spec);
        this.split = Split.of(data, spec.real("test_fraction"), spec.longValue("split_seed"),
                spec.integer("max_examples"));
        int n = split.train().size();
        List<Cell> cells = new ArrayList<>();
        for (String raw : spec.list("batch_size")) {
            int b = raw.equals("full") ? n : Integer.parseInt(raw);
            if (b > n) {
                throw new BadInputException("bad value '" + raw + "' for batch_size: larger than the " + n
                        + " training examples; allowed: 1, full, or an integer from 2 to " + n);
            }
            String mode = GdMode.of(b, n);
            for (long seed : Harness.seeds(spec)) {
                Map<String, String> coords = new LinkedHashMap<>();
                coords.put("mode", mode);
                coords.put("batch_size", String.valueOf(b));
                coords.put("lr", spec.string(lrKey(mode)));
                coords.put("seed", String.valueOf(seed));
                cells.add(new Cell(cells.size(), coords));
            }
        }
        return cells;
    }

    static String lrKey(String mode) {
        return "lr_" + mode.replace('-', '_');
    }

    @Override
    public CellResult run(Cell cell) {
        Dataset train = split.train();
        int n = train.size();
        int b = cell.integer("batch_size");
        long seed = cell.longValue("seed");
        int maxEpochs = spec.integer("max_epochs");
        double target = spec.real("target_loss");
        int[] sizes = {train.numFeatures(), spec.integer("hidden"), train.numClasses()};
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"),
                Optimizers.updater("sgd", cell.real("lr")), seed, dtype);
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        Trainer.Outcome t = Trainer.train(net, x, y, new Trainer.Options(b, maxEpochs, spec.real("max_seconds"),
                target, seed, Trainer.Order.SHUFFLED).classifier(train.numClasses()), null);

        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0, 0L, t.initialLoss(), 0.0, 0.0));
        for (Trainer.Epoch e : t.epochs()) {
            curve.add(List.of(e.epoch(), e.updates(), e.trainLoss(), e.minibatchLossStd(), e.epochMs()));
        }
        Trainer.Epoch last = t.last();
        double testAccuracy = split.test().size() == 0 ? Double.NaN
                : Tensors.accuracy(net.output(Tensors.matrix(split.test().features(), dtype)), split.test().labels());
        long activationBytes = (long) b * Arrays.stream(sizes).sum() * dtype.width();
        List<Object> metrics = Arrays.asList(n, t.updatesPerEpoch(), t.epochs().size(),
                median(t.epochs().stream().mapToDouble(Trainer.Epoch::epochMs).toArray()), t.epochsToTarget(),
                t.updatesToTarget(), t.msToTarget(), t.finalLoss(), testAccuracy, last.minibatchLossStd(),
                last.minibatchLossStd() / last.minibatchLossMean(), activationBytes);
        boolean diverged = t.status() == Trainer.Status.DIVERGED;
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : "", Metric.inOrder(DECLARED, metrics), curve);
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
        Map<String, List<CellResult>> groups = new LinkedHashMap<>();
        for (CellResult r : results) {
            groups.computeIfAbsent(r.cell().get("mode") + "|" + r.cell().get("batch_size"), k -> new ArrayList<>())
                    .add(r);
        }
        Table csv = new Table("mode", "batch_size", "lr", "seeds", "diverged", "updates_per_epoch",
                "epoch_time_ms_mean", "epoch_time_ms_std", "epochs_to_target_mean", "epochs_to_target_std",
                "epochs_to_target_ci95", "reached_target", "updates_to_target_mean", "time_to_target_ms_mean",
                "time_to_target_ms_std", "final_train_loss_mean", "final_train_loss_std", "final_train_loss_ci95",
                "test_accuracy_mean", "test_accuracy_std", "test_accuracy_ci95",
                "loss_noise_std_mean", "loss_noise_std_std", "loss_noise_cv_mean", "loss_noise_cv_std",
                "activation_bytes");
        Table md = new Table("mode", "batch_size", "lr", "updates_per_epoch", "epoch_time_ms", "epochs_to_target",
                "updates_to_target", "time_to_target_ms", "final_train_loss", "test_accuracy", "loss_noise_std",
                "loss_noise_cv", "activation_bytes");
        Map<String, GroupStats> byMode = new LinkedHashMap<>();
        int nTrain = split.train().size();
        for (List<CellResult> g : groups.values()) {
            Cell first = g.get(0).cell();
            GroupStats s = new GroupStats(g);
            byMode.putIfAbsent(first.get("mode"), s);
            long diverged = g.stream().filter(r -> r.status() != CellResult.Status.OK).count();
            String reached = s.reached + "/" + g.size();
            csv.add(first.get("mode"), first.integer("batch_size"), first.real("lr"), g.size(), diverged,
                    s.updatesPerEpoch, s.epochMs.mean(), s.epochMs.std(), s.epochsToTarget.mean(),
                    s.epochsToTarget.std(), s.epochsToTarget.ci95(), s.reached, s.updatesToTarget.mean(),
                    s.timeToTarget.mean(), s.timeToTarget.std(), s.finalLoss.mean(), s.finalLoss.std(),
                    s.finalLoss.ci95(), s.testAccuracy.mean(), s.testAccuracy.std(), s.testAccuracy.ci95(), s.noise.mean(), s.noise.std(), s.noiseCv.mean(), s.noiseCv.std(),
                    s.activationBytes);
            md.add(first.get("mode"), first.get("batch_size"), first.get("lr"), s.updatesPerEpoch, s.epochMs.pretty(),
                    (s.reached == 0 ? "not reached (0/" + g.size() : s.epochsToTarget.pretty() + " (" + reached)
                            + (diverged > 0 ? ", " + diverged + " diverged)" : ")"),
                    s.reached == 0 ? "-" : s.updatesToTarget.pretty(), s.reached == 0 ? "-" : s.timeToTarget.pretty(),
                    s.finalLoss.pretty(), s.testAccuracy.pretty(), s.noise.pretty(), s.noiseCv.pretty(),
                    s.activationBytes);
        }

        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Data: %s, %d training / %d test examples; MLP %d-%s-%d (%s), "
                        + "plain SGD, %s, %d epochs per cell, target training loss %s; mean ± std over %d seeds.%n%n",
                spec.string("data"), nTrain, split.test().size(), split.train().numFeatures(), spec.string("hidden"),
                split.train().numClasses(), spec.string("activation"), spec.string("dtype"),
                spec.integer("max_epochs"), spec.string("target_loss"), Harness.seeds(spec).size()));
        text.append(md.toMarkdown()).append('\n');
        text.append("""
                Columns: epoch_time_ms is the median wall time of one epoch's updates (first epochs include JIT \
                warm-up); *_to_target count whole epochs until the training loss, evaluated at each epoch's end, \
                is at most the target (k/n = seeds that reached it); loss_noise_std is the standard deviation of \
                the minibatch losses within the last epoch and loss_noise_cv the same divided by their mean (relative \
                noise: the absolute spread shrinks as a run's loss falls, so runs that reached different losses \
                compare by this one); activation_bytes = batch size x (inputs + hidden + \
                outputs) x bytes per value, the activations one step holds. %s

                """.formatted(Trainer.DIVERGENCE_RULE));
        text.append("### The textbook table, measured\n\n");
        Table textbook = new Table("mode", "textbook_batch_size", "measured_batch_size", "textbook_updates_per_epoch",
                "measured_updates_per_epoch", "agree");
        List<BatchModesClaims.Group> claimGroups = groups.values().stream().map(BatchModesClaims.Group::of).toList();
        for (BatchModesClaims.Group g : claimGroups) {
            BatchModesClaims.TextbookRow row = BatchModesClaims.TextbookRow.of(g, nTrain);
            textbook.add(g.mode(), row.textbookB(), g.batchSize(), row.textbookUpdates(),
                    row.agree() == null ? "-" : row.measuredUpdates(),
                    row.agree() == null ? "- (no cell trained)" : row.agree() ? "yes" : "NO");
        }
        text.append(textbook.toMarkdown()).append('\n');
        long bytesPerExample = (long) (split.train().numFeatures() + spec.integer("hidden")
                + split.train().numClasses()) * dtype.width();
        return new Report(csv, text.toString(), false, figures(groups, byMode),
                BatchModesClaims.of(claimGroups, nTrain, spec.integer("max_epochs"), bytesPerExample));
    }

    /** Training loss per epoch and per update (mean over seeds, min..max band), and time to target per mode. */
    private static List<Figure> figures(Map<String, List<CellResult>> groups, Map<String, GroupStats> byMode) {
        List<Figure.Series> perEpoch = new ArrayList<>();
        List<Figure.Series> perUpdate = new ArrayList<>();
        for (List<CellResult> g : groups.values()) {
            String label = g.get(0).cell().get("mode") + " (B=" + g.get(0).cell().get("batch_size") + ")";
            List<double[]> epochs = new ArrayList<>();
            List<double[]> updates = new ArrayList<>();
            List<double[]> losses = new ArrayList<>();
            for (CellResult r : g) {
                epochs.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(0)).doubleValue()).toArray());
                updates.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(1)).doubleValue()).toArray());
                losses.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(2)).doubleValue()).toArray());
            }
            perEpoch.add(Figure.Series.overSeeds(label, epochs, losses));
            perUpdate.add(Figure.Series.overSeeds(label, updates, losses));
        }
        List<String> modes = new ArrayList<>(byMode.keySet());
        double[] time = modes.stream().mapToDouble(m -> byMode.get(m).timeToTarget.mean()).toArray();
        double[] ci = modes.stream().mapToDouble(m -> byMode.get(m).timeToTarget.ci95()).toArray();
        return List.of(
                new Figure.Lines("loss-per-epoch", "Training loss per epoch (mean over seeds, band: min..max)",
                        "epoch", "training loss", false, true, perEpoch),
                new Figure.Lines("loss-per-update", "Training loss per update", "updates (log)",
                        "training loss", true, true, perUpdate),
                new Figure.Bars("time-to-target", "Training time to the target loss (error bar: 95% CI)",
                        "time to target [ms]", false, modes, time, ci));
    }

    /** The seeds of one (mode, batch size) group. */
    private static final class GroupStats {
        final int updatesPerEpoch;
        final long activationBytes;
        final int reached;
        final Stats epochMs;
        final Stats epochsToTarget;
        final Stats updatesToTarget;
        final Stats timeToTarget;
        final Stats finalLoss;
        final Stats testAccuracy;
        final Stats noise;
        final Stats noiseCv;

        GroupStats(List<CellResult> g) {
            updatesPerEpoch = (int) g.stream().mapToDouble(r -> r.number("updates_per_epoch")).max()
                    .orElse(0);
            activationBytes = (long) g.get(0).number("activation_bytes");
            reached = (int) g.stream().filter(r -> r.metric("epochs_to_target") != null).count();
            epochMs = column(g, "epoch_time_ms");
            epochsToTarget = column(g, "epochs_to_target");
            updatesToTarget = column(g, "updates_to_target");
            timeToTarget = column(g, "time_to_target_ms");
            finalLoss = column(g, "final_train_loss");
            testAccuracy = column(g, "test_accuracy");
            noise = column(g, "loss_noise_std");
            noiseCv = column(g, "loss_noise_cv");
        }

        private static Stats column(List<CellResult> g, String name) {
            return Stats.of(g.stream().map(r -> (Number) r.metric(name)).toList());
        }
    }
}
