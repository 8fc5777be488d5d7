package gdlab.experiment.failure;

import gdlab.data.Dataset;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.timing;

/**
 * Part 4, vanishing gradients: a deep MLP (deep_layers hidden layers of deep_width units) on the digits with each
 * activation, Xavier init; the norm of the mean gradient of each layer's weights (DL4J's computeGradientAndScore over
 * the whole training set, divided by N) at initialisation and after training, and the accuracy reached. The norms are
 * crosschecked with the reference Mlp from DL4J's own parameters, before and after training.
 */
final class VanishingPart implements Part {
    static final String NAME = "vanishing";
    /** DL4J and reference layer norms (DOUBLE) must agree to this relative error. */
    static final double AGREE_TOL = 1e-8;

    static final List<Metric> METRICS = List.of(measure("grad_norm_first_init"), measure("grad_norm_last_init"),
            measure("first_over_last_init"), measure("grad_norm_first_trained"), measure("grad_norm_last_trained"),
            measure("first_over_last_trained"), measure("ref_agree"), measure("test_accuracy"),
            measure("final_train_loss"), timing("train_ms"));
    static final List<String> CURVE = List.of("engine", "series", "step", "value");

    private Split split;
    private DataType dtype;
    private int layers;
    private int width;
    private int batchSize;
    private int epochs;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String title() {
        return "4. Vanishing gradients: gradient norm per layer in a deep MLP";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Common.DATA, Common.TEST_FRACTION, Common.SPLIT_SEED, Common.MAX_EXAMPLES,
                Param.integer("deep_layers", 1, 100, false, "vanishing: hidden layers"),
                Param.integer("deep_width", 1, 4096, false, "vanishing: units per hidden layer"),
                Param.choice("deep_activations", Networks.ACTIVATIONS, true, "vanishing: hidden activations"),
                Param.choice("deep_optimizer", Optimizers.UPDATERS, false, "vanishing: optimizer"),
                Param.real("deep_lr", 0, false, "vanishing: learning rate"),
                Param.integer("deep_batch_size", 1, Integer.MAX_VALUE, false, "vanishing: minibatch size"),
                Param.integer("deep_epochs", 1, 100_000, false, "vanishing: training epochs"),
                Param.integer("deep_seeds", 1, 1000, false, "vanishing: initialisations per activation (seeds 1..n)"),
                Common.DTYPE);
    }

    @Override
    public List<Metric> metrics() {
        return METRICS;
    }

    @Override
    public List<String> curveColumns() {
        return CURVE;
    }

    @Override
    public List<Map<String, String>> prepare(Spec spec) {
        dtype = Networks.dtype(spec.string("dtype"));
        layers = spec.integer("deep_layers");
        width = spec.integer("deep_width");
        batchSize = spec.integer("deep_batch_size");
        epochs = spec.integer("deep_epochs");
        split = Common.split(spec);
        if (batchSize > split.train().size()) {
            throw new BadInputException("bad value '" + batchSize + "' for deep_batch_size: larger than the "
                    + split.train().size() + " training examples; allowed: an integer from 1 to "
                    + split.train().size());
        }
        List<Map<String, String>> cells = new ArrayList<>();
        for (String act : spec.list("deep_activations")) {
            for (int seed = 1; seed <= spec.integer("deep_seeds"); seed++) {
                cells.add(Part.coords(NAME, caseName(), spec.string("deep_optimizer"), spec.string("deep_lr"),
                        batchSize == split.train().size() ? "batch" : batchSize == 1 ? "stochastic" : "mini-batch",
                        "activation=" + act, seed));
            }
        }
        return cells;
    }

    private String caseName() {
        return String.format(Locale.ROOT, "%s %d-%dx%d-%d", split.train().name(), split.train().numFeatures(), width,
                layers, split.train().numClasses());
    }

    int[] sizes() {
        int[] sizes = new int[layers + 2];
        sizes[0] = split.train().numFeatures();
        for (int l = 1; l <= layers; l++) {
            sizes[l] = width;
        }
        sizes[layers + 1] = split.train().numClasses();
        return sizes;
    }

    /** Norm of the mean gradient of each layer's weights, from DL4J's summed gradient over all of x. */
    static double[] dl4jWeightGradNorms(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Map<String, INDArray> grads = net.gradient().gradientForVariable();
        double[] norms = new double[net.getnLayers()];
        for (int l = 0; l < norms.length; l++) {
            norms[l] = grads.get(l + "_W").norm2Number().doubleValue() / x.rows();
        }
        return norms;
    }

    static double[] referenceWeightGradNorms(Mlp mlp, double[] params, double[][] x, double[][] y) {
        List<Mlp.LayerNorms> norms = mlp.layerNorms(mlp.gradient(params, x, y));
        return norms.stream().mapToDouble(Mlp.LayerNorms::weights).toArray();
    }

    @Override
    public Outcome run(Cell cell) {
        String act = cell.get("setting").substring("activation=".length());
        long seed = cell.longValue("seed");
        int[] sizes = sizes();
        Dataset train = split.train();
        MultiLayerNetwork net = Networks.classifier(sizes, act, Optimizers.updater(cell.get("optimizer"),
                cell.real("lr")), seed, dtype);
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        double[][] yRef = train.oneHot();
        Mlp mlp = new Mlp(sizes, gdlab.reference.Activation.named(act), gdlab.reference.Activation.SOFTMAX, Loss.MCXENT);

        double[] init = dl4jWeightGradNorms(net, x, y);
        double[] refInit = referenceWeightGradNorms(mlp, Tensors.toDoubles(net.params()), train.features(), yRef);
        long t0 = System.nanoTime();
        Trainer.Outcome o = Trainer.train(net, x, y, Trainer.Options.of(batchSize, epochs, Double.NaN, seed)
                .classifier(train.numClasses()), null);
        double ms = (System.nanoTime() - t0) / 1e6;
        double[] trained = dl4jWeightGradNorms(net, x, y);
        double[] refTrained = referenceWeightGradNorms(mlp, Tensors.toDoubles(net.params()), train.features(), yRef);
        double maxRel = 0;
        for (int l = 0; l < init.length; l++) {
            maxRel = Math.max(maxRel, relDiff(init[l], refInit[l]));
            maxRel = Math.max(maxRel, relDiff(trained[l], refTrained[l]));
        }
        double accuracy = split.test().size() == 0 ? Double.NaN
                : Tensors.accuracy(net.output(Tensors.matrix(split.test().features(), dtype)), split.test().labels());
        Curve curve = new Curve();
        for (int l = 0; l < init.length; l++) {
            curve.add("engine", "dl4j", "series", "grad_norm_init", "step", l + 1, "value", init[l]);
            curve.add("engine", "reference", "series", "grad_norm_init", "step", l + 1, "value", refInit[l]);
            curve.add("engine", "dl4j", "series", "grad_norm_trained", "step", l + 1, "value", trained[l]);
            curve.add("engine", "reference", "series", "grad_norm_trained", "step", l + 1, "value", refTrained[l]);
        }
        curve.add("engine", "dl4j", "series", "train_loss", "step", 0, "value", o.initialLoss());
        for (Trainer.Epoch e : o.epochs()) {
            curve.add("engine", "dl4j", "series", "train_loss", "step", e.epoch(), "value", e.trainLoss());
        }
        int last = init.length - 1;
        Values v = new Values().put("grad_norm_first_init", init[0]).put("grad_norm_last_init", init[last])
                .put("first_over_last_init", init[0] / init[last])
                .put("grad_norm_first_trained", trained[0]).put("grad_norm_last_trained", trained[last])
                .put("first_over_last_trained", trained[0] / trained[last])
                .put("ref_agree", maxRel <= AGREE_TOL ? 1 : 0).put("test_accuracy", accuracy).put("final_train_loss", o.finalLoss())
                .put("train_ms", ms);
        boolean diverged = o.status() == Trainer.Status.DIVERGED;
        return new Outcome(diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? o.stopReason() : "", v.map(), curve.rows());
    }

    static double relDiff(double a, double b) {
        if (a == b) {
            return 0;
        }
        return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }

    @Override
    public Section summarize(List<Row> rows) {
        Map<String, List<Row>> byAct = new LinkedHashMap<>();
        rows.forEach(r -> byAct.computeIfAbsent(r.coord("setting").substring("activation=".length()),
                k -> new ArrayList<>()).add(r));
        int nLayers = layers + 1;
        List<String> columns = new ArrayList<>(List.of("layer", "weights"));
        for (String act : byAct.keySet()) {
            columns.add(act + "_init");
            columns.add(act + "_trained");
        }
        Table perLayer = new Table(columns);
        int[] sizes = sizes();
        Map<String, double[][]> means = new LinkedHashMap<>();
        for (Map.Entry<String, List<Row>> e : byAct.entrySet()) {
            double[][] m = new double[2][nLayers];
            for (int l = 0; l < nLayers; l++) {
                final int layer = l + 1;
                for (int s = 0; s < 2; s++) {
                    String series = s == 0 ? "grad_norm_init" : "grad_norm_trained";
                    m[s][l] = Stats.of(e.getValue().stream().flatMap(r -> r.curve().stream())
                            .filter(c -> "dl4j".equals(c.get("engine")) && series.equals(c.get("series"))
                                    && ((Number) c.get("step")).intValue() == layer)
                            .map(c -> (Number) c.get("value")).toList()).mean();
                }
            }
            means.put(e.getKey(), m);
        }
        for (int l = 0; l < nLayers; l++) {
            List<Object> row = new ArrayList<>();
            row.add(l + 1);
            row.add(sizes[l] + "x" + sizes[l + 1] + (l == nLayers - 1 ? " (output)" : ""));
            for (double[][] m : means.values()) {
                row.add(m[0][l]);
                row.add(m[1][l]);
            }
            perLayer.add(row);
        }
        Table csv = new Table("case", "activation", "seeds", "grad_norm_first_init", "grad_norm_last_init",
                "first_over_last_init", "first_over_last_trained", "test_accuracy_mean", "test_accuracy_std",
                "final_train_loss_mean", "ref_max_rel_diff");
        Table md = new Table("activation", "seeds", "first_layer_init", "output_layer_init", "first/output init",
                "first/output trained", "test_accuracy", "final_train_loss", "dl4j_vs_reference_max_rel_diff");
        List<String> disagree = new ArrayList<>();
        for (Map.Entry<String, List<Row>> e : byAct.entrySet()) {
            List<Row> rs = e.getValue();
            Stats first = col(rs, "grad_norm_first_init");
            Stats lastNorm = col(rs, "grad_norm_last_init");
            Stats ratioInit = col(rs, "first_over_last_init");
            Stats ratioTrained = col(rs, "first_over_last_trained");
            Stats acc = col(rs, "test_accuracy");
            Stats loss = col(rs, "final_train_loss");
            double rel = rs.stream().mapToDouble(VanishingPart::maxRelDiff).max().orElse(Double.NaN);
            if (!(rel <= AGREE_TOL) || rs.stream().anyMatch(r -> r.num("ref_agree") != 1)) {
                disagree.add(e.getKey() + " " + Table.readable(rel));
            }
            csv.add(rs.get(0).coord("case"), e.getKey(), rs.size(), first.mean(), lastNorm.mean(), ratioInit.mean(),
                    ratioTrained.mean(), acc.mean(), acc.std(), loss.mean(), rel);
            md.add(e.getKey(), rs.size(), first.pretty(), lastNorm.pretty(), ratioInit.pretty(), ratioTrained.pretty(),
                    acc.pretty(), loss.pretty(), rel);
        }
        Row any = rows.get(0);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s: %d hidden layers of %d units, softmax output, Xavier init, "
                        + "%s lr %s, batch size %d, %d epochs, %s; %d training / %d test examples. Norm of the mean "
                        + "gradient of each layer's weights over the whole training set (DL4J's summed gradient from "
                        + "computeGradientAndScore divided by N), mean over seeds, at initialisation and after "
                        + "training. Every norm is recomputed by the reference Mlp from DL4J's parameters. %s%n%n",
                any.coord("case"), layers, width, any.coord("optimizer"), any.coord("lr"), batchSize, epochs,
                dtype.name().toLowerCase(Locale.ROOT), split.train().size(), split.test().size(),
                Trainer.DIVERGENCE_RULE));
        text.append(perLayer.toMarkdown()).append('\n');
        text.append(md.toMarkdown()).append('\n');
        return new Section(text.toString(), csv, figures(means), Checks.vanishing(byAct, split.test().size(),
                split.train().numClasses(), disagree, AGREE_TOL));
    }

    @Override
    public List<Check> checks() {
        return Checks.VANISHING;
    }

    /** Largest relative difference between DL4J's and the reference's layer norms of one cell (from its curve). */
    static double maxRelDiff(Row r) {
        Map<String, Double> dl4j = new LinkedHashMap<>();
        Map<String, Double> ref = new LinkedHashMap<>();
        for (Map<String, Object> c : r.curve()) {
            if (String.valueOf(c.get("series")).startsWith("grad_norm")) {
                String key = c.get("series") + "/" + ((Number) c.get("step")).intValue();
                ("dl4j".equals(c.get("engine")) ? dl4j : ref).put(key, ((Number) c.get("value")).doubleValue());
            }
        }
        double max = 0;
        for (Map.Entry<String, Double> e : dl4j.entrySet()) {
            Double other = ref.get(e.getKey());
            max = Math.max(max, other == null ? Double.NaN : relDiff(e.getValue(), other));
        }
        return max;
    }

    private static Stats col(List<Row> rs, String name) {
        return Stats.of(rs.stream().map(r -> (Number) r.get(name)).toList());
    }

    private static List<Figure> figures(Map<String, double[][]> means) {
        List<Figure.Series> series = new ArrayList<>();
        for (Map.Entry<String, double[][]> e : means.entrySet()) {
            double[] layers = new double[e.getValue()[0].length];
            for (int l = 0; l < layers.length; l++) {
                layers[l] = l + 1;
            }
            series.add(Figure.Series.line(e.getKey() + " at init", layers, e.getValue()[0]));
            series.add(Figure.Series.line(e.getKey() + " trained", layers, e.getValue()[1]));
        }
        return List.of(new Figure.Lines("vanishing-gradients", "Gradient norm of each layer's weights (mean over seeds)",
                "layer (1 = input side)", "||dL/dW||", false, true, series));
    }
}
