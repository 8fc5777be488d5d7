package gdlab.experiment.cnninit;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Cnn;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.SeedBands;
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
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.discrepancy;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.measures;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * The seed's training loop for a convolutional net, in DL4J: a small CNN on the 8x8 digits (convolution 3x3 ->
 * max pooling -> dense -> softmax) trained by minibatches over epochs, swept over hidden activation x weight
 * initialization x optimizer. Per cell it measures the gradient norm of each layer at initialization (on the whole
 * training set, before any update), the test accuracy after every epoch, and after training whether the hidden
 * units of the convolution and dense layers are still copies of each other (symmetry).
 */
public final class CnnInit implements Experiment {
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "adam");
    static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "tanh", "sigmoid");
    /** the poor initializations, for the sigmoid finding */
    static final List<String> POOR = List.of("zero", "small-uniform");
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
    static final List<String> METRICS = Metric.names(DECLARED);
    static final List<String> CURVE = List.of("epoch", "updates", "train_loss", "test_accuracy", "epoch_ms");

    private Spec spec;
    private Split split;
    private DataType dtype;
    private List<InitRow> initCheck;

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
                Param.choice("data", List.of("digits"), false, "the data set (8x8 images)"),
                Param.realIn("test_fraction", 0.05, 0.9, false, "share of examples held out for test accuracy"),
                Param.integer("split_seed", 0, Integer.MAX_VALUE, false, "seed of the train/test split"),
                Param.integer("max_examples", 0, Integer.MAX_VALUE, false,
                        "use only this many examples (0 = all)"),
                Param.integer("filters", 1, 256, false, "convolution filters (3x3)"),
                Param.integer("hidden", 1, 4096, false, "units in the dense layer"),
                Param.choice("activation", ACTIVATIONS, true, "sweep axis: activation of the convolution and "
                        + "dense layers"),
                Param.choice("init", Cnn.INITS, true, "sweep axis: weight initialization of every layer "
                        + "(zero, U(-s, s) with s = small_uniform_scale, DL4J's XAVIER, DL4J's RELU = He)"),
                Param.real("small_uniform_scale", 0, false, "s of the small-uniform initialization U(-s, s)"),
                Param.choice("optimizer", OPTIMIZERS, true, "sweep axis: sgd, momentum (heavy ball, mu 0.9), adam"),
                Param.real("lr_sgd", 0, false, "learning rate of sgd"),
                Param.real("lr_momentum", 0, false, "learning rate of momentum"),
                Param.real("lr_adam", 0, false, "learning rate of adam"),
                Param.choice("dtype", Networks.DTYPES, false, "ND4J data type"),
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
        Dataset data = Datasets.load(spec.string("data"));
        if (data.numFeatures() != 64) {
            throw new BadInputException("data set " + data.name() + " has " + data.numFeatures()
                    + " features; the CNN needs 8x8 = 64");
        }
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
        this.initCheck = initCheck();
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

    private MultiLayerNetwork build(String activation, String init, String optimizer, double lr, long seed) {
        return Cnn.digits(spec.integer("filters"), spec.integer("hidden"), activation, init,
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

        // gradient of the mean training loss at the initial weights (DL4J's gradient() holds the SUM over the
        // examples after computeGradientAndScore, so divide by n)
        double[] norms = initialGradientNorms(net, x, y);

        double target = spec.real("target_accuracy");
        List<List<Object>> curve = new ArrayList<>();
        curve.add(List.of(0, 0L, net.score(new org.nd4j.linalg.dataset.DataSet(x, y)),
                Tensors.accuracy(net.output(xTest), test.labels()), 0.0));
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

        double[][] conv = Cnn.unitParams(net, Cnn.CONV);
        double[][] dense = Cnn.unitParams(net, Cnn.DENSE);
        double convScale = Cnn.scale(conv);
        double denseScale = Cnn.scale(dense);
        List<Object> metrics = Arrays.asList(train.size(), test.size(), net.numParams(), t.initialLoss(),
                norms[0], norms[1], norms[2], norms[0] / norms[2], t.epochs().size(), t.finalLoss(),
                diverged ? Double.NaN : lastAccuracy[0], toTarget[0], conv.length,
                Cnn.distinctUnits(conv, SAME_UNIT_RELATIVE * convScale), Cnn.spread(conv), convScale, dense.length,
                Cnn.distinctUnits(dense, SAME_UNIT_RELATIVE * denseScale), Cnn.spread(dense), denseScale,
                t.trainingMs());
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : "", Metric.inOrder(DECLARED, metrics), curve);
    }

    /** Norms of the weight gradients (conv, dense, output) of the mean training loss at the current weights. */
    static double[] initialGradientNorms(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Gradient g = net.gradient();
        double n = x.rows();
        double[] norms = new double[3];
        int[] layers = {Cnn.CONV, Cnn.DENSE, Cnn.OUTPUT};
        for (int i = 0; i < 3; i++) {
            norms[i] = g.getGradientFor(layers[i] + "_W").norm2Number().doubleValue() / n;
        }
        net.clear();
        return norms;
    }

    /** One row of the initialization check: a layer's initial weights as DL4J drew them vs the formula. */
    record InitRow(String init, String layer, int fanIn, int fanOut, String formula, double expectedStd,
                   double measuredStd, double measuredMean, int weights) {
    }

    /** Seeds pooled by the initialization check (the convolution layer alone has only 9 x filters weights). */
    static final int INIT_CHECK_SEEDS = 10;

    /**
     * The initial weights of each layer for each initialization (seeds 1..{@value #INIT_CHECK_SEEDS} pooled), their
     * measured standard deviation beside the one the initialization's formula gives, so the table shows what
     * "xavier" and "he" really drew.
     */
    private List<InitRow> initCheck() {
        List<InitRow> rows = new ArrayList<>();
        int filters = spec.integer("filters");
        int hidden = spec.integer("hidden");
        // fan-in / fan-out as DL4J defines them: convolution fanIn = channels kH kW, fanOut = filters kH kW;
        // dense fanIn = the pooled 3x3 x filters inputs
        int[][] fans = {{9, filters * 9}, {filters * 9, hidden}, {hidden, 10}};
        String[] layers = {"conv", "dense", "output"};
        int[] index = {Cnn.CONV, Cnn.DENSE, Cnn.OUTPUT};
        double s = spec.real("small_uniform_scale");
        for (String init : Cnn.INITS) {
            List<List<Double>> pooled = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (long seed = 1; seed <= INIT_CHECK_SEEDS; seed++) {
                MultiLayerNetwork net = build("relu", init, "sgd", 0.1, seed);
                for (int l = 0; l < 3; l++) {
                    for (double v : Tensors.toDoubles(net.getParam(index[l] + "_W"))) {
                        pooled.get(l).add(v);
                    }
                }
            }
            for (int l = 0; l < 3; l++) {
                double[] w = pooled.get(l).stream().mapToDouble(Double::doubleValue).toArray();
                int fanIn = fans[l][0];
                int fanOut = fans[l][1];
                String formula;
                double expected;
                switch (init) {
                    case "zero" -> {
                        formula = "0";
                        expected = 0;
                    }
                    case "small-uniform" -> {
                        formula = "U(-s, s): s / sqrt(3)";
                        expected = s / Math.sqrt(3);
                    }
                    case "xavier" -> {
                        formula = "sqrt(2 / (fanIn + fanOut))";
                        expected = Math.sqrt(2.0 / (fanIn + fanOut));
                    }
                    default -> {
                        formula = "sqrt(2 / fanIn)";
                        expected = Math.sqrt(2.0 / fanIn);
                    }
                }
                double mean = Arrays.stream(w).average().orElse(Double.NaN);
                double sd = Math.sqrt(Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / w.length);
                rows.add(new InitRow(init, layers[l], fanIn, fanOut, formula, expected, sd, mean, w.length));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------------------------------------ summary

    /** The seeds of one (optimizer, activation, init) combination. */
    static final class Group {
        final String optimizer;
        final String activation;
        final String init;
        final List<CellResult> cells = new ArrayList<>();

        Group(Cell c) {
            optimizer = c.get("optimizer");
            activation = c.get("activation");
            init = c.get("init");
        }

        Stats stats(String column) {
            return Stats.of(cells.stream().map(r -> (Number) r.metric(column)).toList());
        }

        int reached() {
            return (int) cells.stream().filter(r -> r.metric("epochs_to_target") != null).count();
        }

        int maxOf(String column) {
            return (int) cells.stream().mapToDouble(r -> r.number(column)).max().orElse(Double.NaN);
        }

        String label() {
            return activation + " + " + init;
        }
    }

    @Override
    public Report summarize(List<CellResult> results) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (CellResult r : results) {
            Cell c = r.cell();
            groups.computeIfAbsent(c.get("optimizer") + "|" + c.get("activation") + "|" + c.get("init"),
                    k -> new Group(c)).cells.add(r);
        }
        int budget = spec.integer("max_epochs");
        String targetPct = Table.readable(100 * spec.real("target_accuracy")) + "%";
        Table csv = new Table("optimizer", "lr", "activation", "init", "seeds", "diverged", "test_accuracy_mean",
                "test_accuracy_std", "test_accuracy_ci95", "reached_target", "epochs_to_target_mean",
                "epochs_to_target_std", "final_train_loss_mean", "final_train_loss_std", "grad_ratio_first_last_mean",
                "grad_ratio_first_last_std", "grad_norm_conv_mean", "grad_norm_dense_mean", "grad_norm_output_mean",
                "conv_filters", "conv_distinct_max", "conv_spread_max", "conv_scale_max", "dense_units",
                "dense_distinct_max", "dense_spread_max", "dense_scale_max");
        Table md = new Table("optimizer", "activation", "init", "test_accuracy", "epochs_to_" + targetPct,
                "grad_ratio_first_last", "grad_norm_output", "distinct_filters", "distinct_dense_units",
                "final_train_loss");
        for (Group g : groups.values()) {
            long diverged = g.cells.stream().filter(r -> r.status() != CellResult.Status.OK).count();
            Stats acc = g.stats("test_accuracy");
            Stats epochs = g.stats("epochs_to_target");
            Stats ratio = g.stats("grad_ratio_first_last");
            csv.add(g.optimizer, g.cells.get(0).cell().real("lr"), g.activation, g.init, g.cells.size(), diverged,
                    acc.mean(), acc.std(), acc.ci95(), g.reached(), epochs.mean(), epochs.std(),
                    g.stats("final_train_loss").mean(), g.stats("final_train_loss").std(), ratio.mean(), ratio.std(),
                    g.stats("grad_norm_conv").mean(), g.stats("grad_norm_dense").mean(),
                    g.stats("grad_norm_output").mean(), g.maxOf("conv_filters"), g.maxOf("conv_distinct"),
                    max(g, "conv_spread"), max(g, "conv_scale"),
                    g.maxOf("dense_units"), g.maxOf("dense_distinct"), max(g, "dense_spread"), max(g, "dense_scale"));
            md.add(g.optimizer, g.activation, g.init, acc.pretty(),
                    g.reached() == 0 ? "not in " + budget + " (0/" + g.cells.size() + ")"
                            : epochs.pretty() + " (" + g.reached() + "/" + g.cells.size() + ")",
                    ratio.n() == 0 ? "0/0" : ratio.pretty(), g.stats("grad_norm_output").pretty(),
                    distinct(g, "conv_distinct", "conv_filters"), distinct(g, "dense_distinct", "dense_units"),
                    g.stats("final_train_loss").pretty());
        }

        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Data: digits, %d training / %d test examples (8x8, standardized "
                        + "pixels). CNN: conv 3x3 x%s -> max-pool 2x2 -> dense %s -> softmax 10 (%s), batch %s, "
                        + "%d epochs, shuffled every epoch; learning rates sgd %s, momentum %s (heavy ball, mu 0.9), "
                        + "adam %s; mean ± std over %d seeds.%n%n",
                split.train().size(), split.test().size(), spec.string("filters"), spec.string("hidden"),
                spec.string("dtype"), spec.string("batch_size"), budget, spec.string("lr_sgd"),
                spec.string("lr_momentum"), spec.string("lr_adam"), Harness.seeds(spec).size()));
        for (String opt : spec.list("optimizer")) {
            text.append("### Test accuracy after ").append(budget).append(" epochs, ").append(opt)
                    .append(" (rows: activation, columns: init)\n\n");
            text.append(pivot(groups, opt, g -> g.stats("test_accuracy").pretty())).append('\n');
            text.append("Epochs to ").append(targetPct).append(" test accuracy, ").append(opt).append(":\n\n");
            text.append(pivot(groups, opt, g -> g.reached() == 0 ? "never"
                    : g.stats("epochs_to_target").pretty() + (g.reached() < g.cells.size()
                    ? " (" + g.reached() + "/" + g.cells.size() + ")" : ""))).append('\n');
        }
        text.append("### Gradient norm ratio first / last layer at initialization (conv W vs output W)\n\n");
        text.append(pivot(groups, spec.list("optimizer").get(0), g -> {
            Stats r = g.stats("grad_ratio_first_last");
            return r.n() == 0 ? "0/0" : r.pretty();
        })).append('\n');
        text.append("""
                The ratio is ||dL/dW|| of the convolution layer over that of the output layer, of the mean \
                training loss at the initial weights, before any update (the same for every optimizer). Far \
                below 1: the first layer barely learns at first (vanishing gradient); 0/0: both are exactly 0.

                """);
        text.append("### All combinations\n\n").append(md.toMarkdown()).append('\n');
        text.append(String.format(Locale.ROOT, """
                Columns: test_accuracy after the last epoch; epochs_to_%s: first epoch whose test accuracy \
                reached it (k/n seeds that did); grad_norm_output: ||dL/dW|| of the output layer at initialization (how \
                big the first updates are); distinct_filters / distinct_dense_units: how many different \
                hidden units the trained layer has (units whose weights and bias agree to %s of the layer's largest \
                parameter count as one), worst seed, out of the layer's units. %s

                """, targetPct, Table.readable(SAME_UNIT_RELATIVE), Trainer.DIVERGENCE_RULE));
        text.append("### Initial weights as DL4J draws them: measured vs the formula\n\n");
        text.append("Each layer's weights of seeds 1.." + INIT_CHECK_SEEDS + " pooled; the standard error of a "
                + "measured std is about std / sqrt(2 x weights).\n\n");
        Table init = new Table("init", "layer", "fan_in", "fan_out", "weights", "formula_std", "expected_std",
                "measured_std", "measured_mean");
        initCheck.forEach(r -> init.add(r.init(), r.layer(), r.fanIn(), r.fanOut(), r.weights(), r.formula(),
                r.expectedStd(), r.measuredStd(), r.measuredMean()));
        text.append(init.toMarkdown()).append('\n');

        text.append("### What the run shows\n\n").append(String.join("\n", findings(groups))).append("\n");
        List<Claim> claims = CnnInitClaims.of(groups, spec.list("optimizer"), split.train().numClasses(),
                split.test().size(), spec.real("among_best_margin"));
        return new Report(csv, text.toString(), false, figures(groups), claims);
    }

    private static double max(Group g, String column) {
        return g.cells.stream().mapToDouble(r -> r.number(column)).max().orElse(Double.NaN);
    }

    private static String distinct(Group g, String distinct, String units) {
        return g.maxOf(distinct) + "/" + g.maxOf(units);
    }

    private String pivot(Map<String, Group> groups, String optimizer, java.util.function.Function<Group, String> f) {
        List<String> inits = spec.list("init");
        List<String> header = new ArrayList<>(List.of("activation"));
        header.addAll(inits);
        Table t = new Table(header);
        for (String act : spec.list("activation")) {
            List<Object> row = new ArrayList<>(List.of(act));
            for (String init : inits) {
                Group g = groups.get(optimizer + "|" + act + "|" + init);
                row.add(g == null ? "-" : f.apply(g));
            }
            t.add(row);
        }
        return t.toMarkdown();
    }

    /** The numbers behind the claims, in words. */
    private List<String> findings(Map<String, Group> groups) {
        List<String> lines = new ArrayList<>();
        // 1. symmetry: zero init leaves the hidden units identical; the same check on the other inits finds them
        // different
        List<Group> zero = groups.values().stream().filter(g -> g.init.equals("zero")).toList();
        List<Group> random = groups.values().stream().filter(g -> !g.init.equals("zero")).toList();
        if (!zero.isEmpty()) {
            double spreadConv = zero.stream().mapToDouble(g -> max(g, "conv_spread")).max().orElse(Double.NaN);
            double spreadDense = zero.stream().mapToDouble(g -> max(g, "dense_spread")).max().orElse(Double.NaN);
            List<String> moved = zero.stream().filter(g -> max(g, "dense_scale") > 0).map(Group::label).distinct()
                    .toList();
            List<String> stayed = zero.stream().filter(g -> max(g, "dense_scale") == 0).map(Group::label)
                    .distinct().toList();
            lines.add(String.format(Locale.ROOT, "- **Zero initialization**: after training, the largest "
                            + "difference between any unit and unit 0 is %s "
                            + "(convolution) and %s (dense). The dense weights moved in %s: identical copies, not "
                            + "merely untouched zeros. They stayed exactly 0 in %s (an activation with f(0) = 0 "
                            + "passes 0 forward, so no gradient reaches the hidden weights; only the output biases "
                            + "learn, which is why those nets predict one class).",
                    Table.readable(spreadConv), Table.readable(spreadDense),
                    moved.isEmpty() ? "no combination" : String.join(", ", moved),
                    stayed.isEmpty() ? "no combination" : String.join(", ", stayed)));
        }
        if (!random.isEmpty()) {
            int minConv = random.stream().mapToInt(g -> g.cells.stream()
                    .mapToInt(r -> (int) r.number("conv_distinct")).min().orElse(0)).min().orElse(0);
            int minDense = random.stream().mapToInt(g -> g.cells.stream()
                    .mapToInt(r -> (int) r.number("dense_distinct")).min().orElse(0)).min().orElse(0);
            double minSpread = random.stream().mapToDouble(g -> g.cells.stream()
                    .mapToDouble(r -> r.number("dense_spread")).min().orElse(Double.NaN)).min()
                    .orElse(Double.NaN);
            lines.add(String.format(Locale.ROOT, "- The same check on the random initializations: at least %d of "
                            + "%s filters and %d of %s dense units distinct, dense spread at least %s: the check "
                            + "does tell units apart.", minConv, spec.string("filters"), minDense,
                    spec.string("hidden"), Table.readable(minSpread)));
        }
        // 2. sigmoid with a poor init learns slowly
        for (String opt : spec.list("optimizer")) {
            List<String> parts = new ArrayList<>();
            for (String init : spec.list("init")) {
                Group g = groups.get(opt + "|sigmoid|" + init);
                if (g != null) {
                    parts.add(init + " " + g.stats("test_accuracy").pretty() + " (" + toTarget(g) + ")");
                }
            }
            Group reluHe = groups.get(opt + "|relu|he");
            if (!parts.isEmpty()) {
                lines.add("- Sigmoid, " + opt + ": test accuracy (epochs to target) by init: "
                        + String.join("; ", parts) + (reluHe == null ? "" : "; relu + he for comparison "
                        + reluHe.stats("test_accuracy").pretty() + " (" + toTarget(reluHe) + ")") + ".");
            }
        }
        // tiny weights stall every activation under plain steps: all gradients are small, not only the first layer's
        for (String act : spec.list("activation")) {
            String first = spec.list("optimizer").get(0);
            Group small = groups.get(first + "|" + act + "|small-uniform");
            Group xavier = groups.get(first + "|" + act + "|xavier");
            if (small == null || xavier == null || act.equals("sigmoid")) {
                continue;
            }
            List<String> accs = new ArrayList<>();
            for (String opt : spec.list("optimizer")) {
                Group g = groups.get(opt + "|" + act + "|small-uniform");
                if (g != null) {
                    accs.add(opt + " " + g.stats("test_accuracy").pretty());
                }
            }
            lines.add(String.format(Locale.ROOT, "- %s + small-uniform: output-layer gradient at initialization %s "
                            + "vs %s with xavier (all layers' gradients are small, the first/last ratio is %s); test "
                            + "accuracy %s.", act, small.stats("grad_norm_output").pretty(),
                    xavier.stats("grad_norm_output").pretty(), small.stats("grad_ratio_first_last").pretty(),
                    String.join(", ", accs)));
        }
        return lines;
    }

    private static String toTarget(Group g) {
        return g.reached() == 0 ? "never" : g.stats("epochs_to_target").pretty() + " epochs"
                + (g.reached() < g.cells.size() ? ", " + g.reached() + "/" + g.cells.size() + " seeds" : "");
    }

    private List<Figure> figures(Map<String, Group> groups) {
        List<Figure> figures = new ArrayList<>();
        for (String opt : spec.list("optimizer")) {
            List<Figure.Series> series = new ArrayList<>();
            for (Group g : groups.values()) {
                if (!g.optimizer.equals(opt)) {
                    continue;
                }
                List<double[]> xs = new ArrayList<>();
                List<double[]> ys = new ArrayList<>();
                for (CellResult r : g.cells) {
                    xs.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(0)).doubleValue()).toArray());
                    ys.add(r.curve().stream().mapToDouble(p -> ((Number) p.get(3)).doubleValue()).toArray());
                }
                series.add(SeedBands.overSeeds(g.label(), xs, ys, false));
            }
            figures.add(new Figure.Lines("test-accuracy-" + opt, "Test accuracy per epoch, " + opt
                    + " (mean over seeds)", "epoch", "test accuracy", false, false, series));
        }
        List<String> cats = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        String first = spec.list("optimizer").get(0);
        for (Group g : groups.values()) {
            double ratio = g.stats("grad_ratio_first_last").mean();
            if (g.optimizer.equals(first) && ratio > 0) { // a log axis: zero init's 0 and 0/0 are left out
                cats.add(g.label());
                ratios.add(ratio);
            }
        }
        if (!cats.isEmpty()) {
            // log10 on a linear axis: the plotter cannot draw bars on a log axis
            figures.add(new Figure.Bars("gradient-ratio", "Gradient norm, first / last layer, at initialization "
                    + "(log10; zero init left out)", "log10(||dL/dW conv|| / ||dL/dW output||)", false, cats,
                    ratios.stream().mapToDouble(Math::log10).toArray(), null));
        }
        return figures;
    }
}
