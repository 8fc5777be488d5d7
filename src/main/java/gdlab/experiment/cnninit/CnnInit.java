package gdlab.experiment.cnninit;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Cnn;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.Keys;
import gdlab.report.Metric;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static gdlab.report.Metric.discrepancy;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * The seed's training loop for a convolutional net, in DL4J: a small CNN on images, the 8x8 digits by default or the
 * user's (IDX, or a CSV of pixels with {@code image=HxW}; convolution 3x3 -> max pooling -> dense -> softmax) trained
 * by minibatches over epochs, swept over hidden activation x weight initialization x optimizer. Per cell it measures
 * the gradient norm of each layer at initialization (on the whole training set, before any update), the test accuracy
 * after every epoch, and after training whether the hidden units of the convolution and dense layers are still copies
 * of each other (symmetry).
 */
public final class CnnInit implements Experiment {
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam");
    static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "tanh", "sigmoid");
    /** Two units are the same unit when their parameters differ by at most this times the layer's largest one. */
    static final double SAME_UNIT_RELATIVE = 1e-4;

    /** A spread between units that should be identical is rounding below SAME_UNIT_RELATIVE x their scale. */
    static final List<Metric> DECLARED = List.of(setting("n_train"), setting("n_test"), setting("params"),
            measure("initial_loss"), measure("grad_norm_conv"), measure("grad_norm_dense"),
            measure("grad_norm_output"), measure("grad_ratio_first_last"), measure("epochs_run"),
            measure("final_train_loss"), measure("test_accuracy"), measure("epochs_to_target"),
            setting("conv_filters"), measure("conv_distinct"),
            discrepancy("conv_spread", Metric.Bound.relativeTo("conv_scale", SAME_UNIT_RELATIVE)),
            measure("conv_scale"), setting("dense_units"), measure("dense_distinct"),
            discrepancy("dense_spread", Metric.Bound.relativeTo("dense_scale", SAME_UNIT_RELATIVE)),
            measure("dense_scale"), timing("training_ms"));
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "test_accuracy", "epoch_ms");

    private Spec spec;
    private Split split;
    private DataType dtype;
    private String initCheck;
    /** Height and width of the images. */
    private int[] shape;

    @Override
    public String name() {
        return "cnn-init";
    }

    @Override
    public String question() {
        return "How should a CNN's weights be initialized, and why this activation?";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Datasets.param(),
                Datasets.labelParam(),
                new Param("image", "HxW, e.g. 28x28 (empty: from the data: 8x8 for digits, the IDX header)",
                        s -> s.isEmpty() || s.matches("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}"), false,
                        "the image size: required for a CSV, whose features are the pixels of one image per row "
                                + "(row-major)"),
                Keys.testFraction("share of examples held out for test accuracy"),
                Keys.splitSeed("seed of the train/test split"),
                Keys.maxExamples("use only this many examples (0 = all)"),
                Param.integer("filters", 1, 256, false, "convolution filters (3x3)"),
                Keys.hidden("units in the dense layer"),
                Param.choice("activation", ACTIVATIONS, true, "sweep axis: activation of the convolution and "
                        + "dense layers"),
                Param.choice("init", Cnn.INITS, true, "sweep axis: weight initialization of every layer "
                        + "(zero, U(-s, s) with s = small_uniform_scale, DL4J's XAVIER, DL4J's RELU = He)"),
                Param.real("small_uniform_scale", 0, false, "s of the small-uniform initialization U(-s, s)"),
                Param.choice("optimizer", OPTIMIZERS, true, "sweep axis: sgd, momentum (heavy ball, mu 0.9), adam"),
                Param.real("lr_sgd", 0, false, "learning rate of sgd"),
                Param.real("lr_momentum", 0, false, "learning rate of momentum"),
                Param.real("lr_adam", 0, false, "learning rate of adam"),
                Keys.dtype("ND4J data type"),
                Param.integer("batch_size", 1, Integer.MAX_VALUE, false, "examples per update"),
                Param.integer("max_epochs", 1, 1_000_000, false, "epochs each cell trains"),
                Param.realIn("max_seconds", 0, 1e9, false, "wall-time budget per cell for the updates (0 = none)"),
                Param.realIn("target_accuracy", 0, 1, false, "test accuracy that counts as learned"),
                Param.realIn("among_best_margin", 0, 1, false,
                        "a combination is among the best when its mean test accuracy is within this of the best"));
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
        this.shape = shape(spec, data.numFeatures());
        this.split = Split.of(data, spec.real("test_fraction"), spec.longValue("split_seed"),
                spec.integer("max_examples"));
        int n = split.train().size();
        int b = spec.integer("batch_size");
        if (b > n) {
            throw new BadInputException("bad value '" + b + "' for batch_size: larger than the " + n
                    + " training examples; allowed: an integer from 1 to " + n);
        }
        if (split.test().size() == 0) {
            throw new BadInputException("no test examples: raise test_fraction or max_examples");
        }
        this.initCheck = InitCheck.markdown(shape, split.train().numClasses(), spec.integer("filters"),
                spec.integer("hidden"), spec.real("small_uniform_scale"),
                (init, seed) -> build("relu", init, "sgd", 0.1, seed));
        List<Cell> cells = new ArrayList<>();
        for (String opt : spec.list("optimizer")) {
            for (String act : spec.list("activation")) {
                for (String init : spec.list("init")) {
                    for (long seed : Harness.seeds(spec)) {
                        Map<String, String> coords = new LinkedHashMap<>();
                        coords.put("optimizer", opt);
                        coords.put("lr", spec.string("lr_" + opt));
                        coords.put("activation", act);
                        coords.put("init", init);
                        coords.put("seed", String.valueOf(seed));
                        cells.add(new Cell(cells.size(), coords));
                    }
                }
            }
        }
        return cells;
    }

    /**
     * Height and width of the images: {@code image}, else what the data says (IDX header, digits 8x8); checked
     * against the number of pixels and the smallest size the CNN takes.
     */
    static int[] shape(Spec spec, int features) {
        String data = spec.string("data");
        String image = spec.string("image");
        int[] known = Datasets.imageShape(data);
        if (image.isEmpty() && known == null) {
            throw new BadInputException("missing image for data " + data + ": a CSV's rows are images only with "
                    + "-Dimage=HxW (its " + features + " feature columns the pixels, row-major); allowed: HxW with H x "
                    + "W = " + features);
        }
        int[] hw = image.isEmpty() ? known : new int[]{Integer.parseInt(image.substring(0, image.indexOf('x'))),
                Integer.parseInt(image.substring(image.indexOf('x') + 1))};
        if (known != null && !image.isEmpty() && (known[0] != hw[0] || known[1] != hw[1])) {
            throw new BadInputException("bad value '" + image + "' for image: " + data + " holds " + known[0] + "x"
                    + known[1] + " images" + (data.startsWith("idx:") ? " (its IDX header)" : "") + "; allowed: "
                    + known[0] + "x" + known[1] + " or empty");
        }
        String from = image.isEmpty() ? (data.startsWith("idx:") ? " (from the IDX header)" : "") : "";
        if ((long) hw[0] * hw[1] != features) {
            throw new BadInputException("bad value '" + hw[0] + "x" + hw[1] + "' for image" + from + ": " + hw[0]
                    + " x " + hw[1] + " = " + (long) hw[0] * hw[1] + " pixels, but " + data + " has " + features
                    + " feature columns; allowed: HxW with H x W = " + features);
        }
        if (hw[0] < Cnn.MIN_SIDE || hw[1] < Cnn.MIN_SIDE) {
            throw new BadInputException("bad value '" + hw[0] + "x" + hw[1] + "' for image" + from + ": too small "
                    + "for the CNN (conv 3x3, then max-pool 2x2); allowed: at least " + Cnn.MIN_SIDE + "x"
                    + Cnn.MIN_SIDE);
        }
        return hw;
    }

    private MultiLayerNetwork build(String activation, String init, String optimizer, double lr, long seed) {
        return Cnn.images(shape[0], shape[1], split.train().numClasses(), spec.integer("filters"),
                spec.integer("hidden"), activation, init,
                spec.real("small_uniform_scale"), Optimizers.updater(optimizer, lr), seed, dtype);
    }

    @Override
    public CellResult run(Cell cell) {
        long seed = cell.longValue("seed");
        MultiLayerNetwork net = build(cell.get("activation"), cell.get("init"), cell.get("optimizer"),
                cell.real("lr"), seed);
        Dataset train = split.train();
        Dataset test = split.test();
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        INDArray xTest = Tensors.matrix(test.features(), dtype);
        double[] norms = initialGradientNorms(net, x, y);

        double target = spec.real("target_accuracy");
        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0, 0L, net.score(new DataSet(x, y)), Tensors.accuracy(net.output(xTest), test.labels()),
                0.0));
        Integer[] toTarget = {null};
        double[] lastAccuracy = {Double.NaN};
        Trainer.EpochHook hook = e -> {
            double acc = Tensors.accuracy(net.output(xTest), test.labels());
            lastAccuracy[0] = acc;
            curve.add(List.of(e.epoch(), e.updates(), e.trainLoss(), acc, e.epochMs()));
            if (toTarget[0] == null && acc >= target) {
                toTarget[0] = e.epoch();
            }
            return false;
        };
        Trainer.Options options = new Trainer.Options(spec.integer("batch_size"), spec.integer("max_epochs"),
                spec.real("max_seconds"), Double.NaN, seed, Trainer.Order.SHUFFLED).classifier(train.numClasses());
        Trainer.Outcome t = Trainer.train(net, x, y, options, hook);
        boolean diverged = t.status() == Trainer.Status.DIVERGED;

        Metric.Values m = Metric.values(DECLARED).put("n_train", train.size()).put("n_test", test.size())
                .put("params", net.numParams()).put("initial_loss", t.initialLoss())
                .put("grad_norm_conv", norms[0]).put("grad_norm_dense", norms[1]).put("grad_norm_output", norms[2])
                .put("grad_ratio_first_last", norms[0] / norms[2]).put("epochs_run", t.epochs().size())
                .put("final_train_loss", t.finalLoss()).put("test_accuracy", diverged ? Double.NaN : lastAccuracy[0])
                .put("epochs_to_target", toTarget[0]).put("training_ms", t.trainingMs());
        symmetry(m, net, Cnn.CONV, "conv", "conv_filters");
        symmetry(m, net, Cnn.DENSE, "dense", "dense_units");
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : "", m.map(), curve);
    }

    /** How many distinct units the trained layer has, their largest difference from unit 0, and its scale. */
    private static void symmetry(Metric.Values m, MultiLayerNetwork net, int layer, String prefix, String units) {
        double[][] rows = Cnn.unitParams(net, layer);
        double scale = Cnn.scale(rows);
        m.put(units, rows.length).put(prefix + "_distinct", Cnn.distinctUnits(rows, SAME_UNIT_RELATIVE * scale))
                .put(prefix + "_spread", Cnn.spread(rows)).put(prefix + "_scale", scale);
    }

    /**
     * Norms of the weight gradients (conv, dense, output) of the mean training loss at the current weights (DL4J's
     * gradient() holds the SUM over the examples after computeGradientAndScore, so divide by n).
     */
    static double[] initialGradientNorms(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        double[] norms = IntStream.of(Cnn.CONV, Cnn.DENSE, Cnn.OUTPUT)
                .mapToDouble(l -> g.getGradientFor(l + "_W").norm2Number().doubleValue() / x.rows()).toArray();
        net.clear();
        return norms;
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new CnnInitReport(spec, split, shape, initCheck).of(results);
    }
}
