package gdlab.experiment.failure;

import gdlab.report.Claim;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** failure-modes' claims on a made-up cell: an integrity check that does not hold fails the run. */
class FailureModesClaimsTest {
    /** A Rosenbrock cell of part 5 as it comes back from the harness (every other part left out of the run). */
    static CellResult rosenbrock(double lr, String outcome, String refOutcome, String agreement) {
        FailureModes fm = new FailureModes();
        Map<String, Object> m = Map.of("outcome", outcome, "ref_outcome", refOutcome, "lr_bound", 2 / 1001.6,
                "initial_value", 24.2, "final_value", 0.0, "ref_final_value", 0.0, "engines_agree",
                agreement.equals("no") ? 0 : 1, "agreement", agreement);
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        fm.metrics().forEach(metric -> values.put(metric.name(), m.get(metric.name())));
        return new CellResult(new Cell(0, Part.coords("step-size", "rosenbrock", "sgd", lr,
                "-", "start=(-1.2, 1)", "-")), CellResult.Status.OK, "", values, List.of());
    }

    @Test
    void aDl4jReferenceDisagreementOrATheoryViolationFailsTheRunAndALeftOutPartIsNotTested() {
        Report ok = new FailureModes().summarize(List.of(rosenbrock(0.001, "converged", "converged", "yes")));
        assertThat(ok.fails()).isFalse();
        assertThat(ok.claims()).filteredOn(c -> c.id().equals("step_size_engines_agree")).singleElement()
                .extracting(Claim::verdict).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(ok.claims()).filteredOn(c -> c.id().equals("dl4j_ends_with_reference")).singleElement()
                .extracting(Claim::verdict).isEqualTo(Claim.Verdict.NOT_TESTED);

        Report disagree = new FailureModes().summarize(List.of(rosenbrock(0.001, "converged", "diverged", "no")));
        assertThat(disagree.fails()).isTrue();
        assertThat(disagree.claims()).filteredOn(Claim::failsTheRun).extracting(Claim::id)
                .containsExactly("step_size_engines_agree");

        Report beyondBound = new FailureModes().summarize(List.of(rosenbrock(0.01, "converged", "converged", "yes")));
        assertThat(beyondBound.fails()).isTrue();
        assertThat(beyondBound.claims()).filteredOn(Claim::failsTheRun).extracting(Claim::id)
                .containsExactly("rosenbrock_stability_bound");
    }
}
