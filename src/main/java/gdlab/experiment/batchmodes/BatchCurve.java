package gdlab.experiment.batchmodes;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.experiment.GdMode;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * batch-modes' second part: steps to a target loss against the batch size (B = 1, 4, ..., N), each B at its own
 * best learning rate ({@link StepsToTarget}), as Shallue et al. 2018 measured it: steps fall about as 1/B while the
 * gradient noise dominates, then flatten once a bigger batch no longer buys a bigger step. Its cells are
 * {@code part = curve}; it has its own budget (in updates) and target, so the default run stays short.
 */
final class BatchCurve {
    static final String PART = "curve";

    private BatchCurve() {
    }

    static List<Param> params() {
        return List.of(
                new Param("curve_batch_sizes", "none, or a comma list of 1, full and integers >= 2",
                        s -> s.equals("none") || items(s).stream().allMatch(v -> v.equals("full")
                                || v.matches("[1-9][0-9]{0,8}")), false,
                        "batch sizes of the steps-to-target curve (none: no curve)"),
                new Param("curve_lr_ratios", "a comma list of numbers > 0",
                        s -> items(s).stream().allMatch(BatchCurve::parsesPositive), false,
                        "learning rates tried per batch size, as multiples of lr_crit"),
                Param.real("curve_target_loss", 0, false, "training loss the curve's steps are counted to"),
                Param.integer("curve_max_updates", 1, Integer.MAX_VALUE, false,
                        "most updates per learning rate tried"),
                Param.integer("curve_seeds", 1, 1000, false, "seeds per batch size of the curve (the first ones)"));
    }

    /** The comma list's items, stripped. */
    static List<String> items(String list) {
        return java.util.Arrays.stream(list.split(",", -1)).map(String::strip).toList();
    }

    private static boolean parsesPositive(String s) {
        try {
            double v = Double.parseDouble(s);
            return v > 0 && Double.isFinite(v);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The curve's cells, numbered on from {@code first}: one per batch size and seed. */
    static List<Cell> cells(Spec spec, int n, List<Long> seeds, int first) {
        List<Cell> cells = new ArrayList<>();
        List<String> sizes = items(spec.string("curve_batch_sizes"));
        if (sizes.contains("none")) {
            return cells;
        }
        for (String raw : sizes) {
            int b = raw.equals("full") ? n : Integer.parseInt(raw);
            if (b > n || (b == n && !raw.equals("full") && sizes.contains("full"))) {
                continue;   // larger than the data (the summary says so), or full given twice
            }
            for (long seed : seeds.subList(0, Math.min(seeds.size(), spec.integer("curve_seeds")))) {
                Map<String, String> coords = new LinkedHashMap<>();
                coords.put("part", PART);
                coords.put("mode", GdMode.of(b, n));
                coords.put("batch_size", String.valueOf(b));
                coords.put("lr_ratio", "tuned");
                coords.put("lr", "tuned");
                coords.put("seed", String.valueOf(seed));
                cells.add(new Cell(first + cells.size(), coords));
            }
        }
        return cells;
    }

    static CellResult run(Cell cell, Spec spec, ModeRates rates, int[] sizes, INDArray x, INDArray y,
                          DataType dtype, List<Metric> declared) {
        int b = cell.integer("batch_size");
        long seed = cell.longValue("seed");
        double[] ratios = items(spec.string("curve_lr_ratios")).stream().mapToDouble(Double::parseDouble).toArray();
        double lrCrit = rates.sharpness().lrCrit();
        StepsToTarget.Search s = StepsToTarget.search(ratios, r -> Networks.classifier(sizes,
                        spec.string("activation"), Optimizers.updater("sgd", r * lrCrit), seed, dtype), x, y, b,
                spec.integer("curve_max_updates"), spec.real("curve_target_loss"), seed);
        int n = (int) x.rows();
        int perEpoch = (n + b - 1) / b;
        List<List<Object>> curve = new ArrayList<>();
        if (s.best() != null) {
            for (double[] p : s.best().points()) {
                curve.add(List.of(p[0] / perEpoch, (long) p[0], p[1], Double.NaN, Double.NaN));
            }
        }
        Metric.Values v = Metric.values(declared);
        for (Metric m : declared) {
            switch (m.name()) {
                case "n_train" -> v.put("n_train", n);
                case "updates_per_epoch" -> v.put("updates_per_epoch", perEpoch);
                case "updates_to_target" -> v.put("updates_to_target", s.best() == null ? null : s.best().steps());
                case "tuned_lr_ratio" -> v.put("tuned_lr_ratio", s.best() == null ? null : s.best().ratio());
                case "curve_tries" -> v.put("curve_tries", s.describe());
                default -> v.put(m.name(), null);
            }
        }
        return new CellResult(cell, CellResult.Status.OK, "", v.map(), curve);
    }

    /** The batch sizes of {@code curve_batch_sizes} larger than the {@code n} training examples: not run. */
    static List<String> skipped(Spec spec, int n) {
        return items(spec.string("curve_batch_sizes")).stream().filter(v -> !v.equals("none") && !v.equals("full")
                && Integer.parseInt(v) > n).toList();
    }

    /** The curve's table (markdown) and figure; empty when the run has no curve. */
    static String markdown(List<SeedGroup> groups, Spec spec, int n) {
        if (groups.isEmpty()) {
            return "";
        }
        List<String> skipped = skipped(spec, n);
        Table t = new Table(List.of("batch_size", "tuned_lr_ratio", "steps_to_target", "examples_to_target",
                "perfect_scaling_steps", "tries (lr_ratio: result)"));
        Stats first = groups.get(0).stats("updates_to_target");
        int b0 = groups.get(0).integer("batch_size");
        for (SeedGroup g : groups) {
            Stats steps = g.stats("updates_to_target");
            int b = g.integer("batch_size");
            t.add(b, g.stats("tuned_lr_ratio").pretty(), steps.n() == 0 ? "not reached (0/" + g.size() + ")"
                            : steps.pretty() + " (" + g.reachedOf("updates_to_target") + ")",
                    steps.n() == 0 ? "-" : Table.readable(steps.mean() * b),
                    first.n() == 0 ? "-" : Table.readable(first.mean() * b0 / b),
                    String.join(" | ", g.finished().stream().map(r -> String.valueOf(r.metric("curve_tries")))
                            .toList()));
        }
        return String.format(Locale.ROOT, """
                ### Steps to the target against the batch size

                Steps (updates) until the training loss is at most %s, each batch size at its best learning rate of \
                lr_ratio %s (x lr_crit, tried from the largest down until a smaller one is no faster; at most %s \
                updates each), the loss checked %d times an epoch; mean over %d seed(s). perfect_scaling_steps is \
                the smallest batch's steps x its B / B: the 1/B line steps follow while the gradient noise \
                dominates (Shallue et al. 2018); where the measured steps stay above it, a bigger batch buys less.%s

                %s
                """, spec.string("curve_target_loss"), spec.string("curve_lr_ratios"),
                spec.string("curve_max_updates"), StepsToTarget.CHECKS_PER_EPOCH,
                Math.min(spec.integer("curve_seeds"), groups.get(0).size()), skipped.isEmpty() ? ""
                        : " B = " + String.join(", ", skipped) + " not run: larger than the " + n
                        + " training examples.", t.toMarkdown());
    }

    static List<Figure> figures(List<SeedGroup> groups) {
        List<SeedGroup> reached = groups.stream().filter(g -> g.stats("updates_to_target").n() > 0).toList();
        if (reached.isEmpty()) {
            return List.of();
        }
        double[] b = reached.stream().mapToDouble(g -> g.integer("batch_size")).toArray();
        double[] steps = reached.stream().mapToDouble(g -> g.stats("updates_to_target").mean()).toArray();
        double[] ideal = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            ideal[i] = steps[0] * b[0] / b[i];
        }
        return List.of(new Figure.Lines("steps-to-target", "Steps to the target loss against the batch size, each "
                + "at its best learning rate", "batch size (log)", "steps to target (log)", true, true, List.of(
                Figure.Series.line("measured", b, steps),
                Figure.Series.line("perfect scaling (1/B)", b, ideal).asDashed())));
    }
}
