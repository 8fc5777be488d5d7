package gdlab.dl4j;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * DL4J 1.0.0-M2.1's softmax on a multi-row DOUBLE matrix loses rows whose logits are all very negative, as measured
 * (this is why Nadam at lr 1 on iris turns NaN in DL4J while the reference stays finite). If a DL4J upgrade fixes
 * it, the first test fails: then drop it and the note in the optimizers experiment.
 */
class SoftmaxProbeTest {
    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    @Test
    void multiRowDoubleSoftmaxIsNaNForVeryNegativeLogitsWhileOneRowIsRight() {
        SoftmaxProbe.Result r = SoftmaxProbe.probe(new double[]{-800, -810, -820}, DataType.DOUBLE);
        assertThat(r.alone()[0]).isCloseTo(1 / (1 + Math.exp(-10) + Math.exp(-20)), within(1e-12));
        assertThat(r.alone()[1]).isCloseTo(Math.exp(-10) / (1 + Math.exp(-10) + Math.exp(-20)), within(1e-12));
        assertThat(r.inMatrix()).containsOnly(Double.NaN);
        assertThat(r.agree()).isFalse();
        assertThat(r.toString()).contains("NaN");
    }

    @Test
    void theSameLogitsShiftedUpOrInFloatAreRight() {
        // shifting logits does not change a softmax: 800 higher, both ways agree
        assertThat(SoftmaxProbe.probe(new double[]{0, -10, -20}, DataType.DOUBLE).agree()).isTrue();
        assertThat(SoftmaxProbe.probe(new double[]{800, 790, 780}, DataType.DOUBLE).agree()).isTrue();
        SoftmaxProbe.Result f = SoftmaxProbe.probe(new double[]{-800, -810, -820}, DataType.FLOAT);
        double z = 1 + Math.exp(-10) + Math.exp(-20);
        assertThat(f.inMatrix()[0]).isCloseTo(1 / z, within(1e-6));
        assertThat(f.inMatrix()[1]).isCloseTo(Math.exp(-10) / z, within(1e-9));
    }
}
