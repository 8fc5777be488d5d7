package gdlab.experiment.optimizers;

import gdlab.data.Dataset;
import gdlab.dl4j.HeavyBall;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.stacked.StackedMlp;
import gdlab.stacked.StackedTrainer;
import gdlab.stacked.StackedUpdater;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The updater cells on one network problem with one of the updaters a stack has (sgd, momentum, nesterov, adam),
 * differing in learning rate and seed, trained as one stack ({@code -Dstack=K}): each cell starts from its DL4J
 * network's parameters for its seed, with that network's updater hyperparameters, shuffles by its seed, and its final
 * parameters go back into its network, so the reference's replay, the test accuracy and the row are those of the
 * cell trained alone (within rounding). Solvers, reference solvers, other updaters, 2-D functions and runs with a
 * time budget ({@code max_seconds}) train alone.
 */
final class StackedRuns {
    private final Runs runs;

    StackedRuns(Runs runs) {
        this.runs = runs;
    }

    /** The stack a cell may share (its problem and optimizer), or null. */
    String key(Cell cell) {
        boolean stackable = OptimizerBenchmark.NETWORKS.contains(cell.get("problem"))
                && StackedUpdater.NAMES.contains(cell.get("optimizer")) && runs.spec().real("max_seconds") == 0
                && hidden() != null;
        return stackable ? cell.get("problem") + "/" + cell.get("optimizer") : null;
    }

    private Activation hidden() {
        Activation a = Activation.named(runs.spec().string("activation"));
        return a == Activation.LEAKY_RELU || a == Activation.SOFTMAX ? null : a;
    }

    void run(List<Cell> cells, Consumer<CellResult> onFinished) {
        int k = cells.size();
        DataType dtype = runs.dtype();
        String problem = cells.get(0).get("problem");
        Dataset train = runs.split(problem).train();
        List<MultiLayerNetwork> nets = new ArrayList<>();
        List<double[]> inits = new ArrayList<>();
        List<IUpdater> updaters = new ArrayList<>();
        long[] seeds = new long[k];
        double[] targets = new double[k];
        for (int i = 0; i < k; i++) {
            MultiLayerNetwork net = runs.updaterNetwork(cells.get(i));
            nets.add(net);
            inits.add(Tensors.toDoubles(net.params()));
            updaters.add(net.getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W"));
            seeds[i] = cells.get(i).longValue("seed");
            targets[i] = runs.target(problem);
        }
        int[] sizes = {train.numFeatures(), runs.spec().integer("hidden"), train.numClasses()};
        StackedMlp stack = new StackedMlp(sizes, hidden(), Activation.SOFTMAX, Loss.MCXENT, k, dtype);
        for (int i = 0; i < k; i++) {
            stack.setCell(i, inits.get(i));
        }
        StackedTrainer.train(stack, updater(cells.get(0).get("optimizer"), updaters, dtype),
                Tensors.matrix(train.features(), dtype), Tensors.oneHot(train.labels(), train.numClasses(), dtype),
                runs.spec().integer("batch_size"), OptimizerBenchmark.epochs(runs.spec(), problem), targets, seeds,
                train.numClasses(), null, (i, outcome, params) -> {
                    Cell cell = cells.get(i);
                    CellResult result;
                    try {
                        MultiLayerNetwork net = nets.get(i);
                        net.setParams(Tensors.matrix(new double[][]{params}, dtype));
                        result = runs.networkUpdaterResult(cell, net, inits.get(i), outcome);
                    } catch (RuntimeException e) {
                        result = Runs.crashed(cell, e);
                    }
                    onFinished.accept(result);
                });
    }

    /** The stacked form of the cells' DL4J updaters, with each one's own hyperparameters. */
    private static StackedUpdater updater(String name, List<IUpdater> updaters, DataType dtype) {
        int k = updaters.size();
        double[] lr = new double[k];
        double[] a = new double[k];
        double[] b = new double[k];
        double[] eps = new double[k];
        for (int i = 0; i < k; i++) {
            IUpdater u = updaters.get(i);
            lr[i] = u.getLearningRate(0, 0);
            if (u instanceof Nesterovs n) {
                a[i] = n.getMomentum();
            } else if (u instanceof HeavyBall h) {
                a[i] = h.getMomentum();
            } else if (u instanceof Adam adam) {
                a[i] = adam.getBeta1();
                b[i] = adam.getBeta2();
                eps[i] = adam.getEpsilon();
            }
        }
        return switch (name) {
            case "sgd" -> StackedUpdater.sgd(lr, dtype);
            case "momentum" -> StackedUpdater.momentum(lr, a, dtype);
            case "nesterov" -> StackedUpdater.nesterov(lr, a, dtype);
            case "adam" -> StackedUpdater.adam(lr, a, b, eps, dtype);
            default -> throw new IllegalArgumentException("no stacked form of updater '" + name + "'");
        };
    }
}
