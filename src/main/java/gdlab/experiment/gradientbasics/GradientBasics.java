package gdlab.experiment.gradientbasics;

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
import gdlab.dl4j.Probes;
import gdlab.experiment.Keys;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static gdlab.basics.StepDirections.MINUS_G;
import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * What gradient descent is, measured on a real DL4J network at its initialization: what a loss function and its
 * gradient are (part 1), that backprop computes the derivative (part 2), why a step goes along the negative gradient
 * (part 3), and how the weights and biases move in the first SGD steps (part 4). One cell is one network: a data set
 * (shipped, or the user's CSV or IDX files; the net's input and output sizes come from it) and a seed; every part
 * measures that network, and the reference checks what DL4J computes. The measurements are
 * curves.csv's long format ({@link Measurement}); {@link CellView} derives numbers from them.
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

    /** DL4J and the reference must agree this closely on loss values (relative) and gradients (absolute). */
    static final double AGREEMENT = 1e-12;
    /** ... and on the parameters after the SGD steps (absolute; rounding accumulates over the steps). */
    static final double SGD_AGREEMENT = 1e-10;

    private Spec spec;
    private final Map<String, Dataset> train = new LinkedHashMap<>();
    /** data -> its network's hidden units ({@code hidden}, or auto's rule on its inputs) */
    private final Map<String, Integer> hidden = new LinkedHashMap<>();
    /** data -> its name in figure file names (digits, iris, a file's name), unique within the run */
    private final Map<String, String> shortNames = new LinkedHashMap<>();
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
                Datasets.axisParam(),
                Datasets.labelParam(),
                new Param("hidden", "auto, or an integer from 1 to 4096", GradientBasics::isHidden, false,
                        "hidden units of each net: auto = 2 x its inputs, between 8 and 32 (digits 32, iris 8)"),
                Keys.activation("hidden-layer activation"),
                Keys.maxExamples("use only this many examples of each data set (0 = all)"),
                Keys.splitSeed("seed of the example order and subset"),
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
        Set<String> used = new HashSet<>();
        for (String name : new LinkedHashSet<>(spec.list("data"))) {
            Dataset d = Split.of(Datasets.load(name, spec.string("label")), 0.0, spec.longValue("split_seed"),
                    spec.integer("max_examples")).train();
            if (b > d.size()) {
                throw new BadInputException("bad value '" + b + "' for batch_size: " + name + " has " + d.size()
                        + " examples; allowed: an integer from 1 to " + d.size());
            }
            train.put(name, d);
            hidden.put(name, spec.string("hidden").equals("auto") ? autoHidden(d.numFeatures())
                    : spec.integer("hidden"));
            String shortName = shortName(name);
            for (int i = 2; !used.add(shortName); i++) {
                shortName = shortName(name) + "-" + i;
            }
            shortNames.put(name, shortName);
        }
        List<Cell> cells = new ArrayList<>();
        for (String data : train.keySet()) {
            for (long seed : Harness.seeds(spec)) {
                Map<String, String> c = new LinkedHashMap<>();
                c.put("data", data);
                c.put("hidden", String.valueOf(hidden.get(data)));
                c.put("seed", String.valueOf(seed));
                cells.add(new Cell(cells.size(), c));
            }
        }
        return cells;
    }

    private static boolean isHidden(String s) {
        return s.equals("auto") || s.matches("[1-9][0-9]{0,3}") && Integer.parseInt(s) <= 4096;
    }

    /** auto's hidden units: 2 x the inputs, between 8 and 32 (digits' 64 inputs give 32, iris's 4 give 8). */
    static int autoHidden(int inputs) {
        return Math.max(8, Math.min(32, 2 * inputs));
    }

    /** The data value's short name ({@link Datasets#shortName}), safe in a figure's file name. */
    static String shortName(String data) {
        return Datasets.shortName(data).replaceAll("[^a-z0-9_-]", "_");
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
        CellView v = new CellView(null, m, s.blocks().stream().map(Probes.Block::key).toList());

        double holdsTo = Double.NaN;
        for (double eta : etas) {
            if (Math.abs(v.ratio(MINUS_G, eta) - 1) > spec.real("first_order_tolerance")) {
                break;
            }
            holdsTo = eta;
        }
        double best = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        Double raisesFrom = null;
        for (double eta : etas) {
            double loss = v.step(MINUS_G, "loss_after", eta);
            if (loss < bestLoss) {
                bestLoss = loss;
                best = eta;
            }
            if (raisesFrom == null && loss > sg.score()) {
                raisesFrom = eta;
            }
        }
        double fdTolerance = spec.real("fd_tolerance");
        double smallest = etas[0];
        return new CellResult(cell, CellResult.Status.OK, "", Metric.values(DECLARED)
                .put("n_examples", data.size()).put("n_params", s.net().numParams())
                .put("initial_loss", sg.score()).put("gradient_norm", v.gradientNorm())
                .put("reference_checks", v.referenceDiffs().length).put("reference_mismatches", v.referenceMismatches())
                .put("fd_checked", v.fdChecked()).put("fd_near_kink", v.fdNearKink())
                .put("fd_blocks_over_tolerance", v.blocks().stream().filter(b -> !(v.blockRelError(b) <= fdTolerance))
                        .count())
                .put("smallest_eta", smallest)
                .put("first_order_ratio_smallest_eta", v.ratio(MINUS_G, smallest))
                .put("plus_g_ratio_smallest_eta", v.ratio(StepDirections.PLUS_G, smallest))
                .put("random_ratio_smallest_eta", v.ratio(StepDirections.RANDOM, smallest))
                .put("random_cosine", m.value(StepDirections.PART, StepDirections.RANDOM, "cosine_with_minus_g"))
                .put("first_order_holds_to_eta", holdsTo)
                .put("best_eta", best).put("best_eta_loss", bestLoss).put("minus_g_raises_loss_from_eta", raisesFrom)
                .put("sgd_steps", steps).put("sgd_final_loss", v.sgd(SgdSteps.LOSS, "train_loss", steps))
                .put("sgd_min_block_change", v.minBlockChange(steps))
                .put("cell_ms", (System.nanoTime() - t0) / 1e6).map(), m.rows());
    }

    @Override
    public Report summarize(List<CellResult> results) {
        return new GradientBasicsSummary(spec, etas, train, hidden, shortNames, results).report();
    }
}
