package gdlab.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Plain Java arrays to ND4J arrays and back. Conversions happen once per cell, not per step. */
public final class Tensors {
    private Tensors() {
    }

    public static INDArray matrix(double[][] x, DataType dtype) {
        if (dtype != DataType.FLOAT || x.length == 0) {
            return Nd4j.create(x).castTo(dtype);
        }
        // straight to float: a large set is never also held as a native double matrix
        int cols = x[0].length;
        float[] flat = new float[x.length * cols];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < cols; j++) {
                flat[i * cols + j] = (float) x[i][j];
            }
        }
        return Nd4j.create(flat, new long[]{x.length, cols}, 'c');
    }

    public static INDArray oneHot(int[] labels, int classes, DataType dtype) {
        double[][] y = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1.0;
        }
        return matrix(y, dtype);
    }

    /**
     * The rows {@code rows} of features and labels, in that order, as one minibatch (a copy). One native gather per
     * array: ND4J's {@code getRows} copies a matrix one row at a time (a view and an assign per row).
     */
    public static DataSet rows(INDArray features, INDArray labels, int[] rows) {
        return new DataSet(Nd4j.pullRows(features, 1, rows), Nd4j.pullRows(labels, 1, rows));
    }

    /** Share of rows where the arg-max of {@code output} is the label. */
    public static double accuracy(INDArray output, int[] labels) {
        INDArray predicted = output.argMax(1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted.getInt(i) == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
    }

    public static double[] toDoubles(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup().data().asDouble();
    }
}
