package gdlab.experiment.learningrate;

import gdlab.experiment.RunFiles;
import gdlab.report.Claim;
import gdlab.report.Figure;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static gdlab.experiment.RunFiles.claim;
import static gdlab.experiment.RunFiles.quick;
import static gdlab.experiment.RunFiles.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * learning-rate's claims on its quick run and on perturbed copies of it: every verdict has its support, the batch
 * sizes are compared for divergence at equal updates, and each comparison can go either way.
 */
class LearningRateClaimsTest {
    @TempDir
    static Path dir;
    static List<CellResult> clean;
    static Report report;

    @BeforeAll
    static void runQuick() throws IOException {
        LearningRateTest.run(dir, Map.of(), 0);
        clean = RunFiles.results(dir.resolve("learning-rate/latest"), new LearningRate());
        report = summarize(clean);
    }

    static Report summarize(List<CellResult> results) {
        return quick(new LearningRate()).summarize(results);
    }

    static Predicate<CellResult> sweep(String problem, String batch, double ratio) {
        return r -> r.cell().get("task").equals("sweep") && r.cell().get("problem").equals(problem)
                && r.cell().get("batch_size").equals(batch) && r.cell().real("lr_ratio") == ratio;
    }

    /** {@code results} with {@code change} applied to the cells {@code which} picks (at least one). */
    static List<CellResult> changed(List<CellResult> results, Predicate<CellResult> which,
                                    java.util.function.UnaryOperator<CellResult> change) {
        assertThat(results).anyMatch(which);
        List<CellResult> out = new ArrayList<>(results);
        out.replaceAll(r -> which.test(r) ? change.apply(r) : r);
        return out;
    }

    /** The run blown up after its first epoch: every later loss 1e6 (as if its loss had exploded). */
    static CellResult blownUp(CellResult r) {
        List<List<Object>> curve = new ArrayList<>();
        for (List<Object> row : r.curve()) {
            List<Object> copy = new ArrayList<>(row);
            if (((Number) copy.get(LearningRate.CURVE.indexOf("epoch"))).intValue() >= 1) {
                copy.set(LearningRate.CURVE.indexOf("train_loss"), 1e6);
            }
            curve.add(copy);
        }
        return new CellResult(r.cell(), CellResult.Status.DIVERGED, "blown up", with(r, "regime", "diverged")
                .metrics(), curve);
    }

    /** A second seed of every sweep cell with the same results: seeds that agree give zero-width intervals. */
    static List<CellResult> twoSeeds(List<CellResult> results) {
        List<CellResult> out = new ArrayList<>(results);
        for (CellResult r : results) {
            if (r.cell().get("task").equals("sweep")) {
                Map<String, String> coords = new LinkedHashMap<>(r.cell().coords());
                coords.put("seed", "2");
                out.add(new CellResult(new Cell(r.cell().index() + 1000, coords), r.status(), r.message(),
                        r.metrics(), r.curve()));
            }
        }
        return out;
    }

    @Test
    void everyVerdictHasItsSupport() {
        assertThat(report.claims()).allSatisfy(c -> assertThat(c.support()).as(c.id()).isNotBlank());
        assertThat(claim(report, "divergence_edge").support()).contains("within 1 ± 0.02");
        assertThat(claim(report, "dl4j_matches_reference").support()).startsWith("bound 1.000e-07");
        assertThat(claim(report, "too_slow_up_to_1e_2").support()).contains("8/8 runs").contains("binomial 95% CI");
        // one seed per point: 3 runs above lr_crit and 4 below cannot tell 100% from 0% at 95%
        Claim above = claim(report, "full_batch_diverges_above_crit");
        assertThat(above.verdict()).isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(above.support()).contains("(3/3)").contains("(0/4)").contains("overlap");
    }

    @Test
    void aRateOutsideItsBoundFailsTheRunAndARunAgainstAFindingRefutesIt() {
        List<CellResult> slowRate = changed(clean, r -> r.cell().get("task").equals("best-lr"),
                r -> with(r, "measured_rate", r.number("predicted_rate") + 0.02));
        Report wrong = summarize(slowRate);
        assertThat(claim(wrong, "best_rate").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(claim(wrong, "best_rate").support()).contains("within ± 0.01");
        assertThat(wrong.fails()).isTrue();
        // a run at 1e-4 x lr_crit that converged: too_slow_up_to_1e_2 does not hold, 7 of its 8 runs too-slow
        List<CellResult> fast = changed(clean, sweep("quadratic", "100", 1e-4), r -> with(r, "regime", "converged"));
        Claim slow = claim(summarize(fast), "too_slow_up_to_1e_2");
        assertThat(slow.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(slow.support()).startsWith("7/8 runs too-slow");
    }

    @Test
    void batchSizesAreComparedForDivergenceAtEqualUpdates() {
        Claim c = claim(report, "smaller_batches_diverge_sooner");
        // full batch: 100 steps, B=16: 5 epochs of 7 updates; both judged at 35
        assertThat(c.measured()).contains("quadratic B=100 vs B=16 at 35 updates each (budgets 100 and 35)")
                .contains("first diverging lr_ratio 1.05 vs 3 (the smaller batch later)")
                .contains("digits-mlp B=200 vs B=16 at 65 updates each");
        assertThat(c.support()).contains("edge brackets on the grid (0.9, 1.05] vs (1.05, 3]: apart");
        assertThat(c.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(report.markdown()).contains("### Where each batch size first diverges, at equal numbers of updates")
                .contains("the smaller batch diverges at a **larger** learning rate (first at 3 x lr_crit against "
                        + "1.05 x, 35 updates each): the hypothesis that smaller batches diverge at smaller learning "
                        + "rates does not hold here.");
    }

    @Test
    void smallerBatchesDivergingSoonerCanHoldOrBeUndecided() {
        // B=16 blown up at 1.05 too: both edges in (0.9, 1.05], the grid cannot tell them apart
        List<CellResult> tied = changed(clean, sweep("quadratic", "16", 1.05), LearningRateClaimsTest::blownUp);
        Claim undecided = claim(summarize(tied), "smaller_batches_diverge_sooner");
        assertThat(undecided.verdict()).isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(undecided.support()).contains("(0.9, 1.05] vs (0.9, 1.05]: overlap");
        // and at 0.9: B=16's edge in (0.5, 0.9], below full batch's
        List<CellResult> sooner = changed(tied, sweep("quadratic", "16", 0.9), LearningRateClaimsTest::blownUp);
        Claim holds = claim(summarize(sooner), "smaller_batches_diverge_sooner");
        assertThat(holds.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(holds.support()).contains("(0.9, 1.05] vs (0.5, 0.9]: apart");
    }

    @Test
    void aDivergedRunBelowTheCriticalRateRefutesTheFullBatchClaim() {
        List<CellResult> wrong = changed(clean, sweep("quadratic", "100", 0.5), LearningRateClaimsTest::blownUp);
        Claim c = claim(summarize(wrong), "full_batch_diverges_above_crit");
        assertThat(c.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(c.support()).startsWith("counterexample: quadratic B=100 x0.5 diverged");
        // with two seeds per point (that agree) the shares are told apart: 6/6 above, 0/8 below
        Claim twice = claim(summarize(twoSeeds(clean)), "full_batch_diverges_above_crit");
        assertThat(twice.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(twice.support()).contains("(6/6)").contains("(0/8)").endsWith("apart");
    }

    @Test
    void theMlpBestLrDiffersOnlyWithAnIntervalAndNamesAGridEdge() {
        Claim one = claim(report, "mlp_best_lr_differs");
        assertThat(one.verdict()).isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(one.measured()).isEqualTo("best lr_ratio on the grid: B=200 x3, B=16 x0.9");
        assertThat(one.support()).contains("one seed gives no interval");
        // two seeds that agree: zero-width intervals, x3 beats x0.9 at B=200 (8 against 15 epochs)
        Claim two = claim(summarize(twoSeeds(clean)), "mlp_best_lr_differs");
        assertThat(two.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(two.support()).contains("B=200 x3 vs x0.9, epochs_to_target 8 vs 15: 95% CIs apart");
        // full batch converging at x10 in 2 epochs: its best is the grid's largest lr, and the claim says so
        List<CellResult> edge = changed(clean, sweep("digits-mlp", "200", 10), r -> new CellResult(r.cell(),
                CellResult.Status.OK, "", with(with(with(r, "regime", "converged"), "epochs_to_target", 2),
                "final_loss", 0.01).metrics(), r.curve()));
        Report edged = summarize(edge);
        assertThat(claim(edged, "mlp_best_lr_differs").measured()).contains("B=200 x10 (the grid's largest lr: the "
                + "best may lie above it)");
        assertThat(edged.markdown().lines().filter(l -> l.startsWith("| digits-mlp | batch") && l.contains("8.859")))
                .singleElement().satisfies(l -> assertThat(l.replaceAll(" +", " ")).contains("| 10 | largest lr |"));
    }

    @Test
    void theLossFigureDrawsAndMarksTheBestLr() {
        Figure.Lines f = (Figure.Lines) report.figures().stream().filter(x -> x.name()
                .equals("final-loss-vs-lr-quadratic")).findFirst().orElseThrow();
        Figure.Series batch = f.series().stream().filter(s -> s.name().equals("batch (B=100)")).findFirst()
                .orElseThrow();
        // the best full-batch lr (0.9 x) ends with a gap written as 0: drawn at the floor, not dropped by the log axis
        assertThat(java.util.Arrays.stream(batch.y()).min().orElseThrow())
                .isGreaterThanOrEqualTo(LearningRateSummary.PLOT_FLOOR);
        Figure.Series best = f.series().stream().filter(s -> s.name().equals("best lr, batch (B=100)")).findFirst()
                .orElseThrow();
        assertThat(best.x()).containsExactly(0.9);
        assertThat(best.y()).containsExactly(LearningRateSummary.PLOT_FLOOR);
        assertThat(best.markersOnly()).isTrue();
    }
}
