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
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;

/**
 * Exploding gradients from a bad initialisation, and clipping or a proper init as remedies: a deep relu MLP on the
 * digits whose weights are drawn N(0, {@code exp_sigma}^2), far above He's 2/fan_in, so activations and gradients grow
 * by about sigma sqrt(width / 2) per layer ({@code off}); the same init with DL4J's ClipL2PerLayer ({@code clip-l2});
 * or He init ({@code he}). The norm of the mean gradient at initialisation, and whether SGD at {@code exp_lr} stays
 * stable.
 */
final class ExplodingPart extends Part {
    static final String NAME = "exploding";
    static final List<String> REMEDIES = List.of("clip-l2", "he");
    /** Orders of magnitude: the bad init's gradient is at least this many times He init's in every seed pair. */
    static final double EXPLODED = 100;

    static final Claim EXPLODES = finding("bad_init_gradient_explodes", "With the large-variance init the deep "
            + "relu net's gradient norm at initialization is at least two orders of magnitude above He init's, in "
            + "every seed.");
    static final Claim CLIPPING_STABLE = finding("clipping_keeps_bad_init_stable", "From the bad init, clipping "
            + "the gradients keeps SGD stable where it diverges without (stable shares' Wilson 95% intervals apart).");
    static final Claim HE_LEARNS = finding("he_init_learns", "With He init the same net is stable in every seed "
            + "and learns: its pooled test accuracy's Wilson 95% interval lies above chance and above the bad "
            + "init's.");

    private Split split;
    private int[] sizes;
    private int batch;
    private int epochs;
    private double sigma;
    private double threshold;

    ExplodingPart() {
        super(NAME, "6. Exploding gradients from a bad init: clipping and a proper init", List.of(
                        measure("grad_norm_init"), measure("stable"), measure("initial_train_loss"),
                        measure("final_train_loss"), measure("test_accuracy")),
                EXPLODES, CLIPPING_STABLE, HE_LEARNS);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("exp_remedies", REMEDIES, true, "exploding: remedies beside the bad init"),
                Param.real("exp_sigma", 0, false, "exploding: std of the bad init's weights"),
                Param.integer("exp_layers", 1, 100, false, "exploding: hidden layers"),
                Param.integer("exp_width", 1, 4096, false, "exploding: units per hidden layer"),
                Param.real("exp_lr", 0, false, "exploding: SGD learning rate"),
                Param.real("exp_threshold", 0, false, "exploding: ClipL2PerLayer threshold"),
                Param.integer("exp_batch", 1, 1_000_000, false, "exploding: minibatch size"),
                Param.integer("exp_epochs", 1, 100_000, false, "exploding: epoch budget"),
                Param.integer("exp_examples", 0, Integer.MAX_VALUE, false, "exploding: digits examples used "
                        + "(0 = all), a fifth held out"),
                Param.integer("exp_seeds", 1, 1000, false, "exploding: seeds 1..n"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        split = Split.of(Datasets.load("digits"), 0.2, 42, spec.integer("exp_examples"));
        batch = Math.min(spec.integer("exp_batch"), split.train().size());
        epochs = spec.integer("exp_epochs");
        sigma = spec.real("exp_sigma");
        threshold = spec.real("exp_threshold");
        int layers = spec.integer("exp_layers");
        sizes = deepSizes(split.train().numFeatures(), spec.integer("exp_width"), layers,
                split.train().numClasses());
        String kase = String.format(Locale.ROOT, "digits %d-%dx%d-%d relu, B = %d", sizes[0], sizes[1], layers,
                sizes[layers + 1], batch);
        return offAndRemedies(NAME, kase, spec.list("exp_remedies"), spec.string("exp_lr"),
                spec.integer("exp_seeds"));
    }

    @Override
    protected Outcome run(Cell cell) {
        String remedy = cell.get("remedy");
        long seed = cell.longValue("seed");
        MultiLayerNetwork net;
        if (remedy.equals("he")) {
            net = Networks.deepClassifier(sizes, "relu", WeightInit.RELU, false, new Sgd(cell.real("lr")), seed,
                    DataType.DOUBLE);
        } else {
            net = Networks.classifier(sizes, "relu", new Sgd(cell.real("lr")), seed, DataType.DOUBLE,
                    remedy.equals("clip-l2") ? GradientNormalization.ClipL2PerLayer : GradientNormalization.None,
                    threshold);
            // the bad init: every weight N(0, sigma^2) from the cell's own seeded generator (biases stay 0)
            java.util.Random random = new java.util.Random(seed);
            for (int l = 0; l < net.getnLayers(); l++) {
                INDArray w = net.getParam(l + "_W");
                double[][] values = new double[(int) w.rows()][(int) w.columns()];
                for (double[] row : values) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] = sigma * random.nextGaussian();
                    }
                }
                w.assign(Tensors.matrix(values, DataType.DOUBLE));
            }
        }
        INDArray x = Tensors.matrix(split.train().features(), DataType.DOUBLE);
        INDArray y = Tensors.oneHot(split.train().labels(), split.train().numClasses(), DataType.DOUBLE);
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        double gradNorm = net.gradient().gradient().norm2Number().doubleValue() / x.rows();
        net.clear();
        Trainer.Outcome o = Trainer.train(net, x, y, Trainer.Options.of(batch, epochs, Double.NaN, seed)
                .classifier(split.train().numClasses()), null);
        boolean diverged = o.status() == Trainer.Status.DIVERGED;
        double accuracy = Tensors.accuracy(net.output(Tensors.matrix(split.test().features(), DataType.DOUBLE)),
                split.test().labels());
        Curve curve = new Curve().add("train_loss", 0, o.initialLoss());
        o.epochs().forEach(e -> curve.add("train_loss", e.epoch(), e.trainLoss()));
        Metric.Values v = Metric.values(metrics).put("grad_norm_init", gradNorm).put("stable", diverged ? 0 : 1)
                .put("initial_train_loss", o.initialLoss()).put("final_train_loss", o.finalLoss())
                .put("test_accuracy", diverged || !Double.isFinite(accuracy) ? null : accuracy);
        return Outcome.of(diverged, o.stopReason(), v.map(), curve);
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<SeedGroup> groups = SeedGroup.by(rows, "remedy");
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("remedy", g -> g.get("remedy"))
                .add("seeds", SeedGroup::size).add("stable", g -> (g.size() - g.diverged()) + "/" + g.size());
        statsColumn(table, "grad_norm_init", g -> g.stats("grad_norm_init"));
        statsColumn(table, "initial_train_loss", g -> g.stats("initial_train_loss"));
        statsColumn(table, "final_train_loss", g -> g.stats("final_train_loss"));
        statsColumn(table, "test_accuracy", g -> g.stats("test_accuracy"));
        CellResult any = rows.get(0);
        String text = String.format(Locale.ROOT, "%s, %d training examples, SGD lr %s for %d epochs. off and "
                        + "clip-l2: every weight N(0, %s^2), biases 0; clip-l2: DL4J's ClipL2PerLayer at %s; he: He "
                        + "init. grad_norm_init: norm of the mean gradient of all parameters over the training set. "
                        + "%s%n%n", coord(any, "case"), split.train().size(), coord(any, "lr"), epochs,
                Table.readable(sigma), Table.readable(threshold), Trainer.DIVERGENCE_RULE);
        return new Section(text + table.markdown(groups).toMarkdown(), table.csv(groups), List.of(), claims(groups,
                split.test().size(), split.train().numClasses()));
    }

    private static List<Claim> claims(List<SeedGroup> groups, int tests, int classes) {
        SeedGroup off = groups.stream().filter(g -> g.get("remedy").equals(OFF)).findFirst().orElse(null);
        SeedGroup he = groups.stream().filter(g -> g.get("remedy").equals("he")).findFirst().orElse(null);
        List<Claim> out = new ArrayList<>();
        String expectExplode = "bad init's smallest gradient norm >= " + Table.readable(EXPLODED) + " x He's largest";
        if (off == null || he == null) {
            out.add(notTested(EXPLODES, "needs the bad init and he", expectExplode));
        } else {
            double offMin = off.cells().stream().mapToDouble(r -> r.number("grad_norm_init")).min().orElseThrow();
            double heMax = he.cells().stream().mapToDouble(r -> r.number("grad_norm_init")).max().orElseThrow();
            out.add(verdict(EXPLODES, "bad init from " + Table.readable(offMin) + ", He up to "
                    + Table.readable(heMax), expectExplode, offMin >= EXPLODED * heMax, "bound "
                    + Table.readable(EXPLODED) + "x, every seed against every seed (" + off.size() + " vs "
                    + he.size() + ")"));
        }
        SeedGroup clip = groups.stream().filter(g -> g.get("remedy").equals("clip-l2")).findFirst().orElse(null);
        String expectStable = "clip-l2's stable share interval above the bad init's";
        if (off == null || clip == null) {
            out.add(notTested(CLIPPING_STABLE, "needs the bad init and clip-l2", expectStable));
        } else {
            String measured = shareText(off) + ", " + shareText(clip);
            double[] c = share(clip);
            double[] o = share(off);
            out.add(!wilsonCanSeparate(clip.size(), off.size()) ? cannotReach(CLIPPING_STABLE, measured, expectStable,
                    "too few seeds: even all vs none stable cannot put the Wilson 95% intervals apart")
                    : judged(CLIPPING_STABLE, measured, expectStable, allAsStated(List.<boolean[]>of(new boolean[] {
                    clip.diverged() * off.size() < off.diverged() * clip.size(), c[0] > o[1] || o[0] > c[1]})),
                    "Wilson 95% CIs " + wilsonText("clip-l2", (int) (clip.size() - clip.diverged()), clip.size())
                            + " vs " + wilsonText(OFF, (int) (off.size() - off.diverged()), off.size())));
        }
        String expectLearn = "he: every seed stable; pooled test accuracy interval above 1/classes and above the "
                + "bad init's";
        if (off == null || he == null) {
            out.add(notTested(HE_LEARNS, "needs the bad init and he", expectLearn));
        } else {
            double[] a = accuracy(he, tests);
            double[] b = accuracy(off, tests);
            double chance = 1.0 / classes;
            String support = String.format(Locale.ROOT, "pooled Wilson 95%% CIs (%d tests): he [%s, %s] vs bad "
                            + "init [%s, %s] and chance %s; stable share %s", tests * he.size(), Table.readable(a[0]),
                    Table.readable(a[1]), Table.readable(b[0]), Table.readable(b[1]), Table.readable(chance),
                    wilsonText("he", (int) (he.size() - he.diverged()), he.size()));
            out.add(judged(HE_LEARNS, String.format(Locale.ROOT, "%s; test accuracy he %s..%s, bad init %s..%s",
                    shareText(he), Table.readable(a[0]), Table.readable(a[1]), Table.readable(b[0]),
                    Table.readable(b[1])), expectLearn, he.diverged() > 0 ? Claim.Verdict.DOES_NOT_HOLD
                    : allAsStated(List.of(new boolean[] {a[0] + a[1] > 2 * chance, a[0] > chance || a[1] < chance},
                    new boolean[] {a[0] + a[1] > b[0] + b[1], a[0] > b[1] || b[0] > a[1]})), support));
        }
        return out;
    }

    /** Pooled test accuracy's Wilson 95% interval; a diverged seed counts as chance (it has no accuracy). */
    private static double[] accuracy(SeedGroup g, int tests) {
        double correct = 0;
        for (CellResult r : g.cells()) {
            Object a = r.metric("test_accuracy");
            correct += a == null ? 0 : ((Number) a).doubleValue() * tests;
        }
        return Binomial.wilson((int) Math.round(correct), tests * g.size());
    }

    private static double[] share(SeedGroup g) {
        return Binomial.wilson((int) (g.size() - g.diverged()), g.size());
    }

    private static String shareText(SeedGroup g) {
        double[] ci = share(g);
        return String.format(Locale.ROOT, "%s %d/%d stable (%s..%s)", g.get("remedy"), g.size() - g.diverged(),
                g.size(), Table.readable(ci[0]), Table.readable(ci[1]));
    }
}
