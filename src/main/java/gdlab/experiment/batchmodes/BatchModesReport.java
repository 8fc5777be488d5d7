package gdlab.experiment.batchmodes;

import gdlab.data.Split;
import gdlab.experiment.batchmodes.BatchModesClaims.TextbookRow;
import gdlab.dl4j.Trainer;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** batch-modes' summary: one row per (mode, batch size) over its seeds, the textbook table, and the figures. */
record BatchModesReport(Spec spec, Split split, DataType dtype, ModeRates rates) {

    /** The columns of summary.csv and of the summary table in summary.md, declared once. */
    private static final Columns<SeedGroup> COLUMNS = new Columns<SeedGroup>()
            .add("mode", g -> g.get("mode"))
            .csv("batch_size", g -> g.integer("batch_size"))
            .markdown("batch_size", g -> g.get("batch_size"))
            .csv("lr_ratio", g -> g.real("lr_ratio"))
            .markdown("lr_ratio", g -> g.get("lr_ratio"))
            .csv("lr", g -> g.real("lr"))
            .markdown("lr", g -> g.get("lr"))
            .csv("seeds", SeedGroup::size)
            .csv("diverged", g -> g.diverged() + g.failed())
            .add("updates_per_epoch", g -> (int) g.finished().stream()
                    .mapToDouble(r -> r.number("updates_per_epoch")).max().orElse(0))
            .stats("epoch_time_ms", g -> g.stats("epoch_time_ms"))
            .csv("epochs_to_target_mean", g -> g.stats("epochs_to_target").mean())
            .csv("epochs_to_target_std", g -> g.stats("epochs_to_target").std())
            .csv("epochs_to_target_ci95", g -> g.stats("epochs_to_target").ci95())
            .csv("reached_target", g -> (int) g.reached("epochs_to_target"))
            .markdown("epochs_to_target", BatchModesReport::epochsToTarget)
            .stats("updates_to_target", g -> g.stats("updates_to_target"))
            .stats("time_to_target_ms", g -> g.stats("time_to_target_ms"))
            .stats("final_train_loss", g -> g.stats("final_train_loss"))
            .stats("test_accuracy", g -> g.stats("test_accuracy"))
            .stats("loss_noise_std", g -> g.stats("loss_noise_std"))
            .stats("loss_noise_cv", g -> g.stats("loss_noise_cv"))
            .stats("loss_rises", g -> g.stats("loss_rises"))
            .add("activation_bytes", g -> (long) g.finished().stream().mapToDouble(r -> r.number("activation_bytes"))
                    .findFirst().orElse(0));

    /** The textbook table: what the textbook says each group's mode does, and what its cells measured. */
    private static final Columns<TextbookRow> TEXTBOOK = new Columns<TextbookRow>()
            .add("mode", r -> r.group().get("mode"))
            .add("textbook_batch_size", TextbookRow::textbookB)
            .add("measured_batch_size", r -> r.group().integer("batch_size"))
            .add("textbook_updates_per_epoch", TextbookRow::textbookUpdates)
            .add("measured_updates_per_epoch", r -> r.agree() == null ? "-" : r.measuredUpdates())
            .add("agree", r -> r.agree() == null ? "- (no cell trained)" : r.agree() ? "yes" : "NO");

    /** "mean ± std (k/n)" epochs to the target, or "not reached (0/n)", with the diverged seeds counted. */
    private static String epochsToTarget(SeedGroup g) {
        long reached = g.reached("epochs_to_target");
        long diverged = g.diverged() + g.failed();
        return (reached == 0 ? "not reached (0/" + g.size() : g.stats("epochs_to_target").pretty() + " ("
                + reached + "/" + g.size()) + (diverged > 0 ? ", " + diverged + " diverged)" : ")");
    }

    /** For each mode whose batch size the curve also ran: its ratio here beside the curve's tuned one. */
    private static String tunedHere(List<SeedGroup> groups, List<SeedGroup> curve) {
        List<String> parts = new ArrayList<>();
        for (SeedGroup g : groups) {
            curve.stream().filter(c -> c.get("batch_size").equals(g.get("batch_size"))).findFirst().ifPresent(c ->
                    parts.add(g.get("mode") + " (B=" + g.get("batch_size") + ") " + g.get("lr_ratio")
                            + ", the curve's best " + (c.stats("tuned_lr_ratio").n() == 0 ? "none (not reached)"
                            : Table.readable(c.stats("tuned_lr_ratio").mean()))));
        }
        return parts.isEmpty() ? "" : "; in this run: " + String.join(", ", parts);
    }

    Report summarize(List<CellResult> all) {
        List<CellResult> results = all.stream().filter(r -> r.cell().get("part").equals(BatchModes.MODES)).toList();
        List<SeedGroup> curve = SeedGroup.of(all.stream().filter(r -> r.cell().get("part")
                .equals(BatchCurve.PART)).toList());
        List<SeedGroup> groups = SeedGroup.of(results);
        int nTrain = split.train().size();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Data: %s, %d training / %d test examples; MLP %d-%s-%d (%s), "
                        + "plain SGD, %s, %d epochs per cell, target training loss %s; mean ± std over %d seeds.%n%n",
                spec.string("data"), nTrain, split.test().size(), split.train().numFeatures(), spec.string("hidden"),
                split.train().numClasses(), spec.string("activation"), spec.string("dtype"),
                spec.integer("max_epochs"), spec.string("target_loss"), Harness.seeds(spec).size()));
        text.append(String.format(Locale.ROOT, "Learning rates: %s. %s%n%n", rates.describe(groups.stream()
                .map(g -> g.get("mode")).toList()), ModeRates.CRIT.equals(rates.unit()) ? "Each mode's rate is a "
                + "multiple of lr_crit (lr_ratio_MODE): the same ratios give sane rates on any data, where absolute "
                + "rates tuned on one data set can lie far above another's lr_crit. The default ratios are each "
                + "mode's best of the grid 0.01, 0.03, 0.1, 0.3, 0.9 on the digits (fewest steps to the target, as "
                + "the curve below tunes each batch size)" + tunedHere(groups, curve) + "."
                : "Absolute rates (lr_MODE), shown also as multiples of lr_crit."));
        text.append(COLUMNS.markdown(groups).toMarkdown()).append('\n');
        text.append("""
                Columns: each cell stops at the epoch its training loss reaches the target (or after max_epochs), \
                so its last-epoch measures are taken near the same loss in every mode; epoch_time_ms is the median wall time of one epoch's updates (first epochs include JIT \
                warm-up); *_to_target count whole epochs until the training loss, evaluated at each epoch's end, \
                is at most the target (k/n = seeds that reached it); loss_noise_std is the standard deviation of \
                the minibatch losses within the last epoch and loss_noise_cv the same divided by their mean (relative \
                noise: the absolute spread shrinks as a run's loss falls, so runs that reached different losses \
                compare by this one); batch mode has one minibatch per epoch, so it has no within-epoch spread and \
                both are n/a (a std over one value is 0 by construction, not smoothness); loss_rises counts the \
                epochs whose training loss (the whole training set's, at the epoch's end: the same measure for \
                every mode) is above the epoch before's, the smoothness every mode can be compared by; \
                activation_bytes = batch size x (inputs + hidden + \
                outputs) x bytes per value, the activations one step holds. %s

                """.formatted(Trainer.DIVERGENCE_RULE));
        text.append("### The textbook table, measured\n\n");
        text.append(TEXTBOOK.markdown(groups.stream().map(g -> TextbookRow.of(g, nTrain)).toList()).toMarkdown())
                .append('\n');
        long bytesPerExample = (long) (split.train().numFeatures() + spec.integer("hidden")
                + split.train().numClasses()) * dtype.width();
        text.append('\n').append(BatchCurve.markdown(curve, spec, nTrain));
        List<Figure> figures = new ArrayList<>(figures(groups, spec.real("target_loss"), spec.integer("max_epochs")));
        figures.addAll(BatchCurve.figures(curve));
        return new Report(COLUMNS.csv(groups), text.toString(), figures,
                BatchModesClaims.of(groups, nTrain, spec.integer("max_epochs"), bytesPerExample, rates));
    }

    /**
     * Training loss per epoch (with the target as a dashed line) and per update (mean over seeds, min..max spread),
     * and time to target per mode on a log axis: stochastic's seconds would flatten the others' tens of ms.
     */
    private static List<Figure> figures(List<SeedGroup> groups, double target, int maxEpochs) {
        List<Figure.Series> perEpoch = new ArrayList<>();
        List<Figure.Series> perUpdate = new ArrayList<>();
        Map<String, Stats> timeByMode = new LinkedHashMap<>();
        for (SeedGroup g : groups) {
            String label = g.get("mode") + " (B=" + g.get("batch_size") + ")";
            List<double[]> losses = series(g, "train_loss");
            perEpoch.add(Figure.Series.overSeeds(label, series(g, "epoch"), losses));
            perUpdate.add(Figure.Series.overSeeds(label, series(g, "updates"), losses));
            timeByMode.putIfAbsent(g.get("mode"), g.stats("time_to_target_ms"));
        }
        perEpoch.add(Figure.Series.line("target loss " + Table.readable(target), new double[]{0, maxEpochs},
                new double[]{target, target}).asDashed());
        List<String> modes = new ArrayList<>(timeByMode.keySet());
        double[] time = modes.stream().mapToDouble(m -> timeByMode.get(m).mean()).toArray();
        return List.of(
                new Figure.Lines("loss-per-epoch", "Training loss per epoch (mean over seeds; error bars: farthest seed)",
                        "epoch", "training loss", false, true, perEpoch),
                new Figure.Lines("loss-per-update", "Training loss per update", "updates (log)",
                        "training loss", true, true, perUpdate),
                new Figure.Bars("time-to-target", "Training time to the target loss (mean over the seeds that "
                        + "reached it; log axis)", "time to target [ms]", true, modes, time, null));
    }

    private static List<double[]> series(SeedGroup g, String column) {
        return g.cells().stream().map(r -> r.series(BatchModes.CURVE, column)).toList();
    }
}
