package gdlab.exact;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method (plain doubles): rotations
 * zero the off-diagonal entries one by one until their norm is below 1e-15 of the matrix's. Accurate to a few ulps
 * of the largest eigenvalue for the small matrices gdlab needs (up to ~100 x 100).
 *
 * @param values  eigenvalues, ascending
 * @param vectors {@code vectors[k]} is the unit eigenvector of {@code values[k]}
 */
public record SymmetricEigen(double[] values, double[][] vectors) {

    public static SymmetricEigen of(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (matrix[i].length != n) {
                throw new IllegalArgumentException("matrix must be square, row " + i + " has " + matrix[i].length
                        + " entries for " + n + " rows");
            }
            a[i] = matrix[i].clone();
        }
        double asym = 0;
        double scale = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                asym = Math.max(asym, Math.abs(a[i][j] - a[j][i]));
                scale = Math.max(scale, Math.abs(a[i][j]));
            }
        }
        if (asym > 1e-12 * Math.max(scale, Double.MIN_NORMAL)) {
            throw new IllegalArgumentException("matrix is not symmetric: max |a_ij - a_ji| = " + asym);
        }
        double[][] v = new double[n][n]; // v[i][k]: component i of eigenvector k
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        double frob = 0;
        for (double[] row : a) {
            for (double x : row) {
                frob += x * x;
            }
        }
        frob = Math.sqrt(frob);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (Math.sqrt(2 * off) <= 1e-15 * frob) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[][] diag = a;
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(k -> diag[k][k]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        for (int r = 0; r < n; r++) {
            int k = order[r];
            values[r] = a[k][k];
            for (int i = 0; i < n; i++) {
                vectors[r][i] = v[i][k];
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    public double max() {
        return values[values.length - 1];
    }

    public double min() {
        return values[0];
    }

    /** The smallest eigenvalue above {@code relativeTolerance} x the largest: the smallest curvature that is not 0. */
    public double minPositive(double relativeTolerance) {
        for (double v : values) {
            if (v > relativeTolerance * max()) {
                return v;
            }
        }
        return Double.NaN;
    }

    /** Unit eigenvector of the largest eigenvalue. */
    public double[] top() {
        return vectors[vectors.length - 1].clone();
    }

    /** Unit eigenvector of the smallest eigenvalue. */
    public double[] bottom() {
        return vectors[0].clone();
    }
}
