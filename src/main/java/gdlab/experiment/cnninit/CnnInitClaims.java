package gdlab.experiment.cnninit;

import gdlab.report.Claim;
import gdlab.report.Table;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

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
        double chance = 1.0 / classes;
        return List.of(zero.isEmpty() ? Claim.notTested("zero_init_identical_units", Claim.Kind.INTEGRITY,
                        ZERO_IDENTICAL, "the run has no zero-init cell", "1 and 1")
                        : Claim.integrity("zero_init_identical_units", ZERO_IDENTICAL, distinct(zero),
                        "1 and 1 in every cell", zero.stream().allMatch(g -> max(g, "conv_distinct") == 1
                                && max(g, "dense_distinct") == 1)),
                random.isEmpty() ? Claim.notTested("check_tells_units_apart", Claim.Kind.INTEGRITY,
                        CHECK_TELLS_APART, "the run has no random initialization", "> 1 and > 1")
                        : Claim.integrity("check_tells_units_apart", CHECK_TELLS_APART, distinct(random),
                        "> 1 and > 1 in every cell", random.stream().allMatch(g -> min(g, "conv_distinct") > 1
                                && min(g, "dense_distinct") > 1)),
                zero.isEmpty() ? Claim.notTested("zero_init_near_chance", Claim.Kind.FINDING, ZERO_NEAR_CHANCE,
                        "the run has no zero-init cell", "")
                        : Claim.finding("zero_init_near_chance", ZERO_NEAR_CHANCE, "test accuracy " + String.join(
                                ", ", zero.stream().map(g -> g.get("optimizer") + " " + label(g) + " "
                                        + g.stats("test_accuracy").pretty()).toList()),
                        "<= " + Table.readable(NEAR_CHANCE * chance),
                        zero.stream().allMatch(g -> accuracy(g) <= NEAR_CHANCE * chance)),
                sigmoidPoorSlow(groups, optimizers, nTest),
                tiny.isEmpty() ? Claim.notTested("sigmoid_first_layer_gradient_small", Claim.Kind.FINDING,
                        SIGMOID_GRADIENT_SMALL, "the run has no sigmoid + small-uniform cell", "")
                        : Claim.finding("sigmoid_first_layer_gradient_small", SIGMOID_GRADIENT_SMALL, "ratio "
                                + String.join(", ", tiny.stream().map(g -> g.get("optimizer") + " "
                                + g.stats("grad_ratio_first_last").pretty()).toList()),
                        "<= " + Table.readable(ORDERS_BELOW),
                        tiny.stream().allMatch(g -> g.stats("grad_ratio_first_last").mean() <= ORDERS_BELOW)),
                heReluAmongBest(groups, optimizers, nTest, margin));
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
        String expected = "below xavier by more than the noise in every pair";
        return parts.isEmpty() ? Claim.notTested("sigmoid_poor_init_slow", Claim.Kind.FINDING, SIGMOID_POOR_SLOW,
                "the run has no sigmoid pair of a poor initialization and xavier", expected)
                : Claim.finding("sigmoid_poor_init_slow", SIGMOID_POOR_SLOW, slower + " of " + parts.size()
                + " below: " + String.join("; ", parts), expected, slower == parts.size());
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
        String expected = "gap <= max(among_best_margin, noise)";
        return parts.isEmpty() ? Claim.notTested("he_relu_among_best", Claim.Kind.FINDING, HE_RELU_AMONG_BEST,
                "the run has no relu + he cell", expected)
                : Claim.finding("he_relu_among_best", HE_RELU_AMONG_BEST, String.join("; ", parts), expected, holds);
    }

    /** Twice the standard error of the difference of two test accuracies near {@code p} on n test examples. */
    static double noise(double p, int nTest) {
        return 2 * Math.sqrt(2 * p * (1 - p) / nTest);
    }

    private static String distinct(List<SeedGroup> groups) {
        return String.format(Locale.ROOT, "distinct filters %d..%d, dense units %d..%d",
                groups.stream().mapToInt(g -> min(g, "conv_distinct")).min().orElse(0),
                groups.stream().mapToInt(g -> max(g, "conv_distinct")).max().orElse(0),
                groups.stream().mapToInt(g -> min(g, "dense_distinct")).min().orElse(0),
                groups.stream().mapToInt(g -> max(g, "dense_distinct")).max().orElse(0));
    }

    // ------------------------------------------------------------------ what the claims and the summary read

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

    /** The largest value of a metric over the group's seeds (worst seed of a spread, a count). */
    static double largest(SeedGroup g, String metric) {
        return g.cells().stream().mapToDouble(r -> r.number(metric)).max().orElse(Double.NaN);
    }

    static int max(SeedGroup g, String metric) {
        return (int) largest(g, metric);
    }

    static int min(SeedGroup g, String metric) {
        return (int) g.cells().stream().mapToDouble(r -> r.number(metric)).min().orElse(Double.NaN);
    }
}
