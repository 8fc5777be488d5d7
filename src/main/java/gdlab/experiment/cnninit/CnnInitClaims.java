package gdlab.experiment.cnninit;

import gdlab.experiment.cnninit.CnnInit.Group;
import gdlab.report.Claim;
import gdlab.report.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.experiment.cnninit.CnnInit.METRICS;
import static gdlab.experiment.cnninit.CnnInit.POOR;

/**
 * The claims of cnn-init's hypothesis, in its order. Test accuracies are proportions of a small test set, so two of
 * them differ only beyond the noise of that set: twice the standard error of their difference, sqrt(2 p (1 - p) / n)
 * at their mean p (over seeds the noise only shrinks; this keeps the verdict honest for a single seed).
 */
final class CnnInitClaims {
    /** "Orders of magnitude below": the first layer's gradient norm at most this share of the last layer's. */
    static final double ORDERS_BELOW = 0.01;
    /** "Near chance": test accuracy at most this multiple of 1 / classes. */
    static final double NEAR_CHANCE = 2;

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

    static List<Claim> of(Map<String, Group> groups, List<String> optimizers, int classes, int nTest,
                          double margin) {
        List<Group> zero = groups.values().stream().filter(g -> g.init.equals("zero")).toList();
        List<Group> random = groups.values().stream().filter(g -> !g.init.equals("zero")).toList();
        List<Claim> claims = new ArrayList<>();
        claims.add(zero.isEmpty() ? Claim.notTested("zero_init_identical_units", Claim.Kind.INTEGRITY,
                ZERO_IDENTICAL, "the run has no zero-init cell", "1 and 1")
                : Claim.integrity("zero_init_identical_units", ZERO_IDENTICAL, distinct(zero), "1 and 1 in every cell",
                zero.stream().allMatch(g -> g.maxOf("conv_distinct") == 1 && g.maxOf("dense_distinct") == 1)));
        claims.add(random.isEmpty() ? Claim.notTested("check_tells_units_apart", Claim.Kind.INTEGRITY,
                CHECK_TELLS_APART, "the run has no random initialization", "> 1 and > 1")
                : Claim.integrity("check_tells_units_apart", CHECK_TELLS_APART, distinct(random),
                "> 1 and > 1 in every cell", random.stream().allMatch(g -> minOf(g, "conv_distinct") > 1
                        && minOf(g, "dense_distinct") > 1)));
        double chance = 1.0 / classes;
        claims.add(zero.isEmpty() ? Claim.notTested("zero_init_near_chance", Claim.Kind.FINDING, ZERO_NEAR_CHANCE,
                "the run has no zero-init cell", "")
                : Claim.finding("zero_init_near_chance", ZERO_NEAR_CHANCE, "test accuracy " + String.join(", ",
                        zero.stream().map(g -> g.optimizer + " " + g.label() + " " + g.stats("test_accuracy")
                                .pretty()).toList()), "<= " + Table.readable(NEAR_CHANCE * chance),
                zero.stream().allMatch(g -> g.stats("test_accuracy").mean() <= NEAR_CHANCE * chance)));
        claims.add(sigmoidPoorSlow(groups, optimizers, nTest));
        List<Group> tiny = groups.values().stream().filter(g -> g.activation.equals("sigmoid")
                && g.init.equals("small-uniform")).toList();
        claims.add(tiny.isEmpty() ? Claim.notTested("sigmoid_first_layer_gradient_small", Claim.Kind.FINDING,
                SIGMOID_GRADIENT_SMALL, "the run has no sigmoid + small-uniform cell", "")
                : Claim.finding("sigmoid_first_layer_gradient_small", SIGMOID_GRADIENT_SMALL, "ratio " + String.join(
                        ", ", tiny.stream().map(g -> g.optimizer + " " + g.stats("grad_ratio_first_last").pretty())
                                .toList()), "<= " + Table.readable(ORDERS_BELOW),
                tiny.stream().allMatch(g -> g.stats("grad_ratio_first_last").mean() <= ORDERS_BELOW)));
        claims.add(heReluAmongBest(groups, optimizers, nTest, margin));
        return claims;
    }

    private static String distinct(List<Group> groups) {
        return String.format(Locale.ROOT, "distinct filters %d..%d, dense units %d..%d",
                groups.stream().mapToInt(g -> minOf(g, "conv_distinct")).min().orElse(0),
                groups.stream().mapToInt(g -> g.maxOf("conv_distinct")).max().orElse(0),
                groups.stream().mapToInt(g -> minOf(g, "dense_distinct")).min().orElse(0),
                groups.stream().mapToInt(g -> g.maxOf("dense_distinct")).max().orElse(0));
    }

    private static int minOf(Group g, String column) {
        return (int) g.cells.stream().mapToDouble(r -> r.number(column)).min().orElse(Double.NaN);
    }

    /** Twice the standard error of the difference of two test accuracies near {@code p} on n test examples. */
    static double noise(double p, int nTest) {
        return 2 * Math.sqrt(2 * p * (1 - p) / nTest);
    }

    static Claim sigmoidPoorSlow(Map<String, Group> groups, List<String> optimizers, int nTest) {
        List<String> parts = new ArrayList<>();
        int slower = 0;
        int compared = 0;
        for (String opt : optimizers) {
            Group good = groups.get(opt + "|sigmoid|xavier");
            for (String poor : POOR) {
                Group sig = groups.get(opt + "|sigmoid|" + poor);
                if (sig == null || good == null) {
                    continue;
                }
                compared++;
                double a = sig.stats("test_accuracy").mean();
                double b = good.stats("test_accuracy").mean();
                double noise = noise((a + b) / 2, nTest);
                if (b - a > noise) {
                    slower++;
                }
                parts.add(String.format(Locale.ROOT, "%s %s %s vs xavier %s (noise %s)", opt, poor,
                        Table.readable(a), Table.readable(b), Table.readable(noise)));
            }
        }
        String expected = "below xavier by more than the noise in every pair";
        if (compared == 0) {
            return Claim.notTested("sigmoid_poor_init_slow", Claim.Kind.FINDING, SIGMOID_POOR_SLOW,
                    "the run has no sigmoid pair of a poor initialization and xavier", expected);
        }
        return Claim.finding("sigmoid_poor_init_slow", SIGMOID_POOR_SLOW, slower + " of " + compared + " below: "
                + String.join("; ", parts), expected, slower == compared);
    }

    static Claim heReluAmongBest(Map<String, Group> groups, List<String> optimizers, int nTest, double margin) {
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (String opt : optimizers) {
            Group reluHe = groups.get(opt + "|relu|he");
            Group best = groups.values().stream().filter(g -> g.optimizer.equals(opt))
                    .max((a, b) -> Double.compare(a.stats("test_accuracy").mean(), b.stats("test_accuracy").mean()))
                    .orElse(null);
            if (reluHe == null || best == null) {
                continue;
            }
            double his = reluHe.stats("test_accuracy").mean();
            double top = best.stats("test_accuracy").mean();
            double allowed = Math.max(margin, noise((his + top) / 2, nTest));
            holds &= top - his <= allowed;
            parts.add(String.format(Locale.ROOT, "%s: %s vs best %s %s (gap %s, allowed %s)", opt,
                    Table.readable(his), best.label(), Table.readable(top), Table.readable(top - his),
                    Table.readable(allowed)));
        }
        String expected = "gap <= max(among_best_margin, noise)";
        if (parts.isEmpty()) {
            return Claim.notTested("he_relu_among_best", Claim.Kind.FINDING, HE_RELU_AMONG_BEST,
                    "the run has no relu + he cell", expected);
        }
        return Claim.finding("he_relu_among_best", HE_RELU_AMONG_BEST, String.join("; ", parts), expected, holds);
    }
}
