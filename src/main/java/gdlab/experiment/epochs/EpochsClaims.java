package gdlab.experiment.epochs;

import gdlab.report.Claim;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.List;
import java.util.Locale;

import static gdlab.experiment.epochs.Epochs.BUDGET;
import static gdlab.experiment.epochs.Epochs.CLASS_SORTED;
import static gdlab.experiment.epochs.Epochs.CURVE;
import static gdlab.experiment.epochs.Epochs.EARLY;
import static gdlab.experiment.epochs.Epochs.FIXED;
import static gdlab.experiment.epochs.Epochs.ORDERS;
import static gdlab.experiment.epochs.Epochs.SHUFFLED;

/**
 * The claims of epochs' hypothesis, in its order, each checked against the run's (order, stopping) groups. Two
 * groups differ only when their 95% intervals over the seeds are apart: otherwise the comparison is not
 * distinguishable; with one seed there is no interval and it is not tested. A mean against a range ("about ten
 * epochs") holds only when its 95% interval lies inside. The hypothesis in experiments/epochs.properties is these statements, each after its id.
 */
final class EpochsClaims {
    /** "Several times": the class-sorted validation loss at least this multiple of the shuffled one. */
    static final double SEVERAL = 2;
    /** "About as well": lowest validation losses within this share of each other (or within seed noise). */
    static final double ABOUT = 0.1;
    /** "About ten epochs": the mean best epoch between these. */
    static final double MIN_BEST_EPOCH = 5;
    static final double MAX_BEST_EPOCH = 20;
    /** "About a quarter of the budget": early stopping's mean epochs between these shares of max_epochs. */
    static final double MIN_SHARE = 1.0 / 8;
    static final double MAX_SHARE = 1.0 / 2;
    /** A validation loss that rose by less than this share of itself rose by rounding only. */
    static final double ROUNDING = 1e-5;

    static final String SORTED_WORSE_EARLY = "After compare_epoch epochs the class-sorted order does far worse "
            + "than a shuffled one: at least " + Table.readable(SEVERAL) + " times the validation loss and a lower "
            + "validation accuracy.";
    static final String SORTED_SLOWER = "The class-sorted order needs more epochs to reach target_val_accuracy "
            + "(a seed that never reaches it counts as max_epochs + 1).";
    static final String SORTED_NO_BETTER = "At the end of the whole budget the class-sorted order is still no "
            + "better: its final validation loss is not lower than the shuffled order's beyond seed noise.";
    static final String FIXED_LIKE_FRESH = "One fixed shuffled order does about as well as a fresh shuffle every "
            + "epoch: their lowest validation losses are within seed noise or " + Table.readable(100 * ABOUT)
            + "% of each other.";
    static final String MINIMUM_NEAR_TEN = "With the whole budget (shuffled) the validation loss reaches its "
            + "minimum after about ten epochs: the mean best epoch is between " + Table.readable(MIN_BEST_EPOCH)
            + " and " + Table.readable(MAX_BEST_EPOCH) + ".";
    static final String OVERFITS = "Then the validation loss rises while the training loss keeps falling "
            + "(overfitting on the small training split): in every seed the final validation loss is above its "
            + "minimum and the validation - training gap is wider at the end than at the best epoch.";
    static final String STOPS_AFTER_PATIENCE = "Early stopping stops patience epochs after that minimum: every run "
            + "it stops ran exactly patience epochs past its best epoch.";
    static final String STOPS_AT_QUARTER = "Early stopping (shuffled) stops at about a quarter of the budget: its "
            + "mean epochs run are between 1/8 and 1/2 of max_epochs.";
    static final String TEST_WITHIN_NOISE = "Early stopping's returned weights have a test accuracy within noise of "
            + "the whole budget's (shuffled): their 95% intervals over the seeds overlap.";
    static final String FOLLOWS_BUDGET = "Each early-stopped run follows the budget run of the same order and seed "
            + "epoch for epoch until it stops (the same losses and accuracies).";
    static final String MATCHES_REFERENCE = "DL4J's end-of-epoch training losses equal the plain-Java reference "
            + "trainer's replay of the first reference_epochs epochs to the crosscheck's epoch tolerance.";

    private EpochsClaims() {
    }

    /**
     * @param groups     the cells by order and stopping rule
     * @param refWorst   the largest DL4J-vs-reference relative difference (NaN when no cell was replayed)
     * @param tolerance  the crosscheck's epoch tolerance for this run's dtype
     */
    static List<Claim> of(List<SeedGroup> groups, int maxEpochs, int patience, double refWorst, double tolerance) {
        SeedGroup shuffled = EpochsSummary.group(groups, SHUFFLED, BUDGET);
        SeedGroup sorted = EpochsSummary.group(groups, CLASS_SORTED, BUDGET);
        SeedGroup fixed = EpochsSummary.group(groups, FIXED, BUDGET);
        SeedGroup early = EpochsSummary.group(groups, SHUFFLED, EARLY);
        String expected = "at most " + Table.readable(tolerance);
        return List.of(sortedWorseEarly(shuffled, sorted), sortedSlower(shuffled, sorted, maxEpochs),
                sortedNoBetter(shuffled, sorted), fixedLikeFresh(shuffled, fixed), minimumNearTen(shuffled),
                overfits(shuffled), stopsAfterPatience(groups, patience), stopsAtQuarter(early, maxEpochs),
                testWithinNoise(early, shuffled), earlyFollowsBudget(groups),
                Double.isNaN(refWorst) ? Claim.notTested("dl4j_matches_reference", Claim.Kind.INTEGRITY,
                        MATCHES_REFERENCE, "no cell was replayed by the reference", expected)
                        : Claim.integrity("dl4j_matches_reference", MATCHES_REFERENCE, "largest relative difference "
                        + Table.readable(refWorst), expected, refWorst <= tolerance, Support.bound(tolerance)));
    }

    /** Early-stopped runs must equal the budget run of the same order and seed over the epochs both ran. */
    static Claim earlyFollowsBudget(List<SeedGroup> groups) {
        String expected = "equal losses and accuracies";
        record Pair(SeedGroup early, SeedGroup budget) {
        }
        List<Pair> pairs = ORDERS.stream().map(o -> new Pair(EpochsSummary.group(groups, o, EARLY),
                EpochsSummary.group(groups, o, BUDGET))).filter(p -> p.early() != null && p.budget() != null).toList();
        if (pairs.isEmpty()) {
            return Claim.notTested("early_follows_budget", Claim.Kind.INTEGRITY, FOLLOWS_BUDGET,
                    "no order has both an early-stopping and a budget group", expected);
        }
        boolean consistent = pairs.stream().allMatch(p -> p.early().cells().stream().allMatch(e -> p.budget()
                .cells().stream().filter(b -> b.cell().get("seed").equals(e.cell().get("seed")))
                .allMatch(b -> samePrefix(e, b))));
        return Claim.integrity("early_follows_budget", FOLLOWS_BUDGET, consistent ? "every early-stopped run equals"
                + " its budget run epoch for epoch" : "an early-stopped run departs from its budget run", expected,
                consistent, "exact equality");
    }

    /**
     * Whether two runs' curves agree over the epochs both ran, in every column but epoch_ms (which may differ);
     * compared as numbers: a resumed run reads its curves back from CSV (an Integer may come back a Long).
     */
    private static boolean samePrefix(CellResult a, CellResult b) {
        for (String c : CURVE.subList(0, CURVE.indexOf("epoch_ms"))) {
            double[] x = a.series(CURVE, c);
            double[] y = b.series(CURVE, c);
            for (int i = 0; i < x.length && i < y.length; i++) {
                if (Double.compare(x[i], y[i]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Over the seeds that trained to the end (not the diverged ones). */
    static Stats stats(SeedGroup g, String metric) {
        return g.stats(r -> r.status() == CellResult.Status.OK ? r.number(metric) : Double.NaN);
    }

    /**
     * Two groups compared: not tested with one seed on a side (no interval), not distinguishable when the 95%
     * intervals overlap, otherwise holds when the difference goes the way the statement says.
     */
    private static Claim compare(String id, String statement, String measured, String expected, Stats a, Stats b,
                                 boolean asStated) {
        if (a.n() < 2 || b.n() < 2) {
            return Claim.notTested(id, Claim.Kind.FINDING, statement, measured + "; " + Support.intervals(a, b)
                    + ": seed noise unknown", expected);
        }
        return Claim.comparison(id, statement, measured, expected, asStated, Support.apart(a, b),
                Support.intervals(a, b));
    }

    /** A mean against a range, judged by its 95% interval ({@link Support#inRange}). */
    private static Claim range(String id, String statement, String measured, String expected, Stats s, double low,
                               double high) {
        Claim.Verdict v = Support.inRange(s, low, high);
        return v == Claim.Verdict.NOT_TESTED ? Claim.notTested(id, Claim.Kind.FINDING, statement, measured + "; "
                + Support.interval95(s), expected)
                : new Claim(id, Claim.Kind.FINDING, statement, measured, expected, v, Support.interval95(s));
    }

    private static Claim missing(String id, String statement, String what, String expected) {
        return Claim.notTested(id, Claim.Kind.FINDING, statement, "the run has no " + what + " group", expected);
    }

    static Claim sortedWorseEarly(SeedGroup shuffled, SeedGroup sorted) {
        String expected = ">= " + Table.readable(SEVERAL) + "x the loss, lower accuracy, intervals apart";
        if (shuffled == null || sorted == null) {
            return missing("sorted_worse_early", SORTED_WORSE_EARLY, "shuffled or class-sorted budget", expected);
        }
        Stats sl = stats(shuffled, "val_loss_at_compare_epoch");
        Stats cl = stats(sorted, "val_loss_at_compare_epoch");
        Stats sa = stats(shuffled, "val_accuracy_at_compare_epoch");
        Stats ca = stats(sorted, "val_accuracy_at_compare_epoch");
        double ratio = cl.mean() / sl.mean();
        return compare("sorted_worse_early", SORTED_WORSE_EARLY, String.format(Locale.ROOT,
                "validation loss class-sorted %s vs shuffled %s (%sx), accuracy %s vs %s", cl.pretty(), sl.pretty(),
                Table.readable(ratio), ca.pretty(), sa.pretty()), expected, cl, sl,
                ratio >= SEVERAL && ca.mean() < sa.mean());
    }

    static Claim sortedSlower(SeedGroup shuffled, SeedGroup sorted, int maxEpochs) {
        String expected = "more epochs, intervals apart";
        if (shuffled == null || sorted == null) {
            return missing("sorted_slower_to_target", SORTED_SLOWER, "shuffled or class-sorted budget", expected);
        }
        Stats s = epochsToTarget(shuffled, maxEpochs);
        Stats c = epochsToTarget(sorted, maxEpochs);
        return compare("sorted_slower_to_target", SORTED_SLOWER, String.format(Locale.ROOT,
                "class-sorted %s vs shuffled %s epochs", c.pretty(), s.pretty()), expected, c, s, c.mean() > s.mean());
    }

    private static Stats epochsToTarget(SeedGroup g, int maxEpochs) {
        return g.stats(r -> r.status() != CellResult.Status.OK ? Double.NaN
                : r.metric("epochs_to_val_target") == null ? maxEpochs + 1 : r.number("epochs_to_val_target"));
    }

    static Claim sortedNoBetter(SeedGroup shuffled, SeedGroup sorted) {
        String expected = "not lower, 95% intervals apart (overlapping intervals cannot tell)";
        if (shuffled == null || sorted == null) {
            return missing("sorted_no_better_at_end", SORTED_NO_BETTER, "shuffled or class-sorted budget", expected);
        }
        Stats s = stats(shuffled, "final_val_loss");
        Stats c = stats(sorted, "final_val_loss");
        return compare("sorted_no_better_at_end", SORTED_NO_BETTER, String.format(Locale.ROOT,
                "final validation loss class-sorted %s vs shuffled %s", c.pretty(), s.pretty()), expected, c, s,
                c.mean() >= s.mean());
    }

    static Claim fixedLikeFresh(SeedGroup shuffled, SeedGroup fixed) {
        String expected = "both 95% intervals within " + Table.readable(100 * ABOUT) + "% of the fresh mean";
        if (shuffled == null || fixed == null) {
            return missing("fixed_like_fresh", FIXED_LIKE_FRESH, "shuffled or fixed budget", expected);
        }
        Stats s = stats(shuffled, "best_val_loss");
        Stats f = stats(fixed, "best_val_loss");
        double share = Math.abs(f.mean() - s.mean()) / s.mean();
        String measured = String.format(Locale.ROOT, "lowest validation loss fixed %s vs fresh %s (%s%% apart)",
                f.pretty(), s.pretty(), Table.readable(100 * share));
        if (s.n() < 2 || f.n() < 2) {
            return Claim.notTested("fixed_like_fresh", Claim.Kind.FINDING, FIXED_LIKE_FRESH, measured + "; "
                    + Support.intervals(f, s) + ": seed noise unknown", expected);
        }
        // equivalence: "about as well" holds only when both intervals sit inside the margin around the fresh mean
        double low = (1 - ABOUT) * s.mean();
        double high = (1 + ABOUT) * s.mean();
        boolean equivalent = Support.inRange(f, low, high) == Claim.Verdict.HOLDS
                && Support.inRange(s, low, high) == Claim.Verdict.HOLDS;
        return new Claim("fixed_like_fresh", Claim.Kind.FINDING, FIXED_LIKE_FRESH, measured, expected,
                equivalent ? Claim.Verdict.HOLDS : Support.apart(f, s) ? Claim.Verdict.DOES_NOT_HOLD
                        : Claim.Verdict.NOT_DISTINGUISHABLE, Support.intervals(f, s) + "; margin ["
                + Table.readable(low) + ", " + Table.readable(high) + "]");
    }

    static Claim minimumNearTen(SeedGroup shuffled) {
        String expected = "95% interval of the mean best epoch inside [" + Table.readable(MIN_BEST_EPOCH) + ", "
                + Table.readable(MAX_BEST_EPOCH) + "]";
        if (shuffled == null) {
            return missing("minimum_near_ten_epochs", MINIMUM_NEAR_TEN, "shuffled budget", expected);
        }
        Stats best = stats(shuffled, "best_epoch");
        return range("minimum_near_ten_epochs", MINIMUM_NEAR_TEN, "best epoch " + best.pretty(), expected, best,
                MIN_BEST_EPOCH, MAX_BEST_EPOCH);
    }

    static Claim overfits(SeedGroup shuffled) {
        String expected = "every seed: val_loss_rise > " + Table.readable(ROUNDING)
                + " x final_val_loss and loss_gap_at_end > loss_gap_at_best";
        if (shuffled == null) {
            return missing("overfits_after_minimum", OVERFITS, "shuffled budget", expected);
        }
        List<CellResult> ok = shuffled.cells().stream().filter(r -> r.status() == CellResult.Status.OK).toList();
        long rose = ok.stream().filter(r -> r.number("val_loss_rise")
                > ROUNDING * r.number("final_val_loss")).count();
        long widened = ok.stream().filter(r -> r.number("loss_gap_at_end")
                > r.number("loss_gap_at_best")).count();
        return Claim.finding("overfits_after_minimum", OVERFITS, String.format(Locale.ROOT,
                "validation loss rose in %d of %d seeds (by %s); the gap widened in %d", rose, ok.size(),
                stats(shuffled, "val_loss_rise").pretty(), widened), expected,
                !ok.isEmpty() && rose == ok.size() && widened == ok.size(), String.format(Locale.ROOT,
                        "per seed: rose beyond the rounding bound %s in %d of %d, gap wider in %d of %d",
                        Table.readable(ROUNDING), rose, ok.size(), widened, ok.size()));
    }

    static Claim stopsAfterPatience(List<SeedGroup> groups, int patience) {
        String expected = "epochs_past_best = " + patience + " in every run stopped by patience";
        List<CellResult> stopped = groups.stream().filter(g -> g.get("stopping").equals(EARLY))
                .flatMap(g -> g.cells().stream())
                .filter(r -> "patience".equals(r.metric("stopped_by"))).toList();
        if (stopped.isEmpty()) {
            return Claim.notTested("early_stops_after_patience", Claim.Kind.INTEGRITY, STOPS_AFTER_PATIENCE,
                    "no run was stopped by patience within its budget", expected);
        }
        List<Long> past = stopped.stream().map(r -> (long) r.number("epochs_past_best")).distinct()
                .sorted().toList();
        return Claim.integrity("early_stops_after_patience", STOPS_AFTER_PATIENCE, stopped.size()
                + " runs stopped by patience, epochs past their best: " + past, expected,
                past.equals(List.of((long) patience)), "exact equality");
    }

    static Claim stopsAtQuarter(SeedGroup early, int maxEpochs) {
        String expected = "95% interval of the mean between " + Table.readable(MIN_SHARE * maxEpochs) + " and "
                + Table.readable(MAX_SHARE * maxEpochs) + " epochs";
        if (early == null) {
            return missing("early_stops_at_quarter", STOPS_AT_QUARTER, "shuffled early-stopping", expected);
        }
        Stats run = stats(early, "epochs_run");
        double share = run.mean() / maxEpochs;
        return range("early_stops_at_quarter", STOPS_AT_QUARTER, "epochs run " + run.pretty() + " of "
                + maxEpochs + " (" + Table.readable(share) + ")", expected, run, MIN_SHARE * maxEpochs,
                MAX_SHARE * maxEpochs);
    }

    static Claim testWithinNoise(SeedGroup early, SeedGroup budget) {
        String expected = "95% intervals overlap";
        if (early == null || budget == null) {
            return missing("early_test_within_noise", TEST_WITHIN_NOISE, "shuffled early-stopping or budget",
                    expected);
        }
        Stats e = stats(early, "test_accuracy");
        Stats b = stats(budget, "test_accuracy");
        if (e.n() < 2 || b.n() < 2) {
            return Claim.notTested("early_test_within_noise", Claim.Kind.FINDING, TEST_WITHIN_NOISE,
                    "one seed: no interval to compare", expected);
        }
        return Claim.finding("early_test_within_noise", TEST_WITHIN_NOISE, String.format(Locale.ROOT,
                "test accuracy early %s vs budget %s", e.pretty(), b.pretty()), expected, !Support.apart(e, b),
                Support.intervals(e, b));
    }
}
