package gdlab.experiment.batchmodes;

import gdlab.report.Claim;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import static gdlab.experiment.GdMode.BATCH;
import static gdlab.experiment.GdMode.MINI_BATCH;
import static gdlab.experiment.GdMode.STOCHASTIC;

/**
 * The claims of batch-modes' hypothesis, in its order, each checked against the run's (mode, batch size) groups:
 * a group's mean over its seeds, and where two groups of two or more seeds are compared, whether their 95% intervals
 * overlap (a difference inside them is seed noise, not a result). The hypothesis in experiments/batch-modes.properties
 * is these statements, each after its id in brackets.
 */
final class BatchModesClaims {
    /** "A few epochs" for stochastic GD. */
    static final int FEW_EPOCHS = 5;
    /** "About as few epochs": mini-batch may need this many more than stochastic. */
    static final int NEAR_EPOCHS = 1;
    /** "A fraction of its time": mini-batch's time to the target below this share of stochastic's. */
    static final double TIME_FRACTION = 0.5;

    static final String UPDATES_PER_EPOCH = "Batch GD (B = N) makes 1 update per epoch, stochastic GD (B = 1) makes N, "
            + "and mini-batch GD (1 < B < N) makes ceil(N/B).";
    static final String BATCH_SMOOTHEST = "Batch GD has the smoothest loss: the fewest epochs whose training loss "
            + "rises above the epoch before's (the lowest loss_rises).";
    static final String BATCH_BELOW_CRIT = "Batch GD below the critical learning rate does not diverge: every seed "
            + "of a batch group with lr_ratio < 1 (lr below lr_crit = 2 / lambda_max at init) trains without "
            + "diverging.";
    static final String BATCH_MOST_MEMORY = "Batch GD holds the most activation memory per step "
            + "(activation_bytes grows with B).";
    static final String BATCH_MOST_EPOCHS = "Batch GD needs the most epochs to reach the target (a seed that never "
            + "reaches it counts as max_epochs + 1).";
    static final String STOCHASTIC_NOISIEST = "Stochastic GD has the noisiest loss (the highest loss_noise_cv).";
    static final String STOCHASTIC_FEW_EPOCHS = "Stochastic GD reaches the target within a few epochs: every seed "
            + "within " + FEW_EPOCHS + ".";
    static final String STOCHASTIC_SLOWEST = "Stochastic GD pays DL4J's fixed per-update cost N times per epoch, "
            + "so its epochs are the slowest in wall time (epoch_time_ms).";
    static final String MINI_BATCH_NEAR = "Mini-batch GD reaches the target in about as few epochs as stochastic GD: "
            + "at most " + NEAR_EPOCHS + " more.";
    static final String MINI_BATCH_FASTER = "Mini-batch GD reaches the target in a fraction of stochastic GD's wall "
            + "time: under half its time_to_target_ms.";

    static final String SHARPNESS_REFERENCE = "lr_crit rests on lambda_max from DL4J's gradients: the plain-Java "
            + "reference network's curvature along the same direction agrees with it within 1%.";

    private static final String TIMINGS = "; timings are this machine's";
    /**
     * Wall times are compared as ratios: on a shared machine a run slows down by a factor (one stochastic seed's epochs
     * took 1.2 s and the next one's 3.8 s), so their means and 95% intervals are those of the log of the times, and the
     * measured value shows geometric means.
     */
    private static final String GEOMETRIC = " ms (geometric means, compared as log times)";

    private BatchModesClaims() {
    }

    /** How claims name a group: its mode, and a mini-batch group's B. */
    static String label(SeedGroup g) {
        return g.get("mode").equals(MINI_BATCH) ? MINI_BATCH + " B=" + g.get("batch_size") : g.get("mode");
    }

    /** How many of the group's trained seeds reached the target. */
    static long reached(SeedGroup g) {
        return g.reached("epochs_to_target");
    }

    /** Epochs to the target per seed, a seed that never reached it counted as maxEpochs + 1. */
    static Stats epochs(SeedGroup g, int maxEpochs) {
        return g.stats(r -> r.metric("epochs_to_target") == null ? maxEpochs + 1 : r.number("epochs_to_target"));
    }

    /**
     * One row of the textbook table: what the textbook says a mode's batch size and updates per epoch are, and
     * whether the group's batch size is the mode's ({@code sizeOk}); what its cells measured comes with it.
     */
    record TextbookRow(SeedGroup group, String textbookB, String textbookUpdates, long expectedUpdates,
                       boolean sizeOk) {
        static TextbookRow of(SeedGroup g, int n) {
            int b = g.integer("batch_size");
            long ceil = (n + b - 1) / b;
            return switch (g.get("mode")) {
                case BATCH -> new TextbookRow(g, "N = " + n, "1", 1, b == n);
                case STOCHASTIC -> new TextbookRow(g, "1", "N = " + n, n, b == 1);
                default -> new TextbookRow(g, "1 < B < N", "N/B = " + ceil, ceil, b > 1 && b < n);
            };
        }

        /** The distinct updates per epoch the group's trained cells measured, sorted (empty: none trained). */
        List<Long> measured() {
            return group.finished().stream().map(r -> (long) r.number("updates_per_epoch")).distinct().sorted()
                    .toList();
        }

        String measuredUpdates() {
            return measured().stream().map(String::valueOf).collect(Collectors.joining(", "));
        }

        /** Whether the batch size and the measured updates are the textbook's; null when no cell trained. */
        Boolean agree() {
            return measured().isEmpty() ? null : sizeOk && measured().equals(List.of(expectedUpdates));
        }
    }

    /**
     * Every claim of the hypothesis, in its order.
     *
     * @param bytesPerExample (inputs + hidden + outputs) x bytes per value: one example's activations
     */
    static List<Claim> of(List<SeedGroup> groups, int n, int maxEpochs, long bytesPerExample, ModeRates rates) {
        SeedGroup batch = find(groups, BATCH);
        SeedGroup stochastic = find(groups, STOCHASTIC);
        List<SeedGroup> minis = groups.stream().filter(g -> g.get("mode").equals(MINI_BATCH) && trained(g)).toList();
        Function<SeedGroup, Stats> noise = g -> g.stats("loss_noise_cv");
        Function<SeedGroup, Stats> rises = g -> g.stats("loss_rises");
        Function<SeedGroup, Stats> epochs = g -> epochs(g, maxEpochs);
        Function<SeedGroup, Stats> epochMs = g -> g.logStats("epoch_time_ms");
        return List.of(
                updatesPerEpoch(groups, n),
                extreme("batch_smoothest_loss", BATCH_SMOOTHEST, BATCH, batch, groups, rises, false, plain(rises),
                        "", ""),
                belowCrit(groups),
                mostMemory(batch, groups, bytesPerExample),
                extreme("batch_most_epochs", BATCH_MOST_EPOCHS, BATCH, batch, groups, epochs, true,
                        g -> withReached(g, epochs.apply(g)), "", ""),
                extreme("stochastic_noisiest_loss", STOCHASTIC_NOISIEST, STOCHASTIC, stochastic, groups, noise, true,
                        plain(noise), "", ""),
                fewEpochs(stochastic, maxEpochs),
                extreme("stochastic_slowest_epochs", STOCHASTIC_SLOWEST, STOCHASTIC, stochastic, groups, epochMs, true,
                        g -> Table.readable(Math.exp(epochMs.apply(g).mean())), GEOMETRIC, TIMINGS),
                miniNear(minis, stochastic, maxEpochs),
                miniFaster(minis, stochastic),
                sharpnessReference(rates));
    }

    /** Integrity: the reference network's Rayleigh quotient along DL4J's top direction is DL4J's lambda_max. */
    static Claim sharpnessReference(ModeRates rates) {
        double lambda = rates.sharpness().lambdaMax();
        return Claim.integrity("lambda_max_matches_reference", SHARPNESS_REFERENCE, "DL4J " + Table.readable(lambda)
                        + " vs reference " + Table.readable(rates.reference()) + " (relative difference "
                        + Table.readable(Math.abs(rates.reference() - lambda) / Math.abs(lambda)) + ")",
                "within " + Table.readable(ModeRates.REFERENCE_TOLERANCE) + " x lambda_max", rates.referenceAgrees(),
                "one Hessian-vector product of the reference (central differences of its exact gradient over the "
                        + rates.sharpness().examples() + " examples lambda_max was taken over)");
    }

    private static boolean trained(SeedGroup g) {
        return !g.finished().isEmpty();
    }

    /** The first group of {@code mode} with a cell that trained; null when there is none. */
    private static SeedGroup find(List<SeedGroup> groups, String mode) {
        return groups.stream().filter(g -> g.get("mode").equals(mode) && trained(g)).findFirst().orElse(null);
    }

    private static String missing(String mode) {
        return "the run has no " + mode + " cell that trained (batch_size " + switch (mode) {
            case BATCH -> "full";
            case STOCHASTIC -> "1";
            default -> "between 1 and N";
        } + ")";
    }

    /** Integrity: the textbook table's agree column, every group. */
    static Claim updatesPerEpoch(List<SeedGroup> groups, int n) {
        String id = "updates_per_epoch";
        String expected = "1, N = " + n + ", ceil(N/B) (the textbook table)";
        List<TextbookRow> rows = groups.stream().map(g -> TextbookRow.of(g, n)).filter(r -> r.agree() != null)
                .toList();
        if (rows.isEmpty()) {
            return Claim.notTested(id, Claim.Kind.INTEGRITY, UPDATES_PER_EPOCH, "no cell trained", expected);
        }
        String measured = rows.stream().map(r -> label(r.group()) + " " + r.measuredUpdates()
                        + (r.agree() ? "" : " (textbook " + r.expectedUpdates() + ")"))
                .collect(Collectors.joining(", "));
        return Claim.integrity(id, UPDATES_PER_EPOCH, measured, expected, rows.stream().allMatch(TextbookRow::agree),
                "exact: whole counts against the textbook's");
    }

    /** Integrity: activation_bytes is B x one example's bytes in every group, and batch's B = N is the largest. */
    static Claim mostMemory(SeedGroup batch, List<SeedGroup> groups, long bytesPerExample) {
        String id = "batch_most_memory";
        String expected = "B x " + bytesPerExample + " bytes (inputs + hidden + outputs, x bytes per value); "
                + "batch's the largest";
        List<SeedGroup> trained = groups.stream().filter(BatchModesClaims::trained).toList();
        if (batch == null || trained.size() < 2) {
            return Claim.notTested(id, Claim.Kind.INTEGRITY, BATCH_MOST_MEMORY,
                    batch == null ? missing(BATCH) : "no other group to compare with", expected);
        }
        boolean formula = true;
        List<String> parts = new ArrayList<>();
        for (SeedGroup g : trained) {
            List<Long> bytes = g.finished().stream().map(r -> (long) r.number("activation_bytes")).distinct()
                    .sorted().toList();
            long b = g.integer("batch_size");
            boolean ok = bytes.equals(List.of(b * bytesPerExample));
            formula &= ok;
            parts.add(label(g) + " " + bytes.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + (ok ? "" : " (not " + b + " x " + bytesPerExample + ")"));
        }
        double most = batch.stats("activation_bytes").mean();
        boolean largest = trained.stream().filter(g -> g != batch)
                .allMatch(g -> g.stats("activation_bytes").mean() < most);
        return Claim.integrity(id, BATCH_MOST_MEMORY, String.join(", ", parts) + " bytes", expected,
                formula && largest, "exact: whole bytes against B x " + bytesPerExample);
    }

    /**
     * Finding: {@code subject}'s mean is the highest (or lowest) of all groups, and its 95% interval is apart from
     * every other group's (with one seed there is no interval: the means decide, and the measured value says so).
     */
    static Claim extreme(String id, String statement, String mode, SeedGroup subject, List<SeedGroup> groups,
                         Function<SeedGroup, Stats> metric, boolean highest, Function<SeedGroup, String> show,
                         String unit, String note) {
        String expected = (highest ? "the highest" : "the lowest") + " mean, its 95% interval apart from the others'";
        if (subject == null) {
            return Claim.notTested(id, Claim.Kind.FINDING, statement, missing(mode), expected);
        }
        Stats s = metric.apply(subject);
        List<SeedGroup> others = groups.stream().filter(g -> g != subject && metric.apply(g).n() > 0).toList();
        if (s.n() == 0 || others.isEmpty()) {
            return Claim.notTested(id, Claim.Kind.FINDING, statement, s.n() == 0 ? label(subject) + " has no value"
                    : "no other group to compare with", expected);
        }
        List<String> overlapping = others.stream().filter(g -> s.overlaps(metric.apply(g)))
                .map(BatchModesClaims::label).toList();
        String measured = label(subject) + " " + show.apply(subject) + " vs "
                + others.stream().map(g -> label(g) + " " + show.apply(g)).collect(Collectors.joining(", "))
                + unit + "; " + separation(s, others.stream().map(metric).toList(), overlapping) + note;
        if (s.n() < 2 || others.stream().anyMatch(g -> metric.apply(g).n() < 2)) {
            return Claim.notTested(id, Claim.Kind.FINDING, statement, measured, expected);
        }
        // a pair whose intervals are apart on the wrong side refutes the claim; one whose intervals overlap leaves
        // it undecided
        boolean refuted = others.stream().anyMatch(g -> Support.apart(s, metric.apply(g))
                && (highest ? s.mean() < metric.apply(g).mean() : s.mean() > metric.apply(g).mean()));
        String support = others.stream().map(g -> label(subject) + " vs " + label(g) + ": "
                + Support.intervals(s, metric.apply(g))).collect(Collectors.joining("; "));
        return Claim.comparison(id, statement, measured, expected, !refuted, refuted || overlapping.isEmpty(),
                support);
    }

    private static Function<SeedGroup, String> plain(Function<SeedGroup, Stats> metric) {
        return g -> Table.readable(metric.apply(g).mean());
    }

    /** A group's mean epochs to the target, and how many of its seeds reached it when not all did. */
    private static String withReached(SeedGroup g, Stats epochs) {
        int n = g.finished().size();
        return Table.readable(epochs.mean()) + (reached(g) == n ? "" : " (" + reached(g) + "/" + n + " reached)");
    }

    private static String separation(Stats subject, List<Stats> others, List<String> overlapping) {
        if (subject.n() < 2 || others.stream().anyMatch(o -> o.n() < 2)) {
            return "1 seed: no 95% interval, seed noise unknown";
        }
        int seeds = others.stream().mapToInt(Stats::n).min().orElse(0);
        String intervals = "95% intervals (" + Math.min(subject.n(), seeds) + " seeds)";
        return overlapping.isEmpty() ? intervals + " apart"
                : intervals + " overlap with " + String.join(", ", overlapping) + ": within seed noise";
    }

    /** Finding: no seed of a batch group whose learning rate is below lr_crit diverges. */
    static Claim belowCrit(List<SeedGroup> groups) {
        String id = "batch_below_crit_stable";
        String expected = "0 diverged seeds in every batch group with lr_ratio < 1";
        List<SeedGroup> below = groups.stream().filter(g -> g.get("mode").equals(BATCH) && g.real("lr_ratio") < 1)
                .toList();
        if (below.isEmpty()) {
            return Claim.notTested(id, Claim.Kind.FINDING, BATCH_BELOW_CRIT, "the run has no batch group with "
                    + "lr_ratio < 1 (" + groups.stream().filter(g -> g.get("mode").equals(BATCH))
                    .map(g -> "lr_ratio " + g.get("lr_ratio")).collect(Collectors.joining(", ")) + ")", expected);
        }
        long diverged = below.stream().mapToLong(g -> g.diverged() + g.failed()).sum();
        long seeds = below.stream().mapToLong(SeedGroup::size).sum();
        String measured = below.stream().map(g -> "lr_ratio " + g.get("lr_ratio") + " (lr " + g.get("lr") + "): "
                + (g.diverged() + g.failed()) + " of " + g.size() + " seeds diverged").collect(Collectors.joining("; "));
        return Claim.finding(id, BATCH_BELOW_CRIT, measured, expected, diverged == 0,
                "each of " + seeds + " seeds' status (the divergence rule above)");
    }

    /** Finding: every stochastic seed reaches the target within FEW_EPOCHS epochs. */
    static Claim fewEpochs(SeedGroup stochastic, int maxEpochs) {
        String id = "stochastic_few_epochs";
        String expected = "every seed at most " + FEW_EPOCHS + " epochs";
        if (stochastic == null) {
            return Claim.notTested(id, Claim.Kind.FINDING, STOCHASTIC_FEW_EPOCHS, missing(STOCHASTIC), expected);
        }
        List<Object> perSeed = stochastic.finished().stream().map(r -> r.metric("epochs_to_target")).toList();
        boolean holds = perSeed.stream().allMatch(e -> e != null && ((Number) e).intValue() <= FEW_EPOCHS);
        String measured = "epochs to target per seed: " + perSeed.stream().map(e -> e == null
                ? "not reached in " + maxEpochs : String.valueOf(e)).collect(Collectors.joining(", "));
        return Claim.finding(id, STOCHASTIC_FEW_EPOCHS, measured, expected, holds,
                "each of " + perSeed.size() + " seeds against the bound of " + FEW_EPOCHS + " epochs");
    }

    /** Why a claim comparing the mini-batch groups with stochastic is not tested; null when it can be. */
    private static String untestedMinis(List<SeedGroup> minis, SeedGroup stochastic) {
        return stochastic == null ? missing(STOCHASTIC) : minis.isEmpty() ? missing(MINI_BATCH) : null;
    }

    /** Finding: each mini-batch group's mean epochs to the target is at most NEAR_EPOCHS above stochastic's. */
    static Claim miniNear(List<SeedGroup> minis, SeedGroup stochastic, int maxEpochs) {
        String id = "mini_batch_epochs_near_stochastic";
        String expected = "mean epochs at most stochastic's + " + NEAR_EPOCHS;
        String untested = untestedMinis(minis, stochastic);
        if (untested != null) {
            return Claim.notTested(id, Claim.Kind.FINDING, MINI_BATCH_NEAR, untested, expected);
        }
        Stats s = epochs(stochastic, maxEpochs);
        boolean holds = true;
        List<String> parts = new ArrayList<>();
        List<String> support = new ArrayList<>();
        for (SeedGroup g : minis) {
            Stats m = epochs(g, maxEpochs);
            support.add(label(g) + " vs stochastic: " + Support.intervals(m, s));
            double diff = m.mean() - s.mean();
            holds &= diff <= NEAR_EPOCHS;
            parts.add(label(g) + " " + withReached(g, m) + " vs stochastic " + withReached(stochastic, s)
                    + " (difference " + Table.readable(diff) + "; " + separation(m, List.of(s),
                    m.overlaps(s) ? List.of("stochastic") : List.of()).replace(": within seed noise", "") + ")");
        }
        return Claim.finding(id, MINI_BATCH_NEAR, String.join("; ", parts), expected, holds,
                "mean difference against the bound of " + NEAR_EPOCHS + " epoch; " + String.join("; ", support));
    }

    /**
     * Finding: every seed of each mini-batch group reaches the target, and its time to it is under TIME_FRACTION of
     * stochastic's (geometric means, stochastic's over its seeds that reached it), the two 95% intervals of log time
     * apart.
     */
    static Claim miniFaster(List<SeedGroup> minis, SeedGroup stochastic) {
        String id = "mini_batch_fraction_of_time";
        String expected = "every seed reaches it; time under " + Table.readable(TIME_FRACTION)
                + " x stochastic's, 95% intervals apart";
        String untested = untestedMinis(minis, stochastic);
        if (untested != null) {
            return Claim.notTested(id, Claim.Kind.FINDING, MINI_BATCH_FASTER, untested, expected);
        }
        Stats s = stochastic.logStats("time_to_target_ms");
        int sn = stochastic.finished().size();
        String sText = s.n() == 0 ? "stochastic never reached it" : "stochastic " + Table.readable(Math.exp(s.mean()))
                + (reached(stochastic) < sn ? " (" + reached(stochastic) + "/" + sn + " reached)" : "") + GEOMETRIC;
        boolean refuted = false;
        boolean undecided = false;
        List<String> parts = new ArrayList<>();
        List<String> support = new ArrayList<>();
        for (SeedGroup g : minis) {
            Stats m = g.logStats("time_to_target_ms");
            int n = g.finished().size();
            if (reached(g) < n) {
                refuted = true;
                parts.add(label(g) + " reached it in " + reached(g) + "/" + n + " seeds");
            } else if (s.n() == 0) {
                parts.add(label(g) + " " + Table.readable(Math.exp(m.mean())));
            } else {
                double ratio = Math.exp(m.mean() - s.mean());
                boolean apart = Support.apart(m, s);
                refuted |= apart && ratio >= TIME_FRACTION;
                undecided |= !apart;
                support.add(label(g) + " vs stochastic, log ms: " + Support.intervals(m, s));
                parts.add(label(g) + " " + Table.readable(Math.exp(m.mean())) + " (" + Table.readable(ratio) + "x; "
                        + separation(m, List.of(s), apart ? List.of() : List.of("stochastic")) + ")");
            }
        }
        String measured = String.join("; ", parts) + " vs " + sText + TIMINGS;
        if (!refuted && (s.n() < 2 || minis.stream().anyMatch(g -> g.logStats("time_to_target_ms").n() < 2))) {
            return Claim.notTested(id, Claim.Kind.FINDING, MINI_BATCH_FASTER, measured, expected);
        }
        return Claim.comparison(id, MINI_BATCH_FASTER, measured, expected, !refuted, refuted || !undecided,
                support.isEmpty() ? "seeds that reached the target" : String.join("; ", support));
    }
}
