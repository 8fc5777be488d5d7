package gdlab.dl4j;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;

class CnnTest {
    static MultiLayerNetwork net(String init) {
        return Cnn.digits(8, 32, "relu", init, 0.01, Optimizers.updater("sgd", 0.1), 7, DataType.DOUBLE);
    }

    @Test
    void convPoolDenseSoftmaxOnThe8x8Digits() {
        MultiLayerNetwork net = net("xavier");
        assertThat(net.numParams()).isEqualTo(8 * 9 + 8 + 72 * 32 + 32 + 32 * 10 + 10);
        assertThat(net.getParam("0_W").shape()).containsExactly(8, 1, 3, 3);
        assertThat(net.getParam("2_W").shape()).containsExactly(72, 32);
        assertThat(net.getParam("3_W").shape()).containsExactly(32, 10);
        assertThat(net.getLayer(Cnn.POOL).numParams()).isZero();
        INDArray out = net.output(Tensors.matrix(new double[3][64], DataType.DOUBLE));
        assertThat(out.shape()).containsExactly(3, 10);
    }

    @Test
    void unitParamsAreOneRowPerFilterOrDenseUnitWithItsBias() {
        MultiLayerNetwork net = net("zero");
        INDArray conv = net.getParam("0_W");
        conv.putScalar(new long[]{3, 0, 1, 2}, 5.0); // filter 3, row 1, column 2
        net.getParam("0_b").putScalar(3, -1.0);
        INDArray dense = net.getParam("2_W");
        dense.putScalar(new long[]{10, 5}, 2.0); // input 10 -> unit 5
        double[][] convRows = Cnn.unitParams(net, Cnn.CONV);
        double[][] denseRows = Cnn.unitParams(net, Cnn.DENSE);
        assertThat(convRows).hasNumberOfRows(8);
        assertThat(convRows[3]).hasSize(10);
        assertThat(convRows[3][1 * 3 + 2]).isEqualTo(5.0);
        assertThat(convRows[3][9]).isEqualTo(-1.0);
        assertThat(denseRows).hasNumberOfRows(32);
        assertThat(denseRows[5]).hasSize(73);
        assertThat(denseRows[5][10]).isEqualTo(2.0);
        assertThat(Cnn.distinctUnits(convRows, 0)).isEqualTo(2);
        assertThat(Cnn.distinctUnits(denseRows, 0)).isEqualTo(2);
        assertThat(Cnn.distinctUnits(denseRows, 2.0)).isEqualTo(1);
        assertThat(Cnn.spread(convRows)).isEqualTo(5.0);
        assertThat(Cnn.scale(denseRows)).isEqualTo(2.0);
    }

    @Test
    void zeroInitIsAllZeroAndTheRandomInitsAreNot() {
        assertThat(Cnn.scale(Cnn.unitParams(net("zero"), Cnn.DENSE))).isZero();
        for (String init : new String[]{"small-uniform", "xavier", "he"}) {
            double[][] rows = Cnn.unitParams(net(init), Cnn.DENSE);
            assertThat(Cnn.distinctUnits(rows, 0)).as(init).isEqualTo(32);
        }
        assertThat(Cnn.scale(Cnn.unitParams(net("small-uniform"), Cnn.DENSE))).isLessThanOrEqualTo(0.01);
    }
}
