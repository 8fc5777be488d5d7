package gdlab.dl4j;

import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measures DL4J's softmax (the output activation of every classifier here) on one row of logits, computed two ways:
 * as the first row of a 2-row C-order matrix (how a minibatch reaches the output layer) and as a 1-row matrix. In
 * DL4J 1.0.0-M2.1 with DOUBLE the two differ when every logit of the row is very negative: the multi-row result
 * underflows (below about -708 the small probabilities become 0, below about -745 the row is NaN) while the 1-row
 * result is right. A run whose weights grow large enough to put a row there sees its loss turn NaN.
 */
public final class SoftmaxProbe {
    private SoftmaxProbe() {
    }

    /** DL4J's softmax of {@code logits} as row 0 of a 2-row C-order matrix, and alone. */
    public record Result(double[] logits, DataType dtype, double[] inMatrix, double[] alone) {
        /** Whether both ways agree to 1e-12 (NaN never agrees). */
        public boolean agree() {
            for (int i = 0; i < alone.length; i++) {
                if (!(Math.abs(inMatrix[i] - alone[i]) <= 1e-12)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "softmax%s in a 2-row %s matrix = %s, alone = %s",
                    Arrays.toString(logits), dtype, format(inMatrix), format(alone));
        }

        private static String format(double[] v) {
            return Arrays.stream(v).mapToObj(x -> Double.isNaN(x) ? "NaN" : String.format(Locale.ROOT, "%.3g", x))
                    .toList().toString();
        }
    }

    public static Result probe(double[] logits, DataType dtype) {
        double[][] two = {logits.clone(), new double[logits.length]};
        INDArray matrix = Nd4j.create(two).castTo(dtype).dup('c');
        INDArray single = Nd4j.create(new double[][]{logits.clone()}).castTo(dtype).dup('c');
        double[] inMatrix = Activation.SOFTMAX.getActivationFunction().getActivation(matrix, false).getRow(0)
                .castTo(DataType.DOUBLE).toDoubleVector();
        double[] alone = Activation.SOFTMAX.getActivationFunction().getActivation(single, false)
                .castTo(DataType.DOUBLE).toDoubleVector();
        return new Result(logits.clone(), dtype, inMatrix, alone);
    }
}
