package gdlab.crosscheck;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * DL4J defects and pitfalls the crosscheck measures on tiny nets in every run (a 4-6-3 tanh/softmax net, DOUBLE, four
 * seeded minibatches of 4) and reports as a table, each beside what gdlab does about it.
 */
public final class Dl4jDefects {
    private Dl4jDefects() {
    }

    /**
     * One measured defect.
     *
     * @param name     what is measured
     * @param expected what a correct implementation gives
     * @param measured what DL4J gives
     * @param present  whether DL4J departs from {@code expected}
     * @param handling what gdlab does about it
     */
    public record Defect(String name, String expected, String measured, boolean present, String handling) {
    }

    /** Every measurement, in a fixed order. */
    public static List<Defect> measure() {
        double[] plain = epochScheduleRates(false);
        double[] counted = epochScheduleRates(true);
        double global = weightDecayMultiple(false);
        double layer = weightDecayMultiple(true);
        double poly = new PolySchedule(ScheduleType.ITERATION, 1.0, 2.0, 4).valueAt(1, 0);
        String adaBelief = adaBeliefFit();
        String adaGrad = adaGradScheduleFit();
        return List.of(
                new Defect("EPOCH schedule (step, x 0.5 per epoch) under fit(DataSet), 3 epochs x 4 minibatches",
                        "lr per epoch 0.1, 0.05, 0.025", "lr per step " + rates(plain)
                        + "; with incrementEpochCount() after each epoch " + rates(counted),
                        distinct(plain) == 1, "Trainer and the crosscheck call incrementEpochCount() after each epoch"),
                new Defect("global .weightDecay(c) with Sgd: extra change of W in one step, in units of lr c W",
                        "1", String.format(Locale.ROOT, "%.4g (per-layer .weightDecay(c): %.4g)", global, layer),
                        Math.abs(global - 1) > 1e-6, "the crosscheck checks .l2(x), not weight decay"),
                new Defect("PolySchedule(initial 1, power 2, maxIter 4) at iteration 1",
                        "(1 - 1/4)^2 = 0.5625 (Caffe's poly: decays)", String.format(Locale.ROOT, "%.4g", poly),
                        Math.abs(poly - 0.5625) > 1e-12, "the reference's Schedule.Poly has both forms (Variant)"),
                new Defect("AdaGrad with a learning-rate schedule: parameters after one fit()", "finite", adaGrad,
                        !adaGrad.equals("finite"), "the schedule stages leave AdaGrad out"),
                new Defect("AdaBelief: one fit()", "trains", adaBelief, !adaBelief.startsWith("trains"),
                        "the grid leaves AdaBelief out"));
    }

    /**
     * The learning rate DL4J used at each of 12 steps (3 epochs of 4 minibatches, one {@code fit(DataSet)} each) with
     * Sgd and an EPOCH StepSchedule (0.1, x 0.5 per epoch): the parameter change over the mean gradient at the entry
     * where the gradient is largest.
     *
     * @param countEpochs call {@code incrementEpochCount()} after each epoch
     */
    public static double[] epochScheduleRates(boolean countEpochs) {
        MultiLayerNetwork net = net(new Sgd(new StepSchedule(ScheduleType.EPOCH, 0.1, 0.5, 1)), 0, false);
        DataSet[] batches = batches();
        double[] rates = new double[3 * batches.length];
        int s = 0;
        for (int e = 0; e < 3; e++) {
            for (DataSet b : batches) {
                double[] g = CellCheck.dl4jMeanGradient(net, b);
                double[] before = Tensors.toDoubles(net.params());
                net.fit(b);
                double[] after = Tensors.toDoubles(net.params());
                int k = 0;
                for (int i = 1; i < g.length; i++) {
                    k = Math.abs(g[i]) > Math.abs(g[k]) ? i : k;
                }
                rates[s++] = (before[k] - after[k]) / g[k];
            }
            if (countEpochs) {
                net.incrementEpochCount();
            }
        }
        return rates;
    }

    /**
     * How much more one Sgd(0.1) step with weight decay c = 0.5 moves the first weight than the same step without,
     * in units of lr c W (1 when weight decay is applied once).
     *
     * @param perLayer set it on each layer instead of the global builder
     */
    public static double weightDecayMultiple(boolean perLayer) {
        MultiLayerNetwork plain = net(new Sgd(0.1), 0, false);
        MultiLayerNetwork decayed = net(new Sgd(0.1), 0.5, perLayer);
        double w0 = plain.params().getDouble(0);
        DataSet b = batches()[0];
        plain.fit(b);
        decayed.fit(b);
        return (plain.params().getDouble(0) - decayed.params().getDouble(0)) / (0.1 * 0.5 * w0);
    }

    /** "finite", or what happened when AdaGrad with an ITERATION StepSchedule trains one step. */
    public static String adaGradScheduleFit() {
        MultiLayerNetwork net = net(new AdaGrad(new StepSchedule(ScheduleType.ITERATION, 0.1, 0.5, 1)), 0, false);
        net.fit(batches()[0]);
        long nan = Arrays.stream(Tensors.toDoubles(net.params())).filter(v -> !Double.isFinite(v)).count();
        return nan == 0 ? "finite" : nan + " of " + net.numParams() + " parameters NaN or infinite";
    }

    /** Trains a tiny net with DL4J's AdaBelief for one step and says what happened. */
    public static String adaBeliefFit() {
        try {
            MultiLayerNetwork net = Networks.classifier(new int[]{4, 3}, "tanh", new AdaBelief(1e-3), 1,
                    DataType.DOUBLE);
            double[][] x = {{1, 2, 3, 4}, {-1, 0, 1, 2}};
            net.fit(new DataSet(Tensors.matrix(x, DataType.DOUBLE), Tensors.oneHot(new int[]{0, 2}, 3,
                    DataType.DOUBLE)));
            return "trains without error in this build (1.0.0-M2.1 crashes here): not yet crosschecked";
        } catch (RuntimeException | Error e) {
            return "crashes: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static MultiLayerNetwork net(IUpdater updater, double weightDecay, boolean perLayer) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).updater(updater);
        DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH);
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3)
                .activation(Activation.SOFTMAX);
        if (weightDecay > 0 && perLayer) {
            hidden.weightDecay(weightDecay);
            out.weightDecay(weightDecay);
        } else if (weightDecay > 0) {
            b.weightDecay(weightDecay);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(b.list().layer(hidden.build()).layer(out.build()).build());
        net.init();
        return net;
    }

    /** Four seeded minibatches of 4 examples, 4 features, 3 classes. */
    private static DataSet[] batches() {
        Random r = new Random(3);
        List<DataSet> out = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            double[][] x = new double[4][4];
            int[] y = new int[4];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    x[i][j] = r.nextGaussian();
                }
                y[i] = r.nextInt(3);
            }
            out.add(new DataSet(Tensors.matrix(x, DataType.DOUBLE), Tensors.oneHot(y, 3, DataType.DOUBLE)));
        }
        return out.toArray(new DataSet[0]);
    }

    /** The rates rounded to 4 significant digits, runs of equal ones collapsed: "0.1 x 4, 0.05 x 4". */
    private static String rates(double[] r) {
        List<String> runs = new ArrayList<>();
        int i = 0;
        while (i < r.length) {
            int j = i;
            while (j < r.length && round4(r[j]).equals(round4(r[i]))) {
                j++;
            }
            runs.add(round4(r[i]) + " x " + (j - i));
            i = j;
        }
        return String.join(", ", runs);
    }

    private static long distinct(double[] r) {
        return Arrays.stream(r).mapToObj(Dl4jDefects::round4).collect(Collectors.toSet()).size();
    }

    private static String round4(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
