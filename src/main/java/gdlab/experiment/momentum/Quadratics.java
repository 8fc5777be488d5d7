package gdlab.experiment.momentum;

import gdlab.dl4j.Regression;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.exact.LeastSquares;
import gdlab.exact.MomentumRates;
import gdlab.reference.GradientDescent;
import gdlab.reference.Quadratic;
import gdlab.reference.Status;
import gdlab.reference.StopRule;
import gdlab.reference.Theory;
import gdlab.reference.Trajectory;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.momentum.Momentum.HEAVY_BALL;
import static gdlab.experiment.momentum.Momentum.NESTEROV;
import static gdlab.experiment.momentum.Momentum.OPTIMAL;
import static gdlab.experiment.momentum.Momentum.REF_TOLERANCE;
import static gdlab.experiment.momentum.Momentum.SGD;

/**
 * The quadratic part: least squares with a chosen Hessian spectrum (geometric in [1, k], no bias, exact fit), or on
 * the user's data with a continuous label (standardized features and a bias; its spectrum is the data's), trained by
 * a DL4J one-layer identity network with MSE, full batch, from the worst-case start. Each (optimizer, mu)
 * runs at the learning rate theory says is best for it on this spectrum; the iterations until the loss gap is
 * {@code tolerance} of its start are set beside the count the exact rate predicts, the exact recurrences' count, and
 * the reference's (plain-Java updaters on the same objective from the same start).
 */
final class Quadratics {
    private final Spec spec;
    private final Map<String, LeastSquares> problems = new LinkedHashMap<>();
    /** The data the one problem comes from, or null for the synthetic spectra. */
    private final MomentumData data;

    /** The synthetic quadratics, one per {@code condition}. */
    Quadratics(Spec spec) {
        this.spec = spec;
        this.data = null;
        int d = spec.integer("features");
        int n = spec.integer("examples");
        if (n < d + 2) {
            throw new BadInputException("bad value '" + n + "' for examples: the quadratics need at least "
                    + "features + 2 = " + (d + 2) + "; allowed: an integer >= " + (d + 2));
        }
        for (double k : new LinkedHashSet<>(spec.reals("condition"))) {
            problems.put("k=" + Table.readable(k), LeastSquares.synthetic(n, Quadratic.geometricSpectrum(d, 1, k),
                    false, 0, spec.longValue("data_seed")));
        }
    }

    private Quadratics(Spec spec, MomentumData data) {
        this.spec = spec;
        this.data = data;
        problems.put(data.name() + "-linear", data.leastSquares());
    }

    /** One quadratic: least squares of a continuous label on its data's standardized features, with a bias. */
    static Quadratics onData(Spec spec, MomentumData data) {
        return new Quadratics(spec, data);
    }

    /** The data of the one problem, or null for the synthetic spectra. */
    MomentumData data() {
        return data;
    }

    /** The quadratics by name ("k=10", or "diabetes-linear" on data). */
    Map<String, LeastSquares> problems() {
        return problems;
    }

    /**
     * The theory's (lr, mu) for one row on a spectrum: sgd at {@link Theory#optimalLearningRate}; heavy ball at its
     * best lr for that mu ({@link MomentumRates#heavyBallLearningRate}), "optimal" being Polyak's (lr*, mu*);
     * Nesterov at the lr minimising its exact rate for that mu, "optimal" being the textbook
     * mu = (sqrt k - 1)/(sqrt k + 1), lr = 1 / lambda_max.
     */
    static double[] tuned(String optimizer, String mu, double[] spectrum) {
        double lmin = Arrays.stream(spectrum).min().orElseThrow();
        double lmax = Arrays.stream(spectrum).max().orElseThrow();
        double k = lmax / lmin;
        return switch (optimizer) {
            case SGD -> new double[]{Theory.optimalLearningRate(lmin, lmax), 0};
            case HEAVY_BALL -> {
                double m = mu.equals(OPTIMAL) ? MomentumRates.heavyBallOptimalMomentum(k) : Double.parseDouble(mu);
                yield new double[]{MomentumRates.heavyBallLearningRate(m, lmin, lmax), m};
            }
            case NESTEROV -> {
                if (mu.equals(OPTIMAL)) {
                    yield new double[]{1 / lmax, MomentumRates.nesterovTextbookMomentum(k)};
                }
                double m = Double.parseDouble(mu);
                yield new double[]{MomentumRates.tunedLearningRate(NESTEROV, m, spectrum), m};
            }
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    /**
     * theta* + s (u_min / sqrt(lambda_min) + u_max / sqrt(lambda_max)): the two extreme eigen-directions with half the
     * loss gap each (L0 - L* = s^2), the start whose gap decays at the worst-case rate. s = sqrt(max(1, L*)): an exact
     * fit (the synthetic quadratics, L* = 0) starts at a gap of 1; data that leaves a residual (L* of thousands, in a
     * label's units squared) starts at a gap of L*, so the round-off of L itself (~1e-16 L*) stays far below the
     * share of the gap, 1e-7, by which DL4J's and the reference's losses may differ down to the tolerance.
     */
    static double[] worstStart(LeastSquares ls) {
        double[] start = ls.minimizer();
        double[] bottom = ls.eigen().bottom();
        double[] top = ls.eigen().top();
        double s = Math.sqrt(Math.max(1, ls.minimumValue()));
        for (int i = 0; i < start.length; i++) {
            start[i] += s * (bottom[i] / Math.sqrt(ls.eigen().min()) + top[i] / Math.sqrt(ls.lambdaMax()));
        }
        return start;
    }

    CellResult run(Cell cell) {
        LeastSquares ls = problems.get(cell.get("problem"));
        String optimizer = cell.get("optimizer");
        double[] spectrum = ls.eigen().values();
        double lr = cell.real("lr");
        double mu = tuned(optimizer, cell.get("momentum"), spectrum)[1];
        double tol = spec.real("tolerance");
        int budget = spec.integer("max_iterations");
        double predictedRate = MomentumRates.rate(optimizer, lr, mu, spectrum);
        int predicted = MomentumRates.iterationsForLoss(predictedRate, tol);
        double[] start = worstStart(ls);
        double lossStar = ls.minimumValue();

        MultiLayerNetwork net = Regression.linear(ls.nIn(), ls.nOut(), ls.hasBias(),
                Momentum.dl4jUpdater(optimizer, lr, mu), cell.longValue("seed"), DataType.DOUBLE);
        net.setParams(Nd4j.create(start).reshape(1, start.length));
        INDArray x = Tensors.matrix(ls.features(), DataType.DOUBLE);
        INDArray y = Tensors.matrix(ls.targets(), DataType.DOUBLE);
        double l0 = net.score(new DataSet(x, y));
        double target = lossStar + tol * (l0 - lossStar);
        double[] bottom = ls.eigen().bottom();
        double[] top = ls.eigen().top();
        // the path in the plane of the two extreme eigen-directions (curves.csv's x and y)
        List<double[]> path = new ArrayList<>();
        path.add(new double[]{ls.component(start, bottom), ls.component(start, top)});
        Trainer.Outcome t = Trainer.train(net, x, y,
                new Trainer.Options(ls.examples(), budget, 0, target, 1, Trainer.Order.AS_GIVEN), e -> {
                    double[] p = Tensors.toDoubles(net.params());
                    path.add(new double[]{ls.component(p, bottom), ls.component(p, top)});
                    return e.trainLoss() <= target;
                });
        double[] losses = new double[t.epochs().size() + 1];
        losses[0] = t.initialLoss();
        for (int i = 0; i < t.epochs().size(); i++) {
            losses[i + 1] = t.epochs().get(i).trainLoss();
        }

        Trajectory ref = GradientDescent.run(ls, Momentum.referenceUpdater(optimizer, lr, mu), start, budget,
                StopRule.relativeLossBelow(lossStar, tol));
        int mismatches = Math.abs(losses.length - ref.values().length);
        Double[] refDiffs = new Double[losses.length];
        for (int i = 0; i < Math.min(losses.length, ref.values().length); i++) {
            double r = ref.values()[i] - lossStar;
            if (Double.isFinite(r) && Double.isFinite(losses[i]) && r > 1e-10 * (l0 - lossStar)) {
                refDiffs[i] = Math.abs(losses[i] - ref.values()[i]) / r;
                if (refDiffs[i] > REF_TOLERANCE) {
                    mismatches++;
                }
            }
        }
        Integer measured = t.epochsToTarget();
        double lmin = ls.eigen().min();
        double lmax = ls.lambdaMax();
        int exact = MomentumRates.exactIterations(optimizer, lr, mu, new double[]{lmin, lmax},
                new double[]{1 / Math.sqrt(lmin), 1 / Math.sqrt(lmax)}, tol, budget);
        boolean diverged = t.status() == Trainer.Status.DIVERGED;
        Map<String, Object> metrics = Momentum.unmeasured("epochs_to_target", "updates_to_target",
                        "valley_crossings", "distance_to_minimum")
                .put("mu", mu)
                .put("condition", lmax / lmin)
                .put("lambda_min", lmin)
                .put("lambda_max", lmax)
                .put("predicted_rate", predictedRate)
                .put("predicted_iterations", predicted == Integer.MAX_VALUE ? null : predicted)
                .put("exact_iterations", exact < 0 ? null : exact)
                .put("measured_iterations", measured)
                .put("reference_iterations", ref.status() == Status.CONVERGED ? ref.iterations() : null)
                .put("measured_to_predicted", measured == null || predicted == Integer.MAX_VALUE ? null
                        : (double) measured / predicted)
                .put("ref_mismatch_steps", mismatches)
                .put("final_loss", t.finalLoss())
                .put("final_relative_loss", (t.finalLoss() - lossStar) / (l0 - lossStar))
                .put("overshoot", Paths.overshoot(path.stream().mapToDouble(p -> p[0]).toArray()))
                .put("diverged", diverged)
                .put("train_time_ms", t.trainingMs())
                .map();
        List<List<Object>> curve = new ArrayList<>();
        int stride = Math.max(1, losses.length / 400);
        for (int i = 0; i < Math.min(losses.length, path.size()); i++) {
            if (i < 100 || i % stride == 0 || i == losses.length - 1) {
                curve.add(Arrays.asList(i, path.get(i)[0], path.get(i)[1], losses[i],
                        (losses[i] - lossStar) / (l0 - lossStar), refDiffs[i]));
            }
        }
        return new CellResult(cell, diverged ? CellResult.Status.DIVERGED : CellResult.Status.OK,
                diverged ? t.stopReason() : measured == null ? "not reached in " + budget + " steps" : "",
                metrics, curve);
    }
}
