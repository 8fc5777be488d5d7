package gdlab.dl4j;

import gdlab.exact.SymmetricEigen;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sharpness from DL4J's gradients against the largest eigenvalue of the whole Hessian of a tiny softmax net,
 * built column by column from the plain-Java reference network's exact gradients and diagonalised.
 */
class NetSharpnessTest {

    private static final int[] SIZES = {3, 5, 3};

    private static double[][] data(int rows, int cols, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] oneHot(int rows, int classes) {
        double[][] y = new double[rows][classes];
        for (int i = 0; i < rows; i++) {
            y[i][i % classes] = 1;
        }
        return y;
    }

    /** The reference net's Hessian at p: central differences of its exact gradient, symmetrized. */
    private static double[][] referenceHessian(Mlp ref, double[] p, double[][] x, double[][] y) {
        int n = p.length;
        double h = 1e-5;
        double[][] hess = new double[n][n];
        for (int j = 0; j < n; j++) {
            double[] plus = p.clone();
            double[] minus = p.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] gp = ref.gradient(plus, x, y);
            double[] gm = ref.gradient(minus, x, y);
            for (int i = 0; i < n; i++) {
                hess[i][j] = (gp[i] - gm[i]) / (2 * h);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = (hess[i][j] + hess[j][i]) / 2;
                hess[i][j] = s;
                hess[j][i] = s;
            }
        }
        return hess;
    }

    @Test
    void sharpnessMatchesTheLargestEigenvalueOfTheReferenceHessian() {
        double[][] x = data(24, SIZES[0], 7);
        double[][] y = oneHot(24, SIZES[2]);
        for (DataType dtype : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            MultiLayerNetwork net = Networks.classifier(SIZES, "tanh", new Sgd(0.1), 3, dtype);
            double[] p = Tensors.toDoubles(net.params());
            Mlp ref = new Mlp(SIZES, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
            // the reference reads DL4J's flat parameters in the same layout: same loss at the same point
            assertEquals(ref.score(p, x, y), net.score(new org.nd4j.linalg.dataset.DataSet(
                    Tensors.matrix(x, dtype), Tensors.matrix(y, dtype))), 1e-5);
            SymmetricEigen eig = SymmetricEigen.of(referenceHessian(ref, p, x, y));
            assertTrue(eig.max() > Math.abs(eig.min()), "power iteration finds the eigenvalue of largest magnitude");

            INDArray before = net.params().dup();
            NetSharpness.Estimate e = NetSharpness.of(net, Tensors.matrix(x, dtype), Tensors.matrix(y, dtype), 500,
                    11);
            assertTrue(e.converged(), e.describe());
            assertEquals(eig.max(), e.lambdaMax(), 1e-3 * eig.max(), dtype + ": " + e.describe());
            assertEquals(2 / eig.max(), e.lrCrit(), 1e-3 * 2 / eig.max());
            assertEquals(24, e.examples());
            assertArrayEquals(Tensors.toDoubles(before), Tensors.toDoubles(net.params()), 0,
                    "the network's own parameters are left alone");
        }
    }

    @Test
    void aWrongHessianIsCaught() {
        // the check above can fail: a Hessian of a different loss (twice the labels' weight) has another top value
        double[][] x = data(24, SIZES[0], 7);
        double[][] y = oneHot(24, SIZES[2]);
        MultiLayerNetwork net = Networks.classifier(SIZES, "tanh", new Sgd(0.1), 3, DataType.DOUBLE);
        double[] p = Tensors.toDoubles(net.params());
        Mlp ref = new Mlp(SIZES, Activation.TANH, Activation.SOFTMAX, Loss.MCXENT);
        double[][] y2 = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            y2[i] = y[i].clone();
            for (int c = 0; c < y2[i].length; c++) {
                y2[i][c] *= 2;
            }
        }
        double wrong = SymmetricEigen.of(referenceHessian(ref, p, x, y2)).max();
        NetSharpness.Estimate e = NetSharpness.of(net, Tensors.matrix(x, DataType.DOUBLE),
                Tensors.matrix(y, DataType.DOUBLE), 500, 11);
        assertTrue(Math.abs(wrong - e.lambdaMax()) > 1e-2 * e.lambdaMax(), wrong + " vs " + e.lambdaMax());
    }
}
