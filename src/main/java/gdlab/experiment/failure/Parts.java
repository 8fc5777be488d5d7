package gdlab.experiment.failure;

import java.util.List;

/** The parts of the failure-modes experiment, in report order (fresh instances: parts hold per-run state). */
public final class Parts {
    private Parts() {
    }

    public static List<Part> all() {
        return List.of(new LocalMinimaPart(), new SeedClaimPart(), new EscapePart(), new VanishingPart(),
                new StepSizePart());
    }
}
