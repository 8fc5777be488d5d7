package gdlab.experiment;

import gdlab.basics.GradientCheck;
import gdlab.basics.LossFunctions;
import gdlab.basics.Measurements;
import gdlab.basics.SgdSteps;
import gdlab.basics.StepDirections;
import gdlab.data.Dataset;
import gdlab.report.Figure;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The four tables of gradient-basics, their plain-words answers and the figures; the claims are GradientBasicsClaims. */
final class GradientBasicsSummary {
    private final Spec spec;
    private final double[] etas;
    private final Map<String, Dataset> train;
    /** data set -> its cells (in seed order) that finished */
    private final Map<String, List<Cell>> byData = new LinkedHashMap<>();
    private final List<CellResult> results;

    /** One finished cell, its measurements read back. */
    record Cell(CellResult result, Measurements m, GradientBasics.CellView view, long seed) {
    }

    GradientBasicsSummary(Spec spec, double[] etas, Map<String, Dataset> train, List<CellResult> results) {
        this.spec = spec;
        this.etas = etas;
        this.train = train;
        this.results = results;
        for (CellResult r : results) {
            if (r.status() != CellResult.Status.OK) {
                continue;
            }
            Measurements m = new Measurements(r.curve());
            List<String> blocks = m.series(GradientCheck.PART).stream().filter(b -> !b.equals("all")).toList();
            byData.computeIfAbsent(r.cell().get("data"), k -> new ArrayList<>())
                    .add(new Cell(r, m, new GradientBasics.CellView(m, blocks), r.cell().longValue("seed")));
        }
    }

    Report report() {
        StringBuilder md = new StringBuilder();
        md.append(setting()).append("\n\n");
        md.append("## 1. What is a loss function, and what is its gradient?\n\n").append(lossTable().toMarkdown())
                .append('\n').append(lossExample()).append(lossAnswer()).append("\n\n");
        md.append("## 2. Is the derivative what backprop computes?\n\n").append(gradientCheckTable().toMarkdown())
                .append('\n').append(gradientCheckAnswer()).append("\n\n");
        Table directions = directionTable(false);
        md.append("## 3. Why step along the negative gradient?\n\n").append(directions.toMarkdown()).append('\n')
                .append(directionAnswer()).append("\n\n");
        md.append("## 4. How does the network learn its weights and biases?\n\n").append(sgdTable().toMarkdown())
                .append('\n').append(movedTable()).append(sgdAnswer()).append("\n\n");
        return new Report(directionTable(true), md.toString(), false, figures(),
                GradientBasicsClaims.of(spec, etas, byData, results));
    }

    private String setting() {
        List<String> nets = new ArrayList<>();
        for (String data : byData.keySet()) {
            Dataset d = train.get(data);
            nets.add(String.format(Locale.ROOT, "%s %d-%s-%d (%d examples)", data, d.numFeatures(),
                    spec.string("hidden_" + data), d.numClasses(), d.size()));
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

    // ---------------------------------------------------------------- part 1

    private Table lossTable() {
        Table t = new Table("data", "loss", "output", "L (per example)", "loss_dl4j", "loss_reference",
                "max_rel_diff", "dL/dz", "dL/dz max_abs_diff", "mean |dL/dz|", "mean dL/dz at true class",
                "max |dL/dz - (a - y)|");
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            for (LossFunctions.Pairing p : LossFunctions.Pairing.values()) {
                Stats dl4j = stats(cells, c -> c.m().value(LossFunctions.PART, p.id, "loss_dl4j"));
                Stats ref = stats(cells, c -> c.m().value(LossFunctions.PART, p.id, "loss_reference"));
                double rel = max(cells, c -> Math.abs(c.m().value(LossFunctions.PART, p.id, "loss_dl4j")
                        - c.m().value(LossFunctions.PART, p.id, "loss_reference"))
                        / Math.abs(c.m().value(LossFunctions.PART, p.id, "loss_reference")));
                double grad = max(cells, c -> c.m().value(LossFunctions.PART, p.id, "gradient_max_abs_diff"));
                t.add(e.getKey(), p.lossName, p.activationName, p.formula, dl4j.pretty(), ref.pretty(), rel,
                        p.gradientFormula, grad,
                        mean(cells, c -> c.m().value(LossFunctions.PART, p.id, "gradient_mean_abs")),
                        mean(cells, c -> c.m().value(LossFunctions.PART, p.id, "gradient_true_class_mean")),
                        max(cells, c -> c.m().value(LossFunctions.PART, p.id, "gradient_max_abs_minus_a_minus_y")));
            }
        }
        return t;
    }

    /** The first example of the smallest data set (iris when it runs), class by class, first seed. */
    private String lossExample() {
        String data = byData.keySet().stream().min((a, b) -> Integer.compare(train.get(a).numClasses(),
                train.get(b).numClasses())).orElse(null);
        if (data == null) {
            return "";
        }
        Cell c = byData.get(data).get(0);
        Dataset d = train.get(data);
        Table t = new Table("class", "y", "z", "p = softmax(z)", "MCXENT dL/dz", "MSE dL/dz", "s = sigmoid(z)",
                "XENT dL/dz");
        String ex = LossFunctions.EXAMPLE;
        String mcx = LossFunctions.Pairing.MCXENT_SOFTMAX.id;
        String mse = LossFunctions.Pairing.MSE_SOFTMAX.id;
        String xent = LossFunctions.Pairing.XENT_SIGMOID.id;
        for (int k = 0; k < d.numClasses(); k++) {
            t.add(d.classNames().get(k), c.m().at(ex, "example", "y", k), c.m().at(ex, "example", "z", k),
                    c.m().at(ex, mcx, "output", k), c.m().at(ex, mcx, "gradient", k), c.m().at(ex, mse, "gradient", k),
                    c.m().at(ex, xent, "output", k), c.m().at(ex, xent, "gradient", k));
        }
        return String.format(Locale.ROOT, "%nOne %s example (the first, seed %d), class by class: z are the output "
                + "layer's pre-activations, y the one-hot label; the gradients are DL4J's, per example.%n%n", data,
                c.seed()) + t.toMarkdown() + "\n";
    }

    private String lossAnswer() {
        String mcx = LossFunctions.Pairing.MCXENT_SOFTMAX.id;
        String mse = LossFunctions.Pairing.MSE_SOFTMAX.id;
        List<String> lines = new ArrayList<>();
        lines.add("A loss function turns the network's outputs and the labels into one number to minimize; "
                + "training follows its gradient. dL/dz is that gradient with respect to the output layer's "
                + "pre-activations z, where backprop starts.");
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            double dev = max(cells, c -> c.m().value(LossFunctions.PART, mcx, "gradient_max_abs_minus_a_minus_y"));
            double ce = mean(cells, c -> c.m().value(LossFunctions.PART, mcx, "gradient_true_class_mean"));
            double sq = mean(cells, c -> c.m().value(LossFunctions.PART, mse, "gradient_true_class_mean"));
            lines.add(String.format(Locale.ROOT, "- %s: softmax + cross-entropy gives dL/dz = p - y exactly "
                            + "(max deviation %s); at the true class it pulls with %s on average, "
                            + "squared error on the same probabilities with only %s (%.0fx weaker): its gradient is "
                            + "damped by the softmax's slope and by 1/K.", e.getKey(), Table.readable(dev),
                    Table.readable(ce), Table.readable(sq), ce / sq));
        }
        lines.add("- Binary cross-entropy applies when each output is its own yes/no probability (a sigmoid per "
                + "output, one-vs-rest here); with sigmoid outputs its gradient is again s - y.");
        String x = LossFunctions.XENT_SOFTMAX;
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            double value = mean(cells, c -> c.m().value(LossFunctions.PART, x, "loss_dl4j"));
            double binary = mean(cells, c -> c.m().value(LossFunctions.PART, x, "loss_reference"));
            double asMulti = max(cells, c -> Math.abs(c.m().value(LossFunctions.PART, x, "loss_dl4j")
                    - c.m().value(LossFunctions.PART, x, "mcxent_dl4j")));
            double grad = max(cells, c -> c.m().value(LossFunctions.PART, x, "gradient_max_abs_diff"));
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

    // ---------------------------------------------------------------- part 2

    private Table gradientCheckTable() {
        double tol = spec.real("fd_tolerance");
        Table t = new Table("data", "block", "layer", "kind", "entries", "checked", "near a kink", "median |g|",
                "rel_error (block, max)", "median entry rel_error", "worst entry rel_error", "|g| at worst",
                "max abs_error",
                "verdict");
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            for (String block : cells.get(0).view().blocks) {
                List<Double> abs = new ArrayList<>();
                List<Double> rels = new ArrayList<>();
                double worstRel = -1;
                double gAtWorst = Double.NaN;
                double blockRel = 0;
                double maxAbs = 0;
                int n = 0;
                int kinks = 0;
                for (Cell c : cells) {
                    kinks += c.view().nearKink(block);
                    double[] bp = c.view().backprop(block);
                    double[] r = c.view().elementRelErrors(block);
                    for (int i = 0; i < bp.length; i++) {
                        abs.add(Math.abs(bp[i]));
                        rels.add(r[i]);
                        if (r[i] > worstRel) {
                            worstRel = r[i];
                            gAtWorst = Math.abs(bp[i]);
                        }
                    }
                    n += bp.length + c.view().nearKink(block);
                    blockRel = Math.max(blockRel, c.view().blockRelError(block));
                    maxAbs = Math.max(maxAbs, c.view().maxAbsError(block));
                }
                int layer = Integer.parseInt(block.substring(0, block.indexOf('_')));
                boolean bias = block.endsWith("_b");
                t.add(e.getKey(), block, layer + " (" + layerName(e.getKey(), layer) + ")",
                        bias ? "biases" : "weights", entries(e.getKey(), layer, bias), n, kinks, median(abs),
                        blockRel,
                        median(rels), worstRel, gAtWorst, maxAbs, blockRel <= tol ? "agree" : "DISAGREE");
            }
        }
        return t;
    }

    private String gradientCheckAnswer() {
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
        int kinks = byData.values().stream().flatMap(List::stream).mapToInt(c -> c.view().fdNearKink()).sum();
        int checked = byData.values().stream().flatMap(List::stream).mapToInt(c -> c.view().fdChecked()).sum();
        if (GradientCheck.hasKink(gdlab.reference.Activation.named(spec.string("activation")))) {
            lines.add(String.format(Locale.ROOT, "- %s has a kink at 0, where it has no derivative: for %d of the %d "
                    + "checked parameters the nudge of +-h moves some example's hidden pre-activation across 0, so "
                    + "the central difference mixes two slopes. Those entries (column near a kink) are left out of "
                    + "the error columns and the verdict; the smooth tanh has none.", spec.string("activation"),
                    kinks, checked));
        }
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            double refDiff = max(e.getValue(), c -> c.m().value(GradientCheck.PART, "all", "reference_max_abs_diff"));
            double gMax = max(e.getValue(), c -> c.m().value(GradientCheck.PART, "all", "gradient_max_abs"));
            lines.add(String.format(Locale.ROOT, "- %s: the whole backprop gradient (all %s parameters) equals the "
                            + "reference's to %s (entries up to %s).", e.getKey(),
                    Table.readable(mean(e.getValue(), c -> c.result().number("n_params"))),
                    Table.readable(refDiff), Table.readable(gMax)));
        }
        return String.join("\n", lines);
    }

    // ---------------------------------------------------------------- part 3

    /** Table 3, per data set and step size; {@code forCsv} adds standard deviations and raw losses. */
    private Table directionTable(boolean forCsv) {
        List<String> cols = new ArrayList<>(List.of("data", "eta", "first_order_change", "change_minus_g",
                "ratio_minus_g", "change_plus_g", "ratio_plus_g", "change_random", "ratio_random"));
        if (forCsv) {
            cols = new ArrayList<>(List.of("data", "seeds", "eta", "loss_start", "first_order_change",
                    "first_order_change_std", "loss_minus_g", "change_minus_g", "change_minus_g_std",
                    "ratio_minus_g", "ratio_minus_g_std", "loss_plus_g", "change_plus_g", "change_plus_g_std",
                    "ratio_plus_g", "ratio_plus_g_std", "loss_random", "change_random", "change_random_std",
                    "ratio_random", "ratio_random_std"));
        } else {
            cols = List.of("data", "eta", "first-order change -eta|g|^2", "change along -g", "-g: decrease / "
                    + "eta|g|^2", "change along +g", "+g: increase / eta|g|^2", "change along random",
                    "random: change / eta|g|^2");
        }
        Table t = new Table(cols);
        String part = StepDirections.PART;
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            for (double eta : etas) {
                Stats first = stats(cells, c -> c.m().at(part, StepDirections.FIRST_ORDER, "loss_change", eta));
                Stats minus = stats(cells, c -> c.m().at(part, StepDirections.MINUS_G, "loss_change", eta));
                Stats plus = stats(cells, c -> c.m().at(part, StepDirections.PLUS_G, "loss_change", eta));
                Stats random = stats(cells, c -> c.m().at(part, StepDirections.RANDOM, "loss_change", eta));
                Stats rMinus = stats(cells, c -> c.view().ratio(StepDirections.MINUS_G, eta));
                Stats rPlus = stats(cells, c -> c.view().ratio(StepDirections.PLUS_G, eta));
                Stats rRandom = stats(cells, c -> c.view().ratio(StepDirections.RANDOM, eta));
                if (forCsv) {
                    t.add(e.getKey(), cells.size(), eta,
                            mean(cells, c -> c.m().value(part, "start", "loss")), first.mean(), first.std(),
                            mean(cells, c -> c.m().at(part, StepDirections.MINUS_G, "loss_after", eta)),
                            minus.mean(), minus.std(), rMinus.mean(), rMinus.std(),
                            mean(cells, c -> c.m().at(part, StepDirections.PLUS_G, "loss_after", eta)),
                            plus.mean(), plus.std(), rPlus.mean(), rPlus.std(),
                            mean(cells, c -> c.m().at(part, StepDirections.RANDOM, "loss_after", eta)),
                            random.mean(), random.std(), rRandom.mean(), rRandom.std());
                } else {
                    t.add(e.getKey(), eta, first.mean(), minus.mean(), rMinus.mean(), plus.mean(), rPlus.mean(),
                            random.mean(), rRandom.mean());
                }
            }
        }
        return t;
    }

    private String directionAnswer() {
        double tol = spec.real("first_order_tolerance");
        double smallest = etas[0];
        List<String> lines = new ArrayList<>();
        lines.add("Each row takes one step of size eta from the same initial parameters: theta - eta g, "
                + "theta + eta g, and theta + eta |g| u with u a random unit direction (the same length as the "
                + "gradient steps). The first-order (Taylor) prediction of the change along -g is -eta |g|^2: "
                + "the gradient is the direction of steepest increase, so -g is the steepest decrease.");
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            double loss0 = mean(cells, c -> c.m().value(StepDirections.PART, "start", "loss"));
            double gNorm = mean(cells, c -> c.result().number("gradient_norm"));
            double ratio = mean(cells, c -> c.view().ratio(StepDirections.MINUS_G, smallest));
            double holds = min(cells, c -> numberOr(c, "first_order_holds_to_eta", Double.NaN));
            double best = Double.NaN;
            double bestDrop = Double.NEGATIVE_INFINITY;
            double plusRisesTo = Double.NaN;
            boolean plusAlwaysRises = true;
            for (double eta : etas) {
                double drop = -mean(cells, c -> c.m().at(StepDirections.PART, StepDirections.MINUS_G, "loss_change",
                        eta));
                if (drop > bestDrop) {
                    bestDrop = drop;
                    best = eta;
                }
                boolean rises = cells.stream().allMatch(c -> c.m().at(StepDirections.PART, StepDirections.PLUS_G,
                        "loss_change", eta) > 0);
                if (rises && plusAlwaysRises) {
                    plusRisesTo = eta;
                } else {
                    plusAlwaysRises = false;
                }
            }
            String plusText = plusRisesTo == etas[etas.length - 1] ? "at every eta"
                    : "up to eta = " + Table.readable(plusRisesTo);
            double raises = min(cells, c -> numberOr(c, "minus_g_raises_loss_from_eta", Double.POSITIVE_INFINITY));
            double randomWorst = 0;
            for (double eta : etas) {
                if (eta <= holds) {
                    for (Cell c : cells) {
                        randomWorst = Math.max(randomWorst, Math.abs(c.view().ratio(StepDirections.RANDOM, eta)));
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

    private static double numberOr(Cell c, String metric, double missing) {
        Object v = c.result().metric(metric);
        return v == null ? missing : ((Number) v).doubleValue();
    }

    // ---------------------------------------------------------------- part 4

    private List<Integer> checkpoints(int steps) {
        TreeSet<Integer> s = new TreeSet<>();
        for (int k : new int[]{0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}) {
            if (k <= steps) {
                s.add(k);
            }
        }
        s.add(steps);
        return new ArrayList<>(s);
    }

    private Table sgdTable() {
        int steps = spec.integer("sgd_steps");
        List<String> blocks = byData.values().iterator().next().get(0).view().blocks;
        List<String> cols = new ArrayList<>(List.of("data", "step", "training loss"));
        String firstData = byData.keySet().iterator().next();
        for (String b : blocks) {
            int layer = Integer.parseInt(b.substring(0, b.indexOf('_')));
            cols.add("|change| " + layerName(firstData, layer) + (b.endsWith("_b") ? " b" : " W") + " (" + b + ")");
        }
        Table t = new Table(cols);
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            for (int step : checkpoints(steps)) {
                List<Object> row = new ArrayList<>(List.of(e.getKey(), step,
                        mean(e.getValue(), c -> c.m().at(SgdSteps.PART, SgdSteps.LOSS, "train_loss", step))));
                for (String b : blocks) {
                    row.add(mean(e.getValue(), c -> c.m().at(SgdSteps.PART, b, "change_norm", step)));
                }
                t.add(row);
            }
        }
        return t;
    }

    private String movedTable() {
        int steps = spec.integer("sgd_steps");
        Table t = new Table("data", "block", "layer", "kind", "entries", "norm at start", "|change| after step 1",
                "|change| after " + steps, "|change| / norm at start", "entries that moved");
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            for (String b : cells.get(0).view().blocks) {
                int layer = Integer.parseInt(b.substring(0, b.indexOf('_')));
                boolean bias = b.endsWith("_b");
                double start = mean(cells, c -> c.m().at(SgdSteps.PART, b, "norm", 0));
                double change = mean(cells, c -> c.m().at(SgdSteps.PART, b, "change_norm", steps));
                t.add(e.getKey(), b, layer + " (" + layerName(e.getKey(), layer) + ")", bias ? "biases" : "weights",
                        entries(e.getKey(), layer, bias), start,
                        mean(cells, c -> c.m().at(SgdSteps.PART, b, "change_norm", 1)), change,
                        start == 0 ? "from 0" : Table.readable(change / start),
                        percent(mean(cells, c -> c.m().at(SgdSteps.PART, b, "moved_share", steps))));
            }
        }
        return String.format(Locale.ROOT, "%nAfter %d steps, block by block (|change| = Euclidean norm of theta_t - "
                + "theta_0 over the block; an entry moved if its value differs from its start at all):%n%n", steps)
                + t.toMarkdown() + "\n";
    }

    private String sgdAnswer() {
        int steps = spec.integer("sgd_steps");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Each step is theta <- theta - lr g_B with lr = %s and g_B the mean "
                        + "gradient of a minibatch of %s examples (DL4J's fit, plain SGD); the training loss is "
                        + "measured on the whole data set after each step.", spec.string("lr"),
                spec.string("batch_size")));
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Cell> cells = e.getValue();
            double l0 = mean(cells, c -> c.m().at(SgdSteps.PART, SgdSteps.LOSS, "train_loss", 0));
            double l1 = mean(cells, c -> c.m().at(SgdSteps.PART, SgdSteps.LOSS, "train_loss", steps));
            List<String> blocks = cells.get(0).view().blocks;
            String fastest = null;
            double fastestRel = -1;
            List<String> still = new ArrayList<>();
            Dataset d = train.get(e.getKey());
            int constant = constantFeatures(d);
            int hidden = spec.integer("hidden_" + e.getKey());
            for (String b : blocks) {
                double start = mean(cells, c -> c.m().at(SgdSteps.PART, b, "norm", 0));
                double change = mean(cells, c -> c.m().at(SgdSteps.PART, b, "change_norm", steps));
                if (start > 0 && change / start > fastestRel) {
                    fastestRel = change / start;
                    fastest = b;
                }
                int layer = Integer.parseInt(b.substring(0, b.indexOf('_')));
                int entries = entries(e.getKey(), layer, b.endsWith("_b"));
                double moved = mean(cells, c -> c.m().at(SgdSteps.PART, b, "moved_share", steps));
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
            double minChange = min(cells, c -> c.view().minBlockChange(steps));
            lines.add(String.format(Locale.ROOT, "- %s: the loss fell from %s to %s in %d steps. Every block, "
                            + "weights and biases of every layer, moved (smallest |change| %s); relative to its "
                            + "start, %s moved most (%s of its norm). The biases start at 0 and are learned like the "
                            + "weights.%s", e.getKey(), Table.readable(l0), Table.readable(l1), steps,
                    Table.readable(minChange), fastest, Table.readable(fastestRel),
                    still.isEmpty() ? " Every single entry moved." : " But " + String.join("; ", still) + "."));
        }
        return String.join("\n", lines);
    }

    // ---------------------------------------------------------------- figures

    private List<Figure> figures() {
        List<Figure> figures = new ArrayList<>();
        String part = StepDirections.PART;
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            Cell c = e.getValue().get(0);
            double[] down = new double[etas.length];
            double[] up = new double[etas.length];
            double[] random = new double[etas.length];
            double[] first = new double[etas.length];
            for (int i = 0; i < etas.length; i++) {
                down[i] = -c.m().at(part, StepDirections.MINUS_G, "loss_change", etas[i]);
                up[i] = c.m().at(part, StepDirections.PLUS_G, "loss_change", etas[i]);
                random[i] = Math.abs(c.m().at(part, StepDirections.RANDOM, "loss_change", etas[i]));
                first[i] = -c.m().at(part, StepDirections.FIRST_ORDER, "loss_change", etas[i]);
            }
            figures.add(new Figure.Lines("step-direction-" + e.getKey(), e.getKey() + " (seed " + c.seed()
                    + "): loss change after one step of size eta", "eta (log)", "|loss change| (log)", true, true,
                    List.of(Figure.Series.line("first-order prediction eta |g|^2", etas, first),
                            Figure.Series.line("decrease along -g", etas, down),
                            Figure.Series.line("increase along +g", etas, up),
                            Figure.Series.line("|change| along a random direction", etas, random))));
        }
        int steps = spec.integer("sgd_steps");
        List<Figure.Series> losses = new ArrayList<>();
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<double[]> xs = new ArrayList<>();
            List<double[]> ys = new ArrayList<>();
            for (Cell c : e.getValue()) {
                xs.add(c.m().xs(SgdSteps.PART, SgdSteps.LOSS, "train_loss"));
                ys.add(c.m().values(SgdSteps.PART, SgdSteps.LOSS, "train_loss"));
            }
            losses.add(Figure.Series.overSeeds(e.getKey(), xs, ys));
        }
        figures.add(new Figure.Lines("sgd-loss", "Training loss during the first " + steps
                + " SGD steps (mean over seeds, band: min..max)", "step", "training loss", false, false, losses));
        for (Map.Entry<String, List<Cell>> e : byData.entrySet()) {
            List<Figure.Series> series = new ArrayList<>();
            for (String b : e.getValue().get(0).view().blocks) {
                // mean over seeds without a band: Plots draws a band as symmetric error bars, which can reach
                // below 0 on this log axis
                double[] x = e.getValue().get(0).m().xs(SgdSteps.PART, b, "change_norm");
                double[] y = new double[x.length];
                for (Cell c : e.getValue()) {
                    double[] v = c.m().values(SgdSteps.PART, b, "change_norm");
                    for (int i = 0; i < y.length; i++) {
                        y[i] += v[i] / e.getValue().size();
                    }
                }
                int layer = Integer.parseInt(b.substring(0, b.indexOf('_')));
                series.add(Figure.Series.line(layerName(e.getKey(), layer) + (b.endsWith("_b") ? " biases"
                        : " weights") + " (" + b + ")", x, y));
            }
            figures.add(new Figure.Lines("sgd-change-" + e.getKey(), e.getKey() + ": how far each block has moved "
                    + "from its start, |theta_t - theta_0| (mean over seeds)", "step", "|change| (log)", false, true,
                    series));
        }
        return figures;
    }

    // ---------------------------------------------------------------- helpers

    private String layerName(String data, int layer) {
        return layer == 1 ? "output" : "hidden";
    }

    private int entries(String data, int layer, boolean bias) {
        Dataset d = train.get(data);
        int hidden = spec.integer("hidden_" + data);
        int nIn = layer == 0 ? d.numFeatures() : hidden;
        int nOut = layer == 0 ? hidden : d.numClasses();
        return bias ? nOut : nIn * nOut;
    }

    private static Stats stats(List<Cell> cells, ToDoubleFunction<Cell> f) {
        return Stats.of(cells.stream().mapToDouble(f).toArray());
    }

    private static double mean(List<Cell> cells, ToDoubleFunction<Cell> f) {
        return stats(cells, f).mean();
    }

    private static double max(List<Cell> cells, ToDoubleFunction<Cell> f) {
        return cells.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    private static double min(List<Cell> cells, ToDoubleFunction<Cell> f) {
        return cells.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    /** Features with the same value in every example. */
    static int constantFeatures(Dataset d) {
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

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
