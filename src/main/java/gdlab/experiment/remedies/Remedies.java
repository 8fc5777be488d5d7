package gdlab.experiment.remedies;

import gdlab.experiment.PartedExperiment;

import java.util.List;

/**
 * The weaknesses of gradient descent and what overcomes them, one part per weakness: each part runs the failure
 * (remedy {@code off}) and its remedy (and named variants) on the same problem, seeds and budget. Each cell belongs
 * to one part (its {@code part} coordinate); cells.csv holds the union of the parts' metrics, curves.csv their shared
 * {@link Part#CURVE} columns, the summary prints one section per part, and the claims are the parts' in order (not
 * tested for a part not run).
 */
public final class Remedies extends PartedExperiment {
    public Remedies() {
        super(List.of(new ConditioningPart(), new SchedulePart(), new ClippingPart(),
            new RestartsPart(), new VanishingPart(), new ExplodingPart(), new OverfittingPart()), Part.CURVE);
    }

    @Override
    public String name() {
        return "remedies";
    }

    @Override
    public String question() {
        return "What are the weaknesses of gradient descent, and how do you overcome them (scaling, schedules, "
                + "clipping, restarts, regularization, early stopping, ...)?";
    }
}
