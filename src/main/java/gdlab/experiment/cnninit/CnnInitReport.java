package gdlab.experiment.cnninit;

import gdlab.data.Split;
import gdlab.dl4j.Trainer;
import gdlab.experiment.SeedBands;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static gdlab.experiment.cnninit.CnnInitClaims.extreme;
import static gdlab.experiment.cnninit.CnnInitClaims.find;
import static gdlab.experiment.cnninit.CnnInitClaims.label;
import static gdlab.experiment.cnninit.CnnInitClaims.max;

/**
 * cnn-init's summary: one row per (optimizer, activation, init) over its seeds, pivots by activation x init, what
 * the zero and tiny initializations do, and figures.
 *
 * @param shape     the images' height and width
 * @param initCheck the initial-weights section ({@link InitCheck})
 */
record CnnInitReport(Spec spec, Split split, int[] shape, String initCheck) {

    Report of(List<CellResult> results) {
        List<SeedGroup> groups = SeedGroup.of(results);
        List<String> optimizers = spec.list("optimizer");
        int budget = spec.integer("max_epochs");
        String targetPct = Table.readable(100 * spec.real("target_accuracy")) + "%";
        Columns<SeedGroup> table = columns(targetPct, budget);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Data: %s, %d training / %d test "
                        + "examples (%dx%d, standardized pixels). CNN: conv 3x3 x%s -> max-pool 2x2 -> dense %s -> "
                        + "softmax %d (%s), batch %s, %d epochs, shuffled every epoch; learning rates sgd %s, "
                        + "momentum %s (heavy ball, mu 0.9), adam %s; mean ± std over %d seeds.%n%n",
                spec.string("data"), split.train().size(), split.test().size(), shape[0], shape[1],
                spec.string("filters"), spec.string("hidden"), split.train().numClasses(), spec.string("dtype"),
                spec.string("batch_size"), budget, spec.string("lr_sgd"), spec.string("lr_momentum"), spec.string("lr_adam"), Harness.seeds(spec).size()));
        for (String opt : optimizers) {
            text.append("### Test accuracy after ").append(budget).append(" epochs, ").append(opt)
                    .append(" (rows: activation, columns: init)\n\n")
                    .append(pivot(groups, opt, g -> g.stats("test_accuracy").pretty())).append('\n')
                    .append("Epochs to ").append(targetPct).append(" test accuracy, ").append(opt).append(":\n\n")
                    .append(pivot(groups, opt, g -> g.reached("epochs_to_target") == 0 ? "never"
                            : g.stats("epochs_to_target").pretty() + (g.reached("epochs_to_target") < g.size()
                            ? " (" + g.reachedOf("epochs_to_target") + ")" : ""))).append('\n');
        }
        text.append("### Gradient norm ratio first / last layer at initialization (conv W vs output W)\n\n")
                .append(pivot(groups, optimizers.get(0), CnnInitReport::ratio)).append('\n').append("""
                The ratio is ||dL/dW|| of the convolution layer over that of the output layer, of the mean \
                training loss at the initial weights, before any update (the same for every optimizer). Far \
                below 1: the first layer barely learns at first (vanishing gradient); 0/0: both are exactly 0.

                """);
        text.append("### All combinations\n\n").append(table.markdown(groups).toMarkdown()).append('\n');
        text.append(String.format(Locale.ROOT, """
                Columns: test_accuracy after the last epoch; epochs_to_%s: first epoch whose test accuracy \
                reached it (k/n seeds that did); grad_norm_output: ||dL/dW|| of the output layer at initialization \
                (how big the first updates are); distinct_filters / distinct_dense_units: how many different \
                hidden units the trained layer has (units whose weights and bias agree to %s of the layer's largest \
                parameter count as one), worst seed, out of the layer's units. %s

                """, targetPct, Table.readable(CnnInit.SAME_UNIT_RELATIVE), Trainer.DIVERGENCE_RULE));
        text.append(initCheck).append("### What the run shows\n\n").append(findings(groups));
        return new Report(table.csv(groups), text.toString(), figures(groups, optimizers),
                CnnInitClaims.of(groups, optimizers, split.train().numClasses(), split.test().size(),
                        spec.real("among_best_margin")));
    }

    /** The combinations table: exact values in summary.csv, worded ones in the Markdown. */
    private static Columns<SeedGroup> columns(String targetPct, int budget) {
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("optimizer", g -> g.get("optimizer"))
                .csv("lr", g -> g.real("lr")).add("activation", g -> g.get("activation"))
                .add("init", g -> g.get("init")).csv("seeds", SeedGroup::size)
                .csv("diverged", g -> g.count(r -> r.status() != CellResult.Status.OK))
                .stats("test_accuracy", g -> g.stats("test_accuracy"))
                .csv("reached_target", g -> g.reached("epochs_to_target"))
                .csv("epochs_to_target_mean", g -> g.stats("epochs_to_target").mean())
                .csv("epochs_to_target_std", g -> g.stats("epochs_to_target").std())
                .markdown("epochs_to_" + targetPct, g -> (g.reached("epochs_to_target") == 0 ? "not in " + budget
                        : g.stats("epochs_to_target").pretty()) + " (" + g.reachedOf("epochs_to_target") + ")")
                .csv("final_train_loss_mean", g -> g.stats("final_train_loss").mean())
                .csv("final_train_loss_std", g -> g.stats("final_train_loss").std())
                .csv("grad_ratio_first_last_mean", g -> g.stats("grad_ratio_first_last").mean())
                .csv("grad_ratio_first_last_std", g -> g.stats("grad_ratio_first_last").std())
                .markdown("grad_ratio_first_last", CnnInitReport::ratio)
                .csv("grad_norm_conv_mean", g -> g.stats("grad_norm_conv").mean())
                .csv("grad_norm_dense_mean", g -> g.stats("grad_norm_dense").mean())
                .csv("grad_norm_output_mean", g -> g.stats("grad_norm_output").mean())
                .markdown("grad_norm_output", g -> g.stats("grad_norm_output").pretty());
        for (String layer : List.of("conv", "dense")) {
            String units = layer.equals("conv") ? "conv_filters" : "dense_units";
            table.csv(units, g -> (int) max(g, units))
                    .csv(layer + "_distinct_max", g -> (int) max(g, layer + "_distinct"))
                    .csv(layer + "_spread_max", g -> max(g, layer + "_spread"))
                    .csv(layer + "_scale_max", g -> max(g, layer + "_scale"))
                    .markdown(layer.equals("conv") ? "distinct_filters" : "distinct_dense_units",
                            g -> (int) max(g, layer + "_distinct") + "/" + (int) max(g, units));
        }
        table.markdown("final_train_loss", g -> g.stats("final_train_loss").pretty());
        return table;
    }

    private static String ratio(SeedGroup g) {
        Stats r = g.stats("grad_ratio_first_last");
        return r.n() == 0 ? "0/0" : r.pretty();
    }

    /** One optimizer's groups as a table: rows activation, columns init. */
    private String pivot(List<SeedGroup> groups, String optimizer, Function<SeedGroup, String> f) {
        List<String> header = new ArrayList<>(List.of("activation"));
        header.addAll(spec.list("init"));
        Table t = new Table(header);
        for (String act : spec.list("activation")) {
            List<Object> row = new ArrayList<>(List.of(act));
            spec.list("init").forEach(init -> row.add(find(groups, optimizer, act, init) == null ? "-"
                    : f.apply(find(groups, optimizer, act, init))));
            t.add(row);
        }
        return t.toMarkdown();
    }

    /** What the tables do not show: how far zero init's units are from copies, and whether they moved at all. */
    private static String findings(List<SeedGroup> groups) {
        List<SeedGroup> zero = groups.stream().filter(g -> g.get("init").equals("zero")).toList();
        String moved = String.join(", ", zero.stream().filter(g -> max(g, "dense_scale") > 0)
                .map(CnnInitClaims::label).distinct().toList());
        String stayed = String.join(", ", zero.stream().filter(g -> max(g, "dense_scale") == 0)
                .map(CnnInitClaims::label).distinct().toList());
        return (zero.isEmpty() ? "" : String.format(Locale.ROOT, "- **Zero initialization**: after training, the "
                + "largest difference between any unit and unit 0 is %s (convolution) and %s (dense). The dense "
                + "weights moved in %s: identical copies, not merely untouched zeros. They stayed exactly 0 in %s (an "
                + "activation with f(0) = 0 passes 0 forward, so no gradient reaches the hidden weights; only the "
                + "output biases learn, which is why those nets predict one class).\n",
                Table.readable(extreme(zero, "conv_spread", true)), Table.readable(extreme(zero, "dense_spread", true)),
                moved.isEmpty() ? "no combination" : moved, stayed.isEmpty() ? "no combination" : stayed))
                + "- **Tiny weights** (small-uniform): compare their grad_norm_output with xavier's in the table "
                + "above. Every layer's gradient is small, not only the first layer's, so the first/last ratio can be "
                + "near 1 while the net still stalls under plain steps.\n";
    }

    private List<Figure> figures(List<SeedGroup> groups, List<String> optimizers) {
        List<Figure> figures = new ArrayList<>();
        for (String opt : optimizers) {
            figures.add(new Figure.Lines("test-accuracy-" + opt, "Test accuracy per epoch, " + opt
                    + " (mean over seeds)", "epoch", "test accuracy", false, false, groups.stream()
                    .filter(g -> g.get("optimizer").equals(opt)).map(g -> SeedBands.overSeeds(label(g),
                            g.cells().stream().map(r -> r.series(CnnInit.CURVE, "epoch")).toList(),
                            g.cells().stream().map(r -> r.series(CnnInit.CURVE, "test_accuracy")).toList(), false))
                    .toList()));
        }
        // log10 on a linear axis (the plotter cannot draw bars on a log axis): zero init's 0 and 0/0 are left out
        List<SeedGroup> ratios = groups.stream().filter(g -> g.get("optimizer").equals(optimizers.get(0))
                && g.stats("grad_ratio_first_last").mean() > 0).toList();
        if (!ratios.isEmpty()) {
            figures.add(new Figure.Bars("gradient-ratio", "Gradient norm, first / last layer, at initialization "
                    + "(log10; zero init left out)", "log10(||dL/dW conv|| / ||dL/dW output||)", false,
                    ratios.stream().map(CnnInitClaims::label).toList(), ratios.stream()
                    .mapToDouble(g -> Math.log10(g.stats("grad_ratio_first_last").mean())).toArray(), null));
        }
        return figures;
    }
}
