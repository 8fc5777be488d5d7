package gdlab.crosscheck;

import gdlab.reference.ConjugateGradient;
import gdlab.reference.Lbfgs;
import gdlab.reference.LineSearchGradientDescent;
import gdlab.reference.Quadratic;
import gdlab.reference.Solver;
import gdlab.reference.StopRule;
import gdlab.reference.Trajectory;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * DL4J's line-search solvers against the reference's on one least-squares problem whose Hessian has a chosen
 * spectrum, so the textbook answer is known: conjugate gradient with exact line search needs at most n iterations.
 *
 * <p>The problem: {@code f(w) = (1/m) ||X w - y||^2} (DL4J's MSE on a one-layer identity network without bias, n
 * weights, full batch, DOUBLE), with X built so that its Hessian {@code (2/m) X'X} is exactly the reference
 * {@link Quadratic} H = Q diag(lambda) Q' (eigenvalues geometric from 1/kappa to 1) and y = X w*, so f* = 0. Both
 * sides start from w = 0. A solver has reached the target when {@code (f - f*) / (f0 - f*) <= target}.
 *
 * <p>DL4J's solvers search along their updater's direction; here the updater is {@code Sgd(1.0)}, so the direction
 * is the mean gradient and the first step tried is 1 = 1/lambda_max (the classic gradient step). Other settings are
 * DL4J's defaults (at most 5 line-search iterations).
 *
 * @param n           parameters
 * @param m           examples (>= n)
 * @param kappa       condition number of H
 * @param maxIterations K
 * @param target      relative loss counted as reached
 * @param seed        of Q, the examples and w*
 */
public record SolverCheck(int n, int m, double kappa, int maxIterations, double target, long seed) {

    /** One solver, both sides. */
    public record Row(String dl4jName, String referenceName, Run dl4j, Run reference) {
    }

    /**
     * One run: iterations until the target (null when not reached), the relative loss after every iteration
     * (index 0 = start), and the parameters after every iteration (DL4J only; for evidence).
     */
    public record Run(Integer iterationsToTarget, String status, double[] relativeLoss, List<double[]> params) {
        public double finalRelativeLoss() {
            return relativeLoss[relativeLoss.length - 1];
        }

        /** Relative loss after {@code iteration} iterations, or after the last one when the run stopped earlier. */
        public double relativeLossAt(int iteration) {
            return relativeLoss[Math.min(iteration, relativeLoss.length - 1)];
        }
    }

    /** What the section reports. */
    public record Outcome(List<Row> rows, double dl4jVersusQuadratic, double cgVersusLineGd,
                         int lbfgsLastChange) {
    }

    public Quadratic quadratic() {
        double[] lambda = Quadratic.geometricSpectrum(n, 1 / kappa, 1);
        return Quadratic.rotated(lambda, seed);
    }

    public Outcome run() {
        if (m < n) {
            throw new IllegalArgumentException("need at least as many examples as parameters, got m = " + m
                    + " < n = " + n);
        }
        Quadratic h0 = quadratic();
        Random random = new Random(seed + 1);
        double[] wStar = new double[n];
        for (int i = 0; i < n; i++) {
            wStar[i] = random.nextGaussian();
        }
        // X = sqrt(m/2) U diag(sqrt(lambda)) Q' with U (m x n) orthonormal columns: (2/m) X'X = Q diag(lambda) Q'
        double[][] u = orthonormalColumns(m, n, random);
        double[] lambda = h0.eigenvalues();
        double[][] x = new double[m][n];
        for (int k = 0; k < n; k++) {
            double[] qk = h0.eigenvector(k);
            double s = Math.sqrt(m / 2.0) * Math.sqrt(lambda[k]);
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < n; i++) {
                    x[r][i] += s * u[r][k] * qk[i];
                }
            }
        }
        double[][] y = new double[m][1];
        for (int r = 0; r < m; r++) {
            double v = 0;
            for (int i = 0; i < n; i++) {
                v += x[r][i] * wStar[i];
            }
            y[r][0] = v;
        }
        // the reference objective: 1/2 w'Hw - (H w*)'w = f(w) - 1/2 w*'H w* (the same function up to a constant)
        Quadratic q = h0.withLinearTerm(h0.hessianTimes(wStar));
        DataSet data = new DataSet(Nd4j.create(x), Nd4j.create(y));
        double[] w0 = new double[n];

        double dl4jVersusQuadratic;
        {
            MultiLayerNetwork probe = network(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT);
            double f = probe.score(data);
            double fq = q.value(w0) - q.minimumValue();
            dl4jVersusQuadratic = Math.abs(f - fq) / Math.abs(fq);
        }

        List<Row> rows = new ArrayList<>();
        Run lineGd = dl4j(OptimizationAlgorithm.LINE_GRADIENT_DESCENT, data);
        Run cg = dl4j(OptimizationAlgorithm.CONJUGATE_GRADIENT, data);
        Run lbfgs = dl4j(OptimizationAlgorithm.LBFGS, data);
        rows.add(new Row("LINE_GRADIENT_DESCENT", "line-search GD (exact)", lineGd,
                reference(new LineSearchGradientDescent(), q, w0)));
        rows.add(new Row("CONJUGATE_GRADIENT", "CG, Polak-Ribiere+ (exact)", cg,
                reference(new ConjugateGradient(), q, w0)));
        rows.add(new Row("LBFGS", "L-BFGS, m = 10 (strong Wolfe)", lbfgs, reference(new Lbfgs(), q, w0)));

        // evidence: DL4J's CG against DL4J's line GD, iteration by iteration
        double cgVsLine = 0;
        int common = Math.min(cg.params().size(), lineGd.params().size());
        for (int k = 0; k < common; k++) {
            cgVsLine = Math.max(cgVsLine, Diff.of(cg.params().get(k), lineGd.params().get(k)).abs());
        }
        // evidence: the last iteration at which DL4J's L-BFGS still changed its parameters
        int lastChange = 0;
        for (int k = 1; k < lbfgs.params().size(); k++) {
            if (Diff.of(lbfgs.params().get(k), lbfgs.params().get(k - 1)).abs() > 0) {
                lastChange = k;
            }
        }
        return new Outcome(rows, dl4jVersusQuadratic, cgVsLine, lastChange);
    }

    MultiLayerNetwork network(OptimizationAlgorithm algorithm) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.DOUBLE)
                .optimizationAlgo(algorithm)
                .updater(new Sgd(1.0))
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(n).nOut(1)
                        .activation(Activation.IDENTITY).hasBias(false).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.setParams(Nd4j.zeros(DataType.DOUBLE, 1, n));
        return net;
    }

    /** One {@code fit} per iteration, full batch; relative loss f / f0 (f* = 0 for DL4J's loss). */
    Run dl4j(OptimizationAlgorithm algorithm, DataSet data) {
        MultiLayerNetwork net = network(algorithm);
        double f0 = net.score(data);
        List<Double> rel = new ArrayList<>(List.of(1.0));
        List<double[]> params = new ArrayList<>();
        params.add(new double[n]);
        Integer reached = null;
        String status = "max_iterations";
        for (int it = 1; it <= maxIterations; it++) {
            net.fit(data);
            double r = net.score(data) / f0;
            rel.add(r);
            params.add(net.params().dup().data().asDouble());
            if (!Double.isFinite(r)) {
                status = "diverged";
                break;
            }
            if (r <= target) {
                reached = it;
                status = "converged";
                break;
            }
        }
        return new Run(reached, status, rel.stream().mapToDouble(Double::doubleValue).toArray(), params);
    }

    Run reference(Solver solver, Quadratic q, double[] w0) {
        double fStar = q.minimumValue();
        Trajectory t = solver.minimize(q, w0, maxIterations, StopRule.relativeLossBelow(fStar, target));
        double f0 = q.value(w0) - fStar;
        double[] rel = new double[t.values().length];
        for (int i = 0; i < rel.length; i++) {
            rel[i] = (t.values()[i] - fStar) / f0;
        }
        Integer reached = t.status() == gdlab.reference.Status.CONVERGED ? t.iterations() : null;
        return new Run(reached, t.status().label(), rel, List.of());
    }

    static double[][] orthonormalColumns(int rows, int cols, Random random) {
        double[][] c = new double[cols][rows];
        for (int k = 0; k < cols; k++) {
            for (int r = 0; r < rows; r++) {
                c[k][r] = random.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double d = 0;
                    for (int r = 0; r < rows; r++) {
                        d += c[k][r] * c[j][r];
                    }
                    for (int r = 0; r < rows; r++) {
                        c[k][r] -= d * c[j][r];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) {
                norm += c[k][r] * c[k][r];
            }
            norm = Math.sqrt(norm);
            for (int r = 0; r < rows; r++) {
                c[k][r] /= norm;
            }
        }
        double[][] u = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < cols; k++) {
                u[r][k] = c[k][r];
            }
        }
        return u;
    }
}
