package gdlab.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * The small convolutional net for the 8x8 digits: convolution 3x3 (stride 1, no padding: 8x8 -> 6x6 x filters)
 * -> max pooling 2x2 (-> 3x3 x filters) -> dense -> softmax output, multi-class cross-entropy. The 64 feature
 * columns of a digits row go straight in ({@code InputType.convolutionalFlat(8, 8, 1)} infers every nIn). The same
 * net takes other image sizes ({@link #images}: 28x28 -> 26x26 -> 13x13 x filters) and numbers of classes.
 *
 * <p>Layer indices in DL4J's parameter table: 0 convolution ({@code 0_W} is filters x 1 x 3 x 3, {@code 0_b}),
 * 1 pooling (no parameters), 2 dense ({@code 2_W} is inputs x units), 3 output ({@code 3_W}, {@code 3_b}).
 */
public final class Cnn {
    private Cnn() {
    }

    /** The weight initializations by their gdlab names. */
    public static final List<String> INITS = List.of("zero", "small-uniform", "xavier", "he");

    public static final int CONV = 0;
    public static final int POOL = 1;
    public static final int DENSE = 2;
    public static final int OUTPUT = 3;

    /**
     * DL4J's weight init for a gdlab name: {@code zero} all weights 0; {@code small-uniform} U(-scale, scale) for
     * every layer whatever its size; {@code xavier} DL4J's XAVIER, N(0, 2 / (fanIn + fanOut)); {@code he} DL4J's
     * RELU, N(0, 2 / fanIn). Biases start at 0 in every case.
     */
    public static IWeightInit weightInit(String name, double smallScale) {
        return switch (name) {
            case "zero" -> WeightInit.ZERO.getWeightInitFunction();
            case "small-uniform" -> new WeightInitDistribution(new UniformDistribution(-smallScale, smallScale));
            case "xavier" -> WeightInit.XAVIER.getWeightInitFunction();
            case "he" -> WeightInit.RELU.getWeightInitFunction();
            default -> throw new IllegalArgumentException("unknown weight init '" + name + "'; known: " + INITS);
        };
    }

    /**
     * @param filters    convolution filters (output channels)
     * @param hidden     units of the dense layer
     * @param activation hidden activation (convolution and dense), a {@link Networks#ACTIVATIONS} name
     * @param init       an {@link #INITS} name, used for every layer (the output layer too)
     * @param smallScale half-width of {@code small-uniform}
     */
    public static MultiLayerNetwork digits(int filters, int hidden, String activation, String init, double smallScale,
                                           IUpdater updater, long seed, DataType dtype) {
        return images(8, 8, 10, filters, hidden, activation, init, smallScale, updater, seed, dtype);
    }

    /** The smallest height and width the architecture takes: 3x3 convolution to 2x2, then one 2x2 pool. */
    public static final int MIN_SIDE = 4;

    /**
     * The same architecture for {@code height} x {@code width} images (row-major pixels as the feature columns, one
     * channel), each at least {@link #MIN_SIDE}, and {@code classes} outputs: the convolution gives (h - 2) x (w - 2),
     * the pooling {@link #pooled} of that.
     */
    public static MultiLayerNetwork images(int height, int width, int classes, int filters, int hidden,
                                           String activation, String init, double smallScale, IUpdater updater,
                                           long seed, DataType dtype) {
        if (height < MIN_SIDE || width < MIN_SIDE) {
            throw new IllegalArgumentException("images of " + height + "x" + width + "; the CNN needs at least "
                    + MIN_SIDE + "x" + MIN_SIDE);
        }
        Activation act = Networks.activation(activation);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .weightInit(weightInit(init, smallScale))
                .updater(updater)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(filters).activation(act).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().nOut(hidden).activation(act).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(height, width, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A side of the pooled feature map for an image side: 2x2 max pooling, stride 2, of the side - 2 convolved. */
    public static int pooled(int side) {
        return (side - 2) / 2;
    }

    /**
     * The parameters of each hidden unit of a layer, one row per unit: a convolution filter's weights (channels x
     * 3 x 3, flattened) or a dense unit's incoming weights (a column of W), followed by the unit's bias. Two units
     * with equal rows compute the same function of their input.
     */
    public static double[][] unitParams(MultiLayerNetwork net, int layer) {
        INDArray w = net.getParam(layer + "_W").castTo(DataType.DOUBLE);
        double[] b = net.getParam(layer + "_b").castTo(DataType.DOUBLE).dup().data().asDouble();
        long[] shape = w.shape();
        boolean conv = shape.length == 4; // filters x channels x kH x kW; dense W is nIn x nOut (unit j = column j)
        int units = (int) (conv ? shape[0] : shape[1]);
        double[][] rows = new double[units][];
        for (int u = 0; u < units; u++) {
            double[] weights = (conv ? w.get(NDArrayIndex.point(u)) : w.getColumn(u)).dup('c').data().asDouble();
            rows[u] = java.util.Arrays.copyOf(weights, weights.length + 1);
            rows[u][weights.length] = b[u];
        }
        return rows;
    }

    /** max over units j and components i of |row_j[i] - row_0[i]|: 0 when every unit equals the first. */
    public static double spread(double[][] rows) {
        double worst = 0;
        for (double[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                worst = Math.max(worst, Math.abs(r[i] - rows[0][i]));
            }
        }
        return worst;
    }

    /** max |value| over all units' parameters. */
    public static double scale(double[][] rows) {
        double m = 0;
        for (double[] r : rows) {
            for (double v : r) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }

    /**
     * How many different units there are: units whose parameters differ by at most {@code tolerance} in every
     * component count as one (greedy grouping around the first unit of each group).
     */
    public static int distinctUnits(double[][] rows, double tolerance) {
        java.util.List<double[]> representatives = new java.util.ArrayList<>();
        for (double[] r : rows) {
            boolean matched = false;
            for (double[] rep : representatives) {
                double d = 0;
                for (int i = 0; i < r.length; i++) {
                    d = Math.max(d, Math.abs(r[i] - rep[i]));
                }
                if (d <= tolerance) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                representatives.add(r);
            }
        }
        return representatives.size();
    }
}
