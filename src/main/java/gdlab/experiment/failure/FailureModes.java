package gdlab.experiment.failure;

import gdlab.experiment.PartedExperiment;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;

import java.util.List;

/**
 * When gradient descent fails, in five parts: local minima, the seed's claim that stochastic noise escapes them,
 * saddles and plateaus, vanishing gradients, and a bad step size. Each cell belongs to one part (its {@code part}
 * coordinate); cells.csv holds the union of the parts' metrics, curves.csv their shared {@link Part#CURVE} columns,
 * the summary prints one section with its tables per part, and the claims are the parts' in order (not tested for a
 * part not run). Only vanishing and step size's MLP train on {@code data}; the summary says so first, since the other
 * parts run on their own test functions and synthetic sets whatever {@code data} is.
 */
public final class FailureModes extends PartedExperiment {
    public FailureModes() {
        super(List.of(new LocalMinimaPart(), new SeedClaimPart(), new EscapePart(),
            new VanishingPart(), new StepSizePart()), Part.CURVE);
    }

    private String data;

    @Override
    public List<Cell> prepare(Spec spec) {
        data = spec.string("data");
        return super.prepare(spec);
    }

    @Override
    public Report summarize(List<CellResult> results) {
        Report r = super.summarize(results);
        return data == null ? r : new Report(r.summary(), "Data: " + data + ", used by the vanishing part and the step-size part's MLP; "
                + "local minima, the seed's claim, saddles/plateaus and Rosenbrock run on their own test functions "
                + "and synthetic sets and do not use it.\n\n" + r.markdown(), r.figures(), r.claims());
    }

    @Override
    public String name() {
        return "failure-modes";
    }

    @Override
    public String question() {
        return "When does gradient descent fail (local minima, saddles, plateaus, vanishing gradients, a bad step "
                + "size), and does stochastic noise rescue it?";
    }
}
