package gdlab.basics;

import gdlab.data.EpochOrder;
import gdlab.dl4j.Probes;
import gdlab.dl4j.Tensors;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Sgd;

/**
 * Part 4, how the network learns: the first steps of plain minibatch SGD from the initial parameters (DL4J's
 * {@code fit}, one minibatch per step, examples in {@link EpochOrder}'s seeded order); after each step the loss of the
 * whole training set and, per parameter block, how far it has moved from its start (Euclidean norm of the change),
 * how far this step moved it, and the share of its entries that have changed at all. The reference trains the same
 * steps from the same start as a check.
 */
public final class SgdSteps {
    public static final String PART = "sgd";
    public static final String LOSS = "loss";

    private SgdSteps() {
    }

    public static void measure(Subject s, int steps, int batchSize, double lr, Measurements m) {
        s.reset();
        int n = s.size();
        double[] start = s.theta0();
        double[] previous = start;
        m.add(PART, LOSS, 0, "train_loss", Probes.score(s.net(), s.all()));
        for (Probes.Block b : s.blocks()) {
            m.add(PART, b.key(), 0, "norm", b.norm(start));
            m.add(PART, b.key(), 0, "change_norm", 0.0);
            m.add(PART, b.key(), 0, "moved_share", 0.0);
        }
        int epoch = 0;
        int[][] batches = EpochOrder.minibatches(EpochOrder.shuffled(s.seed(), epoch, n), batchSize);
        int next = 0;
        for (int step = 1; step <= steps; step++) {
            if (next == batches.length) {
                epoch++;
                batches = EpochOrder.minibatches(EpochOrder.shuffled(s.seed(), epoch, n), batchSize);
                next = 0;
            }
            s.net().fit(Tensors.rows(s.x(), s.y(), batches[next++]));
            double minibatchLoss = s.net().score();
            double[] theta = Probes.params(s.net());
            m.add(PART, LOSS, step, "train_loss", Probes.score(s.net(), s.all()));
            m.add(PART, LOSS, step, "minibatch_loss", minibatchLoss);
            for (Probes.Block b : s.blocks()) {
                int moved = 0;
                for (int k = b.offset(); k < b.offset() + b.length(); k++) {
                    if (theta[k] != start[k]) {
                        moved++;
                    }
                }
                m.add(PART, b.key(), step, "norm", b.norm(theta));
                m.add(PART, b.key(), step, "change_norm", b.distance(theta, start));
                m.add(PART, b.key(), step, "step_norm", b.distance(theta, previous));
                m.add(PART, b.key(), step, "moved_share", (double) moved / b.length());
            }
            previous = theta;
        }
        ReferenceTrainer reference = new ReferenceTrainer(s.reference(), new Sgd(lr), start, s.data().features(),
                s.plainY(), batchSize, Ordering.shuffled(s.seed()));
        reference.steps(steps);
        double[] refTheta = reference.params();
        double diff = 0;
        for (int i = 0; i < refTheta.length; i++) {
            diff = Math.max(diff, Math.abs(refTheta[i] - previous[i]));
        }
        m.add(PART, "reference", null, "max_abs_param_diff", diff);
        s.reset();
    }
}
