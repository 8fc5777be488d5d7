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
 * float rounding (unit roundoff 6e-8) accumulated over the sums of a layer and over the updates. Measured worst
 * cases on iris and digits: output 1.8e-7, loss 1.1e-7, gradient 1e-6 (the gradient sums over the minibatch),
 * one update 5e-6 (Nadam's first steps are ~60 lr: its v has no bias correction): 1e-5 leaves a factor 2-50; 1e-4
 * after 100 updates is the number, and the same after the epochs.
 *
 * <p>The option stages (7-14: a schedule, a gradient normalization, L2) train over several epochs, and take the
 * tolerances of stages 5-6.
 *
 * <p>Many updates: a trajectory can amplify rounding (stochastic steps over thousands of examples are close to
 * chaotic), so no floating-point implementation can agree with another beyond what rounding alone produces on that
 * trajectory. Each cell measures it with a shadow run (the reference with rounding-size noise injected, see
 * {@link CellCheck}); a stage-5 or stage-6 row beyond its tolerance but within {@link #DRIFT_FACTOR} x that drift
 * is {@link Verdict#DRIFT}: reported as such, not a failure. Stages 1-4 never get that allowance.
 */
public final class Tolerances {
    private Tolerances() {
    }

    public static final Map<Stage, Double> DOUBLE = byStage(1e-12, 1e-10);

    public static final Map<Stage, Double> FLOAT = byStage(1e-5, 1e-4);

    /** {@code few} for stages 1-4, {@code many} for the stages after many updates (5, 6 and the options'). */
    private static Map<Stage, Double> byStage(double few, double many) {
        Map<Stage, Double> m = new java.util.EnumMap<>(Stage.class);
        for (Stage s : Stage.values()) {
            m.put(s, driftApplies(s) ? many : few);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** How far beyond the shadow's own drift DL4J may be at stages 5 and 6 (see the class comment). */
    public static final double DRIFT_FACTOR = 10;

    /** What a row says. */
    public enum Verdict {
        /** within the tolerance */
        PASS,
        /** beyond the tolerance, within DRIFT_FACTOR x the rounding drift of the reference itself (stages 5-14) */
        DRIFT,
        /** beyond both: DL4J computes something else */
        FAIL
    }

    /** Stages where rounding accumulates over many updates, so the shadow drift may explain a difference. */
    public static boolean driftApplies(Stage stage) {
        return stage == Stage.STEPS || stage == Stage.EPOCHS || stage.isOption();
    }

    /**
     * @param rel   DL4J's relative difference (null or NaN fails)
     * @param drift the shadow's relative drift at that stage (null where there is none)
     */
    public static Verdict verdict(Stage stage, String dtype, Double rel, Double drift) {
        if (rel == null || rel.isNaN()) {
            return Verdict.FAIL;
        }
        if (rel <= of(stage, dtype)) {
            return Verdict.PASS;
        }
        if (driftApplies(stage) && drift != null && rel <= DRIFT_FACTOR * drift) {
            return Verdict.DRIFT;
        }
        return Verdict.FAIL;
    }

    public static double of(Stage stage, String dtype) {
        return switch (dtype) {
            case "double" -> DOUBLE.get(stage);
            case "float" -> FLOAT.get(stage);
            default -> throw new IllegalArgumentException("no tolerances for dtype '" + dtype + "'");
        };
    }
}
