package gdlab.experiment.cnninit;

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

import static gdlab.experiment.cnninit.CnnInitClaims.find;
import static gdlab.experiment.cnninit.CnnInitClaims.label;
import static gdlab.experiment.cnninit.CnnInitClaims.largest;
import static gdlab.experiment.cnninit.CnnInitClaims.max;
import static gdlab.experiment.cnninit.CnnInitClaims.min;

/** cnn-init's summary: one row per (optimizer, activation, init) over its seeds, pivots, findings and figures. */
final class CnnInitReport {
    private final Spec spec;
    private final int nTrain;
    private final int nTest;
    private final int classes;
    private final List<InitCheck.Row> initCheck;
    private final List<String> optimizers;
    private final int budget;

    CnnInitReport(Spec spec, int nTrain, int nTest, int classes, List<InitCheck.Row> initCheck) {
        this.spec = spec;
        this.nTrain = nTrain;
        this.nTest = nTest;
        this.classes = classes;
        this.initCheck = initCheck;
        this.optimizers = spec.list("optimizer");
        this.budget = spec.integer("max_epochs");
    }

    Report of(List<CellResult> results) {
        List<SeedGroup> groups = SeedGroup.of(results);
        String targetPct = Table.readable(100 * spec.real("target_accuracy")) + "%";
        Columns<SeedGroup> table = new Columns<SeedGroup>().add("optimizer", g -> g.get("optimizer"))
                .csv("lr", g -> g.real("lr")).add("activation", g -> g.get("activation")).add("init", g -> g.get("init"))
                .csv("seeds", SeedGroup::size).csv("diverged", g -> g.count(r -> r.status() != CellResult.Status.OK))
                .stats("test_accuracy", g -> g.stats("test_accuracy"))
                .csv("reached_target", g -> g.reached("epochs_to_target"))
                .csv("epochs_to_target_mean", g -> g.stats("epochs_to_target").mean())
                .csv("epochs_to_target_std", g -> g.stats("epochs_to_target").std())
                .markdown("epochs_to_" + targetPct, g -> g.reached("epochs_to_target") == 0
                        ? "not in " + budget + " (0/" + g.size() + ")"
                        : g.stats("epochs_to_target").pretty() + " (" + g.reachedOf("epochs_to_target") + ")")
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
            table.csv(units, g -> max(g, units)).csv(layer + "_distinct_max", g -> max(g, layer + "_distinct"))
                    .csv(layer + "_spread_max", g -> largest(g, layer + "_spread"))
                    .csv(layer + "_scale_max", g -> largest(g, layer + "_scale"))
                    .markdown(layer.equals("conv") ? "distinct_filters" : "distinct_dense_units",
                            g -> max(g, layer + "_distinct") + "/" + max(g, units));
        }
        table.markdown("final_train_loss", g -> g.stats("final_train_loss").pretty());

        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "Data: digits, %d training / %d test "
                        + "examples (8x8, standardized pixels). CNN: conv 3x3 x%s -> max-pool 2x2 -> dense %s -> "
                        + "softmax 10 (%s), batch %s, %d epochs, shuffled every epoch; learning rates sgd %s, "
                        + "momentum %s (heavy ball, mu 0.9), adam %s; mean ± std over %d seeds.%n%n",
                nTrain, nTest, spec.string("filters"), spec.string("hidden"), spec.string("dtype"),
                spec.string("batch_size"), budget, spec.string("lr_sgd"), spec.string("lr_momentum"),
                spec.string("lr_adam"), Harness.seeds(spec).size()));
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
                reached it (k/n seeds that did); grad_norm_output: ||dL/dW|| of the output layer at initialization (how \
                big the first updates are); distinct_filters / distinct_dense_units: how many different \
                hidden units the trained layer has (units whose weights and bias agree to %s of the layer's largest \
                parameter count as one), worst seed, out of the layer's units. %s

                """, targetPct, Table.readable(CnnInit.SAME_UNIT_RELATIVE), Trainer.DIVERGENCE_RULE));
        text.append(InitCheck.markdown(initCheck));
        text.append("### What the run shows\n\n").append(String.join("\n", findings(groups))).append("\n");
        return new Report(table.csv(groups), text.toString(), false, figures(groups),
                CnnInitClaims.of(groups, optimizers, classes, nTest, spec.real("among_best_margin")));
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
            for (String init : spec.list("init")) {
                SeedGroup g = find(groups, optimizer, act, init);
                row.add(g == null ? "-" : f.apply(g));
            }
            t.add(row);
        }
        return t.toMarkdown();
    }

    /** The numbers behind the claims, in words. */
    private List<String> findings(List<SeedGroup> groups) {
        List<String> lines = new ArrayList<>();
        // 1. symmetry: zero init leaves the hidden units identical; the same check on the other inits tells them apart
        List<SeedGroup> zero = groups.stream().filter(g -> g.get("init").equals("zero")).toList();
        List<SeedGroup> random = groups.stream().filter(g -> !g.get("init").equals("zero")).toList();
        if (!zero.isEmpty()) {
            List<String> moved = zero.stream().filter(g -> largest(g, "dense_scale") > 0)
                    .map(CnnInitClaims::label).distinct().toList();
            List<String> stayed = zero.stream().filter(g -> largest(g, "dense_scale") == 0)
                    .map(CnnInitClaims::label).distinct().toList();
            lines.add(String.format(Locale.ROOT, "- **Zero initialization**: after training, the largest difference "
                            + "between any unit and unit 0 is %s (convolution) and %s (dense). The dense weights moved "
                            + "in %s: identical copies, not merely untouched zeros. They stayed exactly 0 in %s (an "
                            + "activation with f(0) = 0 passes 0 forward, so no gradient reaches the hidden weights; "
                            + "only the output biases learn, which is why those nets predict one class).",
                    Table.readable(zero.stream().mapToDouble(g -> largest(g, "conv_spread")).max().orElse(Double.NaN)),
                    Table.readable(zero.stream().mapToDouble(g -> largest(g, "dense_spread")).max().orElse(Double.NaN)),
                    moved.isEmpty() ? "no combination" : String.join(", ", moved),
                    stayed.isEmpty() ? "no combination" : String.join(", ", stayed)));
        }
        if (!random.isEmpty()) {
            double minSpread = random.stream().mapToDouble(g -> g.cells().stream()
                    .mapToDouble(r -> r.number("dense_spread")).min().orElse(Double.NaN)).min().orElse(Double.NaN);
            lines.add(String.format(Locale.ROOT, "- The same check on the random initializations: at least %d of %s "
                            + "filters and %d of %s dense units distinct, dense spread at least %s: the check does "
                            + "tell units apart.", random.stream().mapToInt(g -> min(g, "conv_distinct")).min().orElse(0),
                    spec.string("filters"), random.stream().mapToInt(g -> min(g, "dense_distinct")).min().orElse(0),
                    spec.string("hidden"), Table.readable(minSpread)));
        }
        // 2. sigmoid with a poor init learns slowly
        for (String opt : optimizers) {
            List<String> parts = new ArrayList<>();
            for (String init : spec.list("init")) {
                SeedGroup g = find(groups, opt, "sigmoid", init);
                if (g != null) {
                    parts.add(init + " " + g.stats("test_accuracy").pretty() + " (" + toTarget(g) + ")");
                }
            }
            SeedGroup reluHe = find(groups, opt, "relu", "he");
            if (!parts.isEmpty()) {
                lines.add("- Sigmoid, " + opt + ": test accuracy (epochs to target) by init: " + String.join("; ", parts)
                        + (reluHe == null ? "" : "; relu + he for comparison " + reluHe.stats("test_accuracy").pretty()
                        + " (" + toTarget(reluHe) + ")") + ".");
            }
        }
        // tiny weights stall every activation under plain steps: all gradients are small, not only the first layer's
        for (String act : spec.list("activation")) {
            SeedGroup small = find(groups, optimizers.get(0), act, "small-uniform");
            SeedGroup xavier = find(groups, optimizers.get(0), act, "xavier");
            if (small == null || xavier == null || act.equals("sigmoid")) {
                continue;
            }
            List<String> accs = optimizers.stream().filter(opt -> find(groups, opt, act, "small-uniform") != null)
                    .map(opt -> opt + " " + find(groups, opt, act, "small-uniform").stats("test_accuracy").pretty())
                    .toList();
            lines.add(String.format(Locale.ROOT, "- %s + small-uniform: output-layer gradient at initialization %s vs "
                            + "%s with xavier (all layers' gradients are small, the first/last ratio is %s); test "
                            + "accuracy %s.", act, small.stats("grad_norm_output").pretty(),
                    xavier.stats("grad_norm_output").pretty(), small.stats("grad_ratio_first_last").pretty(),
                    String.join(", ", accs)));
        }
        return lines;
    }

    private static String toTarget(SeedGroup g) {
        long reached = g.reached("epochs_to_target");
        return reached == 0 ? "never" : g.stats("epochs_to_target").pretty() + " epochs"
                + (reached < g.size() ? ", " + reached + "/" + g.size() + " seeds" : "");
    }

    private List<Figure> figures(List<SeedGroup> groups) {
        List<Figure> figures = new ArrayList<>();
        for (String opt : optimizers) {
            List<Figure.Series> series = groups.stream().filter(g -> g.get("optimizer").equals(opt))
                    .map(g -> SeedBands.overSeeds(label(g),
                            g.cells().stream().map(r -> r.series(CnnInit.CURVE, "epoch")).toList(),
                            g.cells().stream().map(r -> r.series(CnnInit.CURVE, "test_accuracy")).toList(), false))
                    .toList();
            figures.add(new Figure.Lines("test-accuracy-" + opt, "Test accuracy per epoch, " + opt
                    + " (mean over seeds)", "epoch", "test accuracy", false, false, series));
        }
        // a log axis: zero init's 0 and 0/0 are left out
        List<SeedGroup> ratios = groups.stream().filter(g -> g.get("optimizer").equals(optimizers.get(0))
                && g.stats("grad_ratio_first_last").mean() > 0).toList();
        if (!ratios.isEmpty()) {
            // log10 on a linear axis: the plotter cannot draw bars on a log axis
            figures.add(new Figure.Bars("gradient-ratio", "Gradient norm, first / last layer, at initialization "
                    + "(log10; zero init left out)", "log10(||dL/dW conv|| / ||dL/dW output||)", false,
                    ratios.stream().map(CnnInitClaims::label).toList(),
                    ratios.stream().mapToDouble(g -> Math.log10(g.stats("grad_ratio_first_last").mean())).toArray(),
                    null));
        }
        return figures;
    }
}
