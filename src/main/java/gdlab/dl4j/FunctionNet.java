package gdlab.dl4j;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.List;

/**
 * A 2-D test function as a DL4J network, so that DL4J's own solvers ({@code OptimizationAlgorithm}
 * LINE_GRADIENT_DESCENT, CONJUGATE_GRADIENT, LBFGS), which only run on a network, can run on it.
 *
 * <p>The network is one output layer, 1 input, 2 outputs, identity activation, no bias: fed the single input 1, its
 * output is its weight row (x, y), i.e. the network's two parameters are the point. Its loss function is the test
 * function of that output (labels are ignored), with the gradient written out by hand here. So {@code score()} is
 * f(x, y), {@code params()} is (x, y), and DL4J's solver, updater and line search do everything else exactly as on
 * any network. DOUBLE throughout. Written independently of the reference's formulas; a test checks the gradient
 * against SameDiff's autodiff of {@link SameDiffDescent}'s graph.
 */
public final class FunctionNet {
    /** The functions it knows, by the names {@link SameDiffDescent} uses. */
    public static final List<String> FUNCTIONS = List.of("rosenbrock", "beale", "himmelblau", "saddle");

    private FunctionNet() {
    }

    /**
     * The network for {@code function} at (x0, y0), trained with {@code updater} inside {@code algorithm} (for the
     * line-search solvers the updater turns the gradient into the search direction, whose length is the first step
     * the line search tries).
     */
    public static MultiLayerNetwork network(String function, double x0, double y0, IUpdater updater,
                                            OptimizationAlgorithm algorithm) {
        if (!FUNCTIONS.contains(function)) {
            throw new IllegalArgumentException("unknown function '" + function + "'; known: "
                    + String.join(", ", FUNCTIONS));
        }
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .optimizationAlgo(algorithm)
                .updater(updater)
                .list()
                .layer(new OutputLayer.Builder().lossFunction(new Loss(function)).nIn(1).nOut(2)
                        .activation(Activation.IDENTITY).hasBias(false).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParams(Nd4j.create(new double[][]{{x0, y0}}));
        return net;
    }

    /** The single input row, [[1]]. */
    public static INDArray input() {
        return Nd4j.ones(DataType.DOUBLE, 1, 1);
    }

    /** Placeholder labels [[0, 0]] (the loss ignores them; DL4J needs an array of the output's shape). */
    public static INDArray labels() {
        return Nd4j.zeros(DataType.DOUBLE, 1, 2);
    }

    /** f(x, y). */
    static double value(String function, double x, double y) {
        return switch (function) {
            case "rosenbrock" -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            case "beale" -> {
                double a = 1.5 - x + x * y;
                double b = 2.25 - x + x * y * y;
                double c = 2.625 - x + x * y * y * y;
                yield a * a + b * b + c * c;
            }
            case "himmelblau" -> {
                double a = x * x + y - 11;
                double b = x + y * y - 7;
                yield a * a + b * b;
            }
            case "saddle" -> x * x - y * y;
            default -> throw new IllegalArgumentException(function);
        };
    }

    /** (df/dx, df/dy). */
    static double[] gradient(String function, double x, double y) {
        return switch (function) {
            case "rosenbrock" -> new double[]{2 * (x - 1) + 400 * x * (x * x - y), 200 * (y - x * x)};
            case "beale" -> {
                double a = 1.5 - x + x * y;
                double b = 2.25 - x + x * y * y;
                double c = 2.625 - x + x * y * y * y;
                yield new double[]{2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
                        2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y * y};
            }
            case "himmelblau" -> {
                double a = x * x + y - 11;
                double b = x + y * y - 7;
                yield new double[]{2 * a * 2 * x + 2 * b, 2 * a + 2 * b * 2 * y};
            }
            case "saddle" -> new double[]{2 * x, -2 * y};
            default -> throw new IllegalArgumentException(function);
        };
    }

    /**
     * The test function of the layer's output as a DL4J loss: one score per row (the row is a point), labels
     * ignored. With the identity activation and no mask, d(loss)/d(preOutput) is the function's gradient.
     */
    static final class Loss implements ILossFunction {
        private static final long serialVersionUID = 1L;
        private final String function;

        Loss(String function) {
            this.function = function;
        }

        @Override
        public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn,
                                          INDArray mask) {
            INDArray out = activationFn.getActivation(preOutput.dup(), false);
            double[][] scores = new double[(int) out.rows()][1];
            for (int r = 0; r < scores.length; r++) {
                scores[r][0] = value(function, out.getDouble(r, 0), out.getDouble(r, 1));
            }
            return Nd4j.create(scores).castTo(preOutput.dataType());
        }

        @Override
        public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                   boolean average) {
            INDArray scores = computeScoreArray(labels, preOutput, activationFn, mask);
            double sum = scores.sumNumber().doubleValue();
            return average ? sum / scores.rows() : sum;
        }

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                                        INDArray mask) {
            INDArray out = activationFn.getActivation(preOutput.dup(), false);
            double[][] grad = new double[(int) out.rows()][];
            for (int r = 0; r < grad.length; r++) {
                grad[r] = gradient(function, out.getDouble(r, 0), out.getDouble(r, 1));
            }
            INDArray dLdOut = Nd4j.create(grad).castTo(preOutput.dataType());
            return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
        }

        @Override
        public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                              IActivation activationFn, INDArray mask,
                                                              boolean average) {
            return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                    computeGradient(labels, preOutput, activationFn, mask));
        }

        @Override
        public String name() {
            return function;
        }

        @Override
        public String toString() {
            return "FunctionNet.Loss(" + function + ")";
        }
    }
}
