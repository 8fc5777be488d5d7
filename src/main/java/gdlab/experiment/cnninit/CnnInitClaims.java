package gdlab.experiment.cnninit;

import gdlab.report.Binomial;
import gdlab.report.Claim;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.DoubleStream;

/**
 * The claims of cnn-init's hypothesis, in its order, over the seed groups of (optimizer, activation, init). Test
 * accuracies are proportions of a small test set, so two of them differ only beyond the noise of that set: twice the
 * standard error of their difference, sqrt(2 p (1 - p) / n) at their mean p, with n the test examples times the
 * seeds (the seeds' own spread is not in it: with one seed it is unknown, and the support says so). A difference
 * inside that noise is not distinguishable; "among the best" holds only when the gap plus the noise stays within
 * the margin, so a test set too small to resolve the margin says so instead of a verdict.
 */
final class CnnInitClaims {
    /** "Orders of magnitude below": the first layer's gradient norm at most this share of the last layer's. */
    static final double ORDERS_BELOW = 0.01;
    /** "Near chance": test accuracy at most this multiple of 1 / classes. */
    static final double NEAR_CHANCE = 2;
    /** the poor initializations, for the sigmoid finding */
    static final List<String> POOR = List.of("zero", "small-uniform");

    static final String ZERO_IDENTICAL = "Zero initialization leaves every hidden unit of a layer identical after "
            + "training: 1 distinct filter and 1 distinct dense unit in every zero-init cell (the symmetry never "
            + "breaks).";
    static final String CHECK_TELLS_APART = "The same check finds the units of every random initialization "
            + "distinct: more than 1 distinct filter and more than 1 distinct dense unit in every such cell.";
    static final String ZERO_NEAR_CHANCE = "So a zero-initialized net stays near chance: its test accuracy is at "
            + "most " + Table.readable(NEAR_CHANCE) + " / classes.";
    static final String SIGMOID_POOR_SLOW = "Sigmoid with a poor initialization (zero, or tiny uniform weights) "
            + "learns slowly or not at all: after the same epochs its test accuracy is below sigmoid with Xavier "
            + "beyond the test set's noise, for every optimizer.";
    static final String SIGMOID_GRADIENT_SMALL = "Sigmoid with tiny uniform weights has a first-layer gradient "
            + "orders of magnitude below the last layer's at initialization: grad_ratio_first_last at most "
            + Table.readable(ORDERS_BELOW) + ".";
    static final String HE_RELU_AMONG_BEST = "He initialization with relu is among the best combinations: for every "
            + "optimizer its test accuracy is within among_best_margin of the best, beyond the test set's noise "
            + "(the gap plus twice its standard error at most the margin).";

    private CnnInitClaims() {
    }

    static List<Claim> of(List<SeedGroup> groups, List<String> optimizers, int classes, int nTest, double margin) {
        List<SeedGroup> zero = groups.stream().filter(g -> g.get("init").equals("zero")).toList();
        List<SeedGroup> random = groups.stream().filter(g -> !g.get("init").equals("zero")).toList();
        List<SeedGroup> tiny = groups.stream().filter(g -> g.get("activation").equals("sigmoid")
                && g.get("init").equals("small-uniform")).toList();
        return List.of(
                claim("zero_init_identical_units", Claim.Kind.INTEGRITY, ZERO_IDENTICAL, zero, "zero-init cell",
                        distinct(zero), "1 and 1 in every cell",
                        extreme(zero, "conv_distinct", true) == 1 && extreme(zero, "dense_distinct", true) == 1 ?
                                Claim.Verdict.HOLDS : Claim.Verdict.DOES_NOT_HOLD, "exact count of distinct units"),
                claim("check_tells_units_apart", Claim.Kind.INTEGRITY, CHECK_TELLS_APART, random,
                        "random initialization", distinct(random) + "; smallest dense spread "
                                + Table.readable(extreme(random, "dense_spread", false)), "> 1 and > 1 in every cell",
                        extreme(random, "conv_distinct", false) > 1 && extreme(random, "dense_distinct", false) > 1
                                ? Claim.Verdict.HOLDS : Claim.Verdict.DOES_NOT_HOLD, "exact count of distinct units"),
                zeroNearChance(zero, classes, nTest),
                sigmoidPoorSlow(groups, optimizers, nTest),
                claim("sigmoid_first_layer_gradient_small", Claim.Kind.FINDING, SIGMOID_GRADIENT_SMALL, tiny,
                        "sigmoid + small-uniform cell", "ratio " + String.join(", ", tiny.stream().map(g ->
                                g.get("optimizer") + " " + g.stats("grad_ratio_first_last").pretty()).toList()),
                        "<= " + Table.readable(ORDERS_BELOW) + " in every seed",
                        extreme(tiny, "grad_ratio_first_last", true) <= ORDERS_BELOW ? Claim.Verdict.HOLDS
                                : Claim.Verdict.DOES_NOT_HOLD, "bound " + Table.readable(ORDERS_BELOW)
                                + " on every seed's ratio (largest " + Table.readable(extreme(tiny,
                                "grad_ratio_first_last", true)) + ")"),
                heReluAmongBest(groups, optimizers, nTest, margin));
    }

    /** The claim with its verdict, or not tested when the run has none of the groups ({@code what}) it needs. */
    private static Claim claim(String id, Claim.Kind kind, String statement, List<?> groups, String what,
                               String measured, String expected, Claim.Verdict verdict, String support) {
        return groups.isEmpty() ? Claim.notTested(id, kind, statement, "the run has no " + what, expected)
                : new Claim(id, kind, statement, measured, expected, verdict, support);
    }

    /** Each zero-init group's accuracy against 2 / classes, by its binomial 95% interval over the test examples. */
    private static Claim zeroNearChance(List<SeedGroup> zero, int classes, int nTest) {
        double nearChance = NEAR_CHANCE / classes;
        List<String> intervals = new ArrayList<>();
        boolean allBelow = true;
        boolean oneAbove = false;
        for (SeedGroup g : zero) {
            int n = nTest * g.finished().size();
            int k = (int) Math.round(accuracy(g) * n);
            double[] ci = Binomial.wilson(k, n);
            allBelow &= ci[1] <= nearChance;
            oneAbove |= ci[0] > nearChance;
            intervals.add(g.get("optimizer") + " " + label(g) + ": " + Support.binomial(k, n));
        }
        return claim("zero_init_near_chance", Claim.Kind.FINDING, ZERO_NEAR_CHANCE, zero, "zero-init cell",
                "test accuracy " + String.join(", ", zero.stream().map(g -> g.get("optimizer") + " " + label(g)
                        + " " + g.stats("test_accuracy").pretty()).toList()),
                "95% interval at most " + Table.readable(nearChance), oneAbove ? Claim.Verdict.DOES_NOT_HOLD
                        : allBelow ? Claim.Verdict.HOLDS : Claim.Verdict.NOT_DISTINGUISHABLE,
                String.join("; ", intervals));
    }

    /** The test examples behind a group's mean accuracy: the test set once per finished seed. */
    private static int examples(SeedGroup g, int nTest) {
        return nTest * Math.max(1, g.finished().size());
    }

    private static String seedNoise(SeedGroup a, SeedGroup b) {
        return Math.min(a.finished().size(), b.finished().size()) < 2 ? "; 1 seed: seed noise unknown" : "";
    }

    private static Claim sigmoidPoorSlow(List<SeedGroup> groups, List<String> optimizers, int nTest) {
        List<String> parts = new ArrayList<>();
        List<String> support = new ArrayList<>();
        int slower = 0;
        int faster = 0;
        for (String opt : optimizers) {
            SeedGroup good = find(groups, opt, "sigmoid", "xavier");
            for (String poor : POOR) {
                SeedGroup sig = find(groups, opt, "sigmoid", poor);
                if (sig != null && good != null) {
                    double a = accuracy(sig);
                    double b = accuracy(good);
                    double noise = noise((a + b) / 2, Math.min(examples(sig, nTest), examples(good, nTest)));
                    slower += b - a > noise ? 1 : 0;
                    faster += a - b > noise ? 1 : 0;
                    parts.add(String.format(Locale.ROOT, "%s %s %s vs xavier %s", opt, poor, Table.readable(a),
                            Table.readable(b)));
                    support.add(String.format(Locale.ROOT, "%s %s: difference %s, 2 SE %s%s", opt, poor,
                            Table.readable(b - a), Table.readable(noise), seedNoise(sig, good)));
                }
            }
        }
        return claim("sigmoid_poor_init_slow", Claim.Kind.FINDING, SIGMOID_POOR_SLOW, parts,
                "sigmoid pair of a poor initialization and xavier", slower + " of " + parts.size()
                        + " below beyond the noise: " + String.join("; ", parts),
                "below xavier by more than the noise in every pair", slower == parts.size() ? Claim.Verdict.HOLDS
                        : faster > 0 ? Claim.Verdict.DOES_NOT_HOLD : Claim.Verdict.NOT_DISTINGUISHABLE,
                "two-proportion test, 95%: " + String.join("; ", support));
    }

    private static Claim heReluAmongBest(List<SeedGroup> groups, List<String> optimizers, int nTest, double margin) {
        List<String> parts = new ArrayList<>();
        List<String> support = new ArrayList<>();
        boolean within = true;
        boolean below = false;
        for (String opt : optimizers) {
            SeedGroup reluHe = find(groups, opt, "relu", "he");
            SeedGroup best = groups.stream().filter(g -> g.get("optimizer").equals(opt))
                    .max(Comparator.comparingDouble(CnnInitClaims::accuracy)).orElse(null);
            if (reluHe != null && best != null) {
                double his = accuracy(reluHe);
                double top = accuracy(best);
                double noise = noise((his + top) / 2, Math.min(examples(reluHe, nTest), examples(best, nTest)));
                within &= top - his + noise <= margin;
                below |= top - his > Math.max(margin, noise);
                parts.add(String.format(Locale.ROOT, "%s: %s vs best %s %s (gap %s)", opt, Table.readable(his),
                        label(best), Table.readable(top), Table.readable(top - his)));
                support.add(String.format(Locale.ROOT, "%s: gap %s, 2 SE %s against margin %s%s", opt,
                        Table.readable(top - his), Table.readable(noise), Table.readable(margin),
                        seedNoise(reluHe, best)));
            }
        }
        return claim("he_relu_among_best", Claim.Kind.FINDING, HE_RELU_AMONG_BEST, parts, "relu + he cell",
                String.join("; ", parts), "gap + 2 SE <= among_best_margin (beyond margin and noise: does not "
                        + "hold)", within ? Claim.Verdict.HOLDS : below ? Claim.Verdict.DOES_NOT_HOLD
                        : Claim.Verdict.NOT_DISTINGUISHABLE, "two-proportion test, 95%: " + String.join("; ", support)
                        + (within || below ? "" : ": the test set cannot resolve the margin"));
    }

    /** Twice the standard error of the difference of two test accuracies near {@code p} on n test examples. */
    static double noise(double p, int nTest) {
        return 2 * Math.sqrt(2 * p * (1 - p) / nTest);
    }

    private static String distinct(List<SeedGroup> groups) {
        return String.format(Locale.ROOT, "distinct filters %d..%d, dense units %d..%d",
                (int) extreme(groups, "conv_distinct", false), (int) extreme(groups, "conv_distinct", true),
                (int) extreme(groups, "dense_distinct", false), (int) extreme(groups, "dense_distinct", true));
    }

    /** The (optimizer, activation, init) group, or null when the run has none. */
    static SeedGroup find(List<SeedGroup> groups, String optimizer, String activation, String init) {
        return groups.stream().filter(g -> g.get("optimizer").equals(optimizer)
                && g.get("activation").equals(activation) && g.get("init").equals(init)).findFirst().orElse(null);
    }

    static String label(SeedGroup g) {
        return g.get("activation") + " + " + g.get("init");
    }

    static double accuracy(SeedGroup g) {
        return g.stats("test_accuracy").mean();
    }

    /** The largest (or smallest) value of a metric over every seed of {@code groups} (NaN when one is). */
    static double extreme(List<SeedGroup> groups, String metric, boolean largest) {
        DoubleStream v = groups.stream().flatMap(g -> g.cells().stream()).mapToDouble(r -> r.number(metric));
        return (largest ? v.max() : v.min()).orElse(Double.NaN);
    }

    /** The largest value of a metric over the group's seeds (a count, the worst seed of a spread). */
    static double max(SeedGroup g, String metric) {
        return extreme(List.of(g), metric, true);
    }
}
