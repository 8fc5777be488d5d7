package gdlab.experiment.momentum;

import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.report.Stats;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mlp part: an MLP on the data's classes (the digits by default, or the user's class-label data) trained by
 * plain GD, heavy ball and Nesterov over a learning-rate grid per (optimizer, mu), each run stopping at the target
 * loss; and how its cells are read: per row, the seed groups of its
 * learning rates and the best of them.
 */
final class MlpPart {
    private final Spec spec;
    private final String dataName;
    private final DataType dtype;
    private final double[][] x;
    private final double[][] y;

    MlpPart(Spec spec, MomentumData data) {
        this.spec = spec;
        this.dataName = data.data();
        this.dtype = Networks.dtype(spec.string("dtype"));
        Split s = data.split();
        x = s.train().features();
        y = s.train().oneHot();
        if (batchSize() > x.length) {
            throw new BadInputException("bad value '" + spec.raw("batch_size") + "' for batch_size: larger than "
                    + "the " + x.length + " training examples; allowed: an integer from 1 to " + x.length);
        }
    }

    /** "MLP 64-32-10 (relu, double) on 300 examples of digits, full batch (one step per epoch)", for the summary. */
    String setUp() {
        return String.format(Locale.ROOT, "MLP %d-%d-%d (%s, %s) on %d examples of %s, %s", x[0].length,
                spec.integer("hidden"), y[0].length, spec.string("activation"), spec.string("dtype"), x.length,
                dataName,
                batchSize() == x.length ? "full batch (one step per epoch)" : "minibatch " + batchSize());
    }

    /** The data it trains on, as {@code data} names it. */
    String dataName() {
        return dataName;
    }

    private int batchSize() {
        return spec.string("batch_size").equals("full") ? x.length : spec.integer("batch_size");
    }

    CellResult run(Cell cell) {
        String optimizer = cell.get("optimizer");
        double mu = Double.parseDouble(cell.get("momentum"));
        long seed = cell.longValue("seed");
        int[] sizes = {x[0].length, spec.integer("hidden"), y[0].length};
        MultiLayerNetwork net = Networks.classifier(sizes, spec.string("activation"),
                Momentum.dl4jUpdater(optimizer, cell.real("lr"), mu), seed, dtype);
        INDArray features = Tensors.matrix(x, dtype);
        INDArray labels = Tensors.matrix(y, dtype);
        double target = spec.real("target_loss");
        Trainer.Outcome t = Trainer.train(net, features, labels, new Trainer.Options(batchSize(),
                spec.integer("max_epochs"), 0, target, seed, Trainer.Order.SHUFFLED).classifier(y[0].length),
                e -> e.trainLoss() <= target);
        boolean diverged = t.status() == Trainer.Status.DIVERGED || !(t.finalLoss() < t.initialLoss());
        Map<String, Object> metrics = Momentum.unmeasured("condition", "lambda_min", "lambda_max",
                        "predicted_rate", "predicted_iterations", "exact_iterations", "measured_iterations",
                        "reference_iterations", "measured_to_predicted",
                        "ref_mismatch_steps", "final_relative_loss", "overshoot", "valley_crossings",
                        "distance_to_minimum")
                .put("mu", mu)
                .put("final_loss", t.finalLoss())
                .put("epochs_to_target", t.epochsToTarget())
                .put("updates_to_target", t.updatesToTarget())
                .put("diverged", diverged)
                .put("train_time_ms", t.trainingMs())
                .map();
        List<List<Object>> curve = new ArrayList<>();
        curve.add(Arrays.asList(0L, null, null, t.initialLoss(), null, null));
        for (Trainer.Epoch e : t.epochs()) {
            curve.add(Arrays.asList(e.updates(), null, null, e.trainLoss(), null, null));
        }
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? (t.status() == Trainer.Status.DIVERGED ? t.stopReason() : "final loss above the initial")
                        : "", metrics, curve);
    }

    /** The rows of the grid by {@link Momentum#label}, each with its learning rates' seed groups, in grid order. */
    static Map<String, List<SeedGroup>> grid(List<CellResult> mlp) {
        Map<String, List<SeedGroup>> rows = new LinkedHashMap<>();
        for (SeedGroup row : SeedGroup.by(mlp, "optimizer", "momentum")) {
            rows.put(Momentum.label(row.cells().get(0).cell()), SeedGroup.of(row.cells()));
        }
        return rows;
    }

    /**
     * A row's best learning rate: one that no seed diverged at, if any; then every seed at the target in the fewest
     * updates (mean); if no lr has every seed there, the lowest final loss.
     */
    static SeedGroup best(List<SeedGroup> lrs) {
        SeedGroup best = null;
        for (SeedGroup g : lrs) {
            if (best == null) {
                best = g;
            } else if ((g.diverged() > 0) != (best.diverged() > 0)) {
                best = g.diverged() > 0 ? best : g;
            } else if (allReached(g) != allReached(best)) {
                best = allReached(g) ? g : best;
            } else if (allReached(g) ? updates(g).mean() < updates(best).mean()
                    : g.stats("final_loss").mean() < best.stats("final_loss").mean()) {
                best = g;
            }
        }
        return best;
    }

    static boolean allReached(SeedGroup g) {
        return g.reached("updates_to_target") == g.size();
    }

    static Stats updates(SeedGroup g) {
        return g.stats("updates_to_target");
    }

    /**
     * sgd's group at a momentum row's gd_lr_over_1_minus_mu = lr / (1 - mu) (momentum's steady-state step on a
     * constant gradient; the summary's column), or null when sgd's grid lacks that lr.
     */
    static SeedGroup sgdAtEffectiveLr(List<SeedGroup> sgd, SeedGroup g) {
        double equivalent = MomentumReport.gdLrOverOneMinusMu(g);
        return sgd.stream().filter(s -> Math.abs(s.real("lr") / equivalent - 1) < 1e-9).findFirst().orElse(null);
    }
}
