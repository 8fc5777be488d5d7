package gdlab.experiment.failure;

import gdlab.experiment.PartedExperiment;

import java.util.List;

/**
 * When gradient descent fails, in five parts: local minima, the seed's claim that stochastic noise escapes them,
 * saddles and plateaus, vanishing gradients, and a bad step size. Each cell belongs to one part (its {@code part}
 * coordinate); cells.csv holds the union of the parts' metrics, curves.csv their shared {@link Part#CURVE} columns,
 * the summary prints one section with its tables per part, and the claims are the parts' in order (not tested for a
 * part not run).
 */
public final class FailureModes extends PartedExperiment {
    public FailureModes() {
        super(List.of(new LocalMinimaPart(), new SeedClaimPart(), new EscapePart(),
            new VanishingPart(), new StepSizePart()), Part.CURVE);
    }

    @Override
    public String name() {
        return "failure-modes";
    }

    @Override
    public String question() {
        return "When does gradient descent fail (local minima, saddles, plateaus, vanishing gradients, a bad step "
                + "size), and does stochastic noise rescue it?";
    }
}
