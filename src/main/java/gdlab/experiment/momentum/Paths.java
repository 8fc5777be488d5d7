package gdlab.experiment.momentum;

import gdlab.dl4j.SameDiffDescent;
import gdlab.exact.SymmetricEigen;
import gdlab.reference.GradientDescent;
import gdlab.reference.Objective;
import gdlab.reference.Quadratic;
import gdlab.reference.TestFunction;
import gdlab.reference.Theory;
import gdlab.reference.Trajectory;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.momentum.Momentum.HEAVY_BALL;
import static gdlab.experiment.momentum.Momentum.NESTEROV;
import static gdlab.experiment.momentum.Momentum.OPTIMAL;
import static gdlab.experiment.momentum.Momentum.QUADRATIC_2D;
import static gdlab.experiment.momentum.Momentum.REF_TOLERANCE;
import static gdlab.experiment.momentum.Momentum.ROSENBROCK;
import static gdlab.experiment.momentum.Momentum.SGD;

/**
 * The trajectory part: 2-D paths on the quadratic f = 1/2 (x^2 + k y^2) (minimum 0 at the origin) and on
 * Rosenbrock's function, SameDiff graphs stepped by the DL4J updaters, the reference (plain Java) alongside. What
 * they show is momentum's inertia: overshooting the minimum, zig-zagging across the valley.
 */
final class Paths {
    static final double[] QUADRATIC_START = {-6, 1.5};
    static final double[] ROSENBROCK_START = {-1.2, 1};
    /** Rosenbrock's Hessian at its minimum (1, 1). */
    private static final double[][] ROSENBROCK_HESSIAN = {{802, -400}, {-400, 200}};

    private final Spec spec;

    Paths(Spec spec) {
        this.spec = spec;
    }

    /** One path: its optimizer, mu (a number or optimal) and learning rate. */
    record Row(String optimizer, String mu, double lr) {
    }

    /** Gradient descent's best constant learning rate on a quadratic: 2 / (lambda_min + lambda_max). */
    static double gdBestLr(double k) {
        return 2 / (1 + k);
    }

    /** Gradient descent near its stability edge 2 / lambda_max. */
    static double gdEdgeLr(double k) {
        return 1.9 / k;
    }

    /**
     * A surface's paths. On the quadratic: gradient descent at its best constant rate 2 / (lambda_min +
     * lambda_max) and at 1.9 / lambda_max (both shrink the steep coordinate by |1 - lr lambda_max| < 1 with a sign
     * flip each step: the zig-zag), heavy ball and Nesterov at trajectory_momentum with lr = 1 / lambda_max (stable
     * for each: Nesterov's bound at mu = 0.9 is 1.36 / lambda_max), and heavy ball at Polyak's (lr*, mu*). On
     * Rosenbrock: gradient descent, heavy ball and Nesterov at rosenbrock_lr.
     */
    List<Row> rows(String surface) {
        String mu = Table.readable(spec.real("trajectory_momentum"));
        if (surface.equals(ROSENBROCK)) {
            double lr = spec.real("rosenbrock_lr");
            return List.of(new Row(SGD, "0", lr), new Row(HEAVY_BALL, mu, lr), new Row(NESTEROV, mu, lr));
        }
        double k = condition();
        return List.of(new Row(SGD, "0", gdBestLr(k)), new Row(SGD, "0", gdEdgeLr(k)),
                new Row(HEAVY_BALL, mu, 1 / k), new Row(NESTEROV, mu, 1 / k),
                new Row(HEAVY_BALL, OPTIMAL, Theory.heavyBallLearningRate(1, k)));
    }

    /** A row's mu as a number: Polyak's mu* for optimal, 0 for gradient descent. */
    double mu(String optimizer, String mu) {
        return optimizer.equals(SGD) ? 0 : mu.equals(OPTIMAL) ? Theory.heavyBallMomentum(condition())
                : Double.parseDouble(mu);
    }

    private double condition() {
        return spec.real("trajectory_condition");
    }

    private double[][] hessian() {
        return new double[][]{{1, 0}, {0, condition()}};
    }

    CellResult run(Cell cell) {
        String optimizer = cell.get("optimizer");
        double lr = cell.real("lr");
        double mu = mu(optimizer, cell.get("momentum"));
        boolean quadratic = cell.get("problem").equals(QUADRATIC_2D);
        double[] x0 = quadratic ? QUADRATIC_START : ROSENBROCK_START;
        int steps = quadratic ? spec.integer("trajectory_steps") : spec.integer("rosenbrock_steps");
        IUpdater updater = Momentum.dl4jUpdater(optimizer, lr, mu);
        SameDiffDescent d = quadratic ? SameDiffDescent.quadratic(hessian(), new double[2], x0, updater)
                : SameDiffDescent.function(ROSENBROCK, x0[0], x0[1], updater);
        Objective f = quadratic ? Quadratic.diagonal(1, condition()) : TestFunction.ROSENBROCK;
        double[] minimum = quadratic ? new double[]{0, 0} : new double[]{1, 1};
        long t0 = System.nanoTime();
        List<double[]> path = d.run(steps);
        double ms = (System.nanoTime() - t0) / 1e6;
        Trajectory ref = GradientDescent.run(f, Momentum.referenceUpdater(optimizer, lr, mu), x0, steps);
        int mismatches = Math.abs(path.size() - ref.points().size());
        Double[] deviations = new Double[path.size()];
        for (int i = 0; i < Math.min(path.size(), ref.points().size()); i++) {
            double[] a = path.get(i);
            double[] b = ref.points().get(i);
            deviations[i] = Math.hypot(a[0] - b[0], a[1] - b[1]);
            if (!(deviations[i] <= REF_TOLERANCE)) {
                mismatches++;
            }
        }
        // the flattest direction at the minimum: where inertia carries the path past it
        double[] slow = SymmetricEigen.of(quadratic ? hessian() : ROSENBROCK_HESSIAN).bottom();
        double[] along = path.stream().mapToDouble(p -> (p[0] - minimum[0]) * slow[0] + (p[1] - minimum[1]) * slow[1])
                .toArray();
        // across the valley: its floor is the flat axis y = 0 (quadratic) or the parabola y = x^2 (Rosenbrock)
        int crossings = 0;
        double previous = 0;
        for (double[] p : path) {
            double side = quadratic ? p[1] : p[1] - p[0] * p[0];
            if (Math.abs(side) > 1e-12) {
                crossings += previous * side < 0 ? 1 : 0;
                previous = side;
            }
        }
        double[] last = path.get(path.size() - 1);
        double f0 = f.value(x0);
        double fEnd = Double.isFinite(last[0]) && Double.isFinite(last[1]) ? f.value(last) : Double.NaN;
        Map<String, Object> metrics = Momentum.unmeasured("condition", "lambda_min", "lambda_max",
                        "predicted_rate", "predicted_iterations", "exact_iterations", "measured_iterations",
                        "reference_iterations", "measured_to_predicted",
                        "epochs_to_target", "updates_to_target")
                .put("mu", mu)
                .put("ref_mismatch_steps", mismatches)
                .put("final_loss", fEnd)
                .put("final_relative_loss", fEnd / f0)
                .put("overshoot", overshoot(along))
                .put("valley_crossings", crossings)
                .put("distance_to_minimum", Math.hypot(last[0] - minimum[0], last[1] - minimum[1]))
                .put("diverged", !Double.isFinite(fEnd))
                .put("train_time_ms", ms)
                .map();
        List<List<Object>> curve = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            double[] p = path.get(i);
            double v = Double.isFinite(p[0]) && Double.isFinite(p[1]) ? f.value(p) : Double.NaN;
            curve.add(Arrays.asList(i, p[0], p[1], v, v / f0, deviations[i]));
        }
        return new CellResult(cell, CellResult.Status.OK, "", metrics, curve);
    }

    /**
     * How far the path passes the minimum along one direction: the largest excursion to the far side, as a share of
     * the starting offset (0 when it never crosses; plain GD with lr &lt; 1 / lambda never does along lambda).
     */
    static double overshoot(double[] offsets) {
        double start = offsets[0];
        if (start == 0) {
            return 0;
        }
        double worst = 0;
        for (double o : offsets) {
            worst = Math.max(worst, -o / start);
        }
        return worst;
    }
}
