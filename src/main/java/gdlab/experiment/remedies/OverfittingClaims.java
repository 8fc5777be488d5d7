package gdlab.experiment.remedies;

import gdlab.report.Claim;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.List;

import static gdlab.experiment.ExperimentPart.notTested;
import static gdlab.experiment.remedies.OverfittingPart.DROPOUT_LOWERS;
import static gdlab.experiment.remedies.OverfittingPart.EARLY;
import static gdlab.experiment.remedies.OverfittingPart.EARLY_KEEPS;
import static gdlab.experiment.remedies.OverfittingPart.L2_LOWERS;
import static gdlab.experiment.remedies.OverfittingPart.RISES;
import static gdlab.experiment.remedies.Part.OFF;

/**
 * The overfitting part's claims, each judged by 95% intervals of the mean over the seeds (t-based, {@link Stats}):
 * the rise without a remedy against 0, each regularizer's rise and best validation loss against the net's without a
 * remedy, and early stopping's test accuracy against the final epoch's, paired by seed. With one seed there is no
 * interval and the claim is not tested; overlapping intervals are not distinguishable.
 */
final class OverfittingClaims {
    private OverfittingClaims() {
    }

    static List<Claim> of(List<SeedGroup> groups) {
        SeedGroup off = group(groups, OFF);
        return List.of(rises(off), lowers(L2_LOWERS, off, group(groups, "l2")),
                lowers(DROPOUT_LOWERS, off, group(groups, "dropout")), keeps(off, group(groups, EARLY)));
    }

    private static SeedGroup group(List<SeedGroup> groups, String remedy) {
        return groups.stream().filter(g -> g.get("remedy").equals(remedy)).findFirst().orElse(null);
    }

    /** Over the seeds that trained to the end (not the diverged ones). */
    private static Stats stats(SeedGroup g, String metric) {
        return g.stats(r -> r.status() == CellResult.Status.OK ? r.number(metric) : Double.NaN);
    }

    static Claim rises(SeedGroup off) {
        String expected = "95% interval of the mean rise above 0";
        if (off == null) {
            return notTested(RISES, "the run has no off cells", expected);
        }
        Stats rise = stats(off, "val_loss_rise");
        String measured = "rise " + rise.pretty() + " after best epoch " + stats(off, "best_epoch").pretty()
                + " of " + stats(off, "epochs_run").pretty();
        if (rise.n() < 2) {
            return Part.cannotReach(RISES, measured, expected, Support.interval95(rise));
        }
        // the rise is never negative (the best is the lowest), so an interval that reaches 0 cannot say it fell
        return Part.judged(RISES, measured, expected, rise.ciLow() > 0 ? Claim.Verdict.HOLDS
                : Claim.Verdict.NOT_DISTINGUISHABLE, Support.interval95(rise));
    }

    static Claim lowers(Claim claim, SeedGroup off, SeedGroup remedy) {
        String expected = "rise's 95% interval below off's; best validation loss's interval not above off's";
        if (off == null || remedy == null) {
            return notTested(claim, "needs the off cells and the remedy's", expected);
        }
        Stats rise = stats(remedy, "val_loss_rise");
        Stats offRise = stats(off, "val_loss_rise");
        Stats best = stats(remedy, "best_val_loss");
        Stats offBest = stats(off, "best_val_loss");
        String name = remedy.get("remedy");
        String measured = "rise " + name + " " + rise.pretty() + " vs off " + offRise.pretty() + "; best validation "
                + "loss " + name + " " + best.pretty() + " vs off " + offBest.pretty();
        if (rise.n() < 2 || offRise.n() < 2) {
            return Part.cannotReach(claim, measured, expected, Support.intervals(rise, offRise));
        }
        boolean worse = Support.apart(best, offBest) && best.mean() > offBest.mean();
        List<boolean[]> compared = new ArrayList<>(List.of(new boolean[] {rise.mean() < offRise.mean(),
                Support.apart(rise, offRise)}, new boolean[] {!worse, true}));
        return Part.judged(claim, measured, expected, Part.allAsStated(compared), "rise: "
                + Support.intervals(rise, offRise) + "; best validation loss: " + Support.intervals(best, offBest));
    }

    static Claim keeps(SeedGroup off, SeedGroup early) {
        String expected = "paired 95% interval of (early-stop - final epoch) test accuracy not below 0";
        if (off == null || early == null) {
            return notTested(EARLY_KEEPS, "needs the off cells and early-stop's", expected);
        }
        List<Double> diffs = new ArrayList<>();
        for (CellResult e : early.cells()) {
            off.cells().stream().filter(o -> o.cell().get("seed").equals(e.cell().get("seed"))
                            && o.status() == CellResult.Status.OK && e.status() == CellResult.Status.OK).findFirst()
                    .ifPresent(o -> diffs.add(e.number("test_accuracy") - o.number("test_accuracy")));
        }
        Stats d = Stats.of(diffs);
        String measured = "test accuracy early-stop " + stats(early, "test_accuracy").pretty() + " vs final epoch "
                + stats(off, "test_accuracy").pretty() + "; paired difference " + d.pretty();
        if (d.n() < 2) {
            return Part.cannotReach(EARLY_KEEPS, measured, expected, Support.interval95(d));
        }
        Claim.Verdict v = d.ciLow() >= 0 ? Claim.Verdict.HOLDS : d.ciHigh() < 0 ? Claim.Verdict.DOES_NOT_HOLD
                : Claim.Verdict.NOT_DISTINGUISHABLE;
        return Part.judged(EARLY_KEEPS, measured, expected, v, "paired " + Support.interval95(d));
    }
}
