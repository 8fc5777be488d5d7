package gdlab.reference;

/**
 * One update of a net's parameters in DL4J 1.0.0-M2.1's order ({@code BaseMultiLayerUpdater.update} and
 * {@code UpdaterBlock.update}): the mean gradient, then {@link GradientNormalization} per layer, then L2
 * ({@code .l2(x)}: {@code + l2 W}, weights only, BEFORE the updater, so adaptive updaters rescale it), then the
 * {@link Updater} (with its learning-rate {@link Schedule}, if any), then weight decay ({@code .weightDecay(c)}: the
 * update gains {@code lr c W}, or {@code c W} without the learning rate, weights only, AFTER the updater, so no
 * updater rescales it: decoupled weight decay, Loshchilov &amp; Hutter 2019), and the update is subtracted. L2 and
 * weight decay read the weights before the update; with a schedule, weight decay's lr is the schedule's value at the
 * step (an updater without a learning rate, AdaDelta, uses 1).
 *
 * <p>Textbook L2 regularization adds {@code (l2 / 2) |W|^2} to the loss, whose gradient is {@code l2 W}: the same.
 * The gradient passed to {@link #step} must not contain L2 already: the net's {@link Mlp#l2()} must be 0.
 */
public final class TrainingStep {
    private final Mlp net;
    private final Updater updater;
    private GradientNormalization normalization = GradientNormalization.NONE;
    private double threshold = 1;
    private double l2;
    private double weightDecay;
    private boolean decayTimesLr;
    private Schedule learningRate;
    private int epoch;

    /**
     * @param net          the net (its layout splits the gradient into layers and blocks), without L2
     * @param updater      a fresh updater
     * @param learningRate the updater's constant learning rate (for weight decay), NaN for AdaDelta
     */
    public TrainingStep(Mlp net, Updater updater, double learningRate) {
        this.net = Check.notNull("net", net);
        this.updater = Check.notNull("updater", updater);
        if (net.l2() != 0) {
            throw new IllegalArgumentException("the net's gradient must not include L2 (it is added after "
                    + "normalization here): use withL2, got a net with l2 = " + net.l2());
        }
        this.learningRate = new Schedule.Fixed(Double.isNaN(learningRate) ? 1 : learningRate);
    }

    /** Normalizes or clips every gradient with {@code mode} (threshold t for the clip modes). */
    public TrainingStep withNormalization(GradientNormalization mode, double t) {
        this.normalization = Check.notNull("mode", mode);
        this.threshold = Check.positive("threshold", t);
        return this;
    }

    /** Adds {@code l2 W} to the weights' gradient before the updater. */
    public TrainingStep withL2(double coefficient) {
        this.l2 = Check.nonNegative("l2", coefficient);
        return this;
    }

    /** Adds {@code lr c W} ({@code c W} when not {@code timesLr}) to the weights' update after the updater. */
    public TrainingStep withWeightDecay(double c, boolean timesLr) {
        this.weightDecay = Check.nonNegative("weight decay", c);
        this.decayTimesLr = timesLr;
        return this;
    }

    /** The updater's learning rate follows {@code schedule} (see {@link Updater#schedule}). */
    public TrainingStep withSchedule(Schedule schedule) {
        updater.schedule(schedule);
        this.learningRate = schedule;
        return this;
    }

    /** The epoch the next steps belong to (finished epochs, from 0). */
    public void epoch(int epoch) {
        updater.epoch(epoch);
        this.epoch = epoch;
    }

    /**
     * One update of {@code params} in place from {@code meanGradient} (not modified).
     *
     * @return whether the normalization changed the gradient (a clip that bound)
     */
    public boolean step(double[] params, double[] meanGradient) {
        Check.length("params", params, net.numParams());
        double[] g = meanGradient.clone();
        boolean normalized = normalization.apply(g, net, threshold);
        double[] before = params.clone();
        for (int l = 0; l < net.numLayers() && l2 > 0; l++) {
            for (int k = net.weightOffset(l); k < net.biasOffset(l); k++) {
                g[k] += l2 * before[k];
            }
        }
        double lr = learningRate.valueAt(updater.iteration(), epoch);
        updater.step(params, g);
        if (weightDecay > 0) {
            double c = decayTimesLr ? lr * weightDecay : weightDecay;
            for (int l = 0; l < net.numLayers(); l++) {
                for (int k = net.weightOffset(l); k < net.biasOffset(l); k++) {
                    params[k] -= c * before[k];
                }
            }
        }
        return normalized;
    }
}
