package gdlab.experiment.remedies;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.report.Binomial;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;

/**
 * Vanishing gradients, and relu with He init or batch normalization as remedies: a deep MLP on the digits
 * ({@code van_layers} hidden layers of {@code van_width} units) with sigmoid and Xavier init ({@code off}), relu with
 * He init ({@code relu-he}), or sigmoid with a BatchNormalization layer before each activation ({@code batchnorm}).
 * The norm of the mean gradient of the first layer's weights over the output layer's at initialisation, and the test
 * accuracy after training. Batch normalization has no twin in the reference, so its backprop gradient is checked
 * against central differences of DL4J's training-mode score (batch statistics, as backprop uses them), on the first
 * training minibatch (what SGD steps on) and on the whole training set as one batch.
 */
final class VanishingPart extends Part {
    static final String NAME = "vanishing";
    static final List<String> REMEDIES = List.of("relu-he", "batchnorm");
    /** Orders of magnitude: a remedy lifts the ratio at least this many times in every seed pair. */
    static final double LIFT = 100;
    /** Finite-difference step and the agreement required: |backprop - fd| <= ABS + REL |fd|. */
    static final double FD_STEP = 1e-5;
    static final double FD_ABS = 1e-8;
    static final double FD_REL = 1e-4;

    static final Claim HE_LIFTS = finding("he_relu_lifts_ratio", "Relu with He init lifts the deep net's "
            + "first-layer over output-layer gradient norm at initialization by two orders of magnitude or more over "
            + "sigmoid's, in every seed.");
    static final Claim BN_LIFTS = finding("batchnorm_lifts_ratio", "Batch normalization lifts the same ratio of "
            + "the sigmoid net by two orders of magnitude or more, in every seed.");
    static final Claim REMEDIES_LEARN = finding("remedies_learn", "The remedied deep nets reach a higher test "
            + "accuracy than the deep sigmoid net (pooled Wilson 95% intervals apart).");
    static final Claim BN_GRADIENT = integrity("batchnorm_gradient_checked", "DL4J's backprop gradient of the "
            + "batch-normalized net equals central finite differences of its score on a training minibatch.");
    static final Claim BN_FULL_BATCH = finding("batchnorm_full_batch_gradient", "The same check holds with the "
            + "whole training set as one batch.");

    private Split split;
    private int[] sizes;
    private int batch;
    private int epochs;

    VanishingPart() {
        super(NAME, "5. Vanishing gradients: relu with He init, batch normalization", List.of(
                        measure("grad_norm_first"), measure("grad_norm_last"), measure("first_over_last"),
                        measure("test_accuracy"), measure("final_train_loss"), measure("fd_checked"),
                        measure("fd_worst_excess"), measure("fd_full_worst_excess")),
                HE_LIFTS, BN_LIFTS, REMEDIES_LEARN, BN_GRADIENT, BN_FULL_BATCH);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("van_remedies", REMEDIES, true, "vanishing: remedies beside the deep sigmoid net"),
                Param.integer("van_layers", 1, 100, false, "vanishing: hidden layers"),
                Param.integer("van_width", 1, 4096, false, "vanishing: units per hidden layer"),
                Param.real("van_lr", 0, false, "vanishing: SGD learning rate"),
                Param.integer("van_batch", 2, 1_000_000, false, "vanishing: minibatch size (>= 2 for batch norm)"),
                Param.integer("van_epochs", 1, 100_000, false, "vanishing: epoch budget"),
                Param.integer("van_examples", 0, Integer.MAX_VALUE, false, "vanishing: digits examples used "
                        + "(0 = all), a fifth held out"),
                Param.integer("van_seeds", 1, 1000, false, "vanishing: seeds 1..n"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        split = Split.of(Datasets.load("digits"), 0.2, 42, spec.integer("van_examples"));
        batch = Math.min(spec.integer("van_batch"), split.train().size());
        epochs = spec.integer("van_epochs");
        int layers = spec.integer("van_layers");
        sizes = deepSizes(split.train().numFeatures(), spec.integer("van_width"), layers,
                split.train().numClasses());
        String kase = String.format(Locale.ROOT, "digits %d-%dx%d-%d, B = %d", sizes[0], sizes[1], layers,
                sizes[layers + 1], batch);
        return offAndRemedies(NAME, kase, spec.list("van_remedies"), spec.string("van_lr"),
                spec.integer("van_seeds"));
    }

    @Override
    protected Outcome run(Cell cell) {
        String remedy = cell.get("remedy");
        long seed = cell.longValue("seed");
        boolean bn = remedy.equals("batchnorm");
        MultiLayerNetwork net = Networks.deepClassifier(sizes, remedy.equals("relu-he") ? "relu" : "sigmoid",
                remedy.equals("relu-he") ? WeightInit.RELU : WeightInit.XAVIER, bn, new Sgd(cell.real("lr")), seed,
                DataType.DOUBLE);
        INDArray x = Tensors.matrix(split.train().features(), DataType.DOUBLE);
        INDArray y = Tensors.oneHot(split.train().labels(), split.train().numClasses(), DataType.DOUBLE);
        String first = "0_W";
        String last = (net.getnLayers() - 1) + "_W";
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        Map<String, INDArray> grads = net.gradient().gradientForVariable();
        double gFirst = grads.get(first).norm2Number().doubleValue() / x.rows();
        double gLast = grads.get(last).norm2Number().doubleValue() / x.rows();
        int checked = 0;
        double worst = Double.NaN;
        double worstFull = Double.NaN;
        if (bn) {
            List<String> keys = List.of(first, "1_gamma", "1_beta", last);
            double[] fd = finiteDifferenceCheck(net, new DataSet(x.getRows(range(batch)), y.getRows(range(batch))),
                    keys);
            checked = (int) fd[0];
            worst = fd[1];
            worstFull = finiteDifferenceCheck(net, new DataSet(x, y), keys)[1];
        }
        net.clear();
        Trainer.Outcome o = Trainer.train(net, x, y, Trainer.Options.of(batch, epochs, Double.NaN, seed)
                .classifier(split.train().numClasses()), null);
        double accuracy = Tensors.accuracy(net.output(Tensors.matrix(split.test().features(), DataType.DOUBLE)),
                split.test().labels());
        Curve curve = new Curve().add("train_loss", 0, o.initialLoss());
        o.epochs().forEach(e -> curve.add("train_loss", e.epoch(), e.trainLoss()));
        Metric.Values v = Metric.values(metrics).put("grad_norm_first", gFirst).put("grad_norm_last", gLast)
                .put("first_over_last", gFirst / gLast).put("test_accuracy", accuracy)
                .put("final_train_loss", o.finalLoss()).put("fd_checked", checked).put("fd_worst_excess", worst)
                .put("fd_full_worst_excess", worstFull);
        return Outcome.of(o.status() == Trainer.Status.DIVERGED, o.stopReason(), v.map(), curve);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /**
     * Five entries of each named parameter: DL4J's mean backprop gradient against the central difference of its
     * training-mode score; returns {entries checked, worst |g - fd| / (ABS + REL |fd|)} (at most 1 passes).
     */
    static double[] finiteDifferenceCheck(MultiLayerNetwork net, DataSet data, List<String> keys) {
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        Map<String, INDArray> grads = net.gradient().gradientForVariable();
        long n = data.getFeatures().rows();
        int checked = 0;
        double worst = 0;
        for (String key : keys) {
            INDArray param = net.getParam(key);
            INDArray grad = grads.get(key);
            long rows = param.rows();
            for (int k = 0; k < 5; k++) {
                // by (row, column): parameter views are 'f'-ordered, so a flat index would not match the gradient's
                long i = (k * param.length()) / 5;
                long r = i % rows;
                long c = i / rows;
                double original = param.getDouble(r, c);
                param.putScalar(r, c, original + FD_STEP);
                double up = net.score(data, true);
                param.putScalar(r, c, original - FD_STEP);
                double down = net.score(data, true);
                param.putScalar(r, c, original);
                double fd = (up - down) / (2 * FD_STEP);
                double g = grad.getDouble(r, c) / n;
                worst = Math.max(worst, Math.abs(g - fd) / (FD_ABS + FD_REL * Math.abs(fd)));
                checked++;
            }
        }
        return new double[] {checked, worst};
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<SeedGroup> groups = SeedGroup.by(rows, "remedy");
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("remedy", g -> g.get("remedy"))
                .add("seeds", SeedGroup::size).add("diverged", SeedGroup::diverged)
                .add("first_over_last_min", g -> g.cells().stream().mapToDouble(r -> r.number("first_over_last"))
                        .min().orElse(Double.NaN))
                .add("first_over_last_max", g -> g.cells().stream().mapToDouble(r -> r.number("first_over_last"))
                        .max().orElse(Double.NaN));
        statsColumn(table, "test_accuracy", g -> g.stats("test_accuracy"));
        statsColumn(table, "final_train_loss", g -> g.stats("final_train_loss"));
        CellResult any = rows.get(0);
        String text = String.format(Locale.ROOT, "%s, %d training / %d test examples (standardized), SGD lr %s for "
                        + "%d epochs. off: sigmoid, Xavier init; relu-he: relu, He init; batchnorm: sigmoid, Xavier, a "
                        + "BatchNormalization layer before each activation. first_over_last: norm of the mean gradient "
                        + "of the first layer's weights over the output layer's, over the whole training set at "
                        + "initialisation. %s%n%n", coord(any, "case"), split.train().size(), split.test().size(),
                coord(any, "lr"), epochs, Trainer.DIVERGENCE_RULE);
        return new Section(text + table.markdown(groups).toMarkdown(), table.csv(groups), List.of(),
                claims(groups, split.test().size()));
    }

    private static List<Claim> claims(List<SeedGroup> groups, int tests) {
        SeedGroup off = groups.stream().filter(g -> g.get("remedy").equals(OFF)).findFirst().orElse(null);
        SeedGroup he = groups.stream().filter(g -> g.get("remedy").equals("relu-he")).findFirst().orElse(null);
        SeedGroup bn = groups.stream().filter(g -> g.get("remedy").equals("batchnorm")).findFirst().orElse(null);
        List<Claim> out = new ArrayList<>(List.of(lift(HE_LIFTS, off, he), lift(BN_LIFTS, off, bn)));
        String expectLearn = "each remedy's pooled test-accuracy interval above the sigmoid net's";
        List<SeedGroup> remedies = groups.stream().filter(g -> !g.get("remedy").equals(OFF)).toList();
        if (off == null || remedies.isEmpty()) {
            out.add(notTested(REMEDIES_LEARN, "needs the sigmoid net and a remedy", expectLearn));
        } else {
            double[] base = pooled(off, tests);
            List<boolean[]> compared = new ArrayList<>();
            List<String> measured = new ArrayList<>(List.of("off " + Table.readable(off.stats("test_accuracy")
                    .mean())));
            List<String> support = new ArrayList<>();
            for (SeedGroup g : remedies) {
                double[] ci = pooled(g, tests);
                compared.add(new boolean[] {ci[0] + ci[1] > base[0] + base[1], ci[0] > base[1] || base[0] > ci[1]});
                measured.add(g.get("remedy") + " " + Table.readable(g.stats("test_accuracy").mean()));
                support.add(String.format(Locale.ROOT, "pooled Wilson 95%% CIs (%d tests) %s: %s [%s, %s] vs off "
                                + "[%s, %s]", tests * g.size(), compared.get(compared.size() - 1)[1] ? "apart"
                                : "overlap", g.get("remedy"), Table.readable(ci[0]), Table.readable(ci[1]),
                        Table.readable(base[0]), Table.readable(base[1])));
            }
            out.add(judged(REMEDIES_LEARN, "mean test accuracy " + String.join(", ", measured), expectLearn,
                    allAsStated(compared), String.join("; ", support)));
        }
        String expectFd = "|backprop - fd| <= " + Table.readable(FD_ABS) + " + " + Table.readable(FD_REL)
                + " |fd| for every checked entry (worst ratio <= 1)";
        if (bn == null) {
            out.add(notTested(BN_GRADIENT, "the run has no batchnorm cells", expectFd));
        } else {
            double worst = bn.cells().stream().mapToDouble(r -> r.number("fd_worst_excess")).max().orElse(Double.NaN);
            int checked = (int) bn.cells().stream().mapToDouble(r -> r.number("fd_checked")).sum();
            out.add(verdict(BN_GRADIENT, checked + " entries (first W, first BN gamma and beta, output W) on the "
                    + "first minibatch, worst ratio " + Table.readable(worst), expectFd, checked > 0 && worst <= 1,
                    "bound |backprop - fd| <= " + Table.readable(FD_ABS) + " + " + Table.readable(FD_REL) + " |fd|"));
        }
        if (bn == null) {
            out.add(notTested(BN_FULL_BATCH, "the run has no batchnorm cells", expectFd));
        } else {
            double worstFull = bn.cells().stream().mapToDouble(r -> r.number("fd_full_worst_excess")).max()
                    .orElse(Double.NaN);
            out.add(verdict(BN_FULL_BATCH, "the same entries on the whole training set as one batch, worst ratio "
                    + "" + Table.readable(worstFull), expectFd, worstFull <= 1, "bound |backprop - fd| <= "
                    + Table.readable(FD_ABS) + " + " + Table.readable(FD_REL) + " |fd|"));
        }
        return out;
    }

    private static Claim lift(Claim claim, SeedGroup off, SeedGroup remedy) {
        String expected = "remedy's smallest ratio >= " + Table.readable(LIFT) + " x the sigmoid net's largest";
        if (off == null || remedy == null) {
            return notTested(claim, "needs the sigmoid net and the remedy", expected);
        }
        double offMax = off.cells().stream().mapToDouble(r -> r.number("first_over_last")).max().orElseThrow();
        double remedyMin = remedy.cells().stream().mapToDouble(r -> r.number("first_over_last")).min().orElseThrow();
        return verdict(claim, String.format(Locale.ROOT, "sigmoid up to %s, %s from %s: lifted >= %sx",
                Table.readable(offMax), remedy.get("remedy"), Table.readable(remedyMin),
                Table.readable(remedyMin / offMax)), expected, remedyMin >= LIFT * offMax, "bound " + Table.readable(
                LIFT) + "x, every seed against every seed (" + remedy.size() + " vs " + off.size() + ")");
    }

    /** Wilson 95% interval of the test accuracy pooled over a group's seeds. */
    private static double[] pooled(SeedGroup g, int tests) {
        int correct = (int) Math.round(g.cells().stream().mapToDouble(r -> r.number("test_accuracy") * tests).sum());
        return Binomial.wilson(correct, tests * g.size());
    }
}
