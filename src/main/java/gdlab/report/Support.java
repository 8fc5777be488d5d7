package gdlab.report;

import java.util.Locale;

/**
 * The support column of a claim, written the same way by every experiment: a 95% interval per group and whether
 * they are apart, an exact McNemar test and whether the design can reach p < 0.05 at all, a binomial interval, a
 * bound. A comparison's verdict is {@code holds} only when its support excludes "no difference" ({@link Claim}).
 */
public final class Support {
    /** The significance level every comparison is judged at. */
    public static final double ALPHA = 0.05;

    private Support() {
    }

    /** Whether both groups have a 95% interval (two or more values) and the intervals do not overlap. */
    public static boolean apart(Stats a, Stats b) {
        return a.n() >= 2 && b.n() >= 2 && !a.overlaps(b);
    }

    /** "95% CIs apart: [0.21, 0.23] vs [0.19, 0.20]", "... overlap: ...", or why there is no interval. */
    public static String intervals(Stats a, Stats b) {
        if (a.n() < 2 || b.n() < 2) {
            return String.format(Locale.ROOT, "no 95%% interval with %d vs %d values", a.n(), b.n());
        }
        return "95% CIs " + (apart(a, b) ? "apart" : "overlap") + ": " + interval(a) + " vs " + interval(b);
    }

    /** "[low, high]" of a group's 95% interval of the mean. */
    public static String interval(Stats s) {
        return "[" + Table.readable(s.ciLow()) + ", " + Table.readable(s.ciHigh()) + "]";
    }

    /** The smallest two-sided p an exact McNemar test can give with {@code pairs} discordant pairs: 2 x 0.5^n. */
    public static double smallestMcnemarP(int pairs) {
        return Math.min(1.0, 2 * Math.pow(0.5, pairs));
    }

    /** Whether {@code pairs} paired runs can ever give McNemar p < 0.05 (6 or more). */
    public static boolean mcnemarCanReach(int pairs) {
        return smallestMcnemarP(pairs) < ALPHA;
    }

    /** "McNemar p = 0.0039 (9 vs 0 discordant pairs)". */
    public static String mcnemar(int b, int c) {
        return String.format(Locale.ROOT, "McNemar p = %s (%d vs %d discordant pairs)",
                Table.readable(Binomial.mcnemarP(b, c)), b, c);
    }

    /** "binomial 95% CI 0.06..0.20 (6/60)": the Wilson interval of a share. */
    public static String binomial(int k, int n) {
        double[] ci = Binomial.wilson(k, n);
        return "binomial 95% CI " + Table.readable(ci[0]) + ".." + Table.readable(ci[1]) + " (" + k + "/" + n + ")";
    }

    /** "bound 1e-12": a value checked against a bound. */
    public static String bound(double bound) {
        return "bound " + Table.readable(bound);
    }

    /**
     * A mean against a range [low, high] ("about ten epochs"): holds when its 95% interval lies inside, does not
     * hold when the interval lies outside, not distinguishable when it straddles an end; not tested with fewer
     * than two values (no interval).
     */
    public static Claim.Verdict inRange(Stats s, double low, double high) {
        if (s.n() < 2) {
            return Claim.Verdict.NOT_TESTED;
        }
        if (s.ciLow() >= low && s.ciHigh() <= high) {
            return Claim.Verdict.HOLDS;
        }
        return s.ciHigh() < low || s.ciLow() > high ? Claim.Verdict.DOES_NOT_HOLD : Claim.Verdict.NOT_DISTINGUISHABLE;
    }

    /** "95% CI [10.2, 11.8] (n = 3)", or why there is none. */
    public static String interval95(Stats s) {
        return s.n() < 2 ? "no 95% interval with " + s.n() + " value" + (s.n() == 1 ? "" : "s")
                : "95% CI " + interval(s) + " (n = " + s.n() + ")";
    }
}
