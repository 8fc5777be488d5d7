package gdlab.experiment.failure;

import gdlab.experiment.GdMode;
import gdlab.report.Binomial;
import gdlab.report.Claim;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Predicate;

import static gdlab.experiment.failure.Part.finding;
import static gdlab.experiment.failure.Part.integrity;
import static gdlab.experiment.failure.Part.notTested;
import static gdlab.experiment.failure.Part.verdict;

/**
 * The seed claim's modes compared pairwise: each mode of a setting against batch GD on the same seeds (exact McNemar
 * test on the pairs where only one of the two reached the global minimum), and the claims those comparisons decide.
 */
final class ModePairs {
    private ModePairs() {
    }

    /** A setting of paired runs can reach p < 0.05 in an exact McNemar test only with 6 or more pairs. */
    static boolean canReachSignificance(int pairs) {
        return Binomial.mcnemarP(pairs, 0) < 0.05;
    }

    static final Claim LITTLE_NOISE = finding("little_noise_no_help", "When the examples differ little (the "
            + "smallest of two or more claim_noise levels), neither stochastic nor mini-batch noise measurably changes "
            + "how often GD reaches the global minimum.");
    static final Claim MODERATE_NOISE = finding("stochastic_helps_moderate_noise", "When they differ "
            + "moderately (a larger level where no B = 1 run diverges), stochastic GD (B = 1) reaches the global "
            + "minimum measurably more often than batch GD.");
    static final Claim MINI_BATCH_A_LOT = finding("mini_batch_helps_only_a_lot", "Mini-batch noise measurably "
            + "helps only when the examples differ a lot (the largest claim_noise level).");
    static final Claim DIVERGING_NOISE = finding("stochastic_hurts_when_diverging", "Where B = 1 noise is so "
            + "large that runs diverge, stochastic GD reaches the global minimum measurably less often than batch GD.");
    static final Claim XOR_NO_HELP = finding("xor_no_help", "On the XOR net no mode's noise measurably helps.");
    static final Claim XOR_STUCK = finding("xor_third_stuck", "About a third of the XOR runs get stuck in every "
            + "mode (1/3 inside the 95% interval of the share not reaching the target, 0 and 2/3 outside it).");
    static final Claim WINDOW = finding("noise_rescues_in_a_window", "Stochastic noise rescues batch GD from "
            + "local minima only in a window: stochastic GD reaches the global minimum measurably more often than "
            + "batch GD in some settings, not all.");
    static final Claim XOR_AGREE = integrity("xor_engines_agree", "Every XOR run replayed in the reference from "
            + "DL4J's initial parameters and minibatches ends at DL4J's loss.");
    static final Claim[] CLAIMS = {LITTLE_NOISE, MODERATE_NOISE, MINI_BATCH_A_LOT, DIVERGING_NOISE, XOR_NO_HELP,
        XOR_STUCK, WINDOW, XOR_AGREE};
    private static final String SIGNIFICANT = "McNemar p < 0.05 against the batch twins";

    /**
     * One mode of one seed-claim setting against batch GD on the same seeds: its cells, how many runs they hold, how
     * many reached the global minimum and how many diverged, the discordant pairs and their McNemar p-value.
     */
    record Compared(String kase, String setting, String mode, List<CellResult> cells, int runs, int reached,
                    long diverged, int onlyThis, int onlyBatch, double p) {
        CellResult first() {
            return cells.get(0);
        }

        double share() {
            return reached / (double) runs;
        }

        /** Wilson 95% interval of {@link #share}. */
        double[] ci() {
            return Binomial.wilson(reached, runs);
        }

        boolean batch() {
            return mode.equals(GdMode.BATCH);
        }

        String verdict() {
            return batch() ? "-" : helped() ? "noise helped" : hurt() ? "noise hurt" : "no measurable difference";
        }

        /** Mean final loss of the runs that have one (the XOR net's), NaN for none. */
        double lossMean() {
            return cells.stream().mapToDouble(r -> r.number("final_loss")).filter(Double::isFinite).average()
                    .orElse(Double.NaN);
        }

        /** Runs replayed in the reference whose final loss agrees with DL4J's (XOR only). */
        long agree() {
            return cells.stream().filter(r -> r.metric("engines_agree") != null)
                    .mapToLong(r -> (long) r.number("engines_agree")).sum();
        }

        long compared() {
            return cells.stream().filter(r -> r.metric("engines_agree") != null).count();
        }

        boolean helped() {
            return p < 0.05 && onlyThis > onlyBatch;
        }

        boolean hurt() {
            return p < 0.05 && onlyThis < onlyBatch;
        }

        boolean xor() {
            return kase.startsWith(SeedClaimPart.MLP_CASE);
        }

        double noise() {
            return xor() ? Double.NaN : Double.parseDouble(setting.substring(setting.indexOf('=') + 1));
        }

        String label() {
            return (xor() ? "xor" : setting) + " " + mode + ": " + onlyThis + "/" + onlyBatch + " p="
                    + Table.readable(p);
        }
    }

    /** Every mode of every (case, setting) against batch GD, in grid order. */
    static List<Compared> of(List<CellResult> rows) {
        List<Compared> out = new ArrayList<>();
        for (SeedGroup g : SeedGroup.by(rows, "case", "setting")) {
            List<SeedGroup> modes = SeedGroup.by(g.cells(), "batch");
            Map<String, Boolean> batch = reachedPerRun(SeedGroup.find(modes, "batch", GdMode.BATCH)
                    .map(SeedGroup::cells).orElse(List.of()));
            for (SeedGroup m : modes) {
                List<CellResult> rs = m.cells();
                int onlyThis = 0;
                int onlyBatch = 0;
                for (Map.Entry<String, Boolean> o : reachedPerRun(rs).entrySet()) {
                    Boolean other = batch.get(o.getKey());
                    if (other != null && o.getValue() && !other) {
                        onlyThis++;
                    } else if (other != null && !o.getValue() && other) {
                        onlyBatch++;
                    }
                }
                out.add(new Compared(g.get("case"), g.get("setting"), m.get("batch"), rs,
                        rs.stream().mapToInt(r -> (int) r.number("runs")).sum(),
                        rs.stream().mapToInt(r -> (int) r.number("reached")).sum(),
                        Math.round(rs.stream().mapToDouble(r -> r.number("share_diverged") * r.number("runs")).sum()),
                        onlyThis, onlyBatch, Binomial.mcnemarP(onlyThis, onlyBatch)));
            }
        }
        return out;
    }

    /** Whether each run of these cells reached the global minimum, by seed and run (the key of its twins). */
    private static Map<String, Boolean> reachedPerRun(List<CellResult> cells) {
        Map<String, Boolean> reached = new LinkedHashMap<>();
        for (CellResult r : cells) {
            for (Map<String, Object> c : Part.points(r)) {
                if ("run".equals(c.get("series"))) {
                    reached.put(r.cell().get("seed") + "/" + c.get("step"), "reached".equals(c.get("status")));
                }
            }
        }
        return reached;
    }

    static List<Claim> claims(List<Compared> all) {
        long xorAgree = all.stream().mapToLong(Compared::agree).sum();
        long xorCompared = all.stream().mapToLong(Compared::compared).sum();
        List<Compared> tilts = all.stream().filter(c -> !c.xor() && !c.mode().equals("batch")).toList();
        List<Compared> xor = all.stream().filter(Compared::xor).toList();
        List<Double> levels = tilts.stream().map(Compared::noise).distinct().sorted().toList();
        List<Double> diverging = tilts.stream().filter(c -> c.mode().equals("stochastic") && c.diverged() > 0)
                .map(Compared::noise).toList();
        List<Compared> little = levels.size() < 2 ? List.of()
                : tilts.stream().filter(c -> c.noise() == levels.get(0)).toList();
        List<Compared> moderate = tilts.stream().filter(c -> c.mode().equals("stochastic") && !little.contains(c)
                && !diverging.contains(c.noise())).toList();
        List<Compared> stochasticDiverging = tilts.stream().filter(c -> c.mode().equals("stochastic")
                && diverging.contains(c.noise())).toList();
        List<Compared> minis = tilts.stream().filter(c -> c.mode().equals("mini-batch")).toList();
        List<Compared> xorModes = xor.stream().filter(c -> !c.mode().equals("batch")).toList();
        List<Compared> stochastic = all.stream().filter(c -> c.mode().equals("stochastic")).toList();
        List<Compared> testable = stochastic.stream().filter(c -> canReachSignificance(c.runs())).toList();
        long k = testable.stream().filter(Compared::helped).count();
        List<String> untestable = stochastic.stream().filter(c -> !testable.contains(c))
                .map(c -> (c.xor() ? "xor" : c.setting()) + " (" + c.runs() + " runs)").toList();
        return List.of(
                paired(LITTLE_NOISE, little, c -> !c.helped() && !c.hurt(), "no change (" + SIGNIFICANT + ")",
                        levels.size() < 2 ? "needs two or more claim_noise levels" : null),
                paired(MODERATE_NOISE, moderate, Compared::helped, "helped (" + SIGNIFICANT + ")",
                        moderate.isEmpty() ? "no level above the smallest without diverging B = 1 runs" : null),
                levels.size() < 2 ? notTested(MINI_BATCH_A_LOT, "needs two or more claim_noise levels", "helped at the "
                        + "largest level only") : paired(MINI_BATCH_A_LOT, minis, c -> c.helped()
                        == (c.noise() == levels.get(levels.size() - 1)), "helped at the largest level only ("
                        + SIGNIFICANT + ")", null),
                paired(DIVERGING_NOISE, stochasticDiverging, Compared::hurt, "hurt (" + SIGNIFICANT + ")",
                        stochasticDiverging.isEmpty() ? "no level where a B = 1 run diverged" : null),
                paired(XOR_NO_HELP, xorModes, c -> !c.helped(), "no help (" + SIGNIFICANT + ")",
                        xor.isEmpty() ? "no XOR runs" : null),
                xorStuck(xor),
                testable.size() < 2 ? notTested(WINDOW, "needs two settings that can reach p < 0.05; too few runs: "
                        + String.join(", ", untestable), "helped in k of n settings, 0 < k < n")
                        : verdict(WINDOW, String.format(Locale.ROOT, "helped in %d of %d settings%s", k,
                        testable.size(), untestable.isEmpty() ? "" : "; not counted, too few runs: "
                                + String.join(", ", untestable)), "0 < k < n", k > 0 && k < testable.size(),
                        mcnemar(testable)),
                xorCompared == 0 ? notTested(XOR_AGREE, "no XOR runs", "final losses equal") : verdict(XOR_AGREE, 
                        xorAgree + " of " + xorCompared + " runs agree", "every run, final losses equal to "
                                + Table.readable(SeedClaimPart.AGREE_TOL), xorAgree == xorCompared,
                        Support.bound(SeedClaimPart.AGREE_TOL)));
    }

    /** A claim on paired comparisons: not tested without them or when one cannot reach p < 0.05 (too few runs). */
    private static Claim paired(Claim check, List<Compared> cs, Predicate<Compared> holds,
                                String expected, String why) {
        if (why != null || cs.isEmpty()) {
            return notTested(check, why == null ? "no such setting in this run" : why, expected);
        }
        List<String> few = cs.stream().filter(c -> !canReachSignificance(c.runs()))
                .map(c -> (c.xor() ? "xor" : c.setting()) + " " + c.mode() + " " + c.runs()).toList();
        if (!few.isEmpty()) {
            return notTested(check, "too few runs to reach p < 0.05 (at least 6 pairs): " + String.join(", ", few),
                    expected);
        }
        return verdict(check, String.join("; ", cs.stream().map(Compared::label).toList()), expected,
                cs.stream().allMatch(holds), mcnemar(cs));
    }

    /** Each comparison's exact McNemar test, as the support of a paired claim. */
    private static String mcnemar(List<Compared> cs) {
        return String.join("; ", cs.stream().map(c -> (c.xor() ? "xor" : c.setting()) + " " + c.mode() + ": "
                + Support.mcnemar(c.onlyThis(), c.onlyBatch())).toList());
    }

    private static Claim xorStuck(List<Compared> xor) {
        String expected = "1/3 in every mode's Wilson 95% interval, 0 and 2/3 not";
        if (xor.isEmpty()) {
            return notTested(XOR_STUCK, "no XOR runs", expected);
        }
        boolean third = true;
        boolean apart = true;
        List<String> measured = new ArrayList<>();
        List<String> support = new ArrayList<>();
        for (Compared c : xor) {
            int stuck = c.runs() - c.reached();
            double[] ci = Binomial.wilson(stuck, c.runs());
            third &= ci[0] <= 1 / 3.0 && 1 / 3.0 <= ci[1];
            apart &= ci[0] > 0 && ci[1] < 2 / 3.0;
            measured.add(c.mode() + " " + stuck + "/" + c.runs());
            support.add(c.mode() + " " + Support.binomial(stuck, c.runs()));
        }
        // an interval that holds 1/3 but also 0 or 2/3 cannot tell "a third" from "none" or "two thirds"
        return verdict(XOR_STUCK, "stuck: " + String.join(", ", measured), expected, !third
                ? Claim.Verdict.DOES_NOT_HOLD : apart ? Claim.Verdict.HOLDS : Claim.Verdict.NOT_DISTINGUISHABLE,
                String.join("; ", support) + (third && !apart ? ": too few runs to tell a third from 0 or 2/3"
                        : ""));
    }

}
