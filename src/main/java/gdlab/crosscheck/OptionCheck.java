package gdlab.crosscheck;

import gdlab.data.Dataset;
import gdlab.data.EpochOrder;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.GradientNormalization;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Schedule;
import gdlab.reference.TrainingStep;
import gdlab.reference.Variant;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The option stages ({@link Stage#OPTIONS}) of one crosscheck cell: a fresh DL4J net and the reference
 * ({@link TrainingStep}) train from the same start on the same minibatches for {@code epochs} shuffled epochs with one
 * training option, and their parameters are compared at the end. Options: a learning rate on an ITERATION schedule
 * (1/t: lr / (1 + gamma i), DL4J {@code InverseSchedule}) or an EPOCH schedule (halved every epoch, DL4J
 * {@code StepSchedule}; DL4J's epoch count is advanced after each epoch, as gdlab's Trainer does, since
 * {@code fit(DataSet)} never advances it), each gradient normalization mode, or L2 on the weights. A shadow (the
 * reference with rounding-size noise, as in {@link CellCheck}) measures the trajectory's own rounding drift.
 *
 * @param cell         the cell (data, net, updater, lr, batch size, dtype, seed, perturbation); its steps/epochs
 *                     are not used
 * @param epochs       shuffled epochs to train
 * @param settings     the options' hyperparameters
 */
public record OptionCheck(CellCheck cell, int epochs, Settings settings) {

    /**
     * @param scheduleGamma gamma of the ITERATION schedule lr / (1 + gamma i)
     * @param epochDecay    factor of the EPOCH schedule per epoch
     * @param clipL2        threshold of the L2 clip modes
     * @param clipValue     threshold of the element-wise clip
     * @param l2            L2 coefficient
     */
    public record Settings(double scheduleGamma, double epochDecay, double clipL2, double clipValue, double l2) {
    }

    /**
     * What one option stage found.
     *
     * @param diff         DL4J against the reference at the end
     * @param drift        the shadow against the reference at the end
     * @param updates      updates run
     * @param activeShare  share of the reference's updates whose gradient the normalization changed (clip modes:
     *                     how often the clip bound; NaN for the other stages)
     */
    public record Result(Diff diff, Diff drift, long updates, double activeShare) {
    }

    /**
     * Whether {@code stage} applies to {@code updater}: a schedule needs a learning rate DL4J lets one schedule, so
     * not gdlab's heavy ball or AdaDelta, and not AdaGrad, which gives NaN with one ({@link Dl4jDefects}).
     */
    public static boolean applies(Stage stage, String updater) {
        if (!stage.isOption()) {
            throw new IllegalArgumentException(stage + " is not an option stage");
        }
        return !stage.isSchedule() || (Optimizers.SCHEDULABLE.contains(updater) && !updater.equals("adagrad"));
    }

    public Result run(Stage stage) {
        if (!applies(stage, cell.updater())) {
            throw new IllegalArgumentException(stage + " does not apply to " + cell.updater());
        }
        Dataset train = cell.train();
        int n = train.size();
        boolean isFloat = cell.dtype() == DataType.FLOAT;
        double[][] x = isFloat ? CellCheck.roundToFloat(train.features()) : train.features();
        double[][] y = train.oneHot();
        INDArray xs = Tensors.matrix(x, cell.dtype());
        INDArray ys = Tensors.matrix(y, cell.dtype());
        MultiLayerNetwork net = dl4jNet(stage);
        Mlp mlp = new Mlp(cell.sizes(), Activation.named(cell.hidden()), Activation.SOFTMAX, Loss.MCXENT);
        double[] ref = Tensors.toDoubles(net.params());
        if (cell.perturbation() != 0) {
            INDArray p = net.params();
            p.putScalar(0, p.getDouble(0) + cell.perturbation());
        }
        double u = CellCheck.unitRoundoff(cell.dtype());
        SplittableRandom noise = new SplittableRandom(cell.seed() ^ 0x5DEECE66DL);
        double[] shadow = ref.clone();
        CellCheck.jitter(shadow, u, noise);
        TrainingStep refStep = referenceStep(stage, mlp, isFloat);
        TrainingStep shadowStep = referenceStep(stage, mlp, isFloat);
        long updates = 0;
        long active = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            refStep.epoch(epoch);
            shadowStep.epoch(epoch);
            for (int[] rows : EpochOrder.minibatches(EpochOrder.shuffled(cell.seed(), epoch, n), cell.batchSize())) {
                double[][] xb = CellCheck.pick(x, rows);
                double[][] yb = CellCheck.pick(y, rows);
                net.fit(Tensors.rows(xs, ys, rows));
                active += refStep.step(ref, mlp.gradient(ref, xb, yb)) ? 1 : 0;
                shadowStep.step(shadow, CellCheck.noisyGradient(mlp, shadow, xb, yb, u, noise));
                CellCheck.jitter(shadow, u, noise);
                updates++;
            }
            // fit(DataSet) never counts epochs; fit(iterator) would count this one here
            net.incrementEpochCount();
        }
        boolean normalizes = normalization(stage) != GradientNormalization.NONE;
        return new Result(Diff.of(Tensors.toDoubles(net.params()), ref), Diff.of(shadow, ref), updates,
                normalizes ? active / (double) updates : Double.NaN);
    }

    private TrainingStep referenceStep(Stage stage, Mlp mlp, boolean isFloat) {
        String updater = cell.updater();
        TrainingStep step = new TrainingStep(mlp, ReferenceUpdaters.create(updater, cell.lr(), Variant.DL4J, isFloat),
                updater.equals("adadelta") ? Double.NaN : cell.lr());
        switch (stage) {
            case SCHEDULE_ITERATION -> step.withSchedule(new Schedule.Inverse(Schedule.Type.ITERATION, cell.lr(),
                    settings.scheduleGamma(), 1));
            case SCHEDULE_EPOCH -> step.withSchedule(new Schedule.Step(Schedule.Type.EPOCH, cell.lr(),
                    settings.epochDecay(), 1));
            case L2 -> step.withL2(settings.l2());
            default -> step.withNormalization(normalization(stage), threshold(stage));
        }
        return step;
    }

    private MultiLayerNetwork dl4jNet(Stage stage) {
        String updater = cell.updater();
        double lr = updater.equals("adadelta") ? 1.0 : cell.lr();
        IUpdater config = switch (stage) {
            case SCHEDULE_ITERATION -> Optimizers.updater(updater, new InverseSchedule(
                    ScheduleType.ITERATION, lr, settings.scheduleGamma(), 1));
            case SCHEDULE_EPOCH -> Optimizers.updater(updater, new StepSchedule(ScheduleType.EPOCH, lr,
                    settings.epochDecay(), 1));
            default -> Optimizers.updater(updater, lr);
        };
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(cell.seed())
                .dataType(cell.dtype())
                .weightInit(WeightInit.XAVIER)
                .updater(config);
        if (stage == Stage.L2) {
            b.l2(settings.l2());
        }
        GradientNormalization mode = normalization(stage);
        if (mode != GradientNormalization.NONE) {
            b.gradientNormalization(dl4jMode(mode)).gradientNormalizationThreshold(threshold(stage));
        }
        int[] sizes = cell.sizes();
        NeuralNetConfiguration.ListBuilder list = b.list();
        for (int l = 0; l + 2 < sizes.length; l++) {
            list.layer(new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1])
                    .activation(Networks.activation(cell.hidden())).build());
        }
        int last = sizes.length - 1;
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(sizes[last - 1]).nOut(sizes[last])
                .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The normalization of a clip or renormalize stage, NONE for the others. */
    public static GradientNormalization normalization(Stage stage) {
        return switch (stage) {
            case CLIP_L2_PER_LAYER -> GradientNormalization.CLIP_L2_PER_LAYER;
            case CLIP_L2_PER_PARAM_TYPE -> GradientNormalization.CLIP_L2_PER_PARAM_TYPE;
            case CLIP_ELEMENT_WISE -> GradientNormalization.CLIP_ELEMENT_WISE_ABSOLUTE_VALUE;
            case RENORMALIZE_L2_PER_LAYER -> GradientNormalization.RENORMALIZE_L2_PER_LAYER;
            case RENORMALIZE_L2_PER_PARAM_TYPE -> GradientNormalization.RENORMALIZE_L2_PER_PARAM_TYPE;
            default -> GradientNormalization.NONE;
        };
    }

    private double threshold(Stage stage) {
        return stage == Stage.CLIP_ELEMENT_WISE ? settings.clipValue() : settings.clipL2();
    }

    static org.deeplearning4j.nn.conf.GradientNormalization dl4jMode(GradientNormalization mode) {
        return switch (mode) {
            case NONE -> org.deeplearning4j.nn.conf.GradientNormalization.None;
            case RENORMALIZE_L2_PER_LAYER -> org.deeplearning4j.nn.conf.GradientNormalization.RenormalizeL2PerLayer;
            case RENORMALIZE_L2_PER_PARAM_TYPE ->
                    org.deeplearning4j.nn.conf.GradientNormalization.RenormalizeL2PerParamType;
            case CLIP_ELEMENT_WISE_ABSOLUTE_VALUE ->
                    org.deeplearning4j.nn.conf.GradientNormalization.ClipElementWiseAbsoluteValue;
            case CLIP_L2_PER_LAYER -> org.deeplearning4j.nn.conf.GradientNormalization.ClipL2PerLayer;
            case CLIP_L2_PER_PARAM_TYPE -> org.deeplearning4j.nn.conf.GradientNormalization.ClipL2PerParamType;
        };
    }

    /** The stages of {@link Stage#OPTIONS} that apply to {@code updater}. */
    public static List<Stage> stagesFor(String updater) {
        return Stage.OPTIONS.stream().filter(s -> applies(s, updater)).toList();
    }
}
