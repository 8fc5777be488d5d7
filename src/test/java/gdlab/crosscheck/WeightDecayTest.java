package gdlab.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;

import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Tensors;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.TrainingStep;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's per-layer {@code .weightDecay(c, applyLR)} with Adam, five DOUBLE steps, against the reference's
 * {@link TrainingStep#withWeightDecay}: the decay is added to the update after the updater (so Adam does not rescale
 * it), times the learning rate or not. Agreement to 1e-12 relative measures that order; adding the decay to the
 * gradient before Adam instead would move the result by far more.
 */
class WeightDecayTest {

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void perLayerWeightDecayIsAddedAfterTheUpdater(boolean applyLr) {
        double lr = 0.01;
        double c = 0.05;
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.DOUBLE)
                .weightInit(WeightInit.XAVIER).updater(new Adam(lr));
        MultiLayerNetwork net = new MultiLayerNetwork(b.list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(org.nd4j.linalg.activations.Activation.TANH)
                        .weightDecay(c, applyLr).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).weightDecay(c, applyLr).build())
                .build());
        net.init();
        Mlp mlp = new Mlp(new int[]{4, 5, 3}, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
        double[] ref = Tensors.toDoubles(net.params());
        double[] adamOnly = ref.clone();
        TrainingStep step = new TrainingStep(mlp, new gdlab.reference.Adam(lr), lr).withWeightDecay(c, applyLr);
        TrainingStep plain = new TrainingStep(mlp, new gdlab.reference.Adam(lr), lr);
        Random r = new Random(8);
        for (int s = 0; s < 5; s++) {
            double[][] x = new double[6][4];
            double[][] y = new double[6][3];
            int[] labels = new int[6];
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 4; j++) {
                    x[i][j] = r.nextGaussian();
                }
                labels[i] = r.nextInt(3);
                y[i][labels[i]] = 1;
            }
            net.fit(new DataSet(Tensors.matrix(x, DataType.DOUBLE), Tensors.oneHot(labels, 3, DataType.DOUBLE)));
            step.step(ref, mlp.gradient(ref, x, y));
            plain.step(adamOnly, mlp.gradient(adamOnly, x, y));
        }
        Diff d = Diff.of(Tensors.toDoubles(net.params()), ref);
        assertThat(d.rel()).isLessThan(1e-12);
        // the decay moved the parameters far beyond that
        assertThat(Diff.of(adamOnly, ref).rel()).isGreaterThan(1e-5);
    }
}
