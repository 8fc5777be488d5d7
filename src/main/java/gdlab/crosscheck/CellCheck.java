package gdlab.crosscheck;

import gdlab.data.Dataset;
import gdlab.data.EpochOrder;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Updater;
import gdlab.reference.Updaters;
import gdlab.reference.Variant;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One crosscheck: a DL4J classifier and the reference {@link Mlp} start from the same parameters (DL4J's seeded
 * initialisation, copied into the reference) and see the same minibatches ({@link EpochOrder}), and their numbers
 * are compared stage by stage ({@link Stage}).
 *
 * <p>With {@code float}, the reference computes in double from DL4J's float inputs, float initial parameters and
 * float-rounded updater hyperparameters ({@link ReferenceUpdaters}), all exactly representable as doubles, so the
 * differences are DL4J's float arithmetic and nothing else.
 *
 * <p>Beside them runs a shadow: the reference again with rounding-size noise injected (see {@link #noisyGradient}
 * and {@link #jitter}), whose distance from the reference measures how much this trajectory amplifies rounding
 * ({@link Tolerances}). A third reference run uses the paper's form of the updater where it has one (informative).
 *
 * @param train        standardized training examples (all of them are used)
 * @param sizes        layer sizes, inputs first
 * @param hidden       hidden activation, gdlab's name ({@link Networks#ACTIVATIONS})
 * @param updater      one of {@link Updaters#NAMES}
 * @param lr           learning rate (ignored by adadelta)
 * @param batchSize    minibatch size: n = batch, 1 = stochastic
 * @param dtype        DL4J's data type
 * @param seed         DL4J's initialisation seed and the epoch shuffle seed
 * @param steps        updates for stage 5
 * @param epochs       shuffled epochs for stage 6
 * @param perturbation added to DL4J's first weight after the parameters are copied into the reference (0 in every
 *                     real run; a test sets it to prove the comparison can fail)
 */
public record CellCheck(Dataset train, int[] sizes, String hidden, String updater, double lr, int batchSize,
                        DataType dtype, long seed, int steps, int epochs, double perturbation) {

    /** Steps after which curves.csv records the distance between the two parameter vectors. */
    static boolean checkpoint(long step) {
        if (step < 1) {
            return false;
        }
        long p = 1;
        while (p * 10 <= step) {
            p *= 10;
        }
        return step == p || step == 2 * p || step == 5 * p;
    }

    /** A point of the parameter-distance curve. */
    public record Point(long step, int epochsDone, Diff params, Diff drift) {
    }

    /**
     * What the check found.
     *
     * @param diffs          per stage
     * @param paper          DL4J's parameters against the reference's PAPER form of the updater, after 1 step,
     *                       {@code steps} steps and {@code epochs} epochs (empty when the updater has one form)
     * @param drift          the shadow's distance from the reference after 1 step, {@code steps} steps and
     *                       {@code epochs} epochs: how far rounding-size noise alone carries this trajectory
     * @param stepWithExactHyper float cells: DL4J after 1 update against the reference with the exact (double)
     *                       hyperparameters instead of float-rounded ones ({@link ReferenceUpdaters}); else null
     * @param updatesPerEpoch minibatches per epoch
     * @param totalSteps     updates run (enough for both stage 5 and stage 6)
     * @param initialLoss    reference loss on the whole training set before training
     * @param finalLoss      reference loss on the whole training set after the last update
     * @param curve          parameter distance at checkpoint steps and epoch ends
     * @param dl4jMs         wall time of DL4J's updates
     * @param referenceMs    wall time of the reference's updates
     */
    public record Outcome(Map<Stage, Diff> diffs, Map<Stage, Diff> paper, Map<Stage, Diff> drift,
                          Diff stepWithExactHyper, int updatesPerEpoch, long totalSteps,
                         double initialLoss, double finalLoss, List<Point> curve, double dl4jMs,
                         double referenceMs) {
    }


    public Outcome run() {
        int n = train.size();
        boolean isFloat = dtype == DataType.FLOAT;
        double[][] x = isFloat ? roundToFloat(train.features()) : train.features();
        double[][] y = train.oneHot();
        INDArray xs = Tensors.matrix(x, dtype);
        INDArray ys = Tensors.matrix(y, dtype);

        MultiLayerNetwork net = Networks.classifier(sizes, hidden,
                Optimizers.updater(updater, updater.equals("adadelta") ? 1.0 : lr), seed, dtype);
        // float cells: the reference gets exactly what DL4J computes with, all of it float-rounded (data, initial
        // parameters, hyperparameters), and computes in double
        Mlp mlp = new Mlp(sizes, Activation.named(hidden), Activation.SOFTMAX, Loss.MCXENT);
        double[] ref = Tensors.toDoubles(net.params());
        if (ref.length != mlp.numParams()) {
            throw new IllegalStateException("DL4J has " + ref.length + " parameters, the reference "
                    + mlp.numParams());
        }
        if (perturbation != 0) {
            INDArray p = net.params();
            p.putScalar(0, p.getDouble(0) + perturbation);
        }
        boolean hasPaper = Updaters.WITH_PAPER_VARIANT.contains(updater);
        double[] paperParams = hasPaper ? ref.clone() : null;
        // the shadow: the reference again, with rounding-size noise injected into its parameters (at the start and
        // after every update) and into every gradient (noisyGradient); how far it drifts from the reference is how
        // far rounding alone carries this trajectory
        double u = unitRoundoff(dtype);
        SplittableRandom noise = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] shadow = ref.clone();
        jitter(shadow, u, noise);

        Map<Stage, Diff> diffs = new EnumMap<>(Stage.class);
        Map<Stage, Diff> paper = new EnumMap<>(Stage.class);
        diffs.put(Stage.OUTPUT, Diff.of(rows(net.output(xs, false)), mlp.output(ref, x)));
        double initialLoss = mlp.score(ref, x, y);
        diffs.put(Stage.LOSS, Diff.of(net.score(new DataSet(xs, ys), false), initialLoss));

        Updater refUpdater = ReferenceUpdaters.create(updater, lr, Variant.DL4J, isFloat);
        Updater paperUpdater = hasPaper ? ReferenceUpdaters.create(updater, lr, Variant.PAPER, isFloat) : null;
        Updater shadowUpdater = ReferenceUpdaters.create(updater, lr, Variant.DL4J, isFloat);
        double[] exactHyper = isFloat ? ref.clone() : null;
        Map<Stage, Diff> drift = new EnumMap<>(Stage.class);
        int[][] firstEpoch = EpochOrder.minibatches(EpochOrder.shuffled(seed, 0, n), batchSize);
        int updatesPerEpoch = firstEpoch.length;
        long totalSteps = Math.max(steps, (long) epochs * updatesPerEpoch);
        List<Point> curve = new ArrayList<>();
        Diff stepWithExactHyper = null;
        double dl4jNanos = 0;
        double refNanos = 0;
        long step = 0;
        for (int epoch = 0; step < totalSteps; epoch++) {
            int[][] batches = epoch == 0 ? firstEpoch
                    : EpochOrder.minibatches(EpochOrder.shuffled(seed, epoch, n), batchSize);
            for (int k = 0; k < batches.length && step < totalSteps; k++) {
                int[] rows = batches[k];
                DataSet batch = Tensors.rows(xs, ys, rows);
                double[][] xb = pick(x, rows);
                double[][] yb = pick(y, rows);
                if (step == 0) {
                    diffs.put(Stage.GRADIENT, Diff.of(dl4jMeanGradient(net, batch), mlp.gradient(ref, xb, yb)));
                    if (isFloat) {
                        ReferenceUpdaters.create(updater, lr, Variant.DL4J, false)
                                .step(exactHyper, mlp.gradient(exactHyper, xb, yb));
                    }
                }
                long t0 = System.nanoTime();
                net.fit(batch);
                long t1 = System.nanoTime();
                refUpdater.step(ref, mlp.gradient(ref, xb, yb));
                long t2 = System.nanoTime();
                if (hasPaper) {
                    paperUpdater.step(paperParams, mlp.gradient(paperParams, xb, yb));
                }
                shadowUpdater.step(shadow, noisyGradient(mlp, shadow, xb, yb, u, noise));
                jitter(shadow, u, noise);
                dl4jNanos += t1 - t0;
                refNanos += t2 - t1;
                step++;
                boolean epochEnd = k == batches.length - 1;
                boolean stage6 = epochEnd && epoch + 1 == epochs;
                if (step == 1 || step == steps || stage6 || checkpoint(step) || epochEnd) {
                    double[] dl4j = Tensors.toDoubles(net.params());
                    Diff d = Diff.of(dl4j, ref);
                    Diff sd = Diff.of(shadow, ref);
                    if (checkpoint(step) || epochEnd) {
                        curve.add(new Point(step, epochEnd ? epoch + 1 : epoch, d, sd));
                    }
                    List<Stage> reached = new ArrayList<>();
                    if (step == 1) {
                        reached.add(Stage.STEP_1);
                        stepWithExactHyper = isFloat ? Diff.of(dl4j, exactHyper) : null;
                    }
                    if (step == steps) {
                        reached.add(Stage.STEPS);
                    }
                    if (stage6) {
                        reached.add(Stage.EPOCHS);
                    }
                    for (Stage s : reached) {
                        diffs.put(s, d);
                        drift.put(s, sd);
                        if (hasPaper) {
                            paper.put(s, Diff.of(dl4j, paperParams));
                        }
                    }
                }
            }
        }
        double finalLoss = mlp.score(ref, x, y);
        return new Outcome(diffs, paper, drift, stepWithExactHyper, updatesPerEpoch, totalSteps, initialLoss,
                finalLoss, curve, dl4jNanos / 1e6, refNanos / 1e6);
    }

    /** The unit roundoff of {@code dtype}: 2^-24 for float, 2^-53 for double. */
    static double unitRoundoff(DataType dtype) {
        return dtype == DataType.FLOAT ? 0x1p-24 : 0x1p-53;
    }

    /**
     * The mean gradient with rounding-size noise: entry i gets {@code +-u A_i} (seeded coin flips), where A_i is the
     * mean over the examples of |per-example gradient i|. That is the size of the rounding error of a float or
     * double sum of those terms (u times the sum of their magnitudes): an entry that is a small difference of large
     * terms carries an error far above u relative to itself (which adaptive updaters, dividing by |g|, amplify), and
     * an entry whose terms are all exactly zero stays exactly zero, as in DL4J.
     */
    static double[] noisyGradient(Mlp mlp, double[] params, double[][] x, double[][] y, double u,
                                  SplittableRandom random) {
        int n = mlp.numParams();
        double[] sum = new double[n];
        double[] abs = new double[n];
        for (int e = 0; e < x.length; e++) {
            double[] ge = mlp.gradient(params, new double[][]{x[e]}, new double[][]{y[e]});
            for (int i = 0; i < n; i++) {
                sum[i] += ge[i];
                abs[i] += Math.abs(ge[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] = (sum[i] + (random.nextBoolean() ? u : -u) * abs[i]) / x.length;
        }
        return sum;
    }

    /** Multiplies every value by 1 + u or 1 - u (seeded coin flips): a relative perturbation the size of rounding. */
    static void jitter(double[] p, double u, SplittableRandom random) {
        for (int i = 0; i < p.length; i++) {
            p[i] *= random.nextBoolean() ? 1 + u : 1 - u;
        }
    }

    /** DL4J's gradient at its current parameters: {@code gradient()} after {@code computeGradientAndScore()} is the
     * SUM over the minibatch (the updater step divides by N), so it is divided by N here. */
    static double[] dl4jMeanGradient(MultiLayerNetwork net, DataSet batch) {
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        double[] g = Tensors.toDoubles(net.gradient().gradient());
        int n = batch.numExamples();
        for (int i = 0; i < g.length; i++) {
            g[i] /= n;
        }
        net.clear();
        return g;
    }

    static double[][] rows(INDArray m) {
        INDArray d = m.castTo(DataType.DOUBLE);
        double[][] out = new double[(int) d.rows()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = d.getRow(r).dup().data().asDouble();
        }
        return out;
    }

    static double[][] pick(double[][] m, int[] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = m[rows[i]];
        }
        return out;
    }

    static double[][] roundToFloat(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = (float) m[i][j];
            }
        }
        return out;
    }
}
