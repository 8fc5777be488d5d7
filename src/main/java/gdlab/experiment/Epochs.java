package gdlab.experiment;

import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances;
import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.EpochOrder;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Updaters;
import gdlab.report.Claim;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static gdlab.report.Metric.discrepancy;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * What an epoch is, why the data is reshuffled, and when to stop: the digits MLP trained with the examples visited
 * in a fresh shuffle every epoch, in one fixed shuffled order, or sorted by class; each either for a fixed number of
 * epochs or with early stopping on a validation split (stop after {@code patience} epochs without a new lowest
 * validation loss, return the best weights). Per-epoch training and validation loss go to curves.csv.
 */
public final class Epochs implements Experiment {
    static final String SHUFFLED = "shuffled";
    static final String FIXED = "fixed";
    static final String CLASS_SORTED = "class-sorted";
    static final List<String> ORDERS = List.of(SHUFFLED, FIXED, CLASS_SORTED);
    static final String EARLY = "early";
    static final String BUDGET = "budget";
    static final List<String> STOPPING = List.of(EARLY, BUDGET);

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
    static final List<String> METRICS = Metric.names(DECLARED);
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "val_loss", "train_accuracy",
            "val_accuracy", "epoch_ms");

    private Spec spec;
    private Dataset train;
    private Dataset sortedTrain;
    private Dataset validation;
    private Dataset test;
    private DataType dtype;

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
                Param.choice("data", Datasets.SHIPPED, false, "the data set"),
                Param.integer("split_seed", 0, Integer.MAX_VALUE, false, "seed of the train/validation/test split"),
                Param.integer("train_examples", 1, Integer.MAX_VALUE, false,
                        "training examples (small, so that the net can overfit)"),
                Param.integer("validation_examples", 1, Integer.MAX_VALUE, false,
                        "validation examples (early stopping watches their loss); the rest is the test set"),
                Param.integer("hidden", 1, 4096, false, "units in the hidden layer"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "hidden-layer activation"),
                Param.choice("dtype", Networks.DTYPES, false, "ND4J data type"),
                Param.choice("optimizer", Optimizers.UPDATERS, false, "the updater"),
                Param.real("lr", 0, false, "learning rate"),
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
        Dataset data = Datasets.load(spec.string("data"));
        int nTrain = spec.integer("train_examples");
        int nVal = spec.integer("validation_examples");
        if (nTrain + nVal >= data.size()) {
            throw new BadInputException("bad value '" + nTrain + " + " + nVal + "' for train_examples + "
                    + "validation_examples: " + spec.string("data") + " has " + data.size()
                    + " examples and the test set needs at least one; allowed: a sum below " + data.size());
        }
        int b = spec.integer("batch_size");
        if (b > nTrain) {
            throw new BadInputException("bad value '" + b + "' for batch_size: larger than the " + nTrain
                    + " training examples; allowed: an integer from 1 to " + nTrain);
        }
        int[] order = EpochOrder.identity(data.size());
        SplittableRandom random = new SplittableRandom(spec.longValue("split_seed"));
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Dataset rawTrain = data.rows(Arrays.copyOfRange(order, 0, nTrain));
        Split.Standardizer scaler = Split.Standardizer.fit(rawTrain.features());
        this.train = scaler.apply(rawTrain);
        this.validation = scaler.apply(data.rows(Arrays.copyOfRange(order, nTrain, nTrain + nVal)));
        this.test = scaler.apply(data.rows(Arrays.copyOfRange(order, nTrain + nVal, data.size())));
        this.sortedTrain = train.rows(classSorted(train.labels()));

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
        double lr = spec.real("lr");
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"),
                Optimizers.updater(optimizer, lr), seed, dtype);
        double[] initialParams = Tensors.toDoubles(net.params());
        INDArray x = Tensors.matrix(data.features(), dtype);
        INDArray y = Tensors.oneHot(data.labels(), data.numClasses(), dtype);
        DataSet trainSet = new DataSet(x, y);
        DataSet valSet = new DataSet(Tensors.matrix(validation.features(), dtype),
                Tensors.oneHot(validation.labels(), validation.numClasses(), dtype));
        int patience = spec.integer("patience");

        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0, 0L, net.score(trainSet), net.score(valSet), accuracy(net, trainSet, data),
                accuracy(net, valSet, validation), 0.0));
        // per epoch (index 0 = before training): train and validation loss and accuracy
        List<double[]> history = new ArrayList<>();
        history.add(new double[]{net.score(trainSet), net.score(valSet), accuracy(net, trainSet, data),
                accuracy(net, valSet, validation)});
        int[] best = {0};
        INDArray[] bestParams = {net.params().dup()};
        Trainer.EpochHook hook = e -> {
            double trainAcc = accuracy(net, trainSet, data);
            double valLoss = net.score(valSet);
            double valAcc = accuracy(net, valSet, validation);
            history.add(new double[]{e.trainLoss(), valLoss, trainAcc, valAcc});
            curve.add(List.of(e.epoch(), e.updates(), e.trainLoss(), valLoss, trainAcc, valAcc, e.epochMs()));
            if (valLoss < history.get(best[0])[1]) {
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
        if (diverged && history.size() <= t.epochs().size()) {
            // the trainer stopped before calling the hook on the diverged epoch: record it as NaN validation
            Trainer.Epoch e = t.last();
            history.add(new double[]{e.trainLoss(), Double.NaN, Double.NaN, Double.NaN});
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
        double[] atBest = history.get(best[0]);
        double[] atEnd = history.get(history.size() - 1);

        int k = spec.integer("compare_epoch");
        double[] atCompare = k < history.size() ? history.get(k) : new double[]{Double.NaN, Double.NaN, Double.NaN,
                Double.NaN};
        double target = spec.real("target_val_accuracy");
        Integer toTarget = null;
        for (int e = 1; e < history.size() && toTarget == null; e++) {
            if (history.get(e)[3] >= target) {
                toTarget = e;
            }
        }
        int refEpochs = Math.min(spec.integer("reference_epochs"), epochsRun);
        double refDiff = refEpochs == 0 ? Double.NaN
                : referenceMaxRelDiff(data, order, seed, initialParams, t.epochs(), refEpochs);

        List<Object> metrics = Arrays.asList(train.size(), validation.size(), test.size(), t.updatesPerEpoch(),
                epochsRun, stoppedBy, atCompare[1], atCompare[3], toTarget, best[0], epochsRun - best[0], atBest[1], atBest[3], atEnd[0], atEnd[1],
                atEnd[1] - atBest[1], atBest[1] - atBest[0], atEnd[1] - atEnd[0], atEnd[2] - atEnd[3],
                returnedEpoch, testLoss, testAcc, refEpochs, refDiff, t.trainingMs());
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : "", Metric.inOrder(DECLARED, metrics), curve);
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
                referenceActivation(spec.string("activation")), Activation.SOFTMAX, Loss.MCXENT);
        // Trainer's FIXED order is one seeded shuffle (epoch 0's) reused; AS_GIVEN is the data's order. The
        // reference's fixed ordering is the identity, so hand it the rows already in that order.
        int[] rows = order == Trainer.Order.FIXED ? EpochOrder.shuffled(seed, 0, data.size())
                : EpochOrder.identity(data.size());
        Dataset ordered = data.rows(rows);
        Ordering ordering = order == Trainer.Order.SHUFFLED ? Ordering.shuffled(seed) : Ordering.FIXED;
        ReferenceTrainer ref = new ReferenceTrainer(mlp, Updaters.create(spec.string("optimizer"), spec.real("lr")),
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

    static Activation referenceActivation(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "leakyrelu" -> Activation.LEAKY_RELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "identity" -> Activation.IDENTITY;
            default -> throw new IllegalArgumentException("no reference activation for '" + name + "'");
        };
    }

    @Override
    public Report summarize(List<CellResult> results) {
        Map<String, List<CellResult>> groups = new LinkedHashMap<>();
        for (CellResult r : results) {
            groups.computeIfAbsent(r.cell().get("order") + "|" + r.cell().get("stopping"), k -> new ArrayList<>())
                    .add(r);
        }
        List<String> stats = List.of("epochs_run", "val_loss_at_compare_epoch", "val_accuracy_at_compare_epoch",
                "epochs_to_val_target", "best_epoch", "epochs_past_best", "best_val_loss", "val_accuracy_at_best",
                "final_train_loss", "final_val_loss", "val_loss_rise", "loss_gap_at_best", "loss_gap_at_end",
                "accuracy_gap_at_end", "test_loss", "test_accuracy", "training_ms");
        List<String> csvColumns = new ArrayList<>(List.of("order", "stopping", "seeds", "diverged",
                "stopped_by_patience", "reached_val_target"));
        for (String s : stats) {
            csvColumns.add(s + "_mean");
            csvColumns.add(s + "_std");
        }
        csvColumns.add("reference_max_rel_diff");
        Table csv = new Table(csvColumns);
        int k = spec.integer("compare_epoch");
        String target = Table.readable(100 * spec.real("target_val_accuracy")) + "%";
        Table md = new Table("order", "stopping", "epochs_run", "val_loss_at_epoch_" + k,
                "val_accuracy_at_epoch_" + k, "epochs_to_" + target + "_val", "best_epoch", "best_val_loss",
                "val_accuracy_at_best", "final_val_loss", "val_loss_rise", "loss_gap_at_end", "test_loss",
                "test_accuracy", "stopped_by_patience");
        Map<String, Map<String, Stats>> byGroup = new LinkedHashMap<>();
        double refWorst = 0;
        int refCells = 0;
        for (Map.Entry<String, List<CellResult>> e : groups.entrySet()) {
            List<CellResult> g = e.getValue();
            Cell first = g.get(0).cell();
            Map<String, Stats> s = new LinkedHashMap<>();
            for (String c : stats) {
                s.put(c, Stats.of(g.stream().map(r -> (Number) r.metric(c)).toList()));
            }
            byGroup.put(e.getKey(), s);
            long diverged = g.stream().filter(r -> r.status() != CellResult.Status.OK).count();
            long byPatience = g.stream().filter(r -> "patience".equals(r.metric("stopped_by"))).count();
            long reached = g.stream().filter(r -> r.metric("epochs_to_val_target") != null).count();
            double groupRef = g.stream().mapToDouble(r -> r.number("reference_max_rel_diff"))
                    .filter(Double::isFinite).max().orElse(Double.NaN);
            if (Double.isFinite(groupRef)) {
                refWorst = Math.max(refWorst, groupRef);
                refCells += (int) g.stream().filter(r -> Double.isFinite(r.number("reference_max_rel_diff")))
                        .count();
            }
            List<Object> row = new ArrayList<>(List.of(first.get("order"), first.get("stopping"), g.size(), diverged,
                    byPatience, reached));
            for (String c : stats) {
                row.add(s.get(c).mean());
                row.add(s.get(c).std());
            }
            row.add(groupRef);
            csv.add(row);
            md.add(first.get("order"), first.get("stopping"), s.get("epochs_run").pretty(),
                    s.get("val_loss_at_compare_epoch").pretty(), s.get("val_accuracy_at_compare_epoch").pretty(),
                    reached == 0 ? "never (0/" + g.size() + ")" : s.get("epochs_to_val_target").pretty()
                            + (reached < g.size() ? " (" + reached + "/" + g.size() + ")" : ""),
                    s.get("best_epoch").pretty(), s.get("best_val_loss").pretty(),
                    s.get("val_accuracy_at_best").pretty(), s.get("final_val_loss").pretty(),
                    s.get("val_loss_rise").pretty(), s.get("loss_gap_at_end").pretty(), s.get("test_loss").pretty(),
                    s.get("test_accuracy").pretty(), byPatience + "/" + g.size());
        }

        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Data: %s, %d training / %d validation / %d test examples; MLP "
                        + "%d-%s-%d (%s, %s), %s lr %s, batch %s (%d updates per epoch), budget %s epochs, early "
                        + "stopping patience %s; mean ± std over %d seeds.%n%n",
                spec.string("data"), train.size(), validation.size(), test.size(), train.numFeatures(),
                spec.string("hidden"), train.numClasses(), spec.string("activation"), spec.string("dtype"),
                spec.string("optimizer"), spec.string("lr"), spec.string("batch_size"),
                (train.size() + spec.integer("batch_size") - 1) / spec.integer("batch_size"),
                spec.string("max_epochs"), spec.string("patience"), Harness.seeds(spec).size()));
        text.append(md.toMarkdown()).append('\n');
        text.append(String.format(Locale.ROOT, """
                Columns: losses are the mean cross-entropy (natural log) over a set; val_loss_at_epoch_%d and \
                val_accuracy_at_epoch_%d are measured after epoch %d (a short budget: the runs are \
                deterministic, so this is what a %d-epoch budget gives); epochs_to_%s_val: first epoch whose \
                validation accuracy reached it; best_epoch is the epoch with the lowest validation loss (0 = \
                before training), best_val_loss / val_accuracy_at_best are measured there; final_val_loss at the \
                last epoch run; val_loss_rise = final_val_loss - best_val_loss (> 0: the validation loss went up \
                again after its minimum: overfitting); loss_gap_at_end = validation - training loss at the last \
                epoch (the train/validation gap; the training loss is in summary.csv); test_loss and \
                test_accuracy are those of the returned weights: the best epoch's for early stopping (restored), \
                the last epoch's for the budget; stopped_by_patience counts the seeds that early stopping stopped \
                before the budget. %s

                """, k, k, k, k, target, Trainer.DIVERGENCE_RULE));
        text.append("### What the run shows\n\n").append(String.join("\n", findings(byGroup, groups)))
                .append("\n\n");
        if (refCells > 0) {
            text.append(String.format(Locale.ROOT, "Cross-check: the plain-Java reference trainer (gdlab.reference, "
                            + "no ND4J) replayed the first %s epochs of %d cells from DL4J's initial weights with the "
                            + "same minibatches in the same order: largest relative difference of the end-of-epoch "
                            + "training loss %s (%s arithmetic in DL4J).%n%n", spec.string("reference_epochs"),
                    refCells, Table.readable(refWorst), spec.string("dtype")));
        }
        boolean anyPair = ORDERS.stream().anyMatch(o -> groups.containsKey(o + "|" + EARLY)
                && groups.containsKey(o + "|" + BUDGET));
        List<Claim> claims = EpochsClaims.of(groups, spec.integer("max_epochs"), spec.integer("patience"),
                refCells > 0 ? refWorst : Double.NaN, Tolerances.of(Stage.EPOCHS, spec.string("dtype")),
                earlyFollowsBudget(groups), anyPair);
        return new Report(csv, text.toString(), false, figures(groups), claims);
    }

    /** The measured answers, each with the numbers behind it. */
    private List<String> findings(Map<String, Map<String, Stats>> byGroup, Map<String, List<CellResult>> groups) {
        List<String> lines = new ArrayList<>();
        int k = spec.integer("compare_epoch");
        Map<String, Stats> shuffled = byGroup.get(SHUFFLED + "|" + BUDGET);
        Map<String, Stats> fixed = byGroup.get(FIXED + "|" + BUDGET);
        Map<String, Stats> sorted = byGroup.get(CLASS_SORTED + "|" + BUDGET);
        if (shuffled != null && sorted != null) {
            lines.add(String.format(Locale.ROOT, "- **Order, %d-epoch budget**: validation loss shuffled %s vs "
                            + "class-sorted %s, validation accuracy %s vs %s; epochs to %s%% validation accuracy %s "
                            + "vs %s. Sorted by class, each minibatch "
                            + "holds one or two classes, so each update pulls the net toward the classes just seen "
                            + "and away from the rest; an epoch ends on the last classes.",
                    k, shuffled.get("val_loss_at_compare_epoch").pretty(),
                    sorted.get("val_loss_at_compare_epoch").pretty(),
                    shuffled.get("val_accuracy_at_compare_epoch").pretty(),
                    sorted.get("val_accuracy_at_compare_epoch").pretty(),
                    Table.readable(100 * spec.real("target_val_accuracy")),
                    shuffled.get("epochs_to_val_target").pretty(), sorted.get("epochs_to_val_target").pretty()));
            lines.add(String.format(Locale.ROOT, "- **Order, whole %s-epoch budget**: final validation loss "
                            + "shuffled %s vs class-sorted %s, lowest %s vs %s, test accuracy %s vs %s. %s",
                    spec.string("max_epochs"), shuffled.get("final_val_loss").pretty(),
                    sorted.get("final_val_loss").pretty(), shuffled.get("best_val_loss").pretty(),
                    sorted.get("best_val_loss").pretty(), shuffled.get("test_accuracy").pretty(),
                    sorted.get("test_accuracy").pretty(),
                    "Once the net fits every training example, each example's gradient is nearly 0 and the order "
                            + "of the minibatches stops mattering; how long the damage lasts grows with the step "
                            + "size and with the number of consecutive same-class updates."));
        }
        if (shuffled != null && fixed != null) {
            lines.add(String.format(Locale.ROOT, "- **One fixed shuffled order vs a fresh shuffle every epoch**: "
                            + "validation loss after %d epochs %s vs %s, lowest %s vs %s, test accuracy %s vs %s.",
                    k, fixed.get("val_loss_at_compare_epoch").pretty(),
                    shuffled.get("val_loss_at_compare_epoch").pretty(), fixed.get("best_val_loss").pretty(),
                    shuffled.get("best_val_loss").pretty(), fixed.get("test_accuracy").pretty(),
                    shuffled.get("test_accuracy").pretty()));
        }
        for (String o : ORDERS) {
            Map<String, Stats> budget = byGroup.get(o + "|" + BUDGET);
            Map<String, Stats> earlyStats = byGroup.get(o + "|" + EARLY);
            if (budget != null) {
                List<CellResult> g = groups.get(o + "|" + BUDGET);
                long rose = g.stream().filter(r -> r.number("val_loss_rise") > 0).count();
                lines.add(String.format(Locale.ROOT, "- **%s, whole budget**: the validation loss is lowest at "
                                + "epoch %s (%s), then rises by %s by epoch %s (%d/%d seeds end above their "
                                + "minimum) while the training loss falls to %s: %s.",
                        o, budget.get("best_epoch").pretty(), budget.get("best_val_loss").pretty(),
                        budget.get("val_loss_rise").pretty(), budget.get("epochs_run").pretty(), rose, g.size(),
                        budget.get("final_train_loss").pretty(), rose == g.size() ? "overfitting"
                                : rose == 0 ? "no overfitting within the budget"
                                : "overfitting in some seeds only"));
            }
            if (budget != null && earlyStats != null) {
                List<CellResult> g = groups.get(o + "|" + EARLY);
                long byPatience = g.stream().filter(r -> "patience".equals(r.metric("stopped_by"))).count();
                lines.add(String.format(Locale.ROOT, "- **%s, early stopping** (patience %s): stops after %s epochs "
                                + "instead of %s (%d/%d seeds stopped by patience), %s epochs after its best epoch "
                                + "%s, and returns that epoch's weights: test loss %s vs %s, test accuracy %s vs %s "
                                + "for the whole budget.",
                        o, spec.string("patience"), earlyStats.get("epochs_run").pretty(),
                        budget.get("epochs_run").pretty(), byPatience, g.size(),
                        earlyStats.get("epochs_past_best").pretty(), earlyStats.get("best_epoch").pretty(),
                        earlyStats.get("test_loss").pretty(), budget.get("test_loss").pretty(),
                        earlyStats.get("test_accuracy").pretty(), budget.get("test_accuracy").pretty()));
            }
        }
        return lines;
    }

    /** Early-stopped runs must equal the budget run of the same order and seed over the epochs both ran. */
    private static boolean earlyFollowsBudget(Map<String, List<CellResult>> groups) {
        for (String o : ORDERS) {
            List<CellResult> early = groups.get(o + "|" + EARLY);
            List<CellResult> budget = groups.get(o + "|" + BUDGET);
            if (early == null || budget == null) {
                continue;
            }
            for (CellResult e : early) {
                for (CellResult b : budget) {
                    if (!e.cell().get("seed").equals(b.cell().get("seed"))) {
                        continue;
                    }
                    for (int i = 0; i < e.curve().size() && i < b.curve().size(); i++) {
                        // epoch, updates, losses and accuracies (columns 0..5); epoch_ms may differ. Compared as
                        // numbers: a resumed run reads its curves back from CSV (an Integer may come back a Long)
                        for (int c = 0; c < 6; c++) {
                            double x = ((Number) e.curve().get(i).get(c)).doubleValue();
                            double y = ((Number) b.curve().get(i).get(c)).doubleValue();
                            if (Double.compare(x, y) != 0) {
                                return false;
                            }
                        }
                    }
                }
            }
        }
        return true;
    }

    private static List<Figure> figures(Map<String, List<CellResult>> groups) {
        List<Figure.Series> val = new ArrayList<>();
        List<Figure.Series> trainVsVal = new ArrayList<>();
        for (Map.Entry<String, List<CellResult>> e : groups.entrySet()) {
            List<CellResult> g = e.getValue();
            if (!g.get(0).cell().get("stopping").equals(BUDGET)) {
                continue;
            }
            String order = g.get(0).cell().get("order");
            val.add(SeedBands.overSeeds(order, column(g, 0), column(g, 3), true));
            trainVsVal.add(SeedBands.overSeeds(order + " train", column(g, 0), column(g, 2), true));
            trainVsVal.add(SeedBands.overSeeds(order + " validation", column(g, 0), column(g, 3), true));
        }
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure.Lines("validation-loss", "Validation loss per epoch, whole budget (mean over seeds, "
                + "band: min..max)", "epoch", "validation loss", false, true, val));
        figures.add(new Figure.Lines("train-vs-validation", "Training and validation loss per epoch, whole budget",
                "epoch", "loss", false, true, trainVsVal));
        List<CellResult> shuffledEarly = groups.get(SHUFFLED + "|" + EARLY);
        List<CellResult> shuffledBudget = groups.get(SHUFFLED + "|" + BUDGET);
        if (shuffledEarly != null && shuffledBudget != null) {
            // linear axis, from epoch ZOOM_FROM on: the rise after the minimum is small next to the first drop
            List<Figure.Series> s = new ArrayList<>();
            s.add(Figure.Series.overSeeds("validation loss, whole budget", from(column(shuffledBudget, 0)),
                    from(column(shuffledBudget, 3))));
            double[] bestX = shuffledEarly.stream().mapToDouble(r -> r.number("best_epoch")).toArray();
            double[] bestY = shuffledEarly.stream().mapToDouble(r -> r.number("best_val_loss")).toArray();
            double[] stopX = shuffledEarly.stream().mapToDouble(r -> r.number("epochs_run")).toArray();
            double[] stopY = shuffledEarly.stream().mapToDouble(Epochs::lastValLoss).toArray();
            s.add(Figure.Series.points("lowest validation loss (per seed)", bestX, bestY));
            s.add(Figure.Series.points("where early stopping stopped (per seed)", stopX, stopY));
            figures.add(new Figure.Lines("early-stopping", "Shuffled order: validation loss from epoch " + ZOOM_FROM
                    + " on, and where early stopping stops", "epoch", "validation loss", false, false, s));
        }
        return figures;
    }

    static final int ZOOM_FROM = 3;

    private static List<double[]> from(List<double[]> curves) {
        return curves.stream().map(c -> Arrays.copyOfRange(c, Math.min(ZOOM_FROM, c.length), c.length)).toList();
    }

    private static double lastValLoss(CellResult r) {
        List<Object> last = r.curve().get(r.curve().size() - 1);
        return ((Number) last.get(3)).doubleValue();
    }

    private static List<double[]> column(List<CellResult> g, int c) {
        List<double[]> out = new ArrayList<>();
        for (CellResult r : g) {
            out.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(c)).doubleValue()).toArray());
        }
        return out;
    }
}
