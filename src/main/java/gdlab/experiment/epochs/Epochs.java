package gdlab.experiment.epochs;

import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances;
import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.EpochOrder;
import gdlab.data.Split;
import gdlab.dl4j.NetSharpness;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.Keys;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Updaters;
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
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static gdlab.report.Metric.discrepancy;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * What an epoch is, why the data is reshuffled, and when to stop: an MLP on {@code data} (the digits by default; its
 * sizes from the data) trained with the examples visited in a fresh shuffle every epoch, in one fixed shuffled order,
 * or sorted by class; each either for a fixed number of epochs or with early stopping on a validation split (stop
 * after {@code patience} epochs without a new lowest validation loss, return the best weights). Per-epoch training and
 * validation loss go to curves.csv.
 */
public final class Epochs implements Experiment {
    static final String SHUFFLED = "shuffled";
    static final String FIXED = "fixed";
    static final String CLASS_SORTED = "class-sorted";
    static final List<String> ORDERS = List.of(SHUFFLED, FIXED, CLASS_SORTED);
    static final String EARLY = "early";
    static final String BUDGET = "budget";
    static final List<String> STOPPING = List.of(EARLY, BUDGET);
    static final String ABS = "abs";
    static final String CRIT = "crit";

    /**
     * val_loss_rise is a difference of two validation losses, so its last digits are their rounding (1e-5 of the
     * loss leaves float's a margin of 60); reference_max_rel_diff is DL4J against the reference, bounded as the
     * crosscheck bounds a whole epoch.
     */
    static final List<Metric> DECLARED = List.of(setting("n_train"), setting("n_validation"), setting("n_test"),
            setting("updates_per_epoch"), measure("epochs_run"), outcome("stopped_by"),
            measure("val_loss_at_compare_epoch"), measure("val_accuracy_at_compare_epoch"),
            measure("epochs_to_val_target"), measure("best_epoch"), measure("epochs_past_best"),
            measure("best_val_loss"), measure("val_accuracy_at_best"), measure("final_train_loss"),
            measure("final_val_loss"), measure("val_loss_rise", Metric.Bound.relativeTo("final_val_loss", 1e-5)),
            measure("loss_gap_at_best"),
            measure("loss_gap_at_end"), measure("accuracy_gap_at_end"), measure("returned_epoch"),
            measure("test_loss"), measure("test_accuracy"), setting("reference_epochs"),
            discrepancy("reference_max_rel_diff", Metric.Bound.byDtype(Tolerances.DOUBLE.get(Stage.EPOCHS),
                    Tolerances.FLOAT.get(Stage.EPOCHS))), timing("training_ms"));
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "val_loss", "train_accuracy",
            "val_accuracy", "epoch_ms");

    private Spec spec;
    private Dataset train;
    private Dataset sortedTrain;
    private Dataset validation;
    private Dataset test;
    private DataType dtype;
    /** The learning rate every cell trains with; with lr_unit = crit, the sharpness it rests on. */
    private double lr;
    private NetSharpness.Estimate sharpness;

    @Override
    public String name() {
        return "epochs";
    }

    @Override
    public String question() {
        return "What is an epoch, why reshuffle the data every epoch, and when should training stop?";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Datasets.param(),
                Datasets.labelParam(),
                Keys.maxExamples("use only this many examples (0 = all): a subsample the split seed decides"),
                Keys.splitSeed("seed of the train/validation/test split"),
                Param.integer("train_examples", 1, Integer.MAX_VALUE, false,
                        "training examples (small, so that the net can overfit)"),
                Param.integer("validation_examples", 1, Integer.MAX_VALUE, false,
                        "validation examples (early stopping watches their loss); the rest is the test set"),
                Keys.hidden("units in the hidden layer"), Keys.activation("hidden-layer activation"),
                Keys.dtype("ND4J data type"),
                Param.choice("optimizer", Optimizers.UPDATERS, false, "the updater"),
                Param.real("lr", 0, false, "learning rate (lr_unit = abs)"),
                Param.choice("lr_unit", List.of(ABS, CRIT), false, "abs: the learning rate is lr; crit: it is "
                        + "lr_ratio x lr_crit, lr_crit = 2 / lambda_max of the training loss at the first seed's "
                        + "initial parameters (a rate that fits any data)"),
                Param.real("lr_ratio", 0, false, "the learning rate / lr_crit (lr_unit = crit)"),
                Param.integer("sharpness_iterations", 1, 100_000, false,
                        "most power iterations for lambda_max at init (lr_unit = crit)"),
                Param.integer("batch_size", 1, Integer.MAX_VALUE, false, "examples per update"),
                Param.choice("order", ORDERS, true, "sweep axis: how each epoch orders the training examples: "
                        + "a fresh shuffle every epoch, one shuffle reused every epoch, or sorted by class"),
                Param.choice("stopping", STOPPING, true, "sweep axis: early stopping on the validation loss, or "
                        + "the whole epoch budget"),
                Param.integer("patience", 1, 1_000_000, false,
                        "early stopping: epochs without a new lowest validation loss before stopping"),
                Param.integer("max_epochs", 1, 1_000_000, false, "epoch budget"),
                Param.integer("compare_epoch", 1, 1_000_000, false,
                        "a short budget at which the orders are also compared (validation loss and accuracy)"),
                Param.realIn("target_val_accuracy", 0, 1, false,
                        "validation accuracy that counts as learned (epochs_to_val_target)"),
                Param.realIn("max_seconds", 0, 1e9, false, "wall-time budget per cell for the updates (0 = none)"),
                Param.integer("reference_epochs", 0, 1_000_000, false,
                        "epochs replayed by the plain-Java reference trainer to check DL4J's losses (0 = none)"));
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
        int[] order = EpochOrder.identity(data.size());
        SplittableRandom random = new SplittableRandom(spec.longValue("split_seed"));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        // the first max_examples of the seeded shuffle: the same subsample on every run
        int n = spec.integer("max_examples") > 0 ? Math.min(spec.integer("max_examples"), data.size()) : data.size();
        int nTrain = spec.integer("train_examples");
        int nVal = spec.integer("validation_examples");
        if (nTrain + nVal >= n) {
            throw new BadInputException("bad value '" + nTrain + " + " + nVal + "' for train_examples + "
                    + "validation_examples: " + spec.string("data") + " gives " + n + " examples and the test set "
                    + "needs at least one; allowed: a sum below " + n + " (e.g. -Dtrain_examples=" + n / 2
                    + " -Dvalidation_examples=" + n / 4 + ")");
        }
        int b = spec.integer("batch_size");
        if (b > nTrain) {
            throw new BadInputException("bad value '" + b + "' for batch_size: larger than the " + nTrain
                    + " training examples; allowed: an integer from 1 to " + nTrain);
        }
        Dataset rawTrain = data.rows(Arrays.copyOfRange(order, 0, nTrain));
        Split.Standardizer scaler = Split.Standardizer.fit(rawTrain.features());
        this.train = scaler.apply(rawTrain);
        this.validation = scaler.apply(data.rows(Arrays.copyOfRange(order, nTrain, nTrain + nVal)));
        this.test = scaler.apply(data.rows(Arrays.copyOfRange(order, nTrain + nVal, n)));
        this.sortedTrain = train.rows(classSorted(train.labels()));
        this.lr = learningRate(spec);

        List<Cell> cells = new ArrayList<>();
        for (String o : spec.list("order")) {
            for (String s : spec.list("stopping")) {
                for (long seed : Harness.seeds(spec)) {
                    Map<String, String> coords = new LinkedHashMap<>();
                    coords.put("order", o);
                    coords.put("stopping", s);
                    coords.put("seed", String.valueOf(seed));
                    cells.add(new Cell(cells.size(), coords));
                }
            }
        }
        return cells;
    }

    /**
     * lr (lr_unit = abs), or lr_ratio x lr_crit (crit) to 4 significant digits, lr_crit = 2 / lambda_max of the
     * training loss at the first seed's initial parameters, measured from DL4J's Hessian-vector products.
     */
    private double learningRate(Spec spec) {
        if (spec.string("lr_unit").equals(ABS)) {
            return spec.real("lr");
        }
        long seed = Harness.seeds(spec).get(0);
        MultiLayerNetwork net = Networks.classifier(new int[]{train.numFeatures(), spec.integer("hidden"),
                train.numClasses()}, spec.string("activation"), new Sgd(0.1), seed, dtype);
        sharpness = NetSharpness.of(net, Tensors.matrix(train.features(), DataType.DOUBLE),
                Tensors.oneHot(train.labels(), train.numClasses(), DataType.DOUBLE),
                spec.integer("sharpness_iterations"), seed);
        if (!(sharpness.lambdaMax() > 0 && Double.isFinite(sharpness.lambdaMax()))) {
            throw new BadInputException("lr_unit=crit: the loss's largest curvature at the initial parameters is "
                    + sharpness.lambdaMax() + ", so lr_crit = 2 / lambda_max is not a rate; allowed: lr_unit=abs "
                    + "with lr");
        }
        double rate = Double.parseDouble(Table.readable(spec.real("lr_ratio") * sharpness.lrCrit()));
        if (!spec.bool(Harness.QUIET)) {
            System.err.println("epochs: " + sharpness.describe() + "; lr = " + spec.string("lr_ratio")
                    + " x lr_crit = " + Table.readable(rate));
        }
        return rate;
    }

    /** With lr_unit = crit: lambda_max, lr_crit and the rate, for run.json. */
    @Override
    public Map<String, Object> facts() {
        if (sharpness == null) {
            return Map.of();
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("lambda_max", sharpness.lambdaMax());
        facts.put("lr_crit", sharpness.lrCrit());
        facts.put("sharpness_products", sharpness.products());
        facts.put("sharpness_converged", sharpness.converged());
        facts.put("lr", lr);
        return facts;
    }

    /** The rows sorted by class, keeping their order within a class (a stable sort). */
    static int[] classSorted(int[] labels) {
        return IntStream.range(0, labels.length).boxed()
                .sorted(Comparator.comparingInt(i -> labels[i])).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public CellResult run(Cell cell) {
        String orderName = cell.get("order");
        boolean early = cell.get("stopping").equals(EARLY);
        long seed = cell.longValue("seed");
        Dataset data = orderName.equals(CLASS_SORTED) ? sortedTrain : train;
        Trainer.Order order = switch (orderName) {
            case SHUFFLED -> Trainer.Order.SHUFFLED;
            case FIXED -> Trainer.Order.FIXED;
            default -> Trainer.Order.AS_GIVEN;
        };
        int[] sizes = {data.numFeatures(), spec.integer("hidden"), data.numClasses()};
        String optimizer = spec.string("optimizer");
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"),
                Optimizers.updater(optimizer, lr), seed, dtype);
        double[] initialParams = Tensors.toDoubles(net.params());
        INDArray x = Tensors.matrix(data.features(), dtype);
        INDArray y = Tensors.oneHot(data.labels(), data.numClasses(), dtype);
        DataSet trainSet = new DataSet(x, y);
        DataSet valSet = new DataSet(Tensors.matrix(validation.features(), dtype),
                Tensors.oneHot(validation.labels(), validation.numClasses(), dtype));
        int patience = spec.integer("patience");

        // one row per epoch, row 0 before training
        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0, 0L, net.score(trainSet), net.score(valSet), accuracy(net, trainSet, data),
                accuracy(net, valSet, validation), 0.0));
        int[] best = {0};
        INDArray[] bestParams = {net.params().dup()};
        Trainer.EpochHook hook = e -> {
            double trainAcc = accuracy(net, trainSet, data);
            double valLoss = net.score(valSet);
            double valAcc = accuracy(net, valSet, validation);
            curve.add(List.of(e.epoch(), e.updates(), e.trainLoss(), valLoss, trainAcc, valAcc, e.epochMs()));
            if (valLoss < at(curve.get(best[0]), "val_loss")) {
                best[0] = e.epoch();
                if (early) {
                    bestParams[0] = net.params().dup();
                }
            }
            return early && e.epoch() - best[0] >= patience;
        };
        Trainer.Options options = new Trainer.Options(spec.integer("batch_size"), spec.integer("max_epochs"),
                spec.real("max_seconds"), Double.NaN, seed, order).classifier(data.numClasses());
        Trainer.Outcome t = Trainer.train(net, x, y, options, hook);
        boolean diverged = t.status() == Trainer.Status.DIVERGED;
        if (diverged && curve.size() <= t.epochs().size()) {
            // the trainer stopped before calling the hook on the diverged epoch: record it as NaN validation
            Trainer.Epoch e = t.last();
            curve.add(Arrays.asList(e.epoch(), e.updates(), e.trainLoss(), Double.NaN, Double.NaN, Double.NaN,
                    e.epochMs()));
        }
        int epochsRun = t.epochs().size();
        String stoppedBy = diverged ? "diverged" : switch (t.stopReason()) {
            case "hook" -> "patience";
            case "time" -> "time";
            default -> "budget";
        };
        int returnedEpoch = early ? best[0] : epochsRun;
        if (early) {
            net.setParams(bestParams[0]);
        }
        DataSet testSet = new DataSet(Tensors.matrix(test.features(), dtype),
                Tensors.oneHot(test.labels(), test.numClasses(), dtype));
        double testLoss = net.score(testSet);
        double testAcc = accuracy(net, testSet, test);
        List<Object> atBest = curve.get(best[0]);
        List<Object> atEnd = curve.get(curve.size() - 1);
        int k = spec.integer("compare_epoch");
        Integer toTarget = null;
        for (int e = 1; e < curve.size() && toTarget == null; e++) {
            if (at(curve.get(e), "val_accuracy") >= spec.real("target_val_accuracy")) {
                toTarget = e;
            }
        }
        int refEpochs = Math.min(spec.integer("reference_epochs"), epochsRun);
        double refDiff = refEpochs == 0 ? Double.NaN
                : referenceMaxRelDiff(data, order, seed, initialParams, t.epochs(), refEpochs);

        Map<String, Object> metrics = Metric.values(DECLARED).put("n_train", train.size())
                .put("n_validation", validation.size()).put("n_test", test.size())
                .put("updates_per_epoch", t.updatesPerEpoch()).put("epochs_run", epochsRun).put("stopped_by", stoppedBy)
                .put("val_loss_at_compare_epoch", k < curve.size() ? at(curve.get(k), "val_loss") : Double.NaN)
                .put("val_accuracy_at_compare_epoch", k < curve.size() ? at(curve.get(k), "val_accuracy") : Double.NaN)
                .put("epochs_to_val_target", toTarget).put("best_epoch", best[0])
                .put("epochs_past_best", epochsRun - best[0]).put("best_val_loss", at(atBest, "val_loss"))
                .put("val_accuracy_at_best", at(atBest, "val_accuracy"))
                .put("final_train_loss", at(atEnd, "train_loss"))
                .put("final_val_loss", at(atEnd, "val_loss"))
                .put("val_loss_rise", at(atEnd, "val_loss") - at(atBest, "val_loss"))
                .put("loss_gap_at_best", at(atBest, "val_loss") - at(atBest, "train_loss"))
                .put("loss_gap_at_end", at(atEnd, "val_loss") - at(atEnd, "train_loss"))
                .put("accuracy_gap_at_end", at(atEnd, "train_accuracy") - at(atEnd, "val_accuracy"))
                .put("returned_epoch", returnedEpoch)
                .put("test_loss", testLoss).put("test_accuracy", testAcc).put("reference_epochs", refEpochs)
                .put("reference_max_rel_diff", refDiff).put("training_ms", t.trainingMs()).map();
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : "", metrics, curve);
    }

    /** The value of {@code column} in a curve row. */
    private static double at(List<Object> row, String column) {
        return ((Number) row.get(CURVE.indexOf(column))).doubleValue();
    }

    private static double accuracy(MultiLayerNetwork net, DataSet set, Dataset data) {
        return Tensors.accuracy(net.output(set.getFeatures()), data.labels());
    }

    /**
     * Replays the first {@code epochs} epochs in the plain-Java reference (same initial weights, same minibatches
     * in the same order, same updater) and returns the largest relative difference of the end-of-epoch training
     * loss between DL4J and the reference.
     */
    private double referenceMaxRelDiff(Dataset data, Trainer.Order order, long seed, double[] initialParams,
                                       List<Trainer.Epoch> dl4j, int epochs) {
        Mlp mlp = new Mlp(new int[]{data.numFeatures(), spec.integer("hidden"), data.numClasses()},
                Activation.named(spec.string("activation")), Activation.SOFTMAX, Loss.MCXENT);
        // Trainer's FIXED order is one seeded shuffle (epoch 0's) reused; AS_GIVEN is the data's order. The
        // reference's fixed ordering is the identity, so hand it the rows already in that order.
        int[] rows = order == Trainer.Order.FIXED ? EpochOrder.shuffled(seed, 0, data.size())
                : EpochOrder.identity(data.size());
        Dataset ordered = data.rows(rows);
        Ordering ordering = order == Trainer.Order.SHUFFLED ? Ordering.shuffled(seed) : Ordering.FIXED;
        ReferenceTrainer ref = new ReferenceTrainer(mlp, Updaters.create(spec.string("optimizer"), lr),
                initialParams, ordered.features(), ordered.oneHot(), spec.integer("batch_size"), ordering);
        double worst = 0;
        for (int e = 0; e < epochs; e++) {
            double r = ref.finishEpoch().trainLoss();
            double d = dl4j.get(e).trainLoss();
            double rel = Math.abs(d - r) / Math.max(Math.abs(r), 1e-12);
            worst = Double.isNaN(rel) ? Double.NaN : Math.max(worst, rel);
        }
        return worst;
    }

    @Override
    public Report summarize(List<CellResult> results) {
        String rate = sharpness == null ? spec.string("lr") : Table.readable(lr) + " (" + spec.string("lr_ratio")
                + " x lr_crit; " + sharpness.describe() + ")";
        return new EpochsSummary(spec, train, validation, test, rate).report(results);
    }
}
