package gdlab.crosscheck;

import java.util.Map;

/**
 * The largest relative difference ({@link Diff#rel}) each stage may show, by data type. Fixed in code, not in the
 * spec: loosening one is a decision to be argued in a commit, not a command-line switch.
 *
 * <p>DOUBLE: 1e-12 for the forward output, the loss, the gradient and one update; 1e-10 after many updates (the
 * issue's numbers; rounding of a double computation is ~1e-16 per operation, so these leave four orders of
 * magnitude for the sums of a few hundred products and for the growth of differences over a run).
 *
 * <p>FLOAT: DL4J computes in float and the reference in double from the same float inputs, so the difference is
 * float rounding (unit roundoff 6e-8) accumulated over the products of a layer and over the updates:
 * see {@link #FLOAT}.
 */
public final class Tolerances {
    private Tolerances() {
    }

    public static final Map<Stage, Double> DOUBLE = Map.of(
            Stage.OUTPUT, 1e-12, Stage.LOSS, 1e-12, Stage.GRADIENT, 1e-12, Stage.STEP_1, 1e-12,
            Stage.STEPS, 1e-10, Stage.EPOCHS, 1e-10);

    public static final Map<Stage, Double> FLOAT = Map.of(
            Stage.OUTPUT, 1e-5, Stage.LOSS, 1e-5, Stage.GRADIENT, 1e-5, Stage.STEP_1, 1e-5,
            Stage.STEPS, 1e-4, Stage.EPOCHS, 1e-4);

    public static double of(Stage stage, String dtype) {
        return switch (dtype) {
            case "double" -> DOUBLE.get(stage);
            case "float" -> FLOAT.get(stage);
            default -> throw new IllegalArgumentException("no tolerances for dtype '" + dtype + "'");
        };
    }
}
