package gdlab.dl4j;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;
import java.util.Locale;

/** Builds the DL4J networks the experiments train. */
public final class Networks {
    private Networks() {
    }

    /** Hidden-layer activations by their gdlab names. */
    public static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "tanh", "sigmoid", "identity");

    public static final List<String> DTYPES = List.of("float", "double");

    public static DataType dtype(String name) {
        return switch (name) {
            case "float" -> DataType.FLOAT;
            case "double" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "'; known: " + DTYPES);
        };
    }

    public static Activation activation(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "relu" -> Activation.RELU;
            case "leakyrelu" -> Activation.LEAKYRELU;
            case "tanh" -> Activation.TANH;
            case "sigmoid" -> Activation.SIGMOID;
            case "identity" -> Activation.IDENTITY;
            case "softmax" -> Activation.SOFTMAX;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + ACTIVATIONS);
        };
    }

    /**
     * A dense classifier: {@code sizes[0]} inputs, hidden layers {@code sizes[1..n-2]} with {@code hidden}
     * activation, a softmax output of {@code sizes[n-1]} classes with multi-class cross-entropy. Xavier init,
     * seeded; trained by plain minibatch steps (STOCHASTIC_GRADIENT_DESCENT) with {@code updater}.
     */
    public static MultiLayerNetwork classifier(int[] sizes, String hidden, IUpdater updater, long seed, DataType dtype) {
        return classifier(sizes, hidden, updater, seed, dtype, GradientNormalization.None, 1.0);
    }

    /** DL4J's gradient normalizations by their gdlab names (clipping and renormalizing, per layer or per element). */
    public static final List<String> GRADIENT_NORMALIZATIONS = List.of("none", "clip-l2", "clip-value",
            "renormalize");

    public static GradientNormalization gradientNormalization(String name) {
        return switch (name) {
            case "none" -> GradientNormalization.None;
            case "clip-l2" -> GradientNormalization.ClipL2PerLayer;
            case "clip-value" -> GradientNormalization.ClipElementWiseAbsoluteValue;
            case "renormalize" -> GradientNormalization.RenormalizeL2PerLayer;
            default -> throw new IllegalArgumentException("unknown gradient normalization '" + name + "'; known: "
                    + GRADIENT_NORMALIZATIONS);
        };
    }

    /**
     * A dense classifier as {@link #classifier(int[], String, IUpdater, long, DataType)} with the weight init given
     * and, if {@code batchNorm}, each hidden layer split into a dense layer without activation, then a
     * BatchNormalization layer carrying the activation (so BN normalizes the pre-activations). Layer indices then
     * alternate dense, BN; the output layer is last.
     */
    public static MultiLayerNetwork deepClassifier(int[] sizes, String hidden, WeightInit init, boolean batchNorm,
                                                   IUpdater updater, long seed, DataType dtype) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .weightInit(init)
                .updater(updater)
                .list();
        for (int l = 0; l + 2 < sizes.length; l++) {
            if (batchNorm) {
                list.layer(new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(Activation.IDENTITY)
                        .build());
                list.layer(new BatchNormalization.Builder().nOut(sizes[l + 1]).activation(activation(hidden))
                        .build());
            } else {
                list.layer(new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(activation(hidden))
                        .build());
            }
        }
        int last = sizes.length - 1;
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(sizes[last - 1]).nOut(sizes[last]).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /**
     * {@link #classifier(int[], String, IUpdater, long, DataType)} with DL4J's gradient normalization on every
     * layer: the mean minibatch gradient is clipped or renormalized (at {@code threshold}) before the updater sees
     * it.
     */
    public static MultiLayerNetwork classifier(int[] sizes, String hidden, IUpdater updater, long seed, DataType dtype,
                                               GradientNormalization normalization, double threshold) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("a network needs at least inputs and outputs, got "
                    + java.util.Arrays.toString(sizes));
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .gradientNormalization(normalization)
                .gradientNormalizationThreshold(threshold)
                .list();
        for (int l = 0; l + 2 < sizes.length; l++) {
            list.layer(new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(activation(hidden)).build());
        }
        int last = sizes.length - 1;
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(sizes[last - 1]).nOut(sizes[last]).activation(Activation.SOFTMAX).build());
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
