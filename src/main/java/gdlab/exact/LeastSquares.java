package gdlab.exact;

import gdlab.reference.Objective;

import java.util.Random;

/**
 * Linear least squares exactly as DL4J's one-layer identity network with MSE scores it, in plain doubles:
 * L(W, b) = 1/(N nOut) sum_e sum_j (x_e W_j + b_j - y_ej)^2 (LossMSE: mean over examples AND outputs, no 1/2).
 * Parameters in DL4J's flat layout: W (nIn x nOut, column-major, W[i][j] at {@code i + j nIn}), then b if the
 * layer has a bias.
 *
 * <p>L is a quadratic. Its Hessian is block-diagonal over the outputs with the same block for every output:
 * H_j = (2 / (N nOut)) Xa'Xa, where Xa is X with a column of ones appended when there is a bias (the bias is the
 * last coordinate of the block). So the eigenvalues of H are those of one block, each nOut times; lambda_max gives
 * the critical learning rate 2 / lambda_max of full-batch gradient descent.
 */
public final class LeastSquares implements Objective {
    private final double[][] x;
    private final double[][] y;
    private final boolean bias;
    private final int nIn;
    private final int nOut;
    private SymmetricEigen eigen;
    private double[] minimizer;

    private LeastSquares(double[][] x, double[][] y, boolean bias) {
        if (x.length == 0 || x.length != y.length) {
            throw new IllegalArgumentException("need as many target rows as feature rows (> 0), got " + x.length
                    + " and " + y.length);
        }
        this.x = x;
        this.y = y;
        this.bias = bias;
        this.nIn = x[0].length;
        this.nOut = y[0].length;
    }

    /** Features x (N x nIn) and targets y (N x nOut); the arrays are used as given, not copied. */
    public static LeastSquares of(double[][] x, double[][] y, boolean bias) {
        return new LeastSquares(x, y, bias);
    }

    /**
     * Synthetic data whose Hessian block has exactly the chosen weight spectrum: X = U diag(sqrt(N lambda / 2)) Q'
     * with U (N x d) orthonormal columns orthogonal to the ones vector (so X is centred) and Q a seeded random
     * rotation, so (2/N) X'X = Q diag(lambda) Q'. One output; y = X w* + b* + noise e with w*, e standard normal and
     * b* = 0.5. With a bias, the centred X decouples it: the bias adds the eigenvalue 2 (= 2/nOut) to the spectrum.
     *
     * @param n        examples, at least d + 2
     * @param spectrum the d eigenvalues of the weight block, all > 0
     */
    public static LeastSquares synthetic(int n, double[] spectrum, boolean bias, double noise, long seed) {
        int d = spectrum.length;
        if (n < d + 2) {
            throw new IllegalArgumentException("need at least d + 2 = " + (d + 2) + " examples, got " + n);
        }
        Random random = new Random(seed);
        double[][] u = new double[d][n]; // columns of U
        for (int k = 0; k < d; k++) {
            for (int e = 0; e < n; e++) {
                u[k][e] = random.nextGaussian();
            }
        }
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1 / Math.sqrt(n));
        for (int k = 0; k < d; k++) {
            for (int pass = 0; pass < 2; pass++) {
                subtractProjection(u[k], ones);
                for (int j = 0; j < k; j++) {
                    subtractProjection(u[k], u[j]);
                }
            }
            normalize(u[k]);
        }
        double[][] q = randomOrthogonal(d, random); // q[k]: k-th eigenvector
        double[][] features = new double[n][d];
        for (int k = 0; k < d; k++) {
            if (!(spectrum[k] > 0) || !Double.isFinite(spectrum[k])) {
                throw new IllegalArgumentException("eigenvalues must be finite and > 0, got " + spectrum[k]);
            }
            double s = Math.sqrt(n * spectrum[k] / 2);
            for (int e = 0; e < n; e++) {
                double c = u[k][e] * s;
                for (int i = 0; i < d; i++) {
                    features[e][i] += c * q[k][i];
                }
            }
        }
        double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = random.nextGaussian();
        }
        double b = bias ? 0.5 : 0.0;
        double[][] targets = new double[n][1];
        for (int e = 0; e < n; e++) {
            double t = b;
            for (int i = 0; i < d; i++) {
                t += features[e][i] * w[i];
            }
            targets[e][0] = t + noise * random.nextGaussian();
        }
        return new LeastSquares(features, targets, bias);
    }

    private static void subtractProjection(double[] v, double[] unit) {
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
            dot += v[i] * unit[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] -= dot * unit[i];
        }
    }

    private static void normalize(double[] v) {
        double s = 0;
        for (double c : v) {
            s += c * c;
        }
        s = Math.sqrt(s);
        for (int i = 0; i < v.length; i++) {
            v[i] /= s;
        }
    }

    private static double[][] randomOrthogonal(int d, Random random) {
        double[][] q = new double[d][d];
        for (int k = 0; k < d; k++) {
            for (int i = 0; i < d; i++) {
                q[k][i] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    subtractProjection(q[k], q[j]);
                }
            }
            normalize(q[k]);
        }
        return q;
    }

    public double[][] features() {
        return x;
    }

    public double[][] targets() {
        return y;
    }

    public boolean hasBias() {
        return bias;
    }

    public int nIn() {
        return nIn;
    }

    public int nOut() {
        return nOut;
    }

    public int examples() {
        return x.length;
    }

    /** Coordinates of one output's block: nIn weights, plus the bias. */
    public int blockSize() {
        return nIn + (bias ? 1 : 0);
    }

    @Override
    public int dimension() {
        return blockSize() * nOut;
    }

    /** Flat index of coordinate k of output j's block (k = nIn is the bias). */
    public int index(int k, int j) {
        return k < nIn ? k + j * nIn : nIn * nOut + j;
    }

    private double[][] residuals(double[] p) {
        if (p.length != dimension()) {
            throw new IllegalArgumentException("expected " + dimension() + " parameters, got " + p.length);
        }
        double[][] r = new double[x.length][nOut];
        for (int e = 0; e < x.length; e++) {
            for (int j = 0; j < nOut; j++) {
                double s = bias ? p[nIn * nOut + j] : 0.0;
                int col = j * nIn;
                for (int i = 0; i < nIn; i++) {
                    s += x[e][i] * p[col + i];
                }
                r[e][j] = s - y[e][j];
            }
        }
        return r;
    }

    @Override
    public double value(double[] p) {
        double sum = 0;
        for (double[] row : residuals(p)) {
            for (double v : row) {
                sum += v * v;
            }
        }
        return sum / ((double) x.length * nOut);
    }

    @Override
    public double[] gradient(double[] p) {
        double[][] r = residuals(p);
        double[] g = new double[dimension()];
        double scale = 2.0 / ((double) x.length * nOut);
        for (int e = 0; e < x.length; e++) {
            for (int j = 0; j < nOut; j++) {
                double c = scale * r[e][j];
                int col = j * nIn;
                for (int i = 0; i < nIn; i++) {
                    g[col + i] += c * x[e][i];
                }
                if (bias) {
                    g[nIn * nOut + j] += c;
                }
            }
        }
        return g;
    }

    /** One output's Hessian block (2 / (N nOut)) Xa'Xa, blockSize() x blockSize(). */
    public double[][] hessianBlock() {
        int m = blockSize();
        double[][] h = new double[m][m];
        double scale = 2.0 / ((double) x.length * nOut);
        for (double[] row : x) {
            for (int a = 0; a < m; a++) {
                double xa = a < nIn ? row[a] : 1.0;
                for (int b = a; b < m; b++) {
                    double xb = b < nIn ? row[b] : 1.0;
                    h[a][b] += scale * xa * xb;
                }
            }
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) {
                h[a][b] = h[b][a];
            }
        }
        return h;
    }

    /** The full Hessian (dimension() x dimension()), block-diagonal over the outputs in the flat layout. */
    public double[][] hessian() {
        double[][] block = hessianBlock();
        int p = dimension();
        double[][] h = new double[p][p];
        for (int j = 0; j < nOut; j++) {
            for (int a = 0; a < blockSize(); a++) {
                for (int b = 0; b < blockSize(); b++) {
                    h[index(a, j)][index(b, j)] = block[a][b];
                }
            }
        }
        return h;
    }

    /** Eigen-decomposition of the Hessian block (the full Hessian has each eigenvalue nOut times). */
    public synchronized SymmetricEigen eigen() {
        if (eigen == null) {
            eigen = SymmetricEigen.of(hessianBlock());
        }
        return eigen;
    }

    public double lambdaMax() {
        return eigen().max();
    }

    /** The smallest eigenvalue above 1e-10 lambda_max (constant features give exact zeros, which never move). */
    public double lambdaMinPositive() {
        return eigen().minPositive(1e-10);
    }

    /**
     * A minimiser (the one of least norm when the Hessian is singular): per output, theta_j = H^+ (2 / (N nOut))
     * Xa'y_j with the pseudo-inverse over eigenvalues above 1e-10 lambda_max.
     */
    public synchronized double[] minimizer() {
        if (minimizer == null) {
            SymmetricEigen e = eigen();
            int m = blockSize();
            double scale = 2.0 / ((double) x.length * nOut);
            double[] theta = new double[dimension()];
            for (int j = 0; j < nOut; j++) {
                double[] rhs = new double[m];
                for (int r = 0; r < x.length; r++) {
                    for (int a = 0; a < m; a++) {
                        rhs[a] += scale * (a < nIn ? x[r][a] : 1.0) * y[r][j];
                    }
                }
                for (int k = 0; k < m; k++) {
                    double lambda = e.values()[k];
                    if (lambda <= 1e-10 * e.max()) {
                        continue;
                    }
                    double c = 0;
                    for (int a = 0; a < m; a++) {
                        c += e.vectors()[k][a] * rhs[a];
                    }
                    c /= lambda;
                    for (int a = 0; a < m; a++) {
                        theta[index(a, j)] += c * e.vectors()[k][a];
                    }
                }
            }
            minimizer = theta;
        }
        return minimizer.clone();
    }

    /** The least loss L* = L(minimizer()). */
    public double minimumValue() {
        return value(minimizer());
    }

    /** A block vector (one output's coordinates) placed at output j of a flat vector of zeros. */
    public double[] embed(double[] block, int output) {
        double[] flat = new double[dimension()];
        for (int a = 0; a < blockSize(); a++) {
            flat[index(a, output)] = block[a];
        }
        return flat;
    }

    /** (p - minimizer) . v for a flat vector v: the error's component along v. */
    public double component(double[] p, double[] v) {
        double[] star = minimizer();
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (p[i] - star[i]) * v[i];
        }
        return s;
    }
}
