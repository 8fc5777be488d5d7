package gdlab.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import gdlab.data.EpochOrder;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Schedule;
import gdlab.reference.TrainingStep;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Trainer advances DL4J's epoch count at every epoch end, so an EPOCH schedule takes its per-epoch rates: 3 epochs of
 * 4 minibatches with Sgd and a step schedule (0.1, x 0.5 per epoch) end where the reference, given 0.1, 0.05 and
 * 0.025 per epoch, ends; without the count DL4J would stay at 0.1 ({@code Dl4jDefectsTest}).
 */
class TrainerEpochScheduleTest {
    private static final int N = 16;
    private static final int BATCH = 4;

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    @Test
    void anEpochScheduleAdvancesOncePerEpoch() {
        Random r = new Random(5);
        double[][] x = new double[N][4];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = r.nextGaussian();
            }
            labels[i] = r.nextInt(3);
        }
        INDArray xs = Tensors.matrix(x, DataType.DOUBLE);
        INDArray ys = Tensors.oneHot(labels, 3, DataType.DOUBLE);
        MultiLayerNetwork net = Networks.classifier(new int[]{4, 6, 3}, "tanh",
                new Sgd(new StepSchedule(ScheduleType.EPOCH, 0.1, 0.5, 1)), 2, DataType.DOUBLE);
        double[] ref = Tensors.toDoubles(net.params());
        Trainer.train(net, xs, ys, new Trainer.Options(BATCH, 3, 0, 0, 9, Trainer.Order.AS_GIVEN), null);
        assertThat(net.getEpochCount()).isEqualTo(3);

        Mlp mlp = new Mlp(new int[]{4, 6, 3}, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
        TrainingStep step = new TrainingStep(mlp, new gdlab.reference.Sgd(0.1), 0.1)
                .withSchedule(new Schedule.Step(Schedule.Type.EPOCH, 0.1, 0.5, 1));
        double[][] y = new double[N][3];
        for (int i = 0; i < N; i++) {
            y[i][labels[i]] = 1;
        }
        double[] start = ref.clone();
        for (int e = 0; e < 3; e++) {
            step.epoch(e);
            for (int[] rows : EpochOrder.minibatches(EpochOrder.identity(N), BATCH)) {
                double[][] xb = new double[rows.length][];
                double[][] yb = new double[rows.length][];
                for (int i = 0; i < rows.length; i++) {
                    xb[i] = x[rows[i]];
                    yb[i] = y[rows[i]];
                }
                step.step(ref, mlp.gradient(ref, xb, yb));
            }
        }
        double[] dl4j = Tensors.toDoubles(net.params());
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            diff = Math.max(diff, Math.abs(dl4j[i] - ref[i]));
        }
        assertThat(diff / scale).isLessThan(1e-12);
        // the parameters moved well beyond that: the comparison can tell the rates apart
        double moved = 0;
        for (int i = 0; i < ref.length; i++) {
            moved = Math.max(moved, Math.abs(ref[i] - start[i]));
        }
        assertThat(moved / scale).isGreaterThan(1e-3);
    }
}
