package gdlab.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaimTest {
    static final Claim EQUAL = Claim.integrity("dl4j_equals_reference", "DL4J's step equals the reference's.",
            "max rel diff 3e-16", "<= 1e-12", true);
    static final Claim ESCAPES = Claim.finding("sgd_escapes", "SGD escapes local minima.", "2 of 5 settings",
            "all settings", false);

    @Test
    void onlyAnIntegrityCheckThatDoesNotHoldFailsTheRun() {
        Claim broken = Claim.integrity("dl4j_equals_reference", "DL4J's step equals the reference's.",
                "max rel diff 2e-3", "<= 1e-12", false);
        assertThat(EQUAL.failsTheRun()).isFalse();
        assertThat(ESCAPES.failsTheRun()).as("a finding is a result").isFalse();
        assertThat(broken.failsTheRun()).isTrue();
        assertThat(Claim.markdown(List.of(broken, ESCAPES))).contains("0 of 2 claims hold; **1 integrity check FAILS**")
                .contains("| **FAILS**").contains("| does not hold");
    }

    @Test
    void claimsCsvHasOneRowPerClaimWithItsVerdict() {
        List<java.util.Map<String, String>> rows = Csv.rows(Claim.table(List.of(EQUAL, ESCAPES)).toCsv());
        assertThat(rows).extracting(r -> r.get("claim") + "/" + r.get("kind") + "/" + r.get("verdict"))
                .containsExactly("dl4j_equals_reference/integrity/holds", "sgd_escapes/finding/does not hold");
        assertThat(Claim.markdown(List.of(EQUAL))).contains("1 of 1 claims hold; every integrity check passes");
    }

    @Test
    void idsAreSnakeCaseAndStatementsNonEmpty() {
        assertThatThrownBy(() -> Claim.finding("Bad Id", "x", "", "", true))
                .hasMessageContaining("snake_case");
        assertThatThrownBy(() -> Claim.finding("ok", " ", "", "", true)).hasMessageContaining("no statement");
    }

    @Test
    void aHypothesisWrittenAsClaimsParsesBackToItsSentences() {
        String h = Claim.hypothesis(List.of(EQUAL, ESCAPES));
        assertThat(h).isEqualTo("You should see: [dl4j_equals_reference] DL4J's step equals the reference's. "
                + "[sgd_escapes] SGD escapes local minima.");
        assertThat(Claim.sentences(h)).containsExactly(
                java.util.Map.entry("dl4j_equals_reference", "DL4J's step equals the reference's."),
                java.util.Map.entry("sgd_escapes", "SGD escapes local minima."));
        assertThat(Claim.sentences("You should see batch GD make 1 update per epoch.")).isEmpty();
    }

    @Test
    void aComparisonWhoseIntervalsOverlapIsNotDistinguishable() {
        Stats shuffled = Stats.of(new double[] {0.20, 0.23});
        Stats sorted = Stats.of(new double[] {0.21, 0.24});
        Claim overlap = Claim.comparison("sorted_worse", "Sorted ends worse.", "0.225 vs 0.215", "sorted higher",
                sorted.mean() > shuffled.mean(), Support.apart(sorted, shuffled), Support.intervals(sorted, shuffled));
        assertThat(overlap.verdict()).isEqualTo(Claim.Verdict.NOT_DISTINGUISHABLE);
        assertThat(overlap.support()).startsWith("95% CIs overlap: [");

        Stats far = Stats.of(new double[] {0.90, 0.91, 0.92});
        Claim apart = Claim.comparison("sorted_worse", "Sorted ends worse.", "", "sorted higher",
                far.mean() > shuffled.mean(), Support.apart(far, shuffled), Support.intervals(far, shuffled));
        assertThat(apart.verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(apart.support()).startsWith("95% CIs apart: [");
        assertThat(Claim.comparison("x", "X.", "", "", false, true, "s").verdict())
                .isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
    }

    @Test
    void theSupportColumnIsInClaimsCsvAndTheChecksTable() {
        Claim backed = EQUAL.withSupport("bound 1e-12");
        assertThat(Csv.rows(Claim.table(List.of(backed, ESCAPES)).toCsv())).extracting(r -> r.get("support"))
                .containsExactly("bound 1e-12", "");
        assertThat(Claim.markdown(List.of(backed))).contains("| verdict | support")
                .contains("| holds   | bound 1e-12 |");
    }

    @Test
    void mcnemarNeedsSixPairsToReachSignificance() {
        assertThat(Support.smallestMcnemarP(3)).isEqualTo(0.25);
        assertThat(Support.mcnemarCanReach(5)).isFalse();
        assertThat(Support.mcnemarCanReach(6)).isTrue();
        assertThat(Support.mcnemar(9, 0)).startsWith("McNemar p = 0.0039");
    }
}
