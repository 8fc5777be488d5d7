package gdlab.crosscheck;

import java.util.List;
import java.util.Locale;

/**
 * The stages of a crosscheck, in the order a discrepancy would propagate: if the forward pass agrees but the
 * gradient does not, the backward pass is wrong; if the gradient agrees but one step does not, the updater is.
 * Stages 7-14 each train a fresh net from the same start with one training option DL4J offers (a learning-rate
 * schedule, a gradient normalization, L2), so a difference there is that option's.
 */
public enum Stage {
    /** network outputs (softmax probabilities) on every training example, at the initial parameters */
    OUTPUT("output", "forward output on the whole training set, initial parameters"),
    /** mean loss on every training example, at the initial parameters */
    LOSS("loss", "mean loss on the whole training set, initial parameters"),
    /** DL4J's summed minibatch gradient / N against the reference's mean gradient, on the first minibatch */
    GRADIENT("gradient", "mean gradient on the first minibatch (DL4J: its summed gradient / N)"),
    /** parameters after one update on the first minibatch */
    STEP_1("step_1", "parameters after 1 update"),
    /** parameters after {@code steps} updates (the spec's {@code steps}, 100 by default) */
    STEPS("steps", "parameters after `steps` updates"),
    /** parameters after {@code epochs} whole shuffled epochs (3 by default) */
    EPOCHS("epochs", "parameters after `epochs` shuffled epochs"),
    /** as {@link #EPOCHS} over {@code option_epochs} epochs, the learning rate on an ITERATION schedule (1/t) */
    SCHEDULE_ITERATION("schedule_iteration", "parameters after `option_epochs` epochs, lr on an ITERATION schedule"),
    /** the learning rate on an EPOCH schedule (halved every epoch): needs DL4J's epoch count advanced */
    SCHEDULE_EPOCH("schedule_epoch", "parameters after `option_epochs` epochs, lr on an EPOCH schedule"),
    /** every gradient clipped to L2 norm {@code clip_l2} per layer (DL4J ClipL2PerLayer) */
    CLIP_L2_PER_LAYER("clip_l2_per_layer", "parameters after `option_epochs` epochs, gradient ClipL2PerLayer"),
    /** the same per weight and per bias block (DL4J ClipL2PerParamType) */
    CLIP_L2_PER_PARAM_TYPE("clip_l2_per_param_type",
            "parameters after `option_epochs` epochs, gradient ClipL2PerParamType"),
    /** every gradient entry clamped to [-clip_value, clip_value] (DL4J ClipElementWiseAbsoluteValue) */
    CLIP_ELEMENT_WISE("clip_element_wise",
            "parameters after `option_epochs` epochs, gradient ClipElementWiseAbsoluteValue"),
    /** every layer's gradient divided by its L2 norm (DL4J RenormalizeL2PerLayer) */
    RENORMALIZE_L2_PER_LAYER("renormalize_l2_per_layer",
            "parameters after `option_epochs` epochs, gradient RenormalizeL2PerLayer"),
    /** the same per weight and per bias block (DL4J RenormalizeL2PerParamType) */
    RENORMALIZE_L2_PER_PARAM_TYPE("renormalize_l2_per_param_type",
            "parameters after `option_epochs` epochs, gradient RenormalizeL2PerParamType"),
    /** L2 regularization {@code l2} on the weights (DL4J {@code .l2(x)}) */
    L2("l2", "parameters after `option_epochs` epochs with L2 regularization `l2`");

    private final String label;
    private final String meaning;

    Stage(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    /** snake_case name, the stage column of the tables and the prefix of cells.csv columns. */
    public String label() {
        return label;
    }

    public String meaning() {
        return meaning;
    }

    public int number() {
        return ordinal() + 1;
    }

    /** The label with its number, e.g. {@code 4 step_1}, for tables people read. */
    public String title() {
        return number() + " " + label;
    }

    /** The stages that train with a training option (schedule, clipping, L2) beside the plain stages 1-6. */
    public static final List<Stage> OPTIONS = List.of(SCHEDULE_ITERATION, SCHEDULE_EPOCH, CLIP_L2_PER_LAYER,
            CLIP_L2_PER_PARAM_TYPE, CLIP_ELEMENT_WISE, RENORMALIZE_L2_PER_LAYER, RENORMALIZE_L2_PER_PARAM_TYPE, L2);

    /** Whether this stage trains with a training option ({@link #OPTIONS}). */
    public boolean isOption() {
        return ordinal() > EPOCHS.ordinal();
    }

    /** Whether this stage sets a learning-rate schedule. */
    public boolean isSchedule() {
        return this == SCHEDULE_ITERATION || this == SCHEDULE_EPOCH;
    }

    public static List<Stage> all() {
        return List.of(values());
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
