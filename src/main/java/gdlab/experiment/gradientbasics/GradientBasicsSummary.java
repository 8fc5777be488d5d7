package gdlab.experiment.gradientbasics;

import gdlab.basics.LossFunctions;
import gdlab.basics.LossFunctions.Pairing;
import gdlab.basics.SgdSteps;
import gdlab.basics.StepDirections;
import gdlab.data.Dataset;
import gdlab.report.Columns;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/** The tables of gradient-basics' four parts, and its report; the words and figures are GradientBasicsProse. */
final class GradientBasicsSummary {
    final Spec spec;
    final double[] etas;
    final Map<String, Dataset> train;
    /** data set -> its network's hidden units */
    final Map<String, Integer> hidden;
    /** data set -> its name in figure file names */
    final Map<String, String> shortNames;
    /** data set -> its cells (in seed order) that finished */
    final Map<String, List<CellView>> byData = new LinkedHashMap<>();
    private final List<CellResult> results;

    /** One parameter block of one data set's network, over its seeds. */
    record Block(String data, String key, List<CellView> cells) {
        int layer() {
            return Integer.parseInt(key.substring(0, key.indexOf('_')));
        }

        boolean bias() {
            return key.endsWith("_b");
        }

        String layerText() {
            return layer() + " (" + layerName(layer()) + ")";
        }
    }

    private record LossRow(String data, Pairing p, List<CellView> cells) {
    }

    private record EtaRow(String data, double eta, List<CellView> cells) {
    }

    private record StepRow(String data, int step, List<CellView> cells) {
    }

    GradientBasicsSummary(Spec spec, double[] etas, Map<String, Dataset> train, Map<String, Integer> hidden,
                          Map<String, String> shortNames, List<CellResult> results) {
        this.hidden = hidden;
        this.shortNames = shortNames;
        this.spec = spec;
        this.etas = etas;
        this.train = train;
        this.results = results;
        for (SeedGroup g : SeedGroup.by(results, "data")) {
            List<CellView> ok = g.cells().stream().filter(r -> r.status() == CellResult.Status.OK)
                    .map(CellView::of).toList();
            if (!ok.isEmpty()) {
                byData.put(g.get("data"), ok);
            }
        }
    }

    Report report() {
        GradientBasicsProse prose = new GradientBasicsProse(this);
        StringBuilder md = new StringBuilder();
        md.append(prose.setting()).append("\n\n");
        md.append("## 1. What is a loss function, and what is its gradient?\n\n").append(lossTable().toMarkdown())
                .append('\n').append(lossExample()).append(prose.lossAnswer()).append("\n\n");
        md.append("## 2. Is the derivative what backprop computes?\n\n").append(gradientCheckTable().toMarkdown())
                .append('\n').append(prose.gradientCheckAnswer()).append("\n\n");
        md.append("## 3. Why step along the negative gradient?\n\n").append(directionTable().markdown(etaRows())
                .toMarkdown()).append('\n').append(prose.directionAnswer()).append("\n\n");
        md.append("## 4. How does the network learn its weights and biases?\n\n").append(sgdTable().toMarkdown())
                .append('\n').append(movedTable()).append(prose.sgdAnswer()).append("\n\n");
        return new Report(directionTable().csv(etaRows()), md.toString(), prose.figures(),
                GradientBasicsClaims.of(spec, etas, byData, results));
    }

    /** Every block of every data set, in the network's order. */
    List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        byData.forEach((data, cells) -> cells.get(0).blocks().forEach(b -> blocks.add(new Block(data, b, cells))));
        return blocks;
    }

    // ---------------------------------------------------------------- part 1

    private Table lossTable() {
        List<LossRow> rows = new ArrayList<>();
        byData.forEach((data, cells) -> Arrays.stream(Pairing.values()).forEach(p -> rows.add(new LossRow(data, p,
                cells))));
        return new Columns<LossRow>().add("data", LossRow::data).add("loss", r -> r.p().lossName)
                .add("output", r -> r.p().activationName).add("L (per example)", r -> r.p().formula)
                .add("loss_dl4j", r -> stats(r.cells(), c -> c.loss(r.p().id, "loss_dl4j")).pretty())
                .add("loss_reference", r -> stats(r.cells(), c -> c.loss(r.p().id, "loss_reference")).pretty())
                .add("max_rel_diff", r -> max(r.cells(), c -> c.lossRelDiff(r.p().id)))
                .add("dL/dz", r -> r.p().gradientFormula)
                .add("dL/dz max_abs_diff", r -> max(r.cells(), c -> c.loss(r.p().id, "gradient_max_abs_diff")))
                .add("mean |dL/dz|", r -> mean(r.cells(), c -> c.loss(r.p().id, "gradient_mean_abs")))
                .add("mean dL/dz at true class", r -> mean(r.cells(), c -> c.loss(r.p().id,
                        "gradient_true_class_mean")))
                .add("max |dL/dz - (a - y)|", r -> max(r.cells(), c -> c.loss(r.p().id,
                        "gradient_max_abs_minus_a_minus_y")))
                .markdown(rows);
    }

    /** The first example of the smallest data set (iris when it runs), class by class, first seed. */
    private String lossExample() {
        String data = byData.keySet().stream().min((a, b) -> Integer.compare(train.get(a).numClasses(),
                train.get(b).numClasses())).orElse(null);
        if (data == null) {
            return "";
        }
        CellView c = byData.get(data).get(0);
        Dataset d = train.get(data);
        String ex = LossFunctions.EXAMPLE;
        Table t = new Columns<Integer>().add("class", k -> d.classNames().get(k))
                .add("y", k -> c.m().at(ex, "example", "y", k)).add("z", k -> c.m().at(ex, "example", "z", k))
                .add("p = softmax(z)", k -> c.m().at(ex, Pairing.MCXENT_SOFTMAX.id, "output", k))
                .add("MCXENT dL/dz", k -> c.m().at(ex, Pairing.MCXENT_SOFTMAX.id, "gradient", k))
                .add("MSE dL/dz", k -> c.m().at(ex, Pairing.MSE_SOFTMAX.id, "gradient", k))
                .add("s = sigmoid(z)", k -> c.m().at(ex, Pairing.XENT_SIGMOID.id, "output", k))
                .add("XENT dL/dz", k -> c.m().at(ex, Pairing.XENT_SIGMOID.id, "gradient", k))
                .markdown(IntStream.range(0, d.numClasses()).boxed().toList());
        return String.format(Locale.ROOT, "%nOne %s example (the first, seed %d), class by class: z are the output "
                + "layer's pre-activations, y the one-hot label; the gradients are DL4J's, per example.%n%n", data,
                c.seed()) + t.toMarkdown() + "\n";
    }

    // ---------------------------------------------------------------- part 2

    private Table gradientCheckTable() {
        double tol = spec.real("fd_tolerance");
        return new Columns<Block>().add("data", Block::data).add("block", Block::key).add("layer", Block::layerText)
                .add("kind", b -> b.bias() ? "biases" : "weights").add("entries", this::entries)
                .add("checked", b -> b.cells().stream().mapToInt(c -> c.backprop(b.key()).length
                        + c.nearKink(b.key())).sum())
                .add("near a kink", b -> b.cells().stream().mapToInt(c -> c.nearKink(b.key())).sum())
                .add("median |g|", b -> median(b, c -> Arrays.stream(c.backprop(b.key())).map(Math::abs).toArray()))
                .add("rel_error (block, max)", b -> max(b.cells(), c -> c.blockRelError(b.key())))
                .add("median entry rel_error", b -> median(b, c -> c.elementRelErrors(b.key())))
                .add("worst entry rel_error", b -> worstEntry(b)[0]).add("|g| at worst", b -> worstEntry(b)[1])
                .add("max abs_error", b -> max(b.cells(), c -> c.maxAbsError(b.key())))
                .add("verdict", b -> max(b.cells(), c -> c.blockRelError(b.key())) <= tol ? "agree" : "DISAGREE")
                .markdown(blocks());
    }

    /** The largest entry relative error over the block's checked entries and seeds, and that entry's |g|. */
    private static double[] worstEntry(Block b) {
        double[] worst = {-1, Double.NaN};
        for (CellView c : b.cells()) {
            double[] bp = c.backprop(b.key());
            double[] r = c.elementRelErrors(b.key());
            for (int i = 0; i < bp.length; i++) {
                if (r[i] > worst[0]) {
                    worst = new double[]{r[i], Math.abs(bp[i])};
                }
            }
        }
        return worst;
    }

    // ---------------------------------------------------------------- part 3

    private List<EtaRow> etaRows() {
        List<EtaRow> rows = new ArrayList<>();
        byData.forEach((data, cells) -> Arrays.stream(etas).forEach(eta -> rows.add(new EtaRow(data, eta, cells))));
        return rows;
    }

    /**
     * Table 3, per data set and step size: in summary.csv with standard deviations and the losses after the steps,
     * in summary.md the means.
     */
    private Columns<EtaRow> directionTable() {
        String part = StepDirections.PART;
        Columns<EtaRow> t = new Columns<EtaRow>().add("data", EtaRow::data).csv("seeds", r -> r.cells().size())
                .add("eta", EtaRow::eta)
                .csv("loss_start", r -> mean(r.cells(), c -> c.m().value(part, "start", "loss")));
        changeColumns(t, "first_order_change", "first-order change -eta|g|^2", StepDirections.FIRST_ORDER);
        for (String[] d : new String[][]{{"minus_g", "-g", "-g: decrease / eta|g|^2"},
                {"plus_g", "+g", "+g: increase / eta|g|^2"}, {"random", "random", "random: change / eta|g|^2"}}) {
            String direction = d[1];
            t.csv("loss_" + d[0], r -> mean(r.cells(), c -> c.step(direction, "loss_after", r.eta())));
            changeColumns(t, "change_" + d[0], "change along " + d[1], direction);
            t.csv("ratio_" + d[0], r -> stats(r.cells(), c -> c.ratio(direction, r.eta())).mean())
                    .markdown(d[2], r -> stats(r.cells(), c -> c.ratio(direction, r.eta())).mean())
                    .csv("ratio_" + d[0] + "_std", r -> stats(r.cells(), c -> c.ratio(direction, r.eta())).std());
        }
        return t;
    }

    /** The mean loss change along {@code direction} (CSV {@code csvName} and its _std; Markdown {@code label}). */
    private static void changeColumns(Columns<EtaRow> t, String csvName, String label, String direction) {
        ToDoubleFunction<EtaRow> mean = r -> stats(r.cells(), c -> c.step(direction, "loss_change", r.eta())).mean();
        t.csv(csvName, mean::applyAsDouble).markdown(label, mean::applyAsDouble).csv(csvName + "_std",
                r -> stats(r.cells(), c -> c.step(direction, "loss_change", r.eta())).std());
    }

    // ---------------------------------------------------------------- part 4

    private Table sgdTable() {
        int steps = spec.integer("sgd_steps");
        TreeSet<Integer> checkpoints = new TreeSet<>(List.of(steps));
        IntStream.of(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000).filter(k -> k <= steps).forEach(checkpoints::add);
        List<StepRow> rows = new ArrayList<>();
        byData.forEach((data, cells) -> checkpoints.forEach(k -> rows.add(new StepRow(data, k, cells))));
        Columns<StepRow> t = new Columns<StepRow>().add("data", StepRow::data).add("step", StepRow::step)
                .add("training loss", r -> mean(r.cells(), c -> c.sgd(SgdSteps.LOSS, "train_loss", r.step())));
        for (String b : byData.values().iterator().next().get(0).blocks()) {
            int layer = Integer.parseInt(b.substring(0, b.indexOf('_')));
            t.add("|change| " + layerName(layer) + (b.endsWith("_b") ? " b" : " W") + " (" + b + ")",
                    r -> mean(r.cells(), c -> c.sgd(b, "change_norm", r.step())));
        }
        return t.markdown(rows);
    }

    private String movedTable() {
        int steps = spec.integer("sgd_steps");
        Table t = new Columns<Block>().add("data", Block::data).add("block", Block::key).add("layer", Block::layerText)
                .add("kind", b -> b.bias() ? "biases" : "weights").add("entries", this::entries)
                .add("norm at start", b -> mean(b.cells(), c -> c.sgd(b.key(), "norm", 0)))
                .add("|change| after step 1", b -> mean(b.cells(), c -> c.sgd(b.key(), "change_norm", 1)))
                .add("|change| after " + steps, b -> mean(b.cells(), c -> c.sgd(b.key(), "change_norm", steps)))
                .add("|change| / norm at start", b -> {
                    double start = mean(b.cells(), c -> c.sgd(b.key(), "norm", 0));
                    return start == 0 ? "from 0"
                            : Table.readable(mean(b.cells(), c -> c.sgd(b.key(), "change_norm", steps)) / start);
                })
                .add("entries that moved", b -> percent(mean(b.cells(), c -> c.sgd(b.key(), "moved_share", steps))))
                .markdown(blocks());
        return String.format(Locale.ROOT, "%nAfter %d steps, block by block (|change| = Euclidean norm of theta_t - "
                + "theta_0 over the block; an entry moved if its value differs from its start at all):%n%n", steps)
                + t.toMarkdown() + "\n";
    }

    // ---------------------------------------------------------------- helpers

    static String layerName(int layer) {
        return layer == 1 ? "output" : "hidden";
    }

    int entries(Block b) {
        Dataset d = train.get(b.data());
        int h = hidden.get(b.data());
        int nIn = b.layer() == 0 ? d.numFeatures() : h;
        int nOut = b.layer() == 0 ? h : d.numClasses();
        return b.bias() ? nOut : nIn * nOut;
    }

    static Stats stats(List<CellView> cells, ToDoubleFunction<CellView> f) {
        return Stats.of(cells.stream().mapToDouble(f).toArray());
    }

    static double mean(List<CellView> cells, ToDoubleFunction<CellView> f) {
        return stats(cells, f).mean();
    }

    static double max(List<CellView> cells, ToDoubleFunction<CellView> f) {
        return cells.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    static double min(List<CellView> cells, ToDoubleFunction<CellView> f) {
        return cells.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    /** The median of the values {@code f} gives for each of the block's cells, all together. */
    private static double median(Block b, Function<CellView, double[]> f) {
        double[] v = b.cells().stream().flatMapToDouble(c -> Arrays.stream(f.apply(c))).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
