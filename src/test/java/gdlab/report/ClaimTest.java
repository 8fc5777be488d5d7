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
}
