package gdlab.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Linear least squares as a DL4J network: one dense output layer, identity activation, MSE loss. Its score is
 * DL4J's LossMSE, the mean over examples AND outputs of the squared residual (no factor 1/2), so as a function of
 * the parameters (W and b of each output) it is a quadratic with Hessian (2 / (N nOut)) [X 1]'[X 1] per output.
 */
public final class Regression {
    private Regression() {
    }

    /**
     * nIn inputs, nOut outputs, Xavier-initialised weights and (if {@code bias}) zero biases, seeded; trained with
     * {@code updater} by plain minibatch steps. Without a bias the parameters are W alone.
     */
    public static MultiLayerNetwork linear(int nIn, int nOut, boolean bias, IUpdater updater, long seed,
                                           DataType dtype) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .weightInit(WeightInit.XAVIER)
                .updater(updater)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(nIn).nOut(nOut).hasBias(bias).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }
}
