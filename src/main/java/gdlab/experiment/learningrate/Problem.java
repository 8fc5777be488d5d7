package gdlab.experiment.learningrate;

import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Regression;
import gdlab.dl4j.Tensors;
import gdlab.exact.LeastSquares;
import gdlab.exact.Sharpness;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Objective;
import gdlab.reference.Quadratic;
import gdlab.reference.Theory;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.Locale;

/**
 * One problem: its data, what is known exactly about it, and how to build its DL4J network and reference model.
 *
 * <p>For least squares lambda_max is exact: the Hessian of DL4J's MSE is (2 / (N nOut)) Xa'Xa per output
 * ({@link LeastSquares}), diagonalised in plain Java. For the MLP it is the sharpness at the initial parameters, by
 * power iteration on Hessian-vector products of the reference MLP's gradient: a local estimate only.
 *
 * @param ls           the least-squares objective (null for the MLP)
 * @param ref          the reference model with DL4J's layout and loss
 * @param lambda       largest Hessian eigenvalue (exact, or the MLP's sharpness at init)
 * @param lambdaMin    smallest non-zero eigenvalue (least squares only, else NaN)
 * @param lossStar     least loss (least squares only, else NaN)
 * @param top          flat unit eigenvector of lambda for output 0 (least squares only)
 * @param lambdaSource how lambda was found (exact, or the estimate and its settings)
 * @param activation   the MLP's hidden activation (null for least squares)
 */
record Problem(String name, double[][] x, double[][] y, int[] sizes, LeastSquares ls, Mlp ref, double lambda,
               double lambdaMin, double lossStar, double[] top, String lambdaSource, String activation) {
    static final String QUADRATIC = "quadratic";
    static final String LINEAR = "linear";
    static final String MLP = "mlp";
    /** The values of the {@code problem} key: the synthetic quadratic, and least squares and the MLP on the data. */
    static final List<String> NAMES = List.of(QUADRATIC, LINEAR, MLP);
    private static final String EXACT = "exact: eigenvalues of (2/(N nOut)) Xa'Xa";

    boolean linear() {
        return ls != null;
    }

    double lrCrit() {
        return Theory.criticalLearningRate(lambda);
    }

    double lrOptimal() {
        return linear() ? Theory.optimalLearningRate(lambdaMin, lambda) : Double.NaN;
    }

    int n() {
        return x.length;
    }

    /** Parameters of the model (least squares: weights and biases of the one linear layer). */
    int parameters() {
        return linear() ? ls.dimension() : ref.numParams();
    }

    /** The DL4J network: a linear layer with MSE for least squares, the softmax MLP otherwise. */
    MultiLayerNetwork network(double lr, long seed, DataType dtype) {
        return linear() ? Regression.linear(sizes[0], sizes[1], true, new Sgd(lr), seed, dtype)
                : Networks.classifier(sizes, activation, new Sgd(lr), seed, dtype);
    }

    /**
     * The problem of {@code kind} (one of {@link #NAMES}), named {@code quadratic}, DATA-linear or DATA-mlp (DATA =
     * the data's short name, e.g. digits-linear).
     *
     * @param data the data of linear and mlp (null for the quadratic)
     */
    static Problem build(String kind, Spec spec, ProblemData data, long firstSeed, DataType dtype) {
        return switch (kind) {
            case QUADRATIC -> linear(QUADRATIC, quadratic(spec));
            case LINEAR -> linear(data.shortName() + "-" + LINEAR,
                    LeastSquares.of(data.features(), data.targets(), true));
            case MLP -> mlp(data.shortName() + "-" + MLP, data.split(), spec, firstSeed, dtype);
            default -> throw new BadInputException("unknown problem '" + kind + "'; known: " + NAMES);
        };
    }

    /** Whether a problem name (a cell's {@code problem}) is an MLP's. */
    static boolean isMlp(String name) {
        return name.endsWith("-" + MLP);
    }

    private static LeastSquares quadratic(Spec spec) {
        double k = spec.real("condition");
        double lmax = spec.real("lambda_max");
        if (2.0 < lmax / k - 1e-12 || 2.0 > lmax + 1e-12) {
            throw new BadInputException(String.format(Locale.ROOT, "bad values lambda_max=%s, condition=%s: the bias "
                    + "adds the Hessian eigenvalue 2 (= 2/nOut), which must lie in [lambda_max / condition, "
                    + "lambda_max] = [%s, %s] for the condition number to be k; allowed: lambda_max >= 2 and "
                    + "lambda_max / condition <= 2", spec.raw("lambda_max"), spec.raw("condition"),
                    Table.readable(lmax / k), Table.readable(lmax)));
        }
        int d = spec.integer("features");
        int n = spec.integer("examples");
        if (n < d + 2) {
            throw new BadInputException("bad value '" + n + "' for examples: the synthetic quadratic needs at least "
                    + "features + 2 = " + (d + 2) + "; allowed: an integer >= " + (d + 2));
        }
        double[] spectrum = d == 1 ? new double[]{lmax} : Quadratic.geometricSpectrum(d, lmax / k, lmax);
        return LeastSquares.synthetic(n, spectrum, true, spec.real("noise"), spec.longValue("data_seed"));
    }

    private static Problem linear(String name, LeastSquares ls) {
        int[] sizes = {ls.nIn(), ls.nOut()};
        Mlp ref = new Mlp(sizes, Activation.IDENTITY, Activation.IDENTITY, Loss.MSE);
        return new Problem(name, ls.features(), ls.targets(), sizes, ls, ref, ls.lambdaMax(), ls.lambdaMinPositive(),
                ls.minimumValue(), ls.embed(ls.eigen().top(), 0), EXACT, null);
    }

    private static Problem mlp(String name, Split s, Spec spec, long firstSeed, DataType dtype) {
        double[][] x = s.train().features();
        double[][] y = s.train().oneHot();
        int[] sizes = {x[0].length, spec.integer("hidden"), y[0].length};
        String activation = spec.string("activation");
        Mlp ref = new Mlp(sizes, Activation.named(activation), Activation.SOFTMAX, Loss.MCXENT);
        double[] init = Tensors.toDoubles(Networks.classifier(sizes, activation, new Sgd(0.1), firstSeed, dtype)
                .params());
        Objective f = new Objective() {
            @Override
            public int dimension() {
                return init.length;
            }

            @Override
            public double value(double[] p) {
                return ref.score(p, x, y);
            }

            @Override
            public double[] gradient(double[] p) {
                return ref.gradient(p, x, y);
            }
        };
        Sharpness.Estimate e = Sharpness.largestEigenvalue(f, init, spec.integer("sharpness_iterations"), 1e-4,
                firstSeed);
        return new Problem(name, x, y, sizes, null, ref, e.lambdaMax(), Double.NaN, Double.NaN, null,
                String.format(Locale.ROOT, "estimate: sharpness at the initial parameters (seed %d), power iteration, "
                        + "%d products%s", firstSeed, e.iterations(), e.converged() ? "" : ", not converged"),
                activation);
    }
}
