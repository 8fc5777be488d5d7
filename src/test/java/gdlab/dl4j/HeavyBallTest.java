package gdlab.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gdlab's heavy-ball updater inside a DL4J network: known answers, and it survives save/load. */
class HeavyBallTest {
    static final double LR = 0.05;
    static final double MU = 0.9;

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    static DataSet data() {
        double[][] x = {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {-1.0, 1.0, 0.0}, {0.0, -0.5, 1.0}, {2.0, 2.0, -1.0}};
        return new DataSet(Tensors.matrix(x, DataType.DOUBLE), Tensors.oneHot(new int[]{0, 1, 2, 1, 0}, 3,
                DataType.DOUBLE));
    }

    static MultiLayerNetwork net() {
        return Networks.classifier(new int[]{3, 4, 3}, "tanh", new HeavyBall(LR, MU), 7, DataType.DOUBLE);
    }

    /** DL4J's mean gradient at the current parameters (its summed gradient / N), as plain doubles. */
    static double[] meanGradient(MultiLayerNetwork net, DataSet d) {
        net.setInput(d.getFeatures());
        net.setLabels(d.getLabels());
        net.computeGradientAndScore();
        double[] g = Tensors.toDoubles(net.gradient().gradient());
        for (int i = 0; i < g.length; i++) {
            g[i] /= d.numExamples();
        }
        return g;
    }

    @Test
    void threeDoubleStepsMatchPlainArithmetic() {
        MultiLayerNetwork net = net();
        DataSet d = data();
        double[] theta = Tensors.toDoubles(net.params());
        double[] v = new double[theta.length];
        for (int step = 0; step < 3; step++) {
            double[] g = meanGradient(net, d);
            for (int i = 0; i < theta.length; i++) {
                v[i] = MU * v[i] + g[i];
                theta[i] -= LR * v[i];
            }
            net.fit(d);
            assertThat(Tensors.toDoubles(net.params())).as("params after step %d", step + 1).containsExactly(theta);
            assertThat(Tensors.toDoubles(net.getUpdater().getStateViewArray())).as("velocity after step %d", step + 1)
                    .containsExactly(v);
        }
    }

    @Test
    void firstStepIsPlainGradientDescentThenMomentumBuildsUp() {
        MultiLayerNetwork net = net();
        DataSet d = data();
        double[] before = Tensors.toDoubles(net.params());
        double[] g = meanGradient(net, d);
        net.fit(d);
        double[] after = Tensors.toDoubles(net.params());
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isEqualTo(before[i] - LR * g[i]);
        }
    }

    @Test
    void optimizersKnowMomentumAsHeavyBall() {
        assertThat(Optimizers.updater("momentum", 0.2)).isEqualTo(new HeavyBall(0.2, 0.9));
        assertThat(Optimizers.UPDATERS).contains("momentum");
        assertThatThrownBy(() -> new HeavyBall(0.1, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configurationRoundTripsThroughJson() {
        MultiLayerConfiguration conf = net().getLayerWiseConfigurations();
        String json = conf.toJson();
        assertThat(json).contains(HeavyBall.class.getName());
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertThat(back).isEqualTo(conf);
    }

    @Test
    void saveAndLoadRestoreTheVelocity() throws IOException {
        MultiLayerNetwork net = net();
        DataSet d = data();
        net.fit(d);
        net.fit(d);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), true);

        INDArray velocity = net.getUpdater().getStateViewArray();
        assertThat(Tensors.toDoubles(velocity)).as("velocity is not zero after two steps").isNotEqualTo(
                new double[(int) velocity.length()]);
        assertThat(Tensors.toDoubles(loaded.getUpdater().getStateViewArray())).containsExactly(
                Tensors.toDoubles(velocity));
        assertThat(loaded.getLayerWiseConfigurations().getConf(0).getLayer()).isNotNull();
        // the third step continues with the restored velocity: both nets stay identical
        net.fit(d);
        loaded.fit(d);
        assertThat(Tensors.toDoubles(loaded.params())).containsExactly(Tensors.toDoubles(net.params()));
    }
}
