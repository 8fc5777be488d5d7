package gdlab.bench;

import gdlab.report.Claim;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** bench's claims on made-up measurements: each threshold judged as the hypothesis states it, and what is untested. */
class BenchClaimsTest {
    /** A step row whose reference, gemm and loop times are given as ratios of fit's. */
    static BenchClaims.Step step(String net, int batch, double fit, double dl4jOverReference, double gemmShare,
                                 double loopOverhead) {
        return new BenchClaims.Step(net, batch, "float", fit, fit / dl4jOverReference, fit * gemmShare,
                fit * (1 + loopOverhead));
    }

    /** A grid on which every step claim holds: the reference wins but on 784-100-10 at B >= 256. */
    static List<BenchClaims.Step> good() {
        return List.of(step("64-32-10", 1, 1.0, 100, 0.1, 0.02), step("64-32-10", 32, 1.0, 5, 0.2, -0.01),
                step("784-100-10", 256, 2.0, 0.2, 0.55, 0.05), step("784-100-10", 1024, 6.0, 0.1, 0.6, 0.03));
    }

    /** A sweep's values with these cells per minute' wall times (ms) for local 1 and 2 workers and processes 2. */
    static BenchClaims.Sweep sweep(double local1, double local2, double processes2, double harnessShare) {
        Map<String, Double> m = new HashMap<>();
        m.put("sweep_cells", 4.0);
        m.put("local_w1_wall_ms", local1);
        m.put("local_w2_wall_ms", local2);
        m.put("processes_w2_wall_ms", processes2);
        m.put("local_w1_cell_sum_ms", local1 * (1 - harnessShare));
        m.put("local_w1_training_sum_ms", local1 * (1 - harnessShare) * 0.9);
        for (String k : List.of("prepare_ms", "summarize_ms", "rest_ms", "plots_ms")) {
            m.put("local_w1_" + k, 1.0);
        }
        return new BenchClaims.Sweep(c -> m.containsKey(c) ? m.get(c) : SweepPart.derived(m::get, c),
                List.of("local", "processes"), 2, 0.5);
    }

    static Map<String, Claim.Verdict> verdicts(List<Claim> claims) {
        Map<String, Claim.Verdict> v = new java.util.LinkedHashMap<>();
        claims.forEach(c -> v.put(c.id(), c.verdict()));
        return v;
    }

    @Test
    void theHypothesisIsTheClaimsInOrder() {
        List<Claim> claims = BenchClaims.of(List.of(), null, null, "64-32-10", "float");
        assertThat(Claim.hypothesis(claims)).isEqualTo(
                gdlab.spec.SpecFile.read(Path.of("experiments/bench.properties")).hypothesis());
        assertThat(claims).allSatisfy(c -> {
            assertThat(c.kind()).isEqualTo(Claim.Kind.FINDING);
            assertThat(c.verdict()).isEqualTo(Claim.Verdict.NOT_TESTED);
        });
    }

    @Test
    void everyClaimHoldsOnAGoodRun() {
        List<Claim> claims = BenchClaims.of(good(), sweep(60_000, 50_000, 30_000, 0.01), Map.of(1, 1.1, 32, 0.9),
                "64-32-10", "float");
        assertThat(verdicts(claims).values()).containsOnly(Claim.Verdict.HOLDS);
        assertThat(claims).noneMatch(Claim::failsTheRun);
    }

    /** gemm alone slower than the fit that contains its products cannot be: the claim names the row. */
    @Test
    void aGemmSlowerThanItsFitIsNamedAsATimingNotToTrust() {
        List<BenchClaims.Step> steps = new java.util.ArrayList<>(good());
        steps.set(0, step("784-100-10", 1, 0.519, 0.93, 1.63, 0.05));
        assertThat(BenchClaims.gemm(steps).measured()).contains("not to trust").contains("784-100-10 B=1 float");
        assertThat(BenchClaims.gemm(good()).measured()).doesNotContain("not to trust");
        assertThat(BenchClaims.gemm(good()).support()).contains("medians of timed windows");
    }

    @Test
    void aValueBeyondItsThresholdDoesNotHold() {
        List<BenchClaims.Step> steps = new java.util.ArrayList<>(good());
        steps.set(2, step("784-100-10", 256, 2.0, 0.2, 0.45, 0.05));   // gemm_share 45% < 50%
        assertThat(BenchClaims.gemm(steps).verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(BenchClaims.gemm(steps).measured()).startsWith("1 of 2 rows").contains("784-100-10 B=256");
        steps.set(1, step("64-32-10", 32, 1.0, 0.8, 0.2, -0.01));     // DL4J faster on a small net
        assertThat(BenchClaims.floor(steps).verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        List<BenchClaims.Step> slowLoop = good().stream().map(s -> new BenchClaims.Step(s.net(), s.batch(),
                s.dtype(), s.fitMs(), s.referenceMs(), s.gemmMs(), s.fitMs() * 1.2)).toList();
        assertThat(BenchClaims.loop(slowLoop).verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);

        Map<String, Claim.Verdict> v = verdicts(BenchClaims.of(good(), sweep(60_000, 30_000, 50_000, 0.05),
                Map.of(1, 2.0), "64-32-10", "float"));
        assertThat(v).containsEntry("harness_share", Claim.Verdict.DOES_NOT_HOLD)          // 5% >= 3%
                .containsEntry("worker_jvms_scale", Claim.Verdict.DOES_NOT_HOLD)           // 1.2x < 1.6x
                .containsEntry("in_process_workers_do_not", Claim.Verdict.DOES_NOT_HOLD)   // 2x >= 1.6x
                .containsEntry("in_sweep_step_as_alone", Claim.Verdict.DOES_NOT_HOLD);     // 2.0 / 1.02 > 1.5
    }

    @Test
    void aRunWithoutThePartLeavesItsClaimUntested() {
        List<BenchClaims.Step> quick = List.of(step("4-10-3", 1, 1.0, 800, 0.1, 0.3),
                step("64-32-10", 32, 1.0, 10, 0.06, -0.2));
        Map<String, Claim.Verdict> v = verdicts(BenchClaims.of(quick, null, Map.of(320, 1.0), "64-32-10",
                "float"));
        assertThat(v).containsEntry("dl4j_floor", Claim.Verdict.NOT_TESTED)
                .containsEntry("gemm_share", Claim.Verdict.NOT_TESTED)
                .containsEntry("loop_adds_little", Claim.Verdict.HOLDS)
                .containsEntry("harness_share", Claim.Verdict.NOT_TESTED)
                .containsEntry("worker_jvms_scale", Claim.Verdict.NOT_TESTED)
                .containsEntry("in_sweep_step_as_alone", Claim.Verdict.NOT_TESTED);
    }
}
