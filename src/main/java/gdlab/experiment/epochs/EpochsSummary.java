package gdlab.experiment.epochs;

import gdlab.crosscheck.Stage;
import gdlab.crosscheck.Tolerances;
import gdlab.data.Dataset;
import gdlab.dl4j.Trainer;
import gdlab.experiment.SeedBands;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static gdlab.experiment.epochs.Epochs.BUDGET;
import static gdlab.experiment.epochs.Epochs.CLASS_SORTED;
import static gdlab.experiment.epochs.Epochs.CURVE;
import static gdlab.experiment.epochs.Epochs.EARLY;
import static gdlab.experiment.epochs.Epochs.FIXED;
import static gdlab.experiment.epochs.Epochs.ORDERS;
import static gdlab.experiment.epochs.Epochs.SHUFFLED;

/** The epochs table (one row per order and stopping rule, over the seeds), what it shows, and the figures. */
final class EpochsSummary {
    /** The metrics summary.csv gives as mean and std over the seeds. */
    private static final List<String> STATS = List.of("epochs_run", "val_loss_at_compare_epoch",
            "val_accuracy_at_compare_epoch", "epochs_to_val_target", "best_epoch", "epochs_past_best",
            "best_val_loss", "val_accuracy_at_best", "final_train_loss", "final_val_loss", "val_loss_rise",
            "loss_gap_at_best", "loss_gap_at_end", "accuracy_gap_at_end", "test_loss", "test_accuracy",
            "training_ms");
    /** The figure of early stopping starts at this epoch (linear axis: the rise is small next to the first drop). */
    static final int ZOOM_FROM = 3;

    private final Spec spec;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    /** The learning rate as the summary says it: lr, or the rate lr_unit = crit measured and how. */
    private final String lr;
    private List<SeedGroup> groups;

    EpochsSummary(Spec spec, Dataset train, Dataset validation, Dataset test, String lr) {
        this.lr = lr;
        this.spec = spec;
        this.train = train;
        this.validation = validation;
        this.test = test;
    }

    /** The group of one order and stopping rule, or null when the run has none. */
    static SeedGroup group(List<SeedGroup> groups, String order, String stopping) {
        return groups.stream().filter(g -> g.get("order").equals(order) && g.get("stopping").equals(stopping))
                .findFirst().orElse(null);
    }

    private SeedGroup group(String order, String stopping) {
        return group(groups, order, stopping);
    }

    static long byPatience(SeedGroup g) {
        return g.count(r -> "patience".equals(r.metric("stopped_by")));
    }

    Report report(List<CellResult> results) {
        groups = SeedGroup.of(results);
        int k = spec.integer("compare_epoch");
        String target = Table.readable(100 * spec.real("target_val_accuracy")) + "%";
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("order", g -> g.get("order"))
                .add("stopping", g -> g.get("stopping")).csv("seeds", SeedGroup::size)
                .csv("diverged", g -> g.count(r -> r.status() != CellResult.Status.OK))
                .csv("stopped_by_patience", EpochsSummary::byPatience)
                .csv("reached_val_target", g -> g.reached("epochs_to_val_target"));
        for (String s : STATS) {
            table.csv(s + "_mean", g -> g.stats(s).mean()).csv(s + "_std", g -> g.stats(s).std());
        }
        table.csv("reference_max_rel_diff", g -> g.cells().stream().mapToDouble(r -> r.number(
                "reference_max_rel_diff")).filter(Double::isFinite).max().orElse(Double.NaN));
        table.markdown("epochs_run", g -> g.stats("epochs_run").pretty())
                .markdown("val_loss_at_epoch_" + k, g -> g.stats("val_loss_at_compare_epoch").pretty())
                .markdown("val_accuracy_at_epoch_" + k, g -> g.stats("val_accuracy_at_compare_epoch").pretty())
                .markdown("epochs_to_" + target + "_val", g -> {
                    long reached = g.reached("epochs_to_val_target");
                    return reached == 0 ? "never (0/" + g.size() + ")" : g.stats("epochs_to_val_target").pretty()
                            + (reached < g.size() ? " (" + reached + "/" + g.size() + ")" : "");
                });
        for (String s : List.of("best_epoch", "best_val_loss", "val_accuracy_at_best", "final_val_loss",
                "val_loss_rise", "loss_gap_at_end", "test_loss", "test_accuracy")) {
            table.markdown(s, g -> g.stats(s).pretty());
        }
        table.markdown("stopped_by_patience", g -> byPatience(g) + "/" + g.size());

        StringBuilder text = new StringBuilder();
        int b = spec.integer("batch_size");
        text.append(String.format(Locale.ROOT, "Data: %s, %d training / %d validation / %d test examples; MLP "
                        + "%d-%s-%d (%s, %s), %s lr %s, batch %s (%d updates per epoch), budget %s epochs, early "
                        + "stopping patience %s; mean ± std over %d seeds.%n%n",
                spec.string("data"), train.size(), validation.size(), test.size(), train.numFeatures(),
                spec.string("hidden"), train.numClasses(), spec.string("activation"), spec.string("dtype"),
                spec.string("optimizer"), lr, spec.string("batch_size"), (train.size() + b - 1) / b,
                spec.string("max_epochs"), spec.string("patience"), Harness.seeds(spec).size()));
        text.append(table.markdown(groups).toMarkdown()).append('\n');
        text.append(String.format(Locale.ROOT, """
                Columns: losses are the mean cross-entropy (natural log) over a set; val_loss_at_epoch_%d and \
                val_accuracy_at_epoch_%d are measured after epoch %d (a short budget: the runs are \
                deterministic, so this is what a %d-epoch budget gives); epochs_to_%s_val: first epoch whose \
                validation accuracy reached it; best_epoch is the epoch with the lowest validation loss (0 = \
                before training), best_val_loss / val_accuracy_at_best are measured there; final_val_loss at the \
                last epoch run; val_loss_rise = final_val_loss - best_val_loss (> 0: the validation loss went up \
                again after its minimum: overfitting); loss_gap_at_end = validation - training loss at the last \
                epoch (the train/validation gap; the training loss is in summary.csv); test_loss and \
                test_accuracy are those of the returned weights: the best epoch's for early stopping (restored), \
                the last epoch's for the budget; stopped_by_patience counts the seeds that early stopping stopped \
                before the budget. %s

                """, k, k, k, k, target, Trainer.DIVERGENCE_RULE));
        text.append("### What the run shows\n\n").append(String.join("\n", findings())).append("\n\n");
        double[] refs = results.stream().mapToDouble(r -> r.number("reference_max_rel_diff"))
                .filter(Double::isFinite).toArray();
        double refWorst = Math.max(0, Arrays.stream(refs).max().orElse(0));
        if (refs.length > 0) {
            text.append(String.format(Locale.ROOT, "Cross-check: the plain-Java reference trainer (gdlab.reference, "
                            + "no ND4J) replayed the first %s epochs of %d cells from DL4J's initial weights with the "
                            + "same minibatches in the same order: largest relative difference of the end-of-epoch "
                            + "training loss %s (%s arithmetic in DL4J).%n%n", spec.string("reference_epochs"),
                    refs.length, Table.readable(refWorst), spec.string("dtype")));
        }
        return new Report(table.csv(groups), text.toString(), figures(),
                EpochsClaims.of(groups, spec.integer("max_epochs"), spec.integer("patience"),
                        refs.length > 0 ? refWorst : Double.NaN, Tolerances.of(Stage.EPOCHS, spec.string("dtype"))));
    }

    /** The measured answers, each with the numbers behind it. */
    private List<String> findings() {
        List<String> lines = new ArrayList<>();
        int k = spec.integer("compare_epoch");
        SeedGroup shuffled = group(SHUFFLED, BUDGET);
        SeedGroup fixed = group(FIXED, BUDGET);
        SeedGroup sorted = group(CLASS_SORTED, BUDGET);
        if (shuffled != null && sorted != null) {
            lines.add(String.format(Locale.ROOT, "- **Order, %d-epoch budget**: validation loss shuffled %s vs "
                            + "class-sorted %s, validation accuracy %s vs %s; epochs to %s%% validation accuracy %s "
                            + "vs %s. Sorted by class, each minibatch holds one or two classes, so each update pulls "
                            + "the net toward the classes just seen and away from the rest; an epoch ends on the "
                            + "last classes.", k, pretty(shuffled, "val_loss_at_compare_epoch"),
                    pretty(sorted, "val_loss_at_compare_epoch"), pretty(shuffled, "val_accuracy_at_compare_epoch"),
                    pretty(sorted, "val_accuracy_at_compare_epoch"),
                    Table.readable(100 * spec.real("target_val_accuracy")), pretty(shuffled, "epochs_to_val_target"),
                    pretty(sorted, "epochs_to_val_target")));
            lines.add(String.format(Locale.ROOT, "- **Order, whole %s-epoch budget**: final validation loss "
                            + "shuffled %s vs class-sorted %s, lowest %s vs %s, test accuracy %s vs %s. Once the net "
                            + "fits every training example, each example's gradient is nearly 0 and the order of the "
                            + "minibatches stops mattering; how long the damage lasts grows with the step size and "
                            + "with the number of consecutive same-class updates.", spec.string("max_epochs"),
                    pretty(shuffled, "final_val_loss"), pretty(sorted, "final_val_loss"),
                    pretty(shuffled, "best_val_loss"), pretty(sorted, "best_val_loss"),
                    pretty(shuffled, "test_accuracy"), pretty(sorted, "test_accuracy")));
        }
        if (shuffled != null && fixed != null) {
            lines.add(String.format(Locale.ROOT, "- **One fixed shuffled order vs a fresh shuffle every epoch**: "
                            + "validation loss after %d epochs %s vs %s, lowest %s vs %s, test accuracy %s vs %s.",
                    k, pretty(fixed, "val_loss_at_compare_epoch"), pretty(shuffled, "val_loss_at_compare_epoch"),
                    pretty(fixed, "best_val_loss"), pretty(shuffled, "best_val_loss"),
                    pretty(fixed, "test_accuracy"), pretty(shuffled, "test_accuracy")));
        }
        for (String o : ORDERS) {
            SeedGroup budget = group(o, BUDGET);
            SeedGroup early = group(o, EARLY);
            if (budget != null) {
                long rose = budget.count(r -> r.number("val_loss_rise") > 0);
                lines.add(String.format(Locale.ROOT, "- **%s, whole budget**: the validation loss is lowest at "
                                + "epoch %s (%s), then rises by %s by epoch %s (%d/%d seeds end above their "
                                + "minimum) while the training loss falls to %s: %s.", o, pretty(budget, "best_epoch"),
                        pretty(budget, "best_val_loss"), pretty(budget, "val_loss_rise"),
                        pretty(budget, "epochs_run"), rose, budget.size(), pretty(budget, "final_train_loss"),
                        rose == budget.size() ? "overfitting" : rose == 0 ? "no overfitting within the budget"
                                : "overfitting in some seeds only"));
            }
            if (budget != null && early != null) {
                lines.add(String.format(Locale.ROOT, "- **%s, early stopping** (patience %s): stops after %s epochs "
                                + "instead of %s (%d/%d seeds stopped by patience), %s epochs after its best epoch "
                                + "%s, and returns that epoch's weights: test loss %s vs %s, test accuracy %s vs %s "
                                + "for the whole budget.", o, spec.string("patience"), pretty(early, "epochs_run"),
                        pretty(budget, "epochs_run"), byPatience(early), early.size(),
                        pretty(early, "epochs_past_best"), pretty(early, "best_epoch"), pretty(early, "test_loss"),
                        pretty(budget, "test_loss"), pretty(early, "test_accuracy"), pretty(budget, "test_accuracy")));
            }
        }
        return lines;
    }

    private static String pretty(SeedGroup g, String metric) {
        return g.stats(metric).pretty();
    }

    private List<Figure> figures() {
        List<Figure.Series> val = new ArrayList<>();
        List<Figure.Series> trainVsVal = new ArrayList<>();
        for (SeedGroup g : groups) {
            if (g.get("stopping").equals(BUDGET)) {
                String order = g.get("order");
                val.add(SeedBands.overSeeds(order, column(g, "epoch"), column(g, "val_loss"), true));
                trainVsVal.add(SeedBands.overSeeds(order + " train", column(g, "epoch"), column(g, "train_loss"),
                        true));
                trainVsVal.add(SeedBands.overSeeds(order + " validation", column(g, "epoch"), column(g, "val_loss"),
                        true));
            }
        }
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure.Lines("validation-loss", "Validation loss per epoch, whole budget (mean over seeds, "
                + "band: min..max)", "epoch", "validation loss", false, true, val));
        figures.add(new Figure.Lines("train-vs-validation", "Training and validation loss per epoch, whole budget",
                "epoch", "loss", false, true, trainVsVal));
        SeedGroup early = group(SHUFFLED, EARLY);
        SeedGroup budget = group(SHUFFLED, BUDGET);
        if (early != null && budget != null) {
            figures.add(new Figure.Lines("early-stopping", "Shuffled order: validation loss from epoch " + ZOOM_FROM
                    + " on, and where early stopping stops", "epoch", "validation loss", false, false, List.of(
                    Figure.Series.overSeeds("validation loss, whole budget", from(column(budget, "epoch")),
                            from(column(budget, "val_loss"))),
                    Figure.Series.points("lowest validation loss (per seed)", metric(early, "best_epoch"),
                            metric(early, "best_val_loss")),
                    Figure.Series.points("where early stopping stopped (per seed)", metric(early, "epochs_run"),
                            early.cells().stream().mapToDouble(r -> {
                                double[] v = r.series(CURVE, "val_loss");
                                return v[v.length - 1];
                            }).toArray()))));
        }
        return figures;
    }

    private static double[] metric(SeedGroup g, String metric) {
        return g.cells().stream().mapToDouble(r -> r.number(metric)).toArray();
    }

    private static List<double[]> from(List<double[]> curves) {
        return curves.stream().map(c -> Arrays.copyOfRange(c, Math.min(ZOOM_FROM, c.length), c.length)).toList();
    }

    private static List<double[]> column(SeedGroup g, String column) {
        return g.cells().stream().map(r -> r.series(CURVE, column)).toList();
    }
}
