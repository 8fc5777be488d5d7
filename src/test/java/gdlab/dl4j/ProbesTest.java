package gdlab.dl4j;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the probes read from a DL4J network, checked against the reference and against DL4J itself. */
class ProbesTest {
    static Dataset iris;
    static MultiLayerNetwork net;
    static INDArray x;
    static INDArray y;
    static Mlp mlp;

    @BeforeAll
    static void build() {
        Nd4jSetup.singleThreadedOps();
        iris = Split.of(Datasets.load("iris"), 0.0, 42, 0).train();
        net = Networks.classifier(new int[]{4, 5, 3}, "tanh", new Sgd(0.1), 11, DataType.DOUBLE);
        x = Tensors.matrix(iris.features(), DataType.DOUBLE);
        y = Tensors.oneHot(iris.labels(), 3, DataType.DOUBLE);
        mlp = new Mlp(new int[]{4, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
    }

    @Test
    void blocksFollowTheFlatLayoutOfTheReference() {
        List<Probes.Block> blocks = Probes.blocks(net);
        assertThat(blocks).extracting(Probes.Block::key).containsExactly("0_W", "0_b", "1_W", "1_b");
        for (int l = 0; l < 2; l++) {
            assertThat(blocks.get(2 * l).offset()).isEqualTo(mlp.weightOffset(l));
            assertThat(blocks.get(2 * l + 1).offset()).isEqualTo(mlp.biasOffset(l));
            assertThat(blocks.get(2 * l + 1).isBias()).isTrue();
        }
        assertThat(blocks.get(3).offset() + blocks.get(3).length()).isEqualTo(mlp.numParams());
    }

    @Test
    void theMeanGradientIsTheSummedGradientOverNAndEqualsTheReference() {
        double[] p = Probes.params(net);
        Probes.ScoreAndGradient sg = Probes.meanGradient(net, x, y);
        Mlp.Evaluation ref = mlp.evaluate(p, iris.features(), iris.oneHot());
        assertThat(sg.score()).isCloseTo(ref.score(), within(1e-14));
        for (int i = 0; i < p.length; i++) {
            assertThat(sg.gradient()[i]).as("entry " + i).isCloseTo(ref.gradient()[i], within(1e-15));
        }
    }

    @Test
    void theCentralDifferenceRestoresTheParameterAndApproximatesTheDerivative() {
        double[] p = Probes.params(net);
        DataSet all = new DataSet(x, y);
        double[] g = mlp.gradient(p, iris.features(), iris.oneHot());
        double fd = Probes.centralDifference(net, all, 7, 1e-5);
        assertThat(fd).isCloseTo(g[7], within(1e-9));
        assertThat(Probes.params(net)).containsExactly(p);
    }

    @Test
    void setParamsRoundTripsAndMovesTheScore() {
        double[] p = Probes.params(net);
        DataSet all = new DataSet(x, y);
        double before = Probes.score(net, all);
        double[] q = p.clone();
        q[0] += 0.5;
        Probes.setParams(net, q);
        assertThat(Probes.params(net)).containsExactly(q);
        assertThat(Probes.score(net, all)).isNotEqualTo(before)
                .isCloseTo(mlp.score(q, iris.features(), iris.oneHot()), within(1e-14));
        Probes.setParams(net, p);
        assertThat(Probes.score(net, all)).isEqualTo(before);
    }

    @Test
    void thePreActivationsAreWhatTheOutputLayerSoftmaxes() {
        INDArray z = Probes.outputPreActivations(net, x);
        INDArray p = Probes.activate(new ActivationSoftmax(), z);
        assertThat(p.sub(net.output(x)).amaxNumber().doubleValue()).isLessThan(1e-15);
        assertThat(Probes.loss(new LossMCXENT(), new ActivationSoftmax(), z, y))
                .isCloseTo(Probes.score(net, new DataSet(x, y)), within(1e-14));
    }
}
