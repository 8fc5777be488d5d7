package gdlab.experiment.batchmodes;

import gdlab.data.Split;
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
final class BatchModesReport {
    private final Spec spec;
    private final Split split;
    private final DataType dtype;

    BatchModesReport(Spec spec, Split split, DataType dtype) {
        this.spec = spec;
        this.split = split;
        this.dtype = dtype;
    }

    /** The columns of summary.csv and of the summary table in summary.md, declared once. */
    private static final Columns<SeedGroup> COLUMNS = new Columns<SeedGroup>()
            .add("mode", g -> g.get("mode"))
            .csv("batch_size", g -> g.integer("batch_size"))
            .markdown("batch_size", g -> g.get("batch_size"))
            .csv("lr", g -> g.real("lr"))
            .markdown("lr", g -> g.get("lr"))
            .csv("seeds", SeedGroup::size)
            .csv("diverged", g -> g.diverged() + g.failed())
            .add("updates_per_epoch", g -> (int) g.finished().stream()
                    .mapToDouble(r -> r.number("updates_per_epoch")).max().orElse(0))
            .csv("epoch_time_ms_mean", g -> g.stats("epoch_time_ms").mean())
            .csv("epoch_time_ms_std", g -> g.stats("epoch_time_ms").std())
            .markdown("epoch_time_ms", g -> g.stats("epoch_time_ms").pretty())
            .csv("epochs_to_target_mean", g -> g.stats("epochs_to_target").mean())
            .csv("epochs_to_target_std", g -> g.stats("epochs_to_target").std())
            .csv("epochs_to_target_ci95", g -> g.stats("epochs_to_target").ci95())
            .csv("reached_target", g -> (int) g.reached("epochs_to_target"))
            .markdown("epochs_to_target", BatchModesReport::epochsToTarget)
            .csv("updates_to_target_mean", g -> g.stats("updates_to_target").mean())
            .markdown("updates_to_target", g -> ifReached(g, g.stats("updates_to_target")))
            .csv("time_to_target_ms_mean", g -> g.stats("time_to_target_ms").mean())
            .csv("time_to_target_ms_std", g -> g.stats("time_to_target_ms").std())
            .markdown("time_to_target_ms", g -> ifReached(g, g.stats("time_to_target_ms")))
            .stats("final_train_loss", g -> g.stats("final_train_loss"))
            .stats("test_accuracy", g -> g.stats("test_accuracy"))
            .csv("loss_noise_std_mean", g -> g.stats("loss_noise_std").mean())
            .csv("loss_noise_std_std", g -> g.stats("loss_noise_std").std())
            .markdown("loss_noise_std", g -> g.stats("loss_noise_std").pretty())
            .csv("loss_noise_cv_mean", g -> g.stats("loss_noise_cv").mean())
            .csv("loss_noise_cv_std", g -> g.stats("loss_noise_cv").std())
            .markdown("loss_noise_cv", g -> g.stats("loss_noise_cv").pretty())
            .add("activation_bytes", g -> (long) g.finished().stream().mapToDouble(r -> r.number("activation_bytes"))
                    .findFirst().orElse(0));

    /** "mean ± std (k/n)" epochs to the target, or "not reached (0/n)", with the diverged seeds counted. */
    private static String epochsToTarget(SeedGroup g) {
        long reached = g.reached("epochs_to_target");
        long diverged = g.diverged() + g.failed();
        return (reached == 0 ? "not reached (0/" + g.size() : g.stats("epochs_to_target").pretty() + " ("
                + reached + "/" + g.size()) + (diverged > 0 ? ", " + diverged + " diverged)" : ")");
    }

    private static String ifReached(SeedGroup g, Stats s) {
        return g.reached("epochs_to_target") == 0 ? "-" : s.pretty();
    }

    Report summarize(List<CellResult> results) {
        List<SeedGroup> groups = SeedGroup.of(results);
        int nTrain = split.train().size();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "Data: %s, %d training / %d test examples; MLP %d-%s-%d (%s), "
                        + "plain SGD, %s, %d epochs per cell, target training loss %s; mean ± std over %d seeds.%n%n",
                spec.string("data"), nTrain, split.test().size(), split.train().numFeatures(), spec.string("hidden"),
                split.train().numClasses(), spec.string("activation"), spec.string("dtype"),
                spec.integer("max_epochs"), spec.string("target_loss"), Harness.seeds(spec).size()));
        text.append(COLUMNS.markdown(groups).toMarkdown()).append('\n');
        text.append("""
                Columns: epoch_time_ms is the median wall time of one epoch's updates (first epochs include JIT \
                warm-up); *_to_target count whole epochs until the training loss, evaluated at each epoch's end, \
                is at most the target (k/n = seeds that reached it); loss_noise_std is the standard deviation of \
                the minibatch losses within the last epoch and loss_noise_cv the same divided by their mean (relative \
                noise: the absolute spread shrinks as a run's loss falls, so runs that reached different losses \
                compare by this one); activation_bytes = batch size x (inputs + hidden + \
                outputs) x bytes per value, the activations one step holds. %s

                """.formatted(Trainer.DIVERGENCE_RULE));
        text.append("### The textbook table, measured\n\n");
        Table textbook = new Table("mode", "textbook_batch_size", "measured_batch_size", "textbook_updates_per_epoch",
                "measured_updates_per_epoch", "agree");
        for (SeedGroup g : groups) {
            BatchModesClaims.TextbookRow row = BatchModesClaims.TextbookRow.of(g, nTrain);
            textbook.add(g.get("mode"), row.textbookB(), g.integer("batch_size"), row.textbookUpdates(),
                    row.agree() == null ? "-" : row.measuredUpdates(),
                    row.agree() == null ? "- (no cell trained)" : row.agree() ? "yes" : "NO");
        }
        text.append(textbook.toMarkdown()).append('\n');
        long bytesPerExample = (long) (split.train().numFeatures() + spec.integer("hidden")
                + split.train().numClasses()) * dtype.width();
        return new Report(COLUMNS.csv(groups), text.toString(), figures(groups),
                BatchModesClaims.of(groups, nTrain, spec.integer("max_epochs"), bytesPerExample));
    }

    /** Training loss per epoch and per update (mean over seeds, min..max band), and time to target per mode. */
    private static List<Figure> figures(List<SeedGroup> groups) {
        List<Figure.Series> perEpoch = new ArrayList<>();
        List<Figure.Series> perUpdate = new ArrayList<>();
        Map<String, Stats> timeByMode = new LinkedHashMap<>();
        for (SeedGroup g : groups) {
            String label = g.get("mode") + " (B=" + g.get("batch_size") + ")";
            List<double[]> epochs = new ArrayList<>();
            List<double[]> updates = new ArrayList<>();
            List<double[]> losses = new ArrayList<>();
            for (CellResult r : g.cells()) {
                epochs.add(r.series(BatchModes.CURVE, "epoch"));
                updates.add(r.series(BatchModes.CURVE, "updates"));
                losses.add(r.series(BatchModes.CURVE, "train_loss"));
            }
            perEpoch.add(Figure.Series.overSeeds(label, epochs, losses));
            perUpdate.add(Figure.Series.overSeeds(label, updates, losses));
            timeByMode.putIfAbsent(g.get("mode"), g.stats("time_to_target_ms"));
        }
        List<String> modes = new ArrayList<>(timeByMode.keySet());
        double[] time = modes.stream().mapToDouble(m -> timeByMode.get(m).mean()).toArray();
        double[] ci = modes.stream().mapToDouble(m -> timeByMode.get(m).ci95()).toArray();
        return List.of(
                new Figure.Lines("loss-per-epoch", "Training loss per epoch (mean over seeds, band: min..max)",
                        "epoch", "training loss", false, true, perEpoch),
                new Figure.Lines("loss-per-update", "Training loss per update", "updates (log)",
                        "training loss", true, true, perUpdate),
                new Figure.Bars("time-to-target", "Training time to the target loss (error bar: 95% CI)",
                        "time to target [ms]", false, modes, time, ci));
    }
}
