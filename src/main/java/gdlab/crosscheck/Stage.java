package gdlab.crosscheck;

import java.util.List;
import java.util.Locale;

/**
 * The stages of a crosscheck, in the order a discrepancy would propagate: if the forward pass agrees but the
 * gradient does not, the backward pass is wrong; if the gradient agrees but one step does not, the updater is.
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
    EPOCHS("epochs", "parameters after `epochs` shuffled epochs");

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

    public static List<Stage> all() {
        return List.of(values());
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
