package gdlab.experiment.failure;

import gdlab.data.Dataset;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.Mlp;
import gdlab.experiment.GdMode;
import gdlab.experiment.Keys;
import gdlab.report.Binomial;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
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
 * Part 4, vanishing gradients: a deep MLP (deep_layers hidden layers of deep_width units) on {@code data} (the digits
 * by default) with each activation, Xavier init; the norm of the mean gradient of each layer's weights (DL4J's
 * computeGradientAndScore over the whole training set, divided by N) at initialisation and after training, and the
 * accuracy reached. The norms are crosschecked with the reference Mlp from DL4J's own parameters, before and after
 * training.
 */
final class VanishingPart extends Part {
    static final String NAME = "vanishing";
    /** DL4J and reference layer norms (DOUBLE) must agree to this relative error. */
    static final double AGREE_TOL = 1e-8;

    static final Claim SIGMOID_VANISHES = finding("sigmoid_gradient_vanishes", "The deep sigmoid net's "
            + "first-layer gradient is at least two orders of magnitude below its output layer's at initialization.");
    static final Claim SIGMOID_CHANCE = finding("sigmoid_accuracy_at_chance", "The deep sigmoid net's test "
            + "accuracy stays at chance.");
    static final Claim FLAT = finding("tanh_relu_flat", "Tanh and relu nets' gradients stay flat across "
            + "layers: first-layer over output-layer norm above 0.01 at initialization.");
    static final Claim LEARN = finding("tanh_relu_learn", "Tanh and relu nets learn: their test accuracy is "
            + "above chance (chance outside its 95% interval) and their training loss below ln(classes).");
    /** A final training loss at or above this share of ln(classes) is a net that did not train (chance level). */
    static final double UNTRAINED = 0.95;
    static final Claim VANISHING_AGREE = integrity("vanishing_engines_agree", "DL4J's per-layer gradient "
            + "norms equal the reference Mlp's from the same parameters.");
    /** Two orders of magnitude: the first-over-output ratio at or below it is a vanishing gradient. */
    static final double VANISHED = 0.01;

    private Split split;
    private DataType dtype;
    private int layers;
    private int width;
    private int batchSize;
    private int epochs;

    VanishingPart() {
        super(NAME, "4. Vanishing gradients: gradient norm per layer in a deep MLP", List.of(
                measure("grad_norm_first_init"), measure("grad_norm_last_init"), measure("first_over_last_init"),
                measure("grad_norm_first_trained"), measure("grad_norm_last_trained"),
                measure("first_over_last_trained"), measure("ref_agree"), measure("test_accuracy"),
                measure("final_train_loss"), timing("train_ms")), SIGMOID_VANISHES, SIGMOID_CHANCE, FLAT, LEARN,
                VANISHING_AGREE);
    }

    @Override
    protected List<Param> params() {
        List<Param> params = new ArrayList<>(Common.dataParams());
        params.addAll(List.of(
                Param.integer("deep_layers", 1, 100, false, "vanishing: hidden layers"),
                Param.integer("deep_width", 1, 4096, false, "vanishing: units per hidden layer"),
                Param.choice("deep_activations", Networks.ACTIVATIONS, true, "vanishing: hidden activations"),
                Param.choice("deep_optimizer", Optimizers.UPDATERS, false, "vanishing: optimizer"),
                Param.real("deep_lr", 0, false, "vanishing: learning rate"),
                Param.integer("deep_batch_size", 1, Integer.MAX_VALUE, false, "vanishing: minibatch size"),
                Param.integer("deep_epochs", 1, 100_000, false, "vanishing: training epochs"),
                Param.integer("deep_seeds", 1, 1000, false, "vanishing: initialisations per activation (seeds 1..n)"),
                Keys.dtype("vanishing: ND4J data type of the deep MLPs")));
        return params;
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
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
                        GdMode.of(batchSize, split.train().size()),
                        "activation=" + act, seed));
            }
        }
        return cells;
    }

    private String caseName() {
        return String.format(Locale.ROOT, "%s %d-%dx%d-%d", Common.dataName(split.train()),
                split.train().numFeatures(), width, layers, split.train().numClasses());
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
    protected Outcome run(Cell cell) {
        String act = cell.get("setting").substring("activation=".length());
        long seed = cell.longValue("seed");
        int[] sizes = sizes();
        Dataset train = split.train();
        MultiLayerNetwork net = Networks.classifier(sizes, act, Optimizers.updater(cell.get("optimizer"),
                cell.real("lr")), seed, dtype);
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        double[][] yRef = train.oneHot();
        Mlp mlp = Common.classifier(sizes, act);

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
        curve.trainLoss(o.initialLoss(), o.epochs(), Trainer.Epoch::epoch);
        int last = init.length - 1;
        Metric.Values v = Metric.values(metrics).put("grad_norm_first_init", init[0])
                .put("grad_norm_last_init", init[last])
                .put("first_over_last_init", init[0] / init[last])
                .put("grad_norm_first_trained", trained[0]).put("grad_norm_last_trained", trained[last])
                .put("first_over_last_trained", trained[0] / trained[last])
                .put("ref_agree", maxRel <= AGREE_TOL ? 1 : 0).put("test_accuracy", accuracy)
                .put("final_train_loss", o.finalLoss())
                .put("train_ms", ms);
        return Outcome.of(o.status() == Trainer.Status.DIVERGED, o.stopReason(), v.map(), curve);
    }

    static double relDiff(double a, double b) {
        if (a == b) {
            return 0;
        }
        return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<SeedGroup> groups = SeedGroup.by(rows, "setting");
        Map<String, List<CellResult>> byAct = new LinkedHashMap<>();
        groups.forEach(g -> byAct.put(activation(g), g.cells()));
        int nLayers = layers + 1;
        List<String> columns = new ArrayList<>(List.of("layer", "weights"));
        for (String act : byAct.keySet()) {
            columns.add(act + "_init");
            columns.add(act + "_trained");
        }
        Table perLayer = new Table(columns);
        int[] sizes = sizes();
        Map<String, double[][]> means = new LinkedHashMap<>();
        for (Map.Entry<String, List<CellResult>> e : byAct.entrySet()) {
            double[][] m = new double[2][nLayers];
            for (int l = 0; l < nLayers; l++) {
                final int layer = l + 1;
                for (int s = 0; s < 2; s++) {
                    String series = s == 0 ? "grad_norm_init" : "grad_norm_trained";
                    m[s][l] = Stats.of(e.getValue().stream().flatMap(r -> points(r).stream())
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
        Columns<SeedGroup> table = new Columns<SeedGroup>().csv("case", g -> coord(g.cells().get(0), "case"))
                .add("activation", VanishingPart::activation).add("seeds", SeedGroup::size)
                .csv("grad_norm_first_init", g -> g.stats("grad_norm_first_init").mean())
                .markdown("first_layer_init", g -> g.stats("grad_norm_first_init").pretty())
                .csv("grad_norm_last_init", g -> g.stats("grad_norm_last_init").mean())
                .markdown("output_layer_init", g -> g.stats("grad_norm_last_init").pretty())
                .csv("first_over_last_init", g -> g.stats("first_over_last_init").mean())
                .markdown("first/output init", g -> g.stats("first_over_last_init").pretty())
                .csv("first_over_last_trained", g -> g.stats("first_over_last_trained").mean())
                .markdown("first/output trained", g -> g.stats("first_over_last_trained").pretty())
                .csv("test_accuracy_mean", g -> g.stats("test_accuracy").mean())
                .csv("test_accuracy_std", g -> g.stats("test_accuracy").std())
                .markdown("test_accuracy", g -> g.stats("test_accuracy").pretty())
                .csv("final_train_loss_mean", g -> g.stats("final_train_loss").mean())
                .markdown("final_train_loss", g -> g.stats("final_train_loss").pretty())
                .csv("ref_max_rel_diff", VanishingPart::groupRelDiff)
                .markdown("dl4j_vs_reference_max_rel_diff", VanishingPart::groupRelDiff);
        List<String> disagree = groups.stream().filter(g -> !(groupRelDiff(g) <= AGREE_TOL)
                || g.count(r -> r.number("ref_agree") != 1) > 0)
                .map(g -> activation(g) + " " + Table.readable(groupRelDiff(g))).toList();
        CellResult any = rows.get(0);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s: %d hidden layers of %d units, softmax output, Xavier init, "
                        + "%s lr %s, batch size %d, %d epochs, %s; %d training / %d test examples. Norm of the mean "
                        + "gradient of each layer's weights over the whole training set (DL4J's summed gradient from "
                        + "computeGradientAndScore divided by N), mean over seeds, at initialisation and after "
                        + "training. Every norm is recomputed by the reference Mlp from DL4J's parameters. %s%n%n",
                coord(any, "case"), layers, width, coord(any, "optimizer"), coord(any, "lr"), batchSize, epochs,
                dtype.name().toLowerCase(Locale.ROOT), split.train().size(), split.test().size(),
                Trainer.DIVERGENCE_RULE));
        text.append(perLayer.toMarkdown()).append('\n');
        text.append(table.markdown(groups).toMarkdown()).append('\n');
        return new Section(text.toString(), table.csv(groups), figures(means), claims(byAct, split.test().size(),
                split.train().numClasses(), disagree, AGREE_TOL));
    }

    static List<Claim> claims(Map<String, List<CellResult>> byAct, int tests, int classes, List<String> disagree,
                                 double tol) {
        List<String> sigmoid = byAct.containsKey("sigmoid") ? List.of("sigmoid") : List.of();
        List<String> others = byAct.keySet().stream().filter(a -> a.equals("tanh") || a.equals("relu")).toList();
        String chance = "1/" + classes + " inside the Wilson 95% interval of the pooled test accuracy";
        String above = "1/" + classes + " below the Wilson 95% interval of the pooled test accuracy, final training "
                + "loss below " + Table.readable(UNTRAINED) + " ln " + classes;
        return List.of(
                ratio(SIGMOID_VANISHES, byAct, sigmoid, true, classes), accuracy(SIGMOID_CHANCE, byAct, sigmoid, tests,
                        classes, true, chance),
                ratio(FLAT, byAct, others, false, classes), accuracy(LEARN, byAct, others, tests, classes, false, above),
                verdict(VANISHING_AGREE, disagree.isEmpty() ? "every layer norm of every cell" : "max relative diff: "
                        + String.join(", ", disagree), "relative difference <= " + Table.readable(tol),
                        disagree.isEmpty(), Support.bound(tol)));
    }

    /** The activations whose nets did not train: mean final training loss at chance level (ln(classes)). */
    private static List<String> untrained(Map<String, List<CellResult>> byAct, List<String> acts, int classes) {
        return acts.stream().filter(a -> finalLoss(byAct.get(a)) >= UNTRAINED * Math.log(classes)).toList();
    }

    private static double finalLoss(List<CellResult> rs) {
        return Stats.of(rs.stream().mapToDouble(r -> r.number("final_train_loss")).toArray()).mean();
    }

    private static String lossAgainstChance(String activation, List<CellResult> rs, int classes) {
        return String.format(Locale.ROOT, "%s final training loss %s vs ln %d = %s", activation,
                Table.readable(finalLoss(rs)), classes, Table.readable(Math.log(classes)));
    }

    /**
     * The first-over-output gradient ratio at initialization against {@link #VANISHED}. "Flat" (not vanishing) is
     * only said of nets that trained: a net still at chance (loss ln(classes)) shows nothing about what a flat
     * gradient does for learning, so the claim is not tested for it.
     */
    private static Claim ratio(Claim check, Map<String, List<CellResult>> byAct, List<String> acts, boolean vanish,
                               int classes) {
        String expected = (vanish ? "<= " : "> ") + Table.readable(VANISHED) + " in every seed"
                + (vanish ? "" : ", in nets that trained");
        if (acts.isEmpty()) {
            return notTested(check, "the run has no such activation in deep_activations", expected);
        }
        List<CellResult> rs = acts.stream().flatMap(a -> byAct.get(a).stream()).toList();
        String measured = String.join(", ", rs.stream().map(r -> coord(r, "setting") + " seed " + coord(r, "seed")
                + ": " + Table.readable(r.number("first_over_last_init"))).toList());
        List<String> untrained = vanish ? List.of() : untrained(byAct, acts, classes);
        if (!untrained.isEmpty()) {
            return notTested(check, measured + "; but " + String.join(", ", untrained.stream().map(a ->
                    lossAgainstChance(a, byAct.get(a), classes)).toList()) + ": it did not train, so the run "
                    + "cannot call its gradient flat (not vanishing) in a net that learns", expected);
        }
        return verdict(check, measured, expected, rs.stream()
                .allMatch(r -> vanish == r.number("first_over_last_init") <= VANISHED), "bound "
                + Table.readable(VANISHED) + " on every seed's ratio");
    }

    private static Claim accuracy(Claim check, Map<String, List<CellResult>> byAct, List<String> acts, int tests,
                                  int classes, boolean atChance, String expected) {
        if (acts.isEmpty()) {
            return notTested(check, "the run has no such activation in deep_activations", expected);
        }
        boolean holds = true;
        boolean untrained = false;
        List<String> measured = new ArrayList<>();
        List<String> support = new ArrayList<>();
        for (String a : acts) {
            List<CellResult> rs = byAct.get(a);
            int correct = (int) Math.round(rs.stream().mapToDouble(r -> r.number("test_accuracy") * tests).sum());
            double[] ci = Binomial.wilson(correct, tests * rs.size());
            holds &= atChance ? ci[0] <= 1.0 / classes && 1.0 / classes <= ci[1] : ci[0] > 1.0 / classes;
            untrained |= finalLoss(rs) >= UNTRAINED * Math.log(classes);
            measured.add(String.format(Locale.ROOT, "%s accuracy %d/%d, %s", a, correct, tests * rs.size(),
                    lossAgainstChance(a, rs, classes)));
            support.add(a + " " + Support.binomial(correct, tests * rs.size()));
        }
        String backing = String.join("; ", support) + "; loss against " + Table.readable(UNTRAINED) + " ln "
                + classes;
        if (atChance) {
            return verdict(check, String.join(", ", measured), expected, holds, backing);
        }
        // "it learns" needs both: accuracy above chance beyond the interval and a loss that left ln(classes)
        return verdict(check, String.join(", ", measured), expected, holds && !untrained ? Claim.Verdict.HOLDS
                : untrained ? Claim.Verdict.DOES_NOT_HOLD : Claim.Verdict.NOT_DISTINGUISHABLE, backing);
    }


    private static String activation(SeedGroup g) {
        return g.get("setting").substring("activation=".length());
    }

    /** Largest relative difference between DL4J's and the reference's layer norms over a group's cells. */
    private static double groupRelDiff(SeedGroup g) {
        return g.cells().stream().mapToDouble(VanishingPart::maxRelDiff).max().orElse(Double.NaN);
    }

    /** Largest relative difference between DL4J's and the reference's layer norms of one cell (from its curve). */
    static double maxRelDiff(CellResult r) {
        Map<String, Double> dl4j = new LinkedHashMap<>();
        Map<String, Double> ref = new LinkedHashMap<>();
        for (Map<String, Object> c : points(r)) {
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
