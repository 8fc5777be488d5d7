package gdlab.experiment.learningrate;

import gdlab.dl4j.Trainer;
import gdlab.report.Columns;
import gdlab.report.Table;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static gdlab.experiment.learningrate.LearningRate.CURVE;

/**
 * Where each batch size first diverges, judged at equal numbers of updates. Batch sizes get their budgets in epochs,
 * so their runs make different numbers of updates (quick: 100 full-batch steps against 35 of B=16), and a run that
 * makes more updates has more time to blow up. Each pair of neighbouring batch sizes of a problem is therefore judged
 * at the same update count: the largest count at which both have an epoch end, within both budgets. A run has
 * diverged by then when its loss blew up (as the trainer judges: non-finite or above {@link Trainer#BLOW_UP} x
 * max(start, 1)), or at that epoch end is no lower than at the start, or (the MLP) the classifier's rule says so on
 * the losses up to there; at its last epoch this is exactly the run's regime {@code diverged}.
 *
 * <p>On the grid, a batch size's edge lies in a bracket (lo, hi]: every run at or below lo did not diverge, every run
 * at or above hi did (every seed). Two batch sizes' edges are told apart only when their brackets do not overlap;
 * otherwise the grid (and the seeds' disagreement) cannot say which diverges first.
 */
final class EqualUpdates {
    /** One batch size of a pair, judged at the pair's update count: its bracket and the runs behind it. */
    record Edge(int batch, long budget, int updatesPerEpoch, double firstDiverging, double lo, double hi, int runs) {
        String bracket() {
            return "(" + (lo == 0 ? "0" : Table.readable(lo)) + ", "
                    + (Double.isInfinite(hi) ? "inf" : Table.readable(hi))
                    + (Double.isInfinite(hi) ? ")" : "]");
        }

        String first() {
            return Double.isInfinite(firstDiverging) ? "none" : Table.readable(firstDiverging);
        }
    }

    /** How a pair's edges compare: the smaller batch's below, above, or not told apart. */
    enum Order { SMALLER_SOONER, SMALLER_LATER, OVERLAP, NOT_COMPARABLE }

    /**
     * Two neighbouring batch sizes of a problem (larger first) judged at {@code updates} updates each.
     *
     * @param whyNot why the pair cannot be judged at equal updates (null: it can)
     */
    record Pair(String problem, Edge larger, Edge smaller, long updates, String whyNot) {
        Order order() {
            if (whyNot != null) {
                return Order.NOT_COMPARABLE;
            }
            return smaller.hi() <= larger.lo() ? Order.SMALLER_SOONER
                    : larger.hi() <= smaller.lo() ? Order.SMALLER_LATER : Order.OVERLAP;
        }

        String describe() {
            String head = problem + " B=" + larger.batch() + " vs B=" + smaller.batch();
            if (whyNot != null) {
                return head + ": not comparable (" + whyNot + ")";
            }
            return head + " at " + updates + " updates each (budgets " + larger.budget() + " and " + smaller.budget()
                    + "): first diverging lr_ratio " + larger.first() + " vs " + smaller.first() + switch (order()) {
                        case SMALLER_SOONER -> " (the smaller batch sooner)";
                        case SMALLER_LATER -> " (the smaller batch later)";
                        default -> " (not told apart on the grid)";
                    };
        }

        String support() {
            String head = problem + " B=" + larger.batch() + " vs B=" + smaller.batch();
            return whyNot != null ? head + ": not comparable at equal updates" : head + ", " + larger.runs() + " vs "
                    + smaller.runs() + " runs, edge brackets on the grid " + larger.bracket() + " vs "
                    + smaller.bracket() + (order() == Order.OVERLAP ? ": overlap" : ": apart");
        }
    }

    static final Columns<Pair> TABLE = new Columns<Pair>().add("problem", Pair::problem)
            .add("larger_batch", p -> p.larger().batch()).add("smaller_batch", p -> p.smaller().batch())
            .add("budgets_updates", p -> p.larger().budget() + " vs " + p.smaller().budget())
            .add("judged_at_updates", p -> p.whyNot() == null ? String.valueOf(p.updates()) : "-")
            .add("first_diverging_lr_ratio", p -> p.whyNot() == null ? p.larger().first() + " vs "
                    + p.smaller().first() : "-")
            .add("edge_brackets", p -> p.whyNot() == null ? p.larger().bracket() + " vs " + p.smaller().bracket()
                    : "-")
            .add("smaller_batch_diverges", p -> switch (p.order()) {
                case SMALLER_SOONER -> "sooner";
                case SMALLER_LATER -> "later";
                case OVERLAP -> "not told apart";
                case NOT_COMPARABLE -> "not comparable: " + p.whyNot();
            });

    private EqualUpdates() {
    }

    /**
     * Every problem's pairs of neighbouring batch sizes (largest first).
     *
     * @param maxEpochs the epoch budget by mode (batch, mini-batch, stochastic)
     * @param classes   the classes of each softmax problem (absent: least squares)
     */
    static List<Pair> pairs(List<SeedGroup> groups, Map<String, Integer> maxEpochs, Map<String, Integer> classes) {
        Map<String, Map<Integer, List<SeedGroup>>> byProblem = new LinkedHashMap<>();
        for (SeedGroup g : groups) {
            byProblem.computeIfAbsent(g.get("problem"), k -> new TreeMap<>(Comparator.reverseOrder()))
                    .computeIfAbsent(g.integer("batch_size"), k -> new ArrayList<>()).add(g);
        }
        List<Pair> pairs = new ArrayList<>();
        byProblem.forEach((problem, byBatch) -> {
            List<List<SeedGroup>> batches = new ArrayList<>(byBatch.values());
            batches.forEach(gs -> gs.sort(Comparator.comparingDouble(g -> g.real("lr_ratio"))));
            for (int i = 0; i + 1 < batches.size(); i++) {
                pairs.add(pair(problem, batches.get(i), batches.get(i + 1), maxEpochs, classes.getOrDefault(problem,
                        0)));
            }
        });
        return pairs;
    }

    private static Pair pair(String problem, List<SeedGroup> large, List<SeedGroup> small,
                             Map<String, Integer> maxEpochs, int classes) {
        int pL = updatesPerEpoch(large);
        int pS = updatesPerEpoch(small);
        long budgetL = (long) pL * maxEpochs.get(large.get(0).get("mode"));
        long budgetS = (long) pS * maxEpochs.get(small.get(0).get("mode"));
        long step = lcm(pL, pS);
        long updates = Math.min(budgetL, budgetS) / step * step;
        String whyNot = updates == 0 ? "B=" + large.get(0).get("batch_size") + "'s epochs end every " + pL
                + " updates, B=" + small.get(0).get("batch_size") + "'s every " + pS + ": no common epoch end within "
                + "both budgets (" + budgetL + " and " + budgetS + " updates)" : null;
        return new Pair(problem, edge(large, budgetL, pL, updates, classes), edge(small, budgetS, pS, updates,
                classes), updates, whyNot);
    }

    /** One batch size's bracket at {@code updates} updates. */
    static Edge edge(List<SeedGroup> gs, long budget, int perEpoch, long updates, int classes) {
        double first = Double.POSITIVE_INFINITY;
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        boolean noneYet = true;
        int runs = 0;
        for (SeedGroup g : gs) {
            List<CellResult> trained = g.finished();
            long diverged = trained.stream().filter(r -> divergedBy(r, updates, classes)).count();
            runs += trained.size();
            noneYet &= diverged == 0;
            if (noneYet) {
                lo = g.real("lr_ratio");
            }
            first = diverged > 0 ? Math.min(first, g.real("lr_ratio")) : first;
        }
        for (int i = gs.size() - 1; i >= 0; i--) {
            List<CellResult> trained = gs.get(i).finished();
            if (trained.isEmpty() || !trained.stream().allMatch(r -> divergedBy(r, updates, classes))) {
                break;
            }
            hi = gs.get(i).real("lr_ratio");
        }
        return new Edge(gs.get(0).integer("batch_size"), budget, perEpoch, first, lo, hi, runs);
    }

    /** Whether the run had diverged by {@code updates} updates (an epoch end of it; see the class comment). */
    static boolean divergedBy(CellResult r, long updates, int classes) {
        double[] counts = r.series(CURVE, "updates");
        double[] losses = r.series(CURVE, "train_loss");
        int j = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == updates) {
                j = i;
            }
        }
        if (j < 0) {
            // the run stopped before: only a blow-up stops a sweep run early
            return counts.length == 0 || counts[counts.length - 1] < updates;
        }
        double start = losses[0];
        for (int i = 1; i <= j; i++) {
            if (!Double.isFinite(losses[i]) || losses[i] > Trainer.BLOW_UP * Math.max(start, 1.0)) {
                return true;
            }
        }
        return !(losses[j] < start)
                || classes > 0
                && Trainer.classifierVerdict(start, Arrays.copyOfRange(losses, 1, j + 1), classes) != null;
    }

    private static int updatesPerEpoch(List<SeedGroup> gs) {
        return (int) gs.stream().flatMap(g -> g.finished().stream()).mapToDouble(r -> r.number("updates_per_epoch"))
                .filter(Double::isFinite).max().orElse(1);
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
