package gdlab.experiment.learningrate;

import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.sweep.SeedGroup;

import java.util.List;

import static gdlab.experiment.learningrate.LearningRateSummary.rankLoss;

/**
 * One batch size's best learning rate on the grid: among the learning rates where no seed diverged, the fewest
 * epochs to the target (every seed reaching it), then the lowest mean final loss (the excess loss for least squares).
 * A best at the grid's smallest or largest lr is only the best of the grid: the true best may lie beyond it, and
 * whatever names it says so. Whether another lr is really worse is told by the seeds' 95% intervals.
 *
 * @param grid   the batch size's groups, in increasing lr_ratio
 * @param winner the best, or null when every lr diverged
 */
record BestLr(List<SeedGroup> grid, SeedGroup winner) {
    static final String SMALLEST = "smallest";
    static final String LARGEST = "largest";

    /** @param grid one batch size's groups, in increasing lr_ratio */
    static BestLr of(List<SeedGroup> grid) {
        SeedGroup winner = null;
        for (SeedGroup g : grid) {
            if (g.diverged() == 0 && Double.isFinite(rankLoss(g).mean()) && (winner == null || better(g, winner))) {
                winner = g;
            }
        }
        return new BestLr(grid, winner);
    }

    SeedGroup batch() {
        return grid.get(0);
    }

    /** {@link #SMALLEST} or {@link #LARGEST} when the best is at that end of the grid (of two or more lrs), or null. */
    String gridEdge() {
        if (winner == null || grid.size() < 2) {
            return null;
        }
        return winner == grid.get(0) ? SMALLEST : winner == grid.get(grid.size() - 1) ? LARGEST : null;
    }

    /** "x0.9", or "x10 (the grid's largest lr: the best may lie above it)", or "none (every lr diverged)". */
    String describe() {
        if (winner == null) {
            return "none (every lr diverged)";
        }
        String edge = gridEdge();
        return "x" + winner.get("lr_ratio") + (edge == null ? "" : " (the grid's " + edge + " lr: the best may lie "
                + (edge.equals(LARGEST) ? "above" : "below") + " it)");
    }

    /** The smallest lr_ratio where a seed diverged (over the batch size's own budget), or null. */
    Double firstDiverging() {
        return grid.stream().filter(g -> g.diverged() > 0).map(g -> g.real("lr_ratio")).min(Double::compare)
                .orElse(null);
    }

    /** This batch size's group at {@code ratio}, or null. */
    SeedGroup at(double ratio) {
        return grid.stream().filter(g -> g.real("lr_ratio") == ratio).findFirst().orElse(null);
    }

    /**
     * Whether g beats the best so far: when both reached the target with every seed, fewer epochs to it (then the
     * lower final loss); one that reached it beats one that did not; otherwise the lower final loss.
     */
    static boolean better(SeedGroup g, SeedGroup best) {
        boolean all = allReached(g);
        if (all != allReached(best)) {
            return all;
        }
        double e = g.stats("epochs_to_target").mean();
        double be = best.stats("epochs_to_target").mean();
        return all && e != be ? e < be : rankLoss(g).mean() < rankLoss(best).mean();
    }

    private static boolean allReached(SeedGroup g) {
        return g.reached("epochs_to_target") == g.size();
    }

    /** What two groups of one batch size are compared on: epochs to the target when every seed of both got there. */
    private static String metric(SeedGroup a, SeedGroup b) {
        return allReached(a) && allReached(b) ? "epochs_to_target" : LearningRateSummary.mlp(a) ? "final_loss"
                : "final_gap";
    }

    /**
     * Whether the winner's and the other group's 95% intervals (over the seeds) of their compared metric are apart;
     * never when a seed of the other diverged (a diverged run has no final loss to compare).
     */
    static boolean apart(SeedGroup winner, SeedGroup other) {
        if (other.diverged() > 0) {
            return false;
        }
        String m = metric(winner, other);
        return Support.apart(winner.stats(m), other.stats(m));
    }

    /** "B=16 x0.9 vs x3, final_loss: 95% CIs apart: [..] vs [..]" (or why there is no interval). */
    static String versus(SeedGroup winner, SeedGroup other) {
        if (other.diverged() > 0) {
            return "B=" + winner.get("batch_size") + " x" + winner.get("lr_ratio") + " vs x" + other.get("lr_ratio")
                    + ": x" + other.get("lr_ratio") + " diverged (" + other.diverged() + "/" + other.size()
                    + " seeds), no interval";
        }
        String m = metric(winner, other);
        Stats w = winner.stats(m);
        Stats o = other.stats(m);
        return "B=" + winner.get("batch_size") + " x" + winner.get("lr_ratio") + " vs x" + other.get("lr_ratio")
                + ", " + m + " " + Table.readable(w.mean()) + " vs " + Table.readable(o.mean()) + ": "
                + Support.intervals(w, o);
    }
}
