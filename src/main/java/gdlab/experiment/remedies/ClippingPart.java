package gdlab.experiment.remedies;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.report.Binomial;
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
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.RampSchedule;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;

/**
 * Instability at a large learning rate, and gradient clipping and warmup as its remedies: minibatch SGD on a digits
 * MLP over a grid of learning rates, without a remedy ({@code off}), with each of DL4J's per-layer gradient
 * normalizations ({@code clip-l2}: ClipL2PerLayer, {@code clip-value}: ClipElementWiseAbsoluteValue,
 * {@code renormalize}: RenormalizeL2PerLayer) at {@code clip_threshold}, or with a linear warmup of the learning rate
 * over the first epoch (DL4J's RampSchedule). A learning rate is stable for a remedy when no seed diverges (Trainer's
 * rule); the largest stable lr of each remedy is compared with the failure's.
 */
final class ClippingPart extends Part {
    static final String NAME = "clipping";
    static final List<String> REMEDIES = List.of("clip-l2", "clip-value", "renormalize", "warmup");
    static final List<String> CLIPPING = List.of("clip-l2", "clip-value", "renormalize");

    static final Claim CLIPPING_RAISES = finding("clipping_raises_stable_lr", "Gradient clipping raises the "
            + "largest stable learning rate: for each clipping mode, at its largest stable lr (no seed diverges) the "
            + "net without a remedy diverges, the two shares of stable seeds' 95% intervals apart.");
    static final Claim WARMUP_RAISES = finding("warmup_raises_stable_lr", "A warmup of the learning rate over the "
            + "first epoch raises the largest stable learning rate likewise.");

    private Split split;
    private int[] sizes;
    private int batch;
    private int epochs;
    private double threshold;

    ClippingPart() {
        super(NAME, "3. Instability at a large learning rate: gradient clipping and warmup", List.of(
                        measure("stable"), measure("final_train_loss"), measure("test_accuracy")),
                CLIPPING_RAISES, WARMUP_RAISES);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.real("clip_lr", 0, true, "clipping: learning rates"),
                Param.choice("clip_remedies", REMEDIES, true, "clipping: remedies beside none"),
                Param.real("clip_threshold", 0, false, "clipping: threshold of the gradient normalization"),
                Param.integer("clip_hidden", 1, 4096, false, "clipping: hidden units of the digits MLP (relu)"),
                Param.integer("clip_batch", 1, Integer.MAX_VALUE, false, "clipping: minibatch size"),
                Param.integer("clip_epochs", 1, 100_000, false, "clipping: epoch budget"),
                Param.integer("clip_examples", 0, Integer.MAX_VALUE, false, "clipping: digits examples used "
                        + "(0 = all), a fifth held out"),
                Param.integer("clip_seeds", 1, 1000, false, "clipping: seeds 1..n (init and shuffles)"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        split = Split.of(Datasets.load("digits"), 0.2, 42, spec.integer("clip_examples"));
        batch = spec.integer("clip_batch");
        if (batch > split.train().size()) {
            throw new BadInputException("bad value '" + batch + "' for clip_batch: larger than the "
                    + split.train().size() + " training examples; allowed: an integer from 1 to "
                    + split.train().size());
        }
        epochs = spec.integer("clip_epochs");
        threshold = spec.real("clip_threshold");
        sizes = new int[] {split.train().numFeatures(), spec.integer("clip_hidden"), split.train().numClasses()};
        List<String> remedies = new ArrayList<>(List.of(OFF));
        remedies.addAll(spec.list("clip_remedies"));
        String kase = String.format(Locale.ROOT, "digits %d-%d-%d relu, B = %d", sizes[0], sizes[1], sizes[2], batch);
        List<Map<String, String>> cells = new ArrayList<>();
        for (String remedy : remedies) {
            for (String lr : spec.list("clip_lr")) {
                for (int s = 1; s <= spec.integer("clip_seeds"); s++) {
                    cells.add(coords(NAME, kase, remedy, lr, s));
                }
            }
        }
        return cells;
    }

    @Override
    protected Outcome run(Cell cell) {
        String remedy = cell.get("remedy");
        double lr = cell.real("lr");
        long seed = cell.longValue("seed");
        int perEpoch = (split.train().size() + batch - 1) / batch;
        Sgd sgd = remedy.equals("warmup") ? new Sgd(new RampSchedule(new FixedSchedule(lr), perEpoch)) : new Sgd(lr);
        GradientNormalization norm = CLIPPING.contains(remedy) ? Networks.gradientNormalization(remedy)
                : GradientNormalization.None;
        MultiLayerNetwork net = Networks.classifier(sizes, "relu", sgd, seed, DataType.DOUBLE, norm, threshold);
        Trainer.Outcome o = Trainer.train(net, Tensors.matrix(split.train().features(), DataType.DOUBLE),
                Tensors.oneHot(split.train().labels(), split.train().numClasses(), DataType.DOUBLE),
                Trainer.Options.of(batch, epochs, Double.NaN, seed).classifier(split.train().numClasses()), null);
        boolean diverged = o.status() == Trainer.Status.DIVERGED;
        double accuracy = Tensors.accuracy(net.output(Tensors.matrix(split.test().features(), DataType.DOUBLE)),
                split.test().labels());
        Curve curve = new Curve().add("train_loss", 0, o.initialLoss());
        o.epochs().forEach(e -> curve.add("train_loss", e.epoch(), e.trainLoss()));
        Metric.Values v = Metric.values(metrics).put("stable", diverged ? 0 : 1).put("final_train_loss",
                o.finalLoss()).put("test_accuracy", diverged || !Double.isFinite(accuracy) ? null : accuracy);
        return Outcome.of(diverged, o.stopReason(), v.map(), curve);
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<SeedGroup> groups = SeedGroup.by(rows, "remedy", "lr");
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("remedy", g -> g.get("remedy"))
                .add("lr", g -> g.real("lr")).add("seeds", SeedGroup::size)
                .add("stable", g -> (g.size() - g.diverged()) + "/" + g.size());
        statsColumn(table, "final_train_loss", g -> g.stats("final_train_loss"));
        statsColumn(table, "test_accuracy", g -> g.stats("test_accuracy"));
        List<String> remedies = groups.stream().map(g -> g.get("remedy")).distinct().toList();
        StringBuilder edges = new StringBuilder("Largest stable lr (no seed diverges):");
        for (String remedy : remedies) {
            edges.append(' ').append(remedy).append(' ').append(largestStable(groups, remedy)
                    .map(g -> g.get("lr")).orElse("none")).append(';');
        }
        CellResult any = rows.get(0);
        String text = String.format(Locale.ROOT, "%s, %d training / %d test examples (standardized), Xavier init, "
                        + "SGD for %d epochs. clip-l2: each layer's gradient scaled down to L2 norm %s when above it; "
                        + "clip-value: each element clipped to +-%s; renormalize: each layer's gradient scaled to norm "
                        + "1; warmup: lr ramped linearly over the first epoch. %s%n%n%s%n%n",
                coord(any, "case"), split.train().size(), split.test().size(), epochs, Table.readable(threshold),
                Table.readable(threshold), Trainer.DIVERGENCE_RULE, edges.toString().replaceAll(";$", "."));
        return new Section(text + table.markdown(groups).toMarkdown(), table.csv(groups), List.of(figure(groups)),
                List.of(raises(CLIPPING_RAISES, groups, CLIPPING), raises(WARMUP_RAISES, groups, List.of("warmup"))));
    }

    static java.util.Optional<SeedGroup> largestStable(List<SeedGroup> groups, String remedy) {
        return groups.stream().filter(g -> g.get("remedy").equals(remedy) && g.diverged() == 0)
                .max(Comparator.comparingDouble(g -> g.real("lr")));
    }

    private static Claim raises(Claim claim, List<SeedGroup> groups, List<String> remedies) {
        String expected = "at the remedy's largest stable lr, the Wilson 95% interval of its stable share above the "
                + "interval of no remedy's";
        List<String> present = remedies.stream().filter(r -> groups.stream().anyMatch(g -> g.get("remedy")
                .equals(r))).toList();
        if (present.isEmpty() || groups.stream().noneMatch(g -> g.get("remedy").equals(OFF))) {
            return notTested(claim, "the run has none of " + remedies + " beside off", expected);
        }
        List<boolean[]> compared = new ArrayList<>();
        List<String> measured = new ArrayList<>();
        List<String> support = new ArrayList<>();
        boolean reachable = true;
        String offEdge = largestStable(groups, OFF).map(g -> g.get("lr")).orElse("none");
        for (String remedy : present) {
            SeedGroup edge = largestStable(groups, remedy).orElse(null);
            SeedGroup off = edge == null ? null : groups.stream().filter(g -> g.get("remedy").equals(OFF)
                    && g.get("lr").equals(edge.get("lr"))).findFirst().orElse(null);
            if (edge == null || off == null) {
                compared.add(new boolean[] {false, false});
                measured.add(remedy + (edge == null ? ": no stable lr" : ": no run without a remedy at lr "
                        + edge.get("lr")));
                continue;
            }
            int kRemedy = (int) (edge.size() - edge.diverged());
            int kOff = (int) (off.size() - off.diverged());
            double[] a = Binomial.wilson(kRemedy, edge.size());
            double[] b = Binomial.wilson(kOff, off.size());
            reachable &= wilsonCanSeparate(edge.size(), off.size());
            compared.add(new boolean[] {kRemedy * off.size() > kOff * edge.size(), a[0] > b[1] || b[0] > a[1]});
            measured.add(remedy + " stable up to lr " + edge.get("lr") + " (" + kRemedy + "/" + edge.size()
                    + "); off at that lr " + kOff + "/" + off.size());
            support.add("Wilson 95% CIs at lr " + edge.get("lr") + ": " + wilsonText(remedy, kRemedy, edge.size())
                    + " vs " + wilsonText(OFF, kOff, off.size()));
        }
        String text = "off stable up to lr " + offEdge + "; " + String.join("; ", measured);
        if (!reachable) {
            return cannotReach(claim, text, expected, "too few seeds: even all vs none stable cannot put the Wilson "
                    + "95% intervals apart (4 or more seeds a side can)");
        }
        return judged(claim, text, expected, allAsStated(compared), String.join("; ", support));
    }

    private static Figure figure(List<SeedGroup> groups) {
        List<Figure.Series> series = new ArrayList<>();
        for (String remedy : groups.stream().map(g -> g.get("remedy")).distinct().toList()) {
            List<SeedGroup> mine = groups.stream().filter(g -> g.get("remedy").equals(remedy)).toList();
            series.add(Figure.Series.line(remedy, mine.stream().mapToDouble(g -> g.real("lr")).toArray(),
                    mine.stream().mapToDouble(g -> (double) (g.size() - g.diverged()) / g.size()).toArray()));
        }
        return new Figure.Lines("clipping", "Share of seeds that stay stable, by learning rate", "learning rate",
                "stable share", true, false, series);
    }
}
