package gdlab.experiment.failure;

import gdlab.report.Claim;

/** One claim of failure-modes' hypothesis as a part states it, before a run checks it. */
public record Check(String id, Claim.Kind kind, String statement) {
    static Check integrity(String id, String statement) {
        return new Check(id, Claim.Kind.INTEGRITY, statement);
    }

    static Check finding(String id, String statement) {
        return new Check(id, Claim.Kind.FINDING, statement);
    }

    public Claim verdict(String measured, String expected, boolean holds) {
        return new Claim(id, kind, statement, measured, expected,
                holds ? Claim.Verdict.HOLDS : Claim.Verdict.DOES_NOT_HOLD);
    }

    public Claim notTested(String why, String expected) {
        return Claim.notTested(id, kind, statement, why, expected);
    }

    /** A setting of paired runs can reach p < 0.05 in an exact McNemar test only with 6 or more pairs. */
    static boolean canReachSignificance(int pairs) {
        return Binomial.mcnemarP(pairs, 0) < 0.05;
    }
}
