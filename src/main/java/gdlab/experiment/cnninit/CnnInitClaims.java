package gdlab.experiment.cnninit;

import gdlab.report.Claim;
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
 * standard error of their difference, sqrt(2 p (1 - p) / n) at their mean p (over seeds the noise only shrinks; this
 * keeps the verdict honest for a single seed).
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
            + "optimizer its test accuracy is within among_best_margin (or the test set's noise) of the best.";

    private CnnInitClaims() {
    }

    static List<Claim> of(List<SeedGroup> groups, List<String> optimizers, int classes, int nTest, double margin) {
        List<SeedGroup> zero = groups.stream().filter(g -> g.get("init").equals("zero")).toList();
        List<SeedGroup> random = groups.stream().filter(g -> !g.get("init").equals("zero")).toList();
        List<SeedGroup> tiny = groups.stream().filter(g -> g.get("activation").equals("sigmoid")
                && g.get("init").equals("small-uniform")).toList();
        double nearChance = NEAR_CHANCE / classes;
        return List.of(
                claim("zero_init_identical_units", Claim.Kind.INTEGRITY, ZERO_IDENTICAL, zero, "zero-init cell",
                        distinct(zero), "1 and 1 in every cell",
                        extreme(zero, "conv_distinct", true) == 1 && extreme(zero, "dense_distinct", true) == 1),
                claim("check_tells_units_apart", Claim.Kind.INTEGRITY, CHECK_TELLS_APART, random,
                        "random initialization", distinct(random) + "; smallest dense spread "
                                + Table.readable(extreme(random, "dense_spread", false)), "> 1 and > 1 in every cell",
                        extreme(random, "conv_distinct", false) > 1 && extreme(random, "dense_distinct", false) > 1),
                claim("zero_init_near_chance", Claim.Kind.FINDING, ZERO_NEAR_CHANCE, zero, "zero-init cell",
                        "test accuracy " + String.join(", ", zero.stream().map(g -> g.get("optimizer") + " "
                                + label(g) + " " + g.stats("test_accuracy").pretty()).toList()),
                        "<= " + Table.readable(nearChance), zero.stream().allMatch(g -> accuracy(g) <= nearChance)),
                sigmoidPoorSlow(groups, optimizers, nTest),
                claim("sigmoid_first_layer_gradient_small", Claim.Kind.FINDING, SIGMOID_GRADIENT_SMALL, tiny,
                        "sigmoid + small-uniform cell", "ratio " + String.join(", ", tiny.stream().map(g ->
                                g.get("optimizer") + " " + g.stats("grad_ratio_first_last").pretty()).toList()),
                        "<= " + Table.readable(ORDERS_BELOW),
                        tiny.stream().allMatch(g -> g.stats("grad_ratio_first_last").mean() <= ORDERS_BELOW)),
                heReluAmongBest(groups, optimizers, nTest, margin));
    }

    /** The claim with its verdict, or not tested when the run has none of the groups ({@code what}) it needs. */
    private static Claim claim(String id, Claim.Kind kind, String statement, List<?> groups, String what,
                               String measured, String expected, boolean holds) {
        return groups.isEmpty() ? Claim.notTested(id, kind, statement, "the run has no " + what, expected)
                : new Claim(id, kind, statement, measured, expected,
                holds ? Claim.Verdict.HOLDS : Claim.Verdict.DOES_NOT_HOLD);
    }

    private static Claim sigmoidPoorSlow(List<SeedGroup> groups, List<String> optimizers, int nTest) {
        List<String> parts = new ArrayList<>();
        int slower = 0;
        for (String opt : optimizers) {
            SeedGroup good = find(groups, opt, "sigmoid", "xavier");
            for (String poor : POOR) {
                SeedGroup sig = find(groups, opt, "sigmoid", poor);
                if (sig != null && good != null) {
                    double a = accuracy(sig);
                    double b = accuracy(good);
                    double noise = noise((a + b) / 2, nTest);
                    slower += b - a > noise ? 1 : 0;
                    parts.add(String.format(Locale.ROOT, "%s %s %s vs xavier %s (noise %s)", opt, poor,
                            Table.readable(a), Table.readable(b), Table.readable(noise)));
                }
            }
        }
        return claim("sigmoid_poor_init_slow", Claim.Kind.FINDING, SIGMOID_POOR_SLOW, parts,
                "sigmoid pair of a poor initialization and xavier", slower + " of " + parts.size() + " below: "
                        + String.join("; ", parts), "below xavier by more than the noise in every pair",
                slower == parts.size());
    }

    private static Claim heReluAmongBest(List<SeedGroup> groups, List<String> optimizers, int nTest, double margin) {
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (String opt : optimizers) {
            SeedGroup reluHe = find(groups, opt, "relu", "he");
            SeedGroup best = groups.stream().filter(g -> g.get("optimizer").equals(opt))
                    .max(Comparator.comparingDouble(CnnInitClaims::accuracy)).orElse(null);
            if (reluHe != null && best != null) {
                double his = accuracy(reluHe);
                double top = accuracy(best);
                double allowed = Math.max(margin, noise((his + top) / 2, nTest));
                holds &= top - his <= allowed;
                parts.add(String.format(Locale.ROOT, "%s: %s vs best %s %s (gap %s, allowed %s)", opt,
                        Table.readable(his), label(best), Table.readable(top), Table.readable(top - his),
                        Table.readable(allowed)));
            }
        }
        return claim("he_relu_among_best", Claim.Kind.FINDING, HE_RELU_AMONG_BEST, parts, "relu + he cell",
                String.join("; ", parts), "gap <= max(among_best_margin, noise)", holds);
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
