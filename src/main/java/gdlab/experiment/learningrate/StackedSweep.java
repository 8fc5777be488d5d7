package gdlab.experiment.learningrate;

import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.stacked.StackedMlp;
import gdlab.stacked.StackedTrainer;
import gdlab.stacked.StackedUpdater;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The sweep cells of one problem and batch size (so one network shape, data, epoch budget and plain SGD), differing
 * in learning rate and seed, trained as one stack ({@code -Dstack=K}): each cell starts from the parameters its DL4J
 * network draws for its seed and shuffles by its seed, and its outcome goes through the same measures as a cell
 * trained alone, so its row equals that cell's row within rounding. The searches (edge, best lr) are sequential and
 * train alone, as do MLPs with a hidden activation the stack lacks (leaky relu).
 */
final class StackedSweep {
    private final LearningRate experiment;
    private final Problem problem;
    private final DataType dtype;

    StackedSweep(LearningRate experiment, Problem problem, DataType dtype) {
        this.experiment = experiment;
        this.problem = problem;
        this.dtype = dtype;
    }

    /** The stack a cell may share: its problem and batch size, for sweep cells the stack can train; else null. */
    static String key(Cell cell, Problem p) {
        if (!cell.get("task").equals(LearningRate.SWEEP) || (!p.linear() && hidden(p) == null)) {
            return null;
        }
        return p.name() + "/" + cell.get("batch_size");
    }

    private static Activation hidden(Problem p) {
        if (p.linear()) {
            return Activation.IDENTITY;
        }
        Activation a = Activation.named(p.activation());
        return a == Activation.LEAKY_RELU || a == Activation.SOFTMAX ? null : a;
    }

    void run(List<Cell> cells, Consumer<CellResult> onFinished) {
        int k = cells.size();
        Problem p = problem;
        StackedMlp stack = new StackedMlp(p.sizes(), hidden(p), p.linear() ? Activation.IDENTITY : Activation.SOFTMAX,
                p.linear() ? Loss.MSE : Loss.MCXENT, k, dtype);
        List<LearningRate.Start> starts = new ArrayList<>();
        double[] lr = new double[k];
        double[] targets = new double[k];
        long[] seeds = new long[k];
        int batch = cells.get(0).integer("batch_size");
        List<List<Double>> tops = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Cell cell = cells.get(i);
            LearningRate.Start s = experiment.start(cell, p);
            starts.add(s);
            stack.setCell(i, s.init());
            lr[i] = cell.real("lr");
            targets[i] = s.target();
            seeds[i] = cell.longValue("seed");
            tops.add(LearningRate.tracksTop(p, batch)
                    ? new ArrayList<>(List.of(p.ls().component(s.init(), p.top()))) : null);
        }
        StackedTrainer.EpochListener listener = LearningRate.tracksTop(p, batch)
                ? (i, e) -> tops.get(i).add(p.ls().component(stack.cell(i), p.top())) : null;
        StackedTrainer.train(stack, StackedUpdater.sgd(lr, dtype), Tensors.matrix(p.x(), dtype),
                Tensors.matrix(p.y(), dtype), batch, starts.get(0).maxEpochs(), targets, seeds,
                p.linear() ? 0 : p.y()[0].length, listener,
                (i, outcome, params) -> {
                    // the cell's network ends where its stacked row ended, as when it trains alone
                    starts.get(i).net().setParams(Tensors.matrix(new double[][]{params}, dtype));
                    onFinished.accept(experiment.measured(cells.get(i), p, starts.get(i), outcome, tops.get(i)));
                });
    }
}
