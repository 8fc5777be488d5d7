package gdlab.experiment.cnninit;

import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.dl4j.Cnn;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The initial gradient norms cnn-init reports, checked against central finite differences of DL4J's own score
 * (the mean loss) in DOUBLE: independent of backprop, and a check that DL4J's gradient() is the SUM over the
 * examples (cnn-init divides by n).
 */
class CnnInitGradientTest {

    @ParameterizedTest
    @CsvSource({"tanh, xavier", "sigmoid, xavier", "tanh, small-uniform"})
    void layerGradientNormsMatchFiniteDifferences(String activation, String init) {
        Split split = Split.of(Datasets.load("digits"), 0.2, 42, 150);
        INDArray x = Tensors.matrix(split.train().features(), DataType.DOUBLE);
        INDArray y = Tensors.oneHot(split.train().labels(), 10, DataType.DOUBLE);
        MultiLayerNetwork net = Cnn.digits(8, 32, activation, init, 0.01, Optimizers.updater("sgd", 0.1), 3,
                DataType.DOUBLE);
        double[] norms = CnnInit.initialGradientNorms(net, x, y);
        DataSet all = new DataSet(x, y);
        double conv = finiteDifferenceNorm(net, "0_W", all);
        double output = finiteDifferenceNorm(net, "3_W", all);
        assertThat(norms[0]).isCloseTo(conv, org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(norms[2]).isCloseTo(output, org.assertj.core.data.Percentage.withPercentage(0.01));
        assertThat(norms[0] / norms[2]).isCloseTo(conv / output, org.assertj.core.data.Percentage.withPercentage(0.01));
    }

    private static double finiteDifferenceNorm(MultiLayerNetwork net, String param, DataSet data) {
        INDArray w = net.getParam(param);
        double sum = 0;
        for (long i = 0; i < w.length(); i++) {
            double old = w.getDouble(i);
            double h = 1e-5 * Math.max(1e-3, Math.abs(old));
            w.putScalar(i, old + h);
            double up = net.score(data);
            w.putScalar(i, old - h);
            double down = net.score(data);
            w.putScalar(i, old);
            double d = (up - down) / (2 * h);
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
