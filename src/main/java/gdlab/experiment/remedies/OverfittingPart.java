package gdlab.experiment.remedies;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static gdlab.report.Metric.measure;

/**
 * Overfitting, and L2, dropout and early stopping as its remedies: an over-large MLP trained on a small subsample of
 * the digits for the whole budget, its validation loss (cross-entropy without any penalty, inference mode) measured
 * after every epoch. {@code off}: nothing done; {@code l2}: DL4J's {@code .l2(of_l2)} (L2Regularization: l2 x W added
 * to the mean gradient of the weights, not the biases, before the updater; not {@code .weightDecay}, which a global
 * setting applies twice); {@code dropout}: DL4J's {@code .dropOut(of_retain)} on the output layer's input (the
 * hidden activations), where the argument is the probability of KEEPING a unit; {@code early-stop}: the same run as
 * {@code off} that stops after {@code of_patience} epochs without a new lowest validation loss and returns the
 * weights of its best epoch.
 */
final class OverfittingPart extends Part {
    static final String NAME = "overfitting";
    static final String EARLY = "early-stop";
    static final List<String> REMEDIES = List.of("l2", "dropout", EARLY);

    static final Claim RISES = finding("overfitting_val_loss_rises", "Without a remedy the over-large net's "
            + "validation loss rises after its best epoch: the rise (final minus best validation loss) has a 95% "
            + "interval over the seeds above 0.");
    static final Claim L2_LOWERS = finding("l2_lowers_rise", "L2 on the weights lowers the rise (95% intervals "
            + "apart) and does not worsen the best validation loss (its interval not above the net's without a "
            + "remedy).");
    static final Claim DROPOUT_LOWERS = finding("dropout_lowers_rise", "Dropout on the hidden units lowers the rise "
            + "and does not worsen the best validation loss likewise.");
    static final Claim EARLY_KEEPS = finding("early_stopping_keeps_accuracy", "Early stopping's returned weights "
            + "have a test accuracy at least the final epoch's without a remedy: the paired difference over the seeds "
            + "has a 95% interval not below 0.");

    private Dataset train;
    private Dataset validation;
    private Dataset test;
    private int[] sizes;
    private int batch;
    private int epochs;
    private int patience;
    private double l2;
    private double retain;

    OverfittingPart() {
        super(NAME, "7. Overfitting: L2, dropout, early stopping", List.of(measure("best_val_loss"),
                        measure("best_epoch"), measure("final_val_loss"), measure("val_loss_rise"),
                        measure("epochs_run"), measure("test_accuracy")),
                RISES, L2_LOWERS, DROPOUT_LOWERS, EARLY_KEEPS);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("of_remedies", REMEDIES, true, "overfitting: remedies beside none"),
                Param.integer("of_train", 1, Integer.MAX_VALUE, false, "overfitting: digits training examples"),
                Param.integer("of_validation", 1, Integer.MAX_VALUE, false, "overfitting: validation examples (the "
                        + "rest of the digits is the test set)"),
                Param.integer("of_hidden", 1, 65_536, false, "overfitting: hidden units of the relu MLP"),
                Param.real("of_lr", 0, false, "overfitting: SGD learning rate"),
                Param.integer("of_batch", 1, Integer.MAX_VALUE, false, "overfitting: minibatch size"),
                Param.integer("of_epochs", 1, 100_000, false, "overfitting: epoch budget"),
                Param.real("of_l2", 0, false, "overfitting: DL4J's l2 coefficient (l2 x W added to the gradient)"),
                Param.realIn("of_retain", 0.01, 1, false, "overfitting: dropout's probability of KEEPING a hidden "
                        + "unit (DL4J's dropOut argument)"),
                Param.integer("of_patience", 1, 100_000, false, "overfitting: early stopping's epochs without a new "
                        + "lowest validation loss"),
                Param.integer("of_seeds", 1, 1000, false, "overfitting: seeds 1..n (init, shuffles, dropout)"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        Dataset data = Datasets.load("digits");
        int nTrain = spec.integer("of_train");
        int nVal = spec.integer("of_validation");
        if (nTrain + nVal >= data.size()) {
            throw new BadInputException("bad value '" + nTrain + " + " + nVal + "' for of_train + of_validation: "
                    + "the digits have " + data.size() + " examples and the test set needs at least one; allowed: "
                    + "a sum below " + data.size());
        }
        batch = spec.integer("of_batch");
        if (batch > nTrain) {
            throw new BadInputException("bad value '" + batch + "' for of_batch: larger than the " + nTrain
                    + " training examples; allowed: an integer from 1 to " + nTrain);
        }
        int[] order = new int[data.size()];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        Dataset rawTrain = data.rows(Arrays.copyOfRange(order, 0, nTrain));
        Split.Standardizer scaler = Split.Standardizer.fit(rawTrain.features());
        train = scaler.apply(rawTrain);
        validation = scaler.apply(data.rows(Arrays.copyOfRange(order, nTrain, nTrain + nVal)));
        test = scaler.apply(data.rows(Arrays.copyOfRange(order, nTrain + nVal, data.size())));
        epochs = spec.integer("of_epochs");
        patience = spec.integer("of_patience");
        l2 = spec.real("of_l2");
        retain = spec.real("of_retain");
        sizes = new int[] {train.numFeatures(), spec.integer("of_hidden"), data.numClasses()};
        String kase = String.format(Locale.ROOT, "digits %d-%d-%d relu, %d train, B = %d", sizes[0], sizes[1],
                sizes[2], nTrain, batch);
        return offAndRemedies(NAME, kase, spec.list("of_remedies"), spec.string("of_lr"), spec.integer("of_seeds"));
    }

    /** The MLP with the remedy's regularization: l2 on every layer's weights, or dropout on the hidden units. */
    private MultiLayerNetwork network(String remedy, double lr, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).updater(new Sgd(lr));
        if (remedy.equals("l2")) {
            b.l2(l2);
        }
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(sizes[1])
                .nOut(sizes[2]).activation(Activation.SOFTMAX);
        if (remedy.equals("dropout")) {
            out.dropOut(retain);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.list()
                .layer(new DenseLayer.Builder().nIn(sizes[0]).nOut(sizes[1]).activation(Networks.activation("relu"))
                        .build())
                .layer(out.build()).build());
        net.init();
        return net;
    }

    /** Mean cross-entropy of the net's inference-mode output (no dropout, no penalty) on {@code d}. */
    static double crossEntropy(INDArray output, int[] labels) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(output.getDouble(i, labels[i]), 1e-300));
        }
        return sum / labels.length;
    }

    @Override
    protected Outcome run(Cell cell) {
        String remedy = cell.get("remedy");
        long seed = cell.longValue("seed");
        MultiLayerNetwork net = network(remedy, cell.real("lr"), seed);
        INDArray xVal = Tensors.matrix(validation.features(), DataType.DOUBLE);
        double[] best = {Double.POSITIVE_INFINITY, 0};
        INDArray[] bestParams = {null};
        List<Double> valLosses = new ArrayList<>();
        boolean early = remedy.equals(EARLY);
        Trainer.Outcome o = Trainer.train(net, Tensors.matrix(train.features(), DataType.DOUBLE),
                Tensors.oneHot(train.labels(), train.numClasses(), DataType.DOUBLE),
                Trainer.Options.of(batch, epochs, Double.NaN, seed).classifier(train.numClasses()), e -> {
                    double loss = crossEntropy(net.output(xVal, false), validation.labels());
                    valLosses.add(loss);
                    if (loss < best[0]) {
                        best[0] = loss;
                        best[1] = e.epoch();
                        if (early) {
                            bestParams[0] = net.params().dup();
                        }
                    }
                    return early && e.epoch() - best[1] >= patience;
                });
        if (early && bestParams[0] != null) {
            net.setParams(bestParams[0]);
        }
        double finalVal = early ? best[0] : valLosses.isEmpty() ? Double.NaN : valLosses.get(valLosses.size() - 1);
        double accuracy = Tensors.accuracy(net.output(Tensors.matrix(test.features(), DataType.DOUBLE), false),
                test.labels());
        Curve curve = new Curve();
        o.epochs().forEach(e -> curve.add("train_loss", e.epoch(), e.trainLoss()));
        for (int i = 0; i < valLosses.size(); i++) {
            curve.add("val_loss", i + 1, valLosses.get(i));
        }
        Metric.Values v = Metric.values(metrics).put("best_val_loss", best[0]).put("best_epoch", (int) best[1])
                .put("final_val_loss", finalVal).put("val_loss_rise", finalVal - best[0])
                .put("epochs_run", o.epochs().size()).put("test_accuracy", accuracy);
        return Outcome.of(o.status() == Trainer.Status.DIVERGED, o.stopReason(), v.map(), curve);
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<SeedGroup> groups = SeedGroup.by(rows, "remedy");
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("remedy", g -> g.get("remedy"))
                .add("seeds", SeedGroup::size).add("diverged", SeedGroup::diverged);
        for (String m : List.of("best_val_loss", "best_epoch", "final_val_loss", "val_loss_rise", "epochs_run",
                "test_accuracy")) {
            statsColumn(table, m, g -> g.stats(m));
        }
        CellResult any = rows.get(0);
        String text = String.format(Locale.ROOT, "%s: %d training / %d validation / %d test digits (standardized by "
                        + "the training split), Xavier init, SGD lr %s for %d epochs. Validation loss: cross-entropy "
                        + "of the inference-mode output (no dropout, no penalty) after each epoch. l2: DL4J's .l2(%s) "
                        + "(l2 x W added to the weights' mean gradient, biases free; not .weightDecay, which DL4J "
                        + "applies twice when set globally); dropout: DL4J's .dropOut(%s) on the hidden units, the "
                        + "argument being the probability of KEEPING a unit; early-stop: the off run stopped after %d "
                        + "epochs without a new lowest validation loss, returning its best epoch's weights (so its "
                        + "final_val_loss is its best, and its rise 0 by construction). val_loss_rise: final minus "
                        + "best validation loss; test_accuracy: of the weights the run ends with (early-stop: "
                        + "returned). %s%n%n", coord(any, "case"), train.size(), validation.size(), test.size(),
                coord(any, "lr"), epochs, Table.readable(l2), Table.readable(retain), patience,
                Trainer.DIVERGENCE_RULE);
        return new Section(text + table.markdown(groups).toMarkdown(), table.csv(groups), List.of(figure(groups)),
                OverfittingClaims.of(groups));
    }

    private static Figure figure(List<SeedGroup> groups) {
        List<Figure.Series> series = new ArrayList<>();
        for (SeedGroup g : groups) {
            series.add(line(g.get("remedy"), g.cells().get(0), "val_loss"));
        }
        return new Figure.Lines("overfitting", "Validation loss per epoch, first seed", "epoch", "validation loss",
                false, false, series);
    }
}
