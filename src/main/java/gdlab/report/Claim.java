package gdlab.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One sentence of an experiment's hypothesis, checked against the run's results.
 *
 * <p>Two kinds. An {@link Kind#INTEGRITY} check says gdlab or DL4J computes what it should (DL4J equals the
 * reference, a table agrees with the textbook): when it does not hold, the run exits with status 1. A
 * {@link Kind#FINDING} is what the experiment found (SGD escaped the local minima in 2 of 5 settings): it holds
 * or does not, and either is a result, never an error.
 *
 * @param id        short snake_case name, stable between runs (claims.csv's key)
 * @param kind      integrity check or finding
 * @param statement the sentence, as the hypothesis says it
 * @param measured  what the run measured, in words and numbers
 * @param expected  what would make the statement hold
 * @param verdict   holds, does not hold, not distinguishable (a comparison whose test or interval does not
 *                  exclude "no difference"), or not tested (the run lacks the cells it needs, or its design cannot
 *                  reach significance)
 * @param support   the test or interval behind the verdict and its value ("95% CIs apart: [0.21, 0.23] vs
 *                  [0.19, 0.20]", "McNemar p = 0.004", "bound 1e-12", "exact equality"); empty when not tested
 */
public record Claim(String id, Kind kind, String statement, String measured, String expected, Verdict verdict,
                    String support) {

    public enum Kind {
        INTEGRITY, FINDING;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Verdict {
        HOLDS, DOES_NOT_HOLD, NOT_DISTINGUISHABLE, NOT_TESTED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public Claim {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(verdict, "verdict");
        support = support == null ? "" : support;
        if (!id.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("claim ids are snake_case, got '" + id + "'");
        }
        if (statement.isBlank()) {
            throw new IllegalArgumentException("claim " + id + " has no statement");
        }
    }

    /** A claim without its support (an empty support column): the form before claims said what backs them. */
    public Claim(String id, Kind kind, String statement, String measured, String expected, Verdict verdict) {
        this(id, kind, statement, measured, expected, verdict, "");
    }

    public static Claim integrity(String id, String statement, String measured, String expected, boolean holds) {
        return integrity(id, statement, measured, expected, holds, "");
    }

    /** An integrity check with its support: the bound or equality it is checked against ("bound 1e-12"). */
    public static Claim integrity(String id, String statement, String measured, String expected, boolean holds,
                                  String support) {
        return new Claim(id, Kind.INTEGRITY, statement, measured, expected,
                holds ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, support);
    }

    public static Claim finding(String id, String statement, String measured, String expected, boolean holds) {
        return finding(id, statement, measured, expected, holds, "");
    }

    /** A finding with its support: the test, interval, bound or count behind the verdict. */
    public static Claim finding(String id, String statement, String measured, String expected, boolean holds,
                                String support) {
        return new Claim(id, Kind.FINDING, statement, measured, expected,
                holds ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, support);
    }

    /**
     * A finding that compares groups: {@code holds} (or {@code does not hold}) only when the test or interval in
     * {@code support} excludes "no difference" ({@code distinguishable}); otherwise {@code not distinguishable},
     * with the numbers.
     *
     * @param asStated        whether the observed difference goes the way the statement says
     * @param distinguishable whether the test or interval excludes "no difference"
     */
    public static Claim comparison(String id, String statement, String measured, String expected, boolean asStated,
                                   boolean distinguishable, String support) {
        return new Claim(id, Kind.FINDING, statement, measured, expected,
                !distinguishable ? Verdict.NOT_DISTINGUISHABLE : asStated ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD,
                support);
    }

    /** This claim with {@code support} in place of its own. */
    public Claim withSupport(String support) {
        return new Claim(id, kind, statement, measured, expected, verdict, support);
    }

    /** A claim the run could not test, with why (e.g. a subset of the grid without the cells it needs). */
    public static Claim notTested(String id, Kind kind, String statement, String why, String expected) {
        return new Claim(id, kind, statement, why, expected, Verdict.NOT_TESTED);
    }

    /** An integrity check that does not hold: gdlab or DL4J is wrong, and the run exits with status 1. */
    public boolean failsTheRun() {
        return kind == Kind.INTEGRITY && verdict == Verdict.DOES_NOT_HOLD;
    }

    /** How a spec file's hypothesis lists its claims: "You should see: [id] sentence [id] sentence ...". */
    public static final String HYPOTHESIS_START = "You should see: ";

    /** The hypothesis that states exactly these claims, in their order. */
    public static String hypothesis(List<Claim> claims) {
        return HYPOTHESIS_START + String.join(" ", claims.stream().map(c -> "[" + c.id() + "] " + c.statement())
                .toList());
    }

    /**
     * The (id, sentence) pairs of a hypothesis written as claims; empty when it is not written that way. Any
     * text outside the [id] sentences makes it not parse back to itself, which {@link #hypothesis} tells.
     */
    public static List<Map.Entry<String, String>> sentences(String hypothesis) {
        if (!hypothesis.startsWith(HYPOTHESIS_START + "[")) {
            return List.of();
        }
        List<Map.Entry<String, String>> pairs = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[([a-z][a-z0-9_]*)] ([^\\[]*)")
                .matcher(hypothesis.substring(HYPOTHESIS_START.length()));
        while (m.find()) {
            pairs.add(Map.entry(m.group(1), m.group(2).strip()));
        }
        return pairs;
    }

    /** claims.csv: one row per claim, in the hypothesis's order. */
    public static Table table(List<Claim> claims) {
        Table t = new Table("claim", "kind", "statement", "measured", "expected", "verdict", "support");
        claims.forEach(c -> t.add(c.id(), c.kind(), c.statement(), c.measured(), c.expected(), c.verdict(),
                c.support()));
        return t;
    }

    /** The "Checks" section of summary.md: every claim with its verdict, failures first named. */
    public static String markdown(List<Claim> claims) {
        if (claims.isEmpty()) {
            return "";
        }
        long failing = claims.stream().filter(Claim::failsTheRun).count();
        long holds = claims.stream().filter(c -> c.verdict() == Verdict.HOLDS).count();
        long blurred = claims.stream().filter(c -> c.verdict() == Verdict.NOT_DISTINGUISHABLE).count();
        StringBuilder sb = new StringBuilder("### Checks\n\n");
        sb.append(String.format(Locale.ROOT, "%d of %d claims hold%s%s. An integrity check that does not hold means "
                        + "gdlab or DL4J computes something wrong (the run exits with status 1); a finding that does "
                        + "not hold is a result. A comparison holds only when its test or interval (the support "
                        + "column) excludes \"no difference\"; otherwise it is not distinguishable.%n%n", holds,
                claims.size(), blurred == 0 ? "" : ", " + blurred + " not distinguishable",
                failing == 0 ? "; every integrity check passes" : "; **" + failing + " integrity check"
                        + (failing == 1 ? "" : "s") + " FAIL" + (failing == 1 ? "S" : "") + "**"));
        Table t = new Table("claim", "kind", "statement", "measured", "expected", "verdict", "support");
        claims.forEach(c -> t.add(c.id(), c.kind(), c.statement(), c.measured(), c.expected(),
                c.failsTheRun() ? "**FAILS**" : c.verdict().toString(), c.support()));
        return sb.append(t.toMarkdown()).toString();
    }
}
