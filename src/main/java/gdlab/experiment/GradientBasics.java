package gdlab.experiment;

import gdlab.basics.GradientCheck;
import gdlab.basics.LossFunctions;
import gdlab.basics.Measurement;
import gdlab.basics.Measurements;
import gdlab.basics.SgdSteps;
import gdlab.basics.StepDirections;
import gdlab.basics.Subject;
import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Probes;
import gdlab.report.Metric;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.measures;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * What gradient descent is, measured on a real DL4J network at its initialization: what a loss function and its
 * gradient are (part 1), that backprop computes the derivative (part 2), why a step goes along the negative gradient
 * (part 3), and how the weights and biases move in the first SGD steps (part 4). One cell is one network: a data set
 * and a seed; every part measures that network, and the reference checks what DL4J computes.
 */
public final class GradientBasics implements Experiment {

    /**
     * Per cell, the results that are reproducible to many digits on any CPU. Differences that are rounding error by
     * nature (DL4J vs the reference, finite differences vs backprop) are counted against their tolerances here,
     * since their exact values change with the CPU's kernels; the values themselves are in curves.csv and the
     * tables.
     */
    static final List<Metric> DECLARED = List.of(setting("n_examples"), setting("n_params"), measure("initial_loss"),
            measure("gradient_norm"), setting("reference_checks"), measure("reference_mismatches"),
            setting("fd_checked"), measure("fd_near_kink"), measure("fd_blocks_over_tolerance"),
            setting("smallest_eta"), measure("first_order_ratio_smallest_eta"), measure("plus_g_ratio_smallest_eta"),
            measure("random_ratio_smallest_eta"), measure("random_cosine"), measure("first_order_holds_to_eta"),
            measure("best_eta"), measure("best_eta_loss"), measure("minus_g_raises_loss_from_eta"),
            setting("sgd_steps"), measure("sgd_final_loss"), measure("sgd_min_block_change"), timing("cell_ms"));
    static final List<String> METRICS = Metric.names(DECLARED);

    /** DL4J and the reference must agree this closely on loss values (relative) and gradients (absolute). */
    static final double AGREEMENT = 1e-12;
    /** ... and on the parameters after the SGD steps (absolute; rounding accumulates over the steps). */
    static final double SGD_AGREEMENT = 1e-10;

    private Spec spec;
    private final Map<String, Dataset> train = new LinkedHashMap<>();
    private double[] etas;

    @Override
    public String name() {
        return "gradient-basics";
    }

    @Override
    public String question() {
        return "What is gradient descent: the loss, its derivative, the step along -g, and how a network's weights "
                + "and biases learn?";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.choice("data", Datasets.SHIPPED, true, "data sets: digits (64-h-10) and/or iris (4-h-3)"),
                Param.integer("hidden_digits", 1, 4096, false, "hidden units of the digits net"),
                Param.integer("hidden_iris", 1, 4096, false, "hidden units of the iris net"),
                Param.choice("activation", Networks.ACTIVATIONS, false, "hidden-layer activation"),
                Param.integer("max_examples", 0, Integer.MAX_VALUE, false,
                        "use only this many examples of each data set (0 = all)"),
                Param.integer("split_seed", 0, Integer.MAX_VALUE, false, "seed of the example order and subset"),
                Param.integer("fd_samples", 1, 1_000_000, false,
                        "parameters checked by finite differences per block (each layer's W and b)"),
                Param.real("fd_step", 0, false, "finite-difference step h"),
                Param.real("fd_tolerance", 0, false, "largest relative error backprop vs finite differences"),
                Param.real("eta_min", 0, false, "smallest step size of part 3"),
                Param.real("eta_max", 0, false, "largest step size of part 3"),
                Param.integer("etas_per_decade", 1, 20, false,
                        "step sizes per decade (1, 2, 3 give round numbers: 1 / 1,3 / 1,2,5)"),
                Param.real("first_order_tolerance", 0, false,
                        "how close (relative) the decrease along -g must be to eta |g|^2 at the smallest eta"),
                Param.integer("sgd_steps", 1, 100_000, false, "SGD steps of part 4"),
                Param.real("lr", 0, false, "learning rate of the SGD steps"),
                Param.integer("batch_size", 1, Integer.MAX_VALUE, false, "examples per SGD step"));
    }

    @Override
    public List<Metric> metrics() {
        return DECLARED;
    }

    @Override
    public List<String> curveColumns() {
        return Measurement.COLUMNS;
    }

    @Override
    public List<Cell> prepare(Spec spec) {
        this.spec = spec;
        double min = spec.real("eta_min");
        double max = spec.real("eta_max");
        if (min >= max) {
            throw new BadInputException("bad value '" + spec.string("eta_max") + "' for eta_max: must be larger than "
                    + "eta_min = " + spec.string("eta_min"));
        }
        etas = StepDirections.grid(min, max, spec.integer("etas_per_decade"));
        if (etas.length < 2) {
            throw new BadInputException("eta_min = " + spec.string("eta_min") + " to eta_max = "
                    + spec.string("eta_max") + " with " + spec.string("etas_per_decade")
                    + " per decade gives fewer than 2 step sizes; widen the range or add steps per decade");
        }
        int b = spec.integer("batch_size");
        for (String name : spec.list("data")) {
            Dataset d = Split.of(Datasets.load(name), 0.0, spec.longValue("split_seed"), spec.integer("max_examples"))
                    .train();
            if (b > d.size()) {
                throw new BadInputException("bad value '" + b + "' for batch_size: " + name + " has " + d.size()
                        + " examples; allowed: an integer from 1 to " + d.size());
            }
            train.put(name, d);
        }
        List<Cell> cells = new ArrayList<>();
        for (String data : spec.list("data")) {
            for (long seed : Harness.seeds(spec)) {
                Map<String, String> c = new LinkedHashMap<>();
                c.put("data", data);
                c.put("hidden", spec.string("hidden_" + data));
                c.put("seed", String.valueOf(seed));
                cells.add(new Cell(cells.size(), c));
            }
        }
        return cells;
    }

    double[] etas() {
        return etas.clone();
    }

    @Override
    public CellResult run(Cell cell) {
        long t0 = System.nanoTime();
        Dataset data = train.get(cell.get("data"));
        double lr = spec.real("lr");
        Subject s = Subject.build(data, cell.integer("hidden"), spec.string("activation"), lr, cell.longValue("seed"));
        Measurements m = new Measurements();
        Probes.ScoreAndGradient sg = Probes.meanGradient(s.net(), s.x(), s.y());
        LossFunctions.measure(s, m);
        GradientCheck.measure(s, sg.gradient(), spec.integer("fd_samples"), spec.real("fd_step"), m);
        StepDirections.measure(s, sg.score(), sg.gradient(), etas, m);
        int steps = spec.integer("sgd_steps");
        SgdSteps.measure(s, steps, spec.integer("batch_size"), lr, m);
        CellView v = new CellView(m, s.blocks().stream().map(Probes.Block::key).toList());

        double gradientNorm = Math.sqrt(m.value(StepDirections.PART, "start", "gradient_norm_squared"));
        double smallest = etas[0];
        double holdsTo = Double.NaN;
        for (double eta : etas) {
            if (Math.abs(v.ratio(StepDirections.MINUS_G, eta) - 1) > spec.real("first_order_tolerance")) {
                break;
            }
            holdsTo = eta;
        }
        double best = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        Double raisesFrom = null;
        for (double eta : etas) {
            double loss = m.at(StepDirections.PART, StepDirections.MINUS_G, "loss_after", eta);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = eta;
            }
            if (raisesFrom == null && loss > sg.score()) {
                raisesFrom = eta;
            }
        }
        double[] referenceDiffs = v.referenceDiffs();
        double[] referenceTolerances = v.referenceTolerances();
        int mismatches = 0;
        for (int i = 0; i < referenceDiffs.length; i++) {
            if (!(referenceDiffs[i] <= referenceTolerances[i])) {
                mismatches++;
            }
        }
        double fdTolerance = spec.real("fd_tolerance");
        long fdOver = v.blocks.stream().filter(b -> !(v.blockRelError(b) <= fdTolerance)).count();
        List<Object> metrics = Arrays.asList(data.size(), s.net().numParams(), sg.score(), gradientNorm,
                referenceDiffs.length, mismatches, v.fdChecked(), v.fdNearKink(), fdOver, smallest, v.ratio(StepDirections.MINUS_G, smallest), v.ratio(StepDirections.PLUS_G, smallest),
                v.ratio(StepDirections.RANDOM, smallest),
                m.value(StepDirections.PART, StepDirections.RANDOM, "cosine_with_minus_g"), holdsTo, best, bestLoss,
                raisesFrom, steps, m.at(SgdSteps.PART, SgdSteps.LOSS, "train_loss", steps), v.minBlockChange(steps),
                (System.nanoTime() - t0) / 1e6);
        return new CellResult(cell, CellResult.Status.OK, "", Metric.inOrder(DECLARED, metrics), m.rows());
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new GradientBasicsSummary(spec, etas, train, results).report();
    }

    /** Derived numbers of one cell's measurements. */
    static final class CellView {
        final Measurements m;
        final List<String> blocks;

        CellView(Measurements m, List<String> blocks) {
            this.m = m;
            this.blocks = blocks;
        }

        /** Loss change along a direction divided by the first-order size eta |g|^2 (for -g: the decrease). */
        double ratio(String direction, double eta) {
            double gg = m.value(StepDirections.PART, "start", "gradient_norm_squared");
            double change = m.at(StepDirections.PART, direction, "loss_change", eta);
            return (direction.equals(StepDirections.MINUS_G) ? -change : change) / (eta * gg);
        }

        /**
         * Every DL4J-vs-reference comparison of the cell: the network's score vs its MCXENT loss, each loss value
         * (relative) and loss gradient, the backprop gradient, the losses after the steps of part 3 (relative), the
         * parameters after the SGD steps. Tolerances in {@link #referenceTolerances()}.
         */
        double[] referenceDiffs() {
            List<Double> d = new ArrayList<>();
            d.add(Math.abs(m.value(LossFunctions.PART, "network", "score_dl4j")
                    - m.value(LossFunctions.PART, LossFunctions.Pairing.MCXENT_SOFTMAX.id, "loss_dl4j")));
            for (LossFunctions.Pairing p : LossFunctions.Pairing.values()) {
                double a = m.value(LossFunctions.PART, p.id, "loss_dl4j");
                double b = m.value(LossFunctions.PART, p.id, "loss_reference");
                d.add(Math.abs(a - b) / Math.abs(b));
                d.add(m.value(LossFunctions.PART, p.id, "gradient_max_abs_diff"));
            }
            d.add(m.value(GradientCheck.PART, "all", "reference_max_abs_diff"));
            d.add(m.value(StepDirections.PART, "all", "reference_max_rel_diff"));
            d.add(m.value(SgdSteps.PART, "reference", "max_abs_param_diff"));
            return d.stream().mapToDouble(Double::doubleValue).toArray();
        }

        double[] referenceTolerances() {
            double[] t = new double[referenceDiffs().length];
            Arrays.fill(t, AGREEMENT);
            t[t.length - 1] = SGD_AGREEMENT;
            return t;
        }

        /** Backprop entries of the block's checked parameters that no ReLU kink is within reach of. */
        double[] backprop(String block) {
            return smooth(block, m.values(GradientCheck.PART, block, "backprop"));
        }

        /** The finite differences of the same entries. */
        double[] finiteDifference(String block) {
            return smooth(block, m.values(GradientCheck.PART, block, "finite_difference"));
        }

        private double[] smooth(String block, double[] v) {
            double[] kink = m.values(GradientCheck.PART, block, "near_kink");
            double[] out = new double[v.length];
            int n = 0;
            for (int i = 0; i < v.length; i++) {
                if (kink[i] == 0) {
                    out[n++] = v[i];
                }
            }
            return Arrays.copyOf(out, n);
        }

        /** Checked parameters whose +-h nudge moves some hidden pre-activation across a ReLU kink. */
        int nearKink(String block) {
            return (int) Arrays.stream(m.values(GradientCheck.PART, block, "near_kink")).filter(k -> k != 0).count();
        }

        int fdChecked() {
            return blocks.stream().mapToInt(b -> m.values(GradientCheck.PART, b, "backprop").length).sum();
        }

        int fdNearKink() {
            return blocks.stream().mapToInt(this::nearKink).sum();
        }

        double blockRelError(String block) {
            return GradientCheck.relativeError(backprop(block), finiteDifference(block));
        }

        double[] elementRelErrors(String block) {
            double[] bp = backprop(block);
            double[] fd = finiteDifference(block);
            double[] r = new double[bp.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = GradientCheck.relativeError(bp[i], fd[i]);
            }
            return r;
        }

        double maxAbsError(String block) {
            double[] bp = backprop(block);
            double[] fd = finiteDifference(block);
            double worst = 0;
            for (int i = 0; i < bp.length; i++) {
                worst = Math.max(worst, Math.abs(bp[i] - fd[i]));
            }
            return worst;
        }

        double minBlockChange(int step) {
            return blocks.stream().mapToDouble(b -> m.at(SgdSteps.PART, b, "change_norm", step)).min()
                    .orElse(Double.NaN);
        }
    }
}
