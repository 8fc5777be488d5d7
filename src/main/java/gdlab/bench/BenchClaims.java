package gdlab.bench;

import gdlab.report.Claim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The claims of bench's hypothesis, in its order, each judged from this run's measured values. They are timings
 * on a shared machine, so every one is a finding, never an integrity check; a claim whose part the run lacks
 * (quick mode without 784-100-10 or batch >= 256, no sweep, no breakdown) is not tested. The hypothesis in
 * experiments/bench.properties is these statements, each after its id in brackets.
 */
final class BenchClaims {
    /** The net DL4J is expected to beat the reference on, at large batches. */
    static final String BIG_NET = "784-100-10";
    /** "Large batches": the same bound as the gemm goal's. */
    static final int LARGE_BATCH = Bench.GEMM_GOAL_MIN_BATCH;
    /** "Almost nothing": the loop's update at most this share above fit's (median over the step rows). */
    static final double MAX_LOOP_OVERHEAD = 0.10;
    /** "About what it costs alone": the in-sweep step within this factor of the loop timed alone. */
    static final double MAX_IN_SWEEP_FACTOR = 1.5;

    static final String FLOOR = "DL4J's fit pays a floor per step whatever the net, so the plain-Java reference is "
            + "faster (dl4j_over_reference > 1) on every step row but those of " + BIG_NET + " at batch >= "
            + LARGE_BATCH + ", and DL4J is faster on those.";
    static final String GEMM = "DL4J reaches at least half of the gemm GFLOP/s of the same shapes at batch >= "
            + LARGE_BATCH + ": gemm_share >= " + Bench.percent(Bench.MIN_GEMM_SHARE) + " on every such row.";
    static final String LOOP = "The training loop adds almost nothing to fit now that minibatches are no longer "
            + "copied row by row each step: its update costs at most " + Bench.percent(MAX_LOOP_OVERHEAD)
            + " more than fit alone (median loop_overhead over the step rows).";
    static final String HARNESS = "The harness takes under " + Bench.percent(Bench.MAX_HARNESS_SHARE) + " of a "
            + "sweep's wall time (harness_share with one local worker).";
    static final String JVMS = "2 worker JVMs (engine=processes) train at least " + SweepPart.MIN_SPEEDUP + "x the "
            + "cells per minute of one in-process worker.";
    static final String IN_PROCESS = "2 in-process workers do not: they train under " + SweepPart.MIN_SPEEDUP
            + "x the cells per minute of one.";
    static final String IN_SWEEP = "The training loop's step inside a sweep costs about what it costs alone: "
            + "within a factor of " + MAX_IN_SWEEP_FACTOR + " of the loop timed alone (in_sweep_over_loop) at every "
            + "batch size of the breakdown that the step cells time.";

    /** How every step timing is taken, for the support column. */
    private static final String WINDOWS = " (medians of timed windows, on a machine other jobs may share)";

    private BenchClaims() {
    }

    /** A step cell's measured values. */
    record Step(String net, int batch, String dtype, double fitMs, double referenceMs, double gemmMs,
                double loopAfterMs) {
        String label() {
            return net + " B=" + batch + " " + dtype;
        }

        double dl4jOverReference() {
            return fitMs / referenceMs;
        }

        double gemmShare() {
            return gemmMs / fitMs;
        }

        double loopOverhead() {
            return loopAfterMs / fitMs - 1;
        }
    }

    /**
     * The sweep cell's values: {@code val} by column (as {@link SweepPart#derived} and cells.csv name them), the
     * engines, the most workers it ran with, and the higher 1-minute load of its start and end.
     */
    record Sweep(Function<String, Double> val, List<String> engines, int most, double load) {
    }

    /**
     * Every claim of the hypothesis, in its order.
     *
     * @param sweep    the sweep cell's values, null when the run has none
     * @param inSweep  the breakdown's median in-sweep ms per update by batch size, null when the run has none
     * @param net      the breakdown's net, whose step rows of {@code dtype} the in-sweep steps are set beside
     */
    static List<Claim> of(List<Step> steps, Sweep sweep, Map<Integer, Double> inSweep, String net, String dtype) {
        List<Claim> claims = new ArrayList<>();
        claims.add(floor(steps));
        claims.add(gemm(steps));
        claims.add(loop(steps));
        claims.add(sweep == null ? notTested("harness_share", HARNESS, "no sweep in this run",
                "< " + Bench.percent(Bench.MAX_HARNESS_SHARE)) : harness(sweep));
        claims.add(speedup(sweep, "processes", "worker_jvms_scale", JVMS));
        claims.add(speedup(sweep, "local", "in_process_workers_do_not", IN_PROCESS));
        claims.add(inSweep(steps, inSweep, net, dtype));
        return claims;
    }

    private static Claim notTested(String id, String statement, String why, String expected) {
        return Claim.notTested(id, Claim.Kind.FINDING, statement, why, expected);
    }

    static Claim floor(List<Step> steps) {
        String expected = "dl4j_over_reference < 1 on " + BIG_NET + " at B >= " + LARGE_BATCH + ", > 1 elsewhere";
        List<Step> big = steps.stream().filter(BenchClaims::large).toList();
        List<Step> rest = steps.stream().filter(s -> !large(s)).toList();
        if (big.isEmpty() || rest.isEmpty()) {
            return notTested("dl4j_floor", FLOOR, "the grid has no " + (big.isEmpty() ? BIG_NET + " row at B >= "
                    + LARGE_BATCH : "other row") + " to compare", expected);
        }
        Step fastest = steps.stream().min(Comparator.comparingDouble(Step::fitMs)).orElseThrow();
        List<Step> dl4jWins = rest.stream().filter(s -> !(s.dl4jOverReference() > 1)).toList();
        List<Step> dl4jLoses = big.stream().filter(s -> !(s.dl4jOverReference() < 1)).toList();
        String measured = String.format(Locale.ROOT, "fastest fit %.3g ms (%s); reference faster on %d of %d other "
                        + "rows%s; DL4J faster on %d of %d rows of %s at B >= %d%s", fastest.fitMs(), fastest.label(),
                rest.size() - dl4jWins.size(), rest.size(), list(" (DL4J faster on ", dl4jWins), big.size()
                        - dl4jLoses.size(), big.size(), BIG_NET, LARGE_BATCH, list(" (not on ", dl4jLoses));
        return Claim.finding("dl4j_floor", FLOOR, measured, expected, dl4jWins.isEmpty() && dl4jLoses.isEmpty(),
                "dl4j_over_reference against 1 on every row" + WINDOWS);
    }

    private static boolean large(Step s) {
        return s.net().equals(BIG_NET) && s.batch() >= LARGE_BATCH;
    }

    /** The rows with their dl4j_over_reference, after {@code before} and in parentheses; empty if none. */
    private static String list(String before, List<Step> rows) {
        return rows.isEmpty() ? "" : before + String.join(", ", rows.stream().map(s -> String.format(Locale.ROOT,
                "%s: %.3gx", s.label(), s.dl4jOverReference())).toList()) + ")";
    }

    static Claim gemm(List<Step> steps) {
        String expected = ">= " + Bench.percent(Bench.MIN_GEMM_SHARE) + " on every row at B >= " + LARGE_BATCH;
        List<Step> big = steps.stream().filter(s -> s.batch() >= LARGE_BATCH).toList();
        if (big.isEmpty()) {
            return notTested("gemm_share", GEMM, "the grid has no batch >= " + LARGE_BATCH, expected);
        }
        List<Step> short_ = big.stream().filter(s -> !(s.gemmShare() >= Bench.MIN_GEMM_SHARE)).toList();
        Step worst = big.stream().min(Comparator.comparingDouble(Step::gemmShare)).orElseThrow();
        Step best = big.stream().max(Comparator.comparingDouble(Step::gemmShare)).orElseThrow();
        StringBuilder measured = new StringBuilder(String.format(Locale.ROOT, "%d of %d rows; worst %s (%s), best "
                        + "%s (%s)", big.size() - short_.size(), big.size(), Bench.percent(worst.gemmShare()),
                worst.label(), Bench.percent(best.gemmShare()), best.label()));
        List<Step> impossible = steps.stream().filter(s -> s.gemmShare() > 1).toList();
        if (!impossible.isEmpty()) {
            measured.append("; gemm alone slower than the fit that contains its products, a timing not to trust: ")
                    .append(String.join(", ", impossible.stream().map(s -> String.format(Locale.ROOT,
                            "%s (gemm %.3g ms, fit %.3g ms)", s.label(), s.gemmMs(), s.fitMs())).toList()));
        }
        if (!short_.isEmpty()) {
            measured.append("; time of the step not in gemm (activations, softmax, loss, bias adds, updater, DL4J's "
                    + "per-op dispatch): ").append(String.join("; ", short_.stream().map(s -> String.format(
                    Locale.ROOT, "%s: %.2f of %.2f ms", s.label(), s.fitMs() - s.gemmMs(), s.fitMs())).toList()));
        }
        return Claim.finding("gemm_share", GEMM, measured.toString(), expected, short_.isEmpty(),
                "gemm_share against " + Bench.percent(Bench.MIN_GEMM_SHARE) + " on every row" + WINDOWS);
    }

    static Claim loop(List<Step> steps) {
        String expected = "median loop_overhead <= " + Bench.percent(MAX_LOOP_OVERHEAD);
        if (steps.isEmpty()) {
            return notTested("loop_adds_little", LOOP, "no step cells in this run", expected);
        }
        double median = median(steps, Step::loopOverhead);
        Step most = steps.stream().max(Comparator.comparingDouble(Step::loopOverhead)).orElseThrow();
        String measured = String.format(Locale.ROOT, "median %s over %d rows; highest %s (%s: loop %.3g ms, fit "
                        + "%.3g ms)", Bench.percent(median), steps.size(), Bench.percent(most.loopOverhead()),
                most.label(), most.loopAfterMs(), most.fitMs());
        return Claim.finding("loop_adds_little", LOOP, measured, expected, median <= MAX_LOOP_OVERHEAD,
                "median over " + steps.size() + " rows against " + Bench.percent(MAX_LOOP_OVERHEAD) + WINDOWS);
    }

    static Claim harness(Sweep sweep) {
        Function<String, Double> val = sweep.val();
        String p = SweepPart.prefix("local", 1);
        double share = val.apply(p + "harness_share");
        double wall = val.apply(p + "wall_ms");
        boolean holds = share < Bench.MAX_HARNESS_SHARE;
        String measured = Bench.percent(share) + String.format(Locale.ROOT, " (outside training updates: %s)",
                Bench.percent(val.apply(p + "outside_training_share")))
                + (holds ? "" : String.format(Locale.ROOT, "; of %.0f ms wall with 1 worker, %.0f ms were outside "
                        + "the cells: prepare %.0f, summarize %.0f, pool + run folder + git + plots %.0f (drawing "
                        + "the plots alone: %.0f)", wall, share * wall, val.apply(p + "prepare_ms"),
                val.apply(p + "summarize_ms"), val.apply(p + "rest_ms"), val.apply(p + "plots_ms")));
        return Claim.finding("harness_share", HARNESS, measured, "< " + Bench.percent(Bench.MAX_HARNESS_SHARE),
                holds, "one sweep's wall time against " + Bench.percent(Bench.MAX_HARNESS_SHARE)
                        + " (a timing: other jobs on the machine move it)");
    }

    /** Worker JVMs reach the speed-up ({@code processes}); in-process workers do not ({@code local}). */
    static Claim speedup(Sweep sweep, String engine, String id, String statement) {
        boolean local = engine.equals("local");
        String expected = (local ? "< " : ">= ") + SweepPart.MIN_SPEEDUP + "x";
        if (sweep == null || !sweep.engines().contains(engine) || sweep.most() < 2) {
            return notTested(id, statement, sweep == null ? "no sweep in this run" : sweep.most() < 2
                    ? "the sweep ran with 1 worker only" : "the sweep did not run on engine " + engine, expected);
        }
        Function<String, Double> val = sweep.val();
        String q = SweepPart.prefix(engine, sweep.most());
        double speedup = val.apply(q + "speedup");
        boolean reached = speedup >= SweepPart.MIN_SPEEDUP;
        int cores = Runtime.getRuntime().availableProcessors();
        String measured = String.format(Locale.ROOT, "%.2fx with %d workers: %.0f ms wall against %.0f ms with 1 "
                        + "local worker", speedup, sweep.most(), val.apply(q + "wall_ms"),
                val.apply(SweepPart.prefix("local", 1) + "wall_ms"));
        if (!reached) {
            measured += local ? "; in one JVM the workers share JavaCPP's pointer bookkeeping, ND4J's deallocator "
                    + "threads and every stop-the-world collection"
                    : "; each worker JVM starts, loads ND4J and warms its JIT before its first cell";
            if (sweep.load() > cores) {
                measured += String.format(Locale.ROOT, "; other processes held the cores (load %.1f on %d)",
                        sweep.load(), cores);
            }
        }
        return Claim.finding(id, statement, measured, expected, local != reached, "wall times of sweeps taken "
                + "in turns (median of the repeats) against " + SweepPart.MIN_SPEEDUP + "x; load average "
                + String.format(Locale.ROOT, "%.1f on %d cores", sweep.load(), cores));
    }

    static Claim inSweep(List<Step> steps, Map<Integer, Double> inSweep, String net, String dtype) {
        String expected = String.format(Locale.ROOT, "in_sweep_over_loop between %.3g and %.3g at every batch size",
                1 / MAX_IN_SWEEP_FACTOR, MAX_IN_SWEEP_FACTOR);
        if (inSweep == null) {
            return notTested("in_sweep_step_as_alone", IN_SWEEP, "no breakdown in this run", expected);
        }
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (Map.Entry<Integer, Double> e : inSweep.entrySet()) {
            Step alone = steps.stream().filter(s -> s.net().equals(net) && s.dtype().equals(dtype)
                    && s.batch() == e.getKey()).findFirst().orElse(null);
            if (alone != null) {
                double ratio = e.getValue() / alone.loopAfterMs();
                holds &= ratio <= MAX_IN_SWEEP_FACTOR && ratio >= 1 / MAX_IN_SWEEP_FACTOR;
                parts.add(String.format(Locale.ROOT, "B=%d: %.3g ms in the sweep, %.3g ms alone (%.3gx)", e.getKey(),
                        e.getValue(), alone.loopAfterMs(), ratio));
            }
        }
        if (parts.isEmpty()) {
            return notTested("in_sweep_step_as_alone", IN_SWEEP, "the step cells time none of the breakdown's "
                    + "batch sizes " + inSweep.keySet() + " on " + net + " " + dtype, expected);
        }
        return Claim.finding("in_sweep_step_as_alone", IN_SWEEP, net + " " + dtype + ": " + String.join("; ", parts),
                expected, holds, "median ms per update against the factor " + MAX_IN_SWEEP_FACTOR + WINDOWS);
    }

    private static double median(List<Step> steps, ToDoubleFunction<Step> f) {
        return Windows.median(steps.stream().mapToDouble(f).toArray());
    }
}
