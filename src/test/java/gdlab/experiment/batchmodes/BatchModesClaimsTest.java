package gdlab.experiment.batchmodes;

import gdlab.report.Claim;
import gdlab.report.Metric;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** batch-modes' claims on made-up groups of seeds: what counts as a result, what as seed noise, what as untested. */
class BatchModesClaimsTest {
    static final int N = 320;
    static final int MAX_EPOCHS = 10;
    static final long BYTES = 424;

    /**
     * One seed's cell: epoch time, epochs to the target (null: not reached) and time to it, loss_noise_cv. Every other
     * metric as a correct run has it.
     */
    static CellResult cell(String mode, int b, int seed, double epochMs, Integer epochs, double noiseCv) {
        Map<String, String> coords = new LinkedHashMap<>();
        coords.put("mode", mode);
        coords.put("batch_size", String.valueOf(b));
        coords.put("lr_ratio", "0.5");
        coords.put("lr", "0.1");
        coords.put("seed", String.valueOf(seed));
        int updates = (N + b - 1) / b;
        Map<String, Object> metrics = Metric.values(BatchModes.DECLARED).put("n_train", N)
                .put("updates_per_epoch", updates).put("epochs_run", MAX_EPOCHS).put("epoch_time_ms", epochMs)
                .put("epochs_to_target", epochs)
                .put("updates_to_target", epochs == null ? null : (long) epochs * updates)
                .put("time_to_target_ms", epochs == null ? null : epochs * epochMs).put("final_train_loss", 0.1)
                .put("test_accuracy", 0.9).put("loss_noise_std", noiseCv / 10).put("loss_noise_cv", noiseCv)
                .put("loss_rises", switch (mode) {
                    case "batch" -> 0;
                    case "mini-batch" -> 1;
                    default -> 2;
                })
                .put("activation_bytes", b * BYTES).put("tuned_lr_ratio", null).put("curve_tries", null).map();
        return new CellResult(new Cell(seed, coords), CellResult.Status.OK, "", metrics, List.of());
    }

    /** Rates whose DL4J lambda_max is {@code dl4j} and whose reference Rayleigh quotient is {@code reference}. */
    static ModeRates rates(double dl4j, double reference) {
        return new ModeRates("crit", new gdlab.dl4j.NetSharpness.Estimate(dl4j, 12, true, N, new double[0],
                new double[0]), reference, null);
    }

    static Map<String, Claim> claims(List<CellResult> cells) {
        Map<String, Claim> byId = new LinkedHashMap<>();
        BatchModesClaims.of(SeedGroup.of(cells), N, MAX_EPOCHS, BYTES, rates(2.0, 2.001)).forEach(c -> byId.put(c.id(), c));
        return byId;
    }

    /** The textbook picture, two seeds each, the modes far apart. */
    static List<CellResult> clear(Integer batchEpochs1, Integer batchEpochs2) {
        return List.of(
                cell("batch", N, 1, 8, batchEpochs1, Double.NaN), cell("batch", N, 2, 8.2, batchEpochs2, Double.NaN),
                cell("stochastic", 1, 1, 750, 3, 2.4), cell("stochastic", 1, 2, 760, 3, 2.5),
                cell("mini-batch", 32, 1, 20, 2, 0.36), cell("mini-batch", 32, 2, 21, 2, 0.37));
    }

    @Test
    void theTextbookPictureHoldsEveryClaim() {
        Map<String, Claim> claims = claims(clear(8, 8));
        assertThat(claims.values()).allSatisfy(c -> assertThat(c.verdict()).as(c.toString())
                .isEqualTo(Claim.Verdict.HOLDS));
        assertThat(claims.get("stochastic_slowest_epochs").measured()).contains("timings are this machine's")
                .contains("95% intervals (2 seeds) apart");
    }

    @Test
    void batchThatNeverReachesTheTargetNeedsTheMostEpochs() {
        Claim most = claims(clear(null, null)).get("batch_most_epochs");
        assertThat(most.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(most.measured()).startsWith("batch 11 (0/2 reached) vs stochastic 3, mini-batch B=32 2");
    }

    @Test
    void aDifferenceWithinSeedNoiseIsNotDistinguishable() {
        // batch's mean is the highest, but its two seeds (3 and 9) spread over the others' 3 and 2
        Claim most = claims(clear(3, 9)).get("batch_most_epochs");
        assertThat(most.verdict()).isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(most.support()).contains("batch vs stochastic: 95% CIs overlap");
        assertThat(most.measured()).contains("batch 6 vs").contains("overlap with stochastic, mini-batch B=32")
                .contains("within seed noise");
    }

    @Test
    void oneSeedHasNoIntervalSoNoVerdict() {
        List<CellResult> oneSeed = clear(8, 8).stream().filter(r -> r.cell().get("seed").equals("1")).toList();
        Claim noisiest = claims(oneSeed).get("stochastic_noisiest_loss");
        assertThat(noisiest.verdict()).isEqualTo(Claim.Verdict.NOT_TESTED);
        assertThat(noisiest.measured()).contains("1 seed: no 95% interval, seed noise unknown");
    }

    @Test
    void aSeedSlowedByALoadedMachineIsComparedAsARatio() {
        // a default run on a shared 2-core machine: stochastic epochs of 3.8 s, 3.8 s and 1.2 s
        List<CellResult> cells = new ArrayList<>(clear(8, 8));
        cells.set(2, cell("stochastic", 1, 1, 3768, 3, 2.4));
        cells.set(3, cell("stochastic", 1, 2, 3849, 3, 2.5));
        cells.add(cell("stochastic", 1, 3, 1196, 3, 2.45));
        // on the arithmetic scale the three seeds' interval reaches below mini-batch's 20 ms
        assertThat(gdlab.report.Stats.of(new double[]{3768, 3849, 1196}).ciLow()).isLessThan(20);
        Claim slowest = claims(cells).get("stochastic_slowest_epochs");
        assertThat(slowest.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(slowest.measured()).isEqualTo("stochastic 2589 vs batch 8.099, mini-batch B=32 20.49 ms "
                + "(geometric means, compared as log times); 95% intervals (2 seeds) apart; "
                + "timings are this machine's");
    }

    @Test
    void stochasticSlowToTheTargetFailsFewEpochsAndMiniBatchWithinOneEpoch() {
        List<CellResult> cells = new ArrayList<>(clear(8, 8));
        cells.set(2, cell("stochastic", 1, 1, 750, 6, 2.4));
        cells.set(3, cell("stochastic", 1, 2, 760, null, 2.5));
        cells.set(4, cell("mini-batch", 32, 1, 20, 9, 0.36));
        cells.set(5, cell("mini-batch", 32, 2, 21, 9, 0.37));
        Map<String, Claim> claims = claims(cells);
        assertThat(claims.get("stochastic_few_epochs").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(claims.get("stochastic_few_epochs").measured()).isEqualTo(
                "epochs to target per seed: 6, not reached in 10");
        // stochastic counts 6 and 11 (not reached): mean 8.5; mini-batch's 9 is within 1 epoch of it
        assertThat(claims.get("mini_batch_epochs_near_stochastic").verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(claims.get("mini_batch_epochs_near_stochastic").measured())
                .startsWith("mini-batch B=32 9 vs stochastic 8.5 (1/2 reached) (difference 0.5;");
    }

    @Test
    void miniBatchThatMissesTheTargetIsNotAFractionOfTheTime() {
        List<CellResult> cells = new ArrayList<>(clear(8, 8));
        cells.set(5, cell("mini-batch", 32, 2, 21, null, 0.37));
        Claim faster = claims(cells).get("mini_batch_fraction_of_time");
        assertThat(faster.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(faster.measured()).startsWith("mini-batch B=32 reached it in 1/2 seeds");
    }

    @Test
    void everyMiniBatchSizeIsChecked() {
        List<CellResult> cells = new ArrayList<>(clear(8, 8));
        cells.add(cell("mini-batch", 128, 1, 10, 6, 0.1));
        cells.add(cell("mini-batch", 128, 2, 10, 6, 0.1));
        Map<String, Claim> claims = claims(cells);
        Claim near = claims.get("mini_batch_epochs_near_stochastic");
        assertThat(near.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(near.measured()).contains("mini-batch B=32 2 vs stochastic 3").contains("mini-batch B=128 6 vs");
        assertThat(claims.get("updates_per_epoch").measured())
                .isEqualTo("batch 1, stochastic 320, mini-batch B=32 10, mini-batch B=128 3");
    }

    @Test
    void claimsOfMissingModesAreNotTestedWithWhy() {
        List<CellResult> noStochastic = clear(8, 8).stream()
                .filter(r -> !r.cell().get("mode").equals("stochastic")).toList();
        Map<String, Claim> claims = claims(noStochastic);
        assertThat(claims.get("batch_most_epochs").verdict()).isEqualTo(Claim.Verdict.HOLDS);
        for (String id : List.of("stochastic_noisiest_loss", "stochastic_few_epochs", "stochastic_slowest_epochs",
                "mini_batch_epochs_near_stochastic", "mini_batch_fraction_of_time")) {
            assertThat(claims.get(id).verdict()).as(id).isEqualTo(Claim.Verdict.NOT_TESTED);
            assertThat(claims.get(id).measured()).as(id).contains("no stochastic cell").contains("batch_size 1");
        }
    }

    @Test
    void theHypothesisIsTheClaimsInOrder() {
        List<Claim> claims = BatchModesClaims.of(SeedGroup.of(clear(8, 8)), N, MAX_EPOCHS, BYTES, rates(2.0, 2.001));
        assertThat(Claim.hypothesis(claims)).isEqualTo(
                gdlab.spec.SpecFile.read(java.nio.file.Path.of("experiments/batch-modes.properties")).hypothesis());
    }

    /** {@code r} as the same cell at another lr_ratio, with another status. */
    static CellResult at(CellResult r, String ratio, CellResult.Status status) {
        Map<String, String> coords = new LinkedHashMap<>(r.coords());
        coords.put("lr_ratio", ratio);
        return new CellResult(new Cell(r.cell().index(), coords), status, "", r.metrics(), List.of());
    }

    @Test
    void aDivergedBatchSeedBelowTheCriticalRateRefutesTheClaim() {
        List<CellResult> cells = new java.util.ArrayList<>(clear(8, 8));
        assertThat(claims(cells).get("batch_below_crit_stable").measured())
                .isEqualTo("lr_ratio 0.5 (lr 0.1): 0 of 2 seeds diverged");
        cells.set(1, at(cells.get(1), "0.5", CellResult.Status.DIVERGED));
        Claim below = claims(cells).get("batch_below_crit_stable");
        assertThat(below.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(below.measured()).isEqualTo("lr_ratio 0.5 (lr 0.1): 1 of 2 seeds diverged");

        cells.replaceAll(r -> r.cell().get("mode").equals("batch") ? at(r, "2", r.status()) : r);
        Claim above = claims(cells).get("batch_below_crit_stable");
        assertThat(above.verdict()).isEqualTo(Claim.Verdict.NOT_TESTED);
        assertThat(above.measured()).contains("no batch group with lr_ratio < 1 (lr_ratio 2)");
    }

    @Test
    void aSharpnessTheReferenceDoesNotShareFailsTheRun() {
        Claim agrees = BatchModesClaims.sharpnessReference(rates(2.0, 2.001));
        assertThat(agrees.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(agrees.measured()).isEqualTo("DL4J 2 vs reference 2.001 (relative difference 5.000e-04)");
        Claim off = BatchModesClaims.sharpnessReference(rates(2.0, 2.05));
        assertThat(off.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(off.failsTheRun()).isTrue();
    }
}
