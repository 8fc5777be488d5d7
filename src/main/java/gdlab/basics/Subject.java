package gdlab.basics;

import gdlab.data.Dataset;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Probes;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

/**
 * The network gradient-basics studies: a DL4J MLP inputs-hidden-classes (softmax output, multi-class cross-entropy,
 * DOUBLE) at its seeded initialization, its training data as ND4J arrays and as plain arrays, and the reference
 * {@link Mlp} of the same shape, which reads DL4J's flat parameters as they are.
 *
 * @param theta0 the initial parameters (flat, DL4J's layout); parts that move the network put them back
 */
public record Subject(Dataset data, long seed, MultiLayerNetwork net, INDArray x, INDArray y, DataSet all,
                      double[][] plainY, Mlp reference, double[] theta0, List<Probes.Block> blocks) {

    /**
     * @param lr learning rate of the network's plain SGD updater (used by the SGD steps only)
     */
    public static Subject build(Dataset data, int hidden, String activation, double lr, long seed) {
        int[] sizes = {data.numFeatures(), hidden, data.numClasses()};
        MultiLayerNetwork net = Networks.classifier(sizes, activation, new Sgd(lr), seed, DataType.DOUBLE);
        INDArray x = Tensors.matrix(data.features(), DataType.DOUBLE);
        INDArray y = Tensors.oneHot(data.labels(), data.numClasses(), DataType.DOUBLE);
        Mlp reference = new Mlp(sizes, Activation.named(activation), Activation.SOFTMAX, Loss.MCXENT);
        return new Subject(data, seed, net, x, y, new DataSet(x, y), data.oneHot(), reference, Probes.params(net),
                Probes.blocks(net));
    }

    public int size() {
        return data.size();
    }

    /** Puts the initial parameters back. */
    public void reset() {
        Probes.setParams(net, theta0);
    }

    /** "hidden" for the first layers, "output" for the last. */
    public String layerName(int layer) {
        return layer == net.getnLayers() - 1 ? "output" : "hidden";
    }
}
