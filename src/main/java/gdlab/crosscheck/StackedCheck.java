package gdlab.crosscheck;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Updater;
import gdlab.reference.Updaters;
import gdlab.stacked.StackedMlp;
import gdlab.stacked.StackedUpdater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The crosscheck's step stages for stacked training ({@code -Dstack=K}): K cells of one classifier, each with its own
 * learning rate and seed, trained as one stack, each cell's parameters compared with its own DL4J net's and with the
 * reference's ({@link Mlp} and its updater, from the same start on the same minibatches) after one step
 * ({@link Stage#STEP_1}) and after {@code steps} steps ({@link Stage#STEPS}), at the stage tolerances of
 * {@link Tolerances} (double 1e-12 / 1e-10, float 1e-5 / 1e-4). Minibatch s is rows [sB, (s+1)B) of the data, taken
 * in turn, the same for every cell. A row passes only within the tolerance against both, with no drift allowance:
 * the stack is meant to compute what DL4J computes, op for op.
 */
public final class StackedCheck {
    private StackedCheck() {
    }

    /** One cell at one stage: its difference from its DL4J net and from the reference. */
    public record Row(Stage stage, int cell, double lr, Diff dl4j, Diff reference, double tolerance) {
        public boolean pass() {
            return dl4j.within(tolerance) && reference.within(tolerance);
        }
    }

    /**
     * @param sizes   layer sizes, input first
     * @param hidden  hidden activation (identity, relu, tanh or sigmoid)
     * @param updater one of {@link StackedUpdater#NAMES}, with DL4J's defaults beyond the learning rate
     * @param lr      one learning rate per cell
     * @param seeds   one seed per cell: its DL4J net's initial parameters
     * @param x       features; labels as class indices in {@code labels}
     * @param tamper  called on the stack before each comparison (null: none); a test perturbs a parameter here
     */
    public static List<Row> run(int[] sizes, String hidden, String updater, double[] lr, long[] seeds, double[][] x,
                                int[] labels, int batch, int steps, DataType dtype, Consumer<StackedMlp> tamper) {
        int k = lr.length;
        if (seeds.length != k || batch < 1 || batch > x.length || steps < 1) {
            throw new IllegalArgumentException("one seed per learning rate, 1 <= batch <= " + x.length
                    + " and steps >= 1, got " + seeds.length + " seeds, batch " + batch + ", " + steps + " steps");
        }
        int classes = sizes[sizes.length - 1];
        double[][] y = new double[x.length][classes];
        for (int i = 0; i < x.length; i++) {
            y[i][labels[i]] = 1;
        }
        Mlp mlp = new Mlp(sizes, Activation.named(hidden), Activation.SOFTMAX, Loss.MCXENT);
        StackedMlp stack = new StackedMlp(sizes, Activation.named(hidden), Activation.SOFTMAX, Loss.MCXENT, k, dtype);
        MultiLayerNetwork[] nets = new MultiLayerNetwork[k];
        double[][] ref = new double[k][];
        Updater[] refUpdaters = new Updater[k];
        for (int c = 0; c < k; c++) {
            nets[c] = Networks.classifier(sizes, hidden, Optimizers.updater(updater, lr[c]), seeds[c], dtype);
            ref[c] = Tensors.toDoubles(nets[c].params());
            stack.setCell(c, ref[c]);
            refUpdaters[c] = Updaters.create(updater, lr[c]);
        }
        StackedUpdater stacked = stackedUpdater(updater, lr, dtype);
        int batches = x.length / batch;
        List<Row> rows = new ArrayList<>();
        for (int s = 1; s <= steps; s++) {
            int from = ((s - 1) % batches) * batch;
            double[][] xb = Arrays.copyOfRange(x, from, from + batch);
            double[][] yb = Arrays.copyOfRange(y, from, from + batch);
            INDArray xd = Tensors.matrix(xb, dtype);
            INDArray yd = Tensors.matrix(yb, dtype);
            double[][] xr = rounded(xb, dtype);
            double[][] yr = rounded(yb, dtype);
            for (int c = 0; c < k; c++) {
                nets[c].fit(new DataSet(xd, yd));
                refUpdaters[c].step(ref[c], mlp.gradient(ref[c], xr, yr));
            }
            INDArray xs = Nd4j.create(dtype, k, batch, sizes[0]);
            INDArray ys = Nd4j.create(dtype, k, batch, classes);
            for (int c = 0; c < k; c++) {
                xs.slice(c).assign(xd);
                ys.slice(c).assign(yd);
            }
            stack.evaluate(xs, ys);
            stacked.step(stack.params(), stack.gradient());
            if (s == 1 || s == steps) {
                Stage stage = s == 1 ? Stage.STEP_1 : Stage.STEPS;
                if (tamper != null) {
                    tamper.accept(stack);
                }
                double tolerance = (dtype == DataType.DOUBLE ? Tolerances.DOUBLE : Tolerances.FLOAT).get(stage);
                for (int c = 0; c < k; c++) {
                    double[] cell = stack.cell(c);
                    rows.add(new Row(stage, c, lr[c], Diff.of(cell, Tensors.toDoubles(nets[c].params())),
                            Diff.of(cell, ref[c]), tolerance));
                }
            }
        }
        return rows;
    }

    /** The values the stack and DL4J see: the data rounded to the dtype, in double for the reference. */
    private static double[][] rounded(double[][] a, DataType dtype) {
        if (dtype == DataType.DOUBLE) {
            return a;
        }
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = (float) a[i][j];
            }
        }
        return out;
    }

    /** The stacked form of DL4J's updater {@code name} with its defaults (momentum 0.9, Adam 0.9 / 0.999 / 1e-8). */
    static StackedUpdater stackedUpdater(String name, double[] lr, DataType dtype) {
        double[] mu = filled(lr.length, 0.9);
        return switch (name) {
            case "sgd" -> StackedUpdater.sgd(lr, dtype);
            case "momentum" -> StackedUpdater.momentum(lr, mu, dtype);
            case "nesterov" -> StackedUpdater.nesterov(lr, mu, dtype);
            case "adam" -> StackedUpdater.adam(lr, mu, filled(lr.length, 0.999), filled(lr.length, 1e-8), dtype);
            default -> throw new IllegalArgumentException("no stacked form of updater '" + name + "'; stacked: "
                    + StackedUpdater.NAMES);
        };
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }
}
