package gdlab.experiment.gradientbasics;

import gdlab.basics.GradientCheck;
import gdlab.basics.LossFunctions;
import gdlab.basics.SgdSteps;
import gdlab.basics.StepDirections;
import gdlab.data.Dataset;
import gdlab.experiment.gradientbasics.GradientBasicsSummary.Block;
import gdlab.reference.Activation;
import gdlab.report.Figure;
import gdlab.report.Table;
import gdlab.spec.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static gdlab.experiment.gradientbasics.GradientBasicsSummary.layerName;
import static gdlab.experiment.gradientbasics.GradientBasicsSummary.max;
import static gdlab.experiment.gradientbasics.GradientBasicsSummary.mean;
import static gdlab.experiment.gradientbasics.GradientBasicsSummary.min;
import static gdlab.experiment.gradientbasics.GradientBasicsSummary.percent;

/** What gradient-basics' tables say, in plain words, part by part; and its figures. */
final class GradientBasicsProse {
    private final GradientBasicsSummary summary;
    private final Spec spec;
    private final double[] etas;
    private final Map<String, Dataset> train;
    private final Map<String, List<CellView>> byData;

    GradientBasicsProse(GradientBasicsSummary summary) {
        this.summary = summary;
        this.spec = summary.spec;
        this.etas = summary.etas;
        this.train = summary.train;
        this.byData = summary.byData;
    }

    String setting() {
        List<String> nets = new ArrayList<>();
        for (String data : byData.keySet()) {
            Dataset d = train.get(data);
            nets.add(String.format(Locale.ROOT, "%s %d-%d-%d (%d examples)", data, d.numFeatures(),
                    summary.hidden.get(data), d.numClasses(), d.size()));
        }
        return String.format(Locale.ROOT, "Networks: %s; %s hidden layer, softmax output with multi-class "
                        + "cross-entropy, Xavier initialization, DOUBLE; everything is measured at the initial "
                        + "parameters of each seed (%s) on the whole data set (standardized features), except part 4 "
                        + "which trains. Values are means over the seeds unless a column says max.",
                String.join(", ", nets), spec.string("activation"), seedsText());
    }

    private String seedsText() {
        TreeSet<Long> seeds = new TreeSet<>();
        byData.values().forEach(cs -> cs.forEach(c -> seeds.add(c.seed())));
        return seeds.size() == 1 ? "seed " + seeds.first() : seeds.size() + " seeds";
    }

    String lossAnswer() {
        String mcx = LossFunctions.Pairing.MCXENT_SOFTMAX.id;
        String mse = LossFunctions.Pairing.MSE_SOFTMAX.id;
        List<String> lines = new ArrayList<>();
        lines.add("A loss function turns the network's outputs and the labels into one number to minimize; "
                + "training follows its gradient. dL/dz is that gradient with respect to the output layer's "
                + "pre-activations z, where backprop starts.");
        for (Map.Entry<String, List<CellView>> e : byData.entrySet()) {
            List<CellView> cells = e.getValue();
            double dev = max(cells, c -> c.loss(mcx, "gradient_max_abs_minus_a_minus_y"));
            double ce = mean(cells, c -> c.loss(mcx, "gradient_true_class_mean"));
            double sq = mean(cells, c -> c.loss(mse, "gradient_true_class_mean"));
            lines.add(String.format(Locale.ROOT, "- %s: softmax + cross-entropy gives dL/dz = p - y exactly "
                            + "(max deviation %s); at the true class it pulls with %s on average, "
                            + "squared error on the same probabilities with only %s (%.0fx weaker): its gradient is "
                            + "damped by the softmax's slope and by 1/K.", e.getKey(), Table.readable(dev),
                    Table.readable(ce), Table.readable(sq), ce / sq));
        }
        lines.add("- Binary cross-entropy applies when each output is its own yes/no probability (a sigmoid per "
                + "output, one-vs-rest here); with sigmoid outputs its gradient is again s - y.");
        String x = LossFunctions.XENT_SOFTMAX;
        for (Map.Entry<String, List<CellView>> e : byData.entrySet()) {
            List<CellView> cells = e.getValue();
            double value = mean(cells, c -> c.loss(x, "loss_dl4j"));
            double binary = mean(cells, c -> c.loss(x, "loss_reference"));
            double asMulti = max(cells, c -> Math.abs(c.loss(x, "loss_dl4j")
                    - c.loss(x, "mcxent_dl4j")));
            double grad = max(cells, c -> c.loss(x, "gradient_max_abs_diff"));
            lines.add(String.format(Locale.ROOT, "- Where it does not apply: %s, DL4J's LossBinaryXENT on the "
                            + "softmax outputs returns %s, %s the multi-class value (diff %s), not the binary "
                            + "cross-entropy of those probabilities (%s, reference), while its gradient %s the "
                            + "binary one's (max diff %s): value and gradient of two different losses.", e.getKey(),
                    Table.readable(value), asMulti <= GradientBasics.AGREEMENT ? "which is" : "not even",
                    Table.readable(asMulti), Table.readable(binary), grad <= GradientBasics.AGREEMENT ? "is"
                            : "is not", Table.readable(grad)));
        }
        return String.join("\n", lines);
    }

    String gradientCheckAnswer() {
        double h = spec.real("fd_step");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Backprop's gradient is the derivative: nudging one parameter by "
                + "h = %s up and down and dividing the change of DL4J's score by 2h reproduces the backprop "
                + "entry. rel_error (block) = ||g_fd - g_bp|| / ||g_bp|| over the checked entries of the block; the "
                + "element columns divide each entry's |g_fd - g_bp| by max(|g_fd|, |g_bp|). The absolute error "
                + "stays near the finite differences' own noise (the score's rounding error / h, plus h^2 terms), "
                + "so single entries with tiny gradients can show relative errors above the tolerance that are "
                + "the finite difference's error, not backprop's; the verdict uses the block's relative error.",
                Table.readable(h)));
        int kinks = byData.values().stream().flatMap(List::stream).mapToInt(CellView::fdNearKink).sum();
        int checked = byData.values().stream().flatMap(List::stream).mapToInt(CellView::fdChecked).sum();
        if (GradientCheck.hasKink(Activation.named(spec.string("activation")))) {
            lines.add(String.format(Locale.ROOT, "- %s has a kink at 0, where it has no derivative: for %d of the %d "
                    + "checked parameters the nudge of +-h moves some example's hidden pre-activation across 0, so "
                    + "the central difference mixes two slopes. Those entries (column near a kink) are left out of "
                    + "the error columns and the verdict; the smooth tanh has none.", spec.string("activation"),
                    kinks, checked));
        }
        for (Map.Entry<String, List<CellView>> e : byData.entrySet()) {
            double refDiff = max(e.getValue(), c -> c.m().value(GradientCheck.PART, "all", "reference_max_abs_diff"));
            double gMax = max(e.getValue(), c -> c.m().value(GradientCheck.PART, "all", "gradient_max_abs"));
            lines.add(String.format(Locale.ROOT, "- %s: the whole backprop gradient (all %s parameters) equals the "
                            + "reference's to %s (entries up to %s).", e.getKey(),
                    Table.readable(mean(e.getValue(), c -> c.result().number("n_params"))),
                    Table.readable(refDiff), Table.readable(gMax)));
        }
        return String.join("\n", lines);
    }

    String directionAnswer() {
        double tol = spec.real("first_order_tolerance");
        double smallest = etas[0];
        List<String> lines = new ArrayList<>();
        lines.add("Each row takes one step of size eta from the same initial parameters: theta - eta g, "
                + "theta + eta g, and theta + eta |g| u with u a random unit direction (the same length as the "
                + "gradient steps). The first-order (Taylor) prediction of the change along -g is -eta |g|^2: "
                + "the gradient is the direction of steepest increase, so -g is the steepest decrease.");
        for (Map.Entry<String, List<CellView>> e : byData.entrySet()) {
            List<CellView> cells = e.getValue();
            double loss0 = mean(cells, c -> c.m().value(StepDirections.PART, "start", "loss"));
            double gNorm = mean(cells, c -> c.result().number("gradient_norm"));
            double ratio = mean(cells, c -> c.ratio(StepDirections.MINUS_G, smallest));
            double holds = min(cells, c -> c.result().number("first_order_holds_to_eta"));
            double best = Double.NaN;
            double bestDrop = Double.NEGATIVE_INFINITY;
            double plusRisesTo = Double.NaN;
            boolean plusAlwaysRises = true;
            for (double eta : etas) {
                double drop = -mean(cells, c -> c.step(StepDirections.MINUS_G, "loss_change", eta));
                if (drop > bestDrop) {
                    bestDrop = drop;
                    best = eta;
                }
                boolean rises = cells.stream().allMatch(c -> c.step(StepDirections.PLUS_G, "loss_change", eta) > 0);
                if (rises && plusAlwaysRises) {
                    plusRisesTo = eta;
                } else {
                    plusAlwaysRises = false;
                }
            }
            String plusText = plusRisesTo == etas[etas.length - 1] ? "at every eta"
                    : "up to eta = " + Table.readable(plusRisesTo);
            double raises = min(cells, c -> c.result().metric("minus_g_raises_loss_from_eta") == null
                    ? Double.POSITIVE_INFINITY : c.result().number("minus_g_raises_loss_from_eta"));
            double randomWorst = 0;
            for (double eta : etas) {
                if (eta <= holds) {
                    for (CellView c : cells) {
                        randomWorst = Math.max(randomWorst, Math.abs(c.ratio(StepDirections.RANDOM, eta)));
                    }
                }
            }
            double cosine = mean(cells, c -> Math.abs(c.result().number("random_cosine")));
            double nParams = mean(cells, c -> c.result().number("n_params"));
            lines.add(String.format(Locale.ROOT, "- %s (loss %s at the start, |g| = %s): at eta = %s the decrease "
                            + "along -g is %.6f x eta |g|^2; it stays within %s%% of it up to eta = %s, then "
                            + "curvature takes over and the decrease falls behind the prediction. The largest "
                            + "decrease, %s, comes at eta = %s; %s. Along +g the loss rises %s. A random "
                            + "direction of the same length changes the loss by at most %s of eta |g|^2 while the "
                            + "first-order prediction holds: to first order it changes the loss by eta |g|^2 "
                            + "cos(u, g), and |cos(u, -g)| = %s here, since in %s dimensions a random direction is "
                            + "nearly orthogonal to the gradient (typical |cos| ~ 1/sqrt(n) = %s).", e.getKey(),
                    Table.readable(loss0),
                    Table.readable(gNorm), Table.readable(smallest), ratio, Table.readable(tol * 100),
                    Table.readable(holds), Table.readable(bestDrop),
                    Table.readable(best),
                    Double.isInfinite(raises) ? "no step in the grid overshoots"
                            : "from eta = " + Table.readable(raises) + " on, the step along -g overshoots and "
                            + "raises the loss", plusText,
                    Table.readable(randomWorst), Table.readable(cosine), Table.readable(nParams),
                    Table.readable(1 / Math.sqrt(nParams))));
        }
        return String.join("\n", lines);
    }

    String sgdAnswer() {
        int steps = spec.integer("sgd_steps");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Each step is theta <- theta - lr g_B with lr = %s and g_B the mean "
                        + "gradient of a minibatch of %s examples (DL4J's fit, plain SGD); the training loss is "
                        + "measured on the whole data set after each step.", spec.string("lr"),
                spec.string("batch_size")));
        for (Map.Entry<String, List<CellView>> e : byData.entrySet()) {
            List<CellView> cells = e.getValue();
            double l0 = mean(cells, c -> c.sgd(SgdSteps.LOSS, "train_loss", 0));
            double l1 = mean(cells, c -> c.sgd(SgdSteps.LOSS, "train_loss", steps));
            List<String> blocks = cells.get(0).blocks();
            String fastest = null;
            double fastestRel = -1;
            List<String> still = new ArrayList<>();
            Dataset d = train.get(e.getKey());
            int constant = constantFeatures(d);
            int hidden = summary.hidden.get(e.getKey());
            for (String b : blocks) {
                double start = mean(cells, c -> c.sgd(b, "norm", 0));
                double change = mean(cells, c -> c.sgd(b, "change_norm", steps));
                if (start > 0 && change / start > fastestRel) {
                    fastestRel = change / start;
                    fastest = b;
                }
                int entries = summary.entries(new Block(e.getKey(), b, cells));
                double moved = mean(cells, c -> c.sgd(b, "moved_share", steps));
                long unmoved = Math.round((1 - moved) * entries);
                if (unmoved > 0) {
                    boolean explained = b.equals("0_W") && unmoved == (long) constant * hidden;
                    still.add(String.format(Locale.ROOT, "%d of the %d entries of %s (%s) never moved", unmoved,
                            entries, b, percent(1 - moved)) + (explained ? String.format(Locale.ROOT, ": exactly "
                            + "the %d x %d weights of the %d inputs that are constant over all %d examples (%s "
                            + "pixels, 0 after standardization). An input that is always 0 gives its weights a "
                            + "gradient of exactly 0, so they keep their initial values", constant, hidden, constant,
                            d.size(), d.name().equals("digits") ? "blank" : "constant") : ""));
                }
            }
            double minChange = min(cells, c -> c.minBlockChange(steps));
            lines.add(String.format(Locale.ROOT, "- %s: the loss fell from %s to %s in %d steps. Every block, "
                            + "weights and biases of every layer, moved (smallest |change| %s); relative to its "
                            + "start, %s moved most (%s of its norm). The biases start at 0 and are learned like the "
                            + "weights.%s", e.getKey(), Table.readable(l0), Table.readable(l1), steps,
                    Table.readable(minChange), fastest, Table.readable(fastestRel),
                    still.isEmpty() ? " Every single entry moved." : " But " + String.join("; ", still) + "."));
        }
        return String.join("\n", lines);
    }

    List<Figure> figures() {
        List<Figure> figures = new ArrayList<>();
        byData.forEach((data, cells) -> figures.add(new Figure.Lines("step-direction-" + summary.shortNames.get(data), data + " (seed "
                + cells.get(0).seed() + "): loss change after one step of size eta", "eta (log)",
                "|loss change| (log)", true, true, List.of(
                stepLine(cells.get(0), "first-order prediction eta |g|^2", StepDirections.FIRST_ORDER, -1),
                stepLine(cells.get(0), "decrease along -g", StepDirections.MINUS_G, -1),
                stepLine(cells.get(0), "increase along +g", StepDirections.PLUS_G, 1),
                stepLine(cells.get(0), "|change| along a random direction", StepDirections.RANDOM, 0)))));
        List<Figure.Series> losses = new ArrayList<>();
        byData.forEach((data, cells) -> losses.add(overSeeds(data, cells, SgdSteps.LOSS, "train_loss")));
        figures.add(new Figure.Lines("sgd-loss", "Training loss during the first " + spec.integer("sgd_steps")
                + " SGD steps (mean over seeds, band: min..max)", "step", "training loss", false, false, losses));
        byData.forEach((data, cells) -> figures.add(new Figure.Lines("sgd-change-" + summary.shortNames.get(data), data + ": how far each "
                + "block has moved from its start, |theta_t - theta_0| (mean over seeds)", "step", "|change| (log)",
                false, true, cells.get(0).blocks().stream().map(b -> {
                    // the mean without a band: Plots draws a band as symmetric error bars, which can reach below 0
                    // on this log axis
                    Figure.Series s = overSeeds("", cells, b, "change_norm");
                    return Figure.Series.line(layerName(Integer.parseInt(b.substring(0, b.indexOf('_'))))
                            + (b.endsWith("_b") ? " biases" : " weights") + " (" + b + ")", s.x(), s.y());
                }).toList())));
        return figures;
    }

    /** The loss change after one step along {@code direction}, times {@code sign} (0: its absolute value). */
    private Figure.Series stepLine(CellView c, String name, String direction, int sign) {
        double[] y = Arrays.stream(etas).map(eta -> c.step(direction, "loss_change", eta))
                .map(v -> sign == 0 ? Math.abs(v) : sign * v).toArray();
        return Figure.Series.line(name, etas, y);
    }

    /** A quantity of part 4 over the steps, mean and range over the seeds. */
    private static Figure.Series overSeeds(String name, List<CellView> cells, String series, String quantity) {
        return Figure.Series.overSeeds(name, cells.stream().map(c -> c.m().xs(SgdSteps.PART, series, quantity))
                .toList(), cells.stream().map(c -> c.m().values(SgdSteps.PART, series, quantity)).toList());
    }

    /** Features with the same value in every example. */
    private static int constantFeatures(Dataset d) {
        int count = 0;
        for (int j = 0; j < d.numFeatures(); j++) {
            boolean constant = true;
            for (double[] row : d.features()) {
                if (row[j] != d.features()[0][j]) {
                    constant = false;
                    break;
                }
            }
            if (constant) {
                count++;
            }
        }
        return count;
    }
}
