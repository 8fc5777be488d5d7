package gdlab.experiment.optimizers;

import gdlab.dl4j.Trainer;
import gdlab.reference.Objective;
import gdlab.spec.Spec;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;

import static gdlab.experiment.optimizers.OptimizerBenchmark.epochs;
import static gdlab.experiment.optimizers.OptimizerBenchmark.network;

/**
 * Every optimizer of a problem gets one budget, counted in example gradients: every loss or gradient evaluation an
 * optimizer asks for counts (a line search's trial points too), a full-batch evaluation on N training examples costs
 * N, a minibatch of B costs B, one evaluation of a 2-D function costs 1. On a network the budget is the problem's
 * epochs x N (what the minibatch updaters use in as many epochs), that is as many full-batch evaluations as epochs;
 * on a 2-D function it is {@code function_steps} evaluations. Monitoring (the training loss recorded after each
 * epoch or step for the curves) is not the optimizer's and does not count.
 */
final class Budget {
    private Budget() {
    }

    /** A problem's budget in evaluations of the whole training set (networks) or of the function (2-D). */
    static int evaluations(Spec spec, String problem) {
        return network(problem) ? epochs(spec, problem) : spec.integer("function_steps");
    }

    /**
     * Counts a DL4J network's loss-and-gradient evaluations: {@code computeGradientAndScore} tells its listeners of
     * each backward pass, and DL4J's solvers call it once per gradient and once per line-search trial point.
     */
    static final class Dl4jCounter extends BaseTrainingListener {
        private int count;

        @Override
        public void onBackwardPass(Model model) {
            count++;
        }

        int count() {
            return count;
        }
    }

    /** Thrown when an optimizer asks for an evaluation beyond its budget. */
    static final class Spent extends RuntimeException {
        Spent() {
            super("evaluation budget spent", null, false, false);
        }
    }

    /**
     * An objective that counts its evaluations as {@link gdlab.reference.Trajectory#evaluations()} does (the value
     * and the gradient at one point are one evaluation) and throws {@link Spent} at the first one beyond
     * {@code budget}.
     */
    static final class Counted implements Objective {
        private final Objective f;
        private final int budget;
        private double[] at;
        private int count;

        Counted(Objective f, int budget) {
            this.f = f;
            this.budget = budget;
        }

        private void visit(double[] x) {
            if (at == null || !Arrays.equals(at, x)) {
                if (count == budget) {
                    throw new Spent();
                }
                count++;
                at = x.clone();
            }
        }

        int count() {
            return count;
        }

        @Override
        public int dimension() {
            return f.dimension();
        }

        @Override
        public double value(double[] x) {
            visit(x);
            return f.value(x);
        }

        @Override
        public double[] gradient(double[] x) {
            visit(x);
            return f.gradient(x);
        }
    }

    /** A DL4J solver's training within a budget, and the evaluations it used. */
    record Dl4jRun(Trainer.Outcome outcome, int evaluations) {
    }

    /**
     * Trains {@code net} with DL4J's solver (one iteration per epoch, full batch) until its evaluations reach
     * {@code budget} (or {@code hook} stops it). An iteration that overruns the budget is undone: the network
     * goes back to the parameters after the last iteration within the budget and the outcome ends there, so no
     * run ever uses more than its budget.
     */
    static Dl4jRun solve(MultiLayerNetwork net, INDArray x, INDArray y, Trainer.Options o, int budget,
                         Trainer.EpochHook hook) {
        Dl4jCounter counter = new Dl4jCounter();
        net.addListeners(counter);
        INDArray[] within = {net.params().dup()};
        int[] kept = {0, 0};
        boolean[] byHook = {false};
        Trainer.Outcome t = Trainer.train(net, x, y, o, e -> {
            if (counter.count() <= budget) {
                within[0] = net.params().dup();
                kept[0] = e.epoch();
                kept[1] = counter.count();
            }
            byHook[0] = hook != null && hook.stopAfter(e);
            return counter.count() >= budget || byHook[0];
        });
        String reason = t.stopReason().equals("hook") && !byHook[0] ? "budget" : t.stopReason();
        int k = kept[0];
        if (t.status() == Trainer.Status.DIVERGED || k == t.epochs().size()) {
            return new Dl4jRun(new Trainer.Outcome(t.status(), reason, t.initialLoss(), t.epochs(),
                    t.updatesPerEpoch(), t.epochsToTarget(), t.updatesToTarget(), t.msToTarget()), counter.count());
        }
        net.setParams(within[0]);
        boolean reached = t.epochsToTarget() != null && t.epochsToTarget() <= k;
        return new Dl4jRun(new Trainer.Outcome(t.status(), "budget", t.initialLoss(),
                List.copyOf(t.epochs().subList(0, k)), t.updatesPerEpoch(), reached ? t.epochsToTarget() : null,
                reached ? t.updatesToTarget() : null, reached ? t.msToTarget() : null), kept[1]);
    }
}
