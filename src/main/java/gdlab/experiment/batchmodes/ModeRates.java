package gdlab.experiment.batchmodes;

import gdlab.data.Dataset;
import gdlab.dl4j.NetSharpness;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import gdlab.exact.Sharpness;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Objective;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.report.Table;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.Locale;

/**
 * Each mode's learning rate, absolute ({@code lr_unit = abs}: {@code lr_batch}, ...) or a multiple of the
 * problem's critical rate ({@code lr_unit = crit}: {@code lr_ratio_batch} x lr_crit, ...), where lr_crit =
 * 2 / lambda_max of the training loss's Hessian at the first seed's initial parameters. lr_crit is measured either
 * way, so every rate is also shown as a multiple of it: a rate that suits the digits may be far above the critical
 * rate of another data set, and in units of lr_crit the same defaults fit any data.
 *
 * <p>lambda_max comes from DL4J's gradients; the plain-Java reference network's curvature along the direction the
 * power iteration ended on (its Rayleigh quotient, from central differences of the reference's exact gradient over
 * the same examples) checks it.
 *
 * @param unit      abs or crit
 * @param sharpness the measured sharpness and lr_crit
 * @param reference the reference network's Rayleigh quotient along the estimate's direction
 */
record ModeRates(String unit, NetSharpness.Estimate sharpness, double reference, Spec spec) {
    /** The reference's Rayleigh quotient must agree with DL4J's lambda_max to this relative tolerance. */
    static final double REFERENCE_TOLERANCE = 0.01;
    static final String ABS = "abs";
    static final String CRIT = "crit";

    static List<Param> params() {
        return List.of(
                Param.choice("lr_unit", List.of(ABS, CRIT), false,
                        "crit: learning rates are lr_ratio_MODE x lr_crit (2 / lambda_max at init); abs: lr_MODE"),
                Param.real("lr_ratio_batch", 0, false, "batch mode's learning rate / lr_crit (lr_unit = crit)"),
                Param.real("lr_ratio_stochastic", 0, false, "stochastic mode's learning rate / lr_crit "
                        + "(lr_unit = crit)"),
                Param.real("lr_ratio_mini_batch", 0, false, "mini-batch mode's learning rate / lr_crit "
                        + "(lr_unit = crit)"),
                Param.real("lr_batch", 0, false, "learning rate for batch mode (lr_unit = abs)"),
                Param.real("lr_stochastic", 0, false, "learning rate for stochastic mode (lr_unit = abs)"),
                Param.real("lr_mini_batch", 0, false, "learning rate for mini-batch mode (lr_unit = abs)"),
                Param.integer("sharpness_iterations", 1, 100_000, false,
                        "most power iterations for lambda_max at init"),
                Param.integer("sharpness_max_examples", 0, Integer.MAX_VALUE, false,
                        "lambda_max over at most this many training examples (0 = all)"));
    }

    /**
     * A rate set on the command line that the run's {@code lr_unit} would ignore stops the run, naming what to set
     * instead: {@code -Dlr_mini_batch=0.3} under {@code lr_unit = crit} would otherwise change nothing.
     */
    static void requireRatesOfTheUnit(Spec spec) {
        boolean crit = spec.string("lr_unit").equals(CRIT);
        for (String mode : List.of("batch", "stochastic", "mini_batch")) {
            String ignored = crit ? "lr_" + mode : "lr_ratio_" + mode;
            if (spec.overridden().contains(ignored)) {
                throw new BadInputException("bad value '" + spec.string(ignored) + "' for " + ignored + ": with lr_unit="
                        + spec.string("lr_unit") + " it is not used; allowed: "
                        + (crit ? "-Dlr_ratio_" + mode + "=R (a multiple of lr_crit), or -Dlr_unit=abs -Dlr_" + mode
                                + "=" + spec.string(ignored)
                        : "-Dlr_" + mode + "=LR (an absolute rate), or -Dlr_unit=crit -Dlr_ratio_" + mode + "="
                                + spec.string(ignored)));
            }
        }
    }

    /**
     * Measures lr_crit for the network of {@code sizes} at {@code seed}'s initial parameters over the first
     * {@code sharpness_max_examples} training examples (the split is shuffled, so they are a random subset).
     */
    static ModeRates measure(Spec spec, Dataset train, int[] sizes, long seed, DataType dtype) {
        requireRatesOfTheUnit(spec);
        int limit = spec.integer("sharpness_max_examples");
        int n = limit > 0 ? Math.min(limit, train.size()) : train.size();
        Dataset sub = n == train.size() ? train : train.rows(java.util.stream.IntStream.range(0, n).toArray());
        var net = Networks.classifier(sizes, spec.string("activation"), new Sgd(0.1), seed, dtype);
        NetSharpness.Estimate e = NetSharpness.of(net, Tensors.matrix(sub.features(), DataType.DOUBLE),
                Tensors.oneHot(sub.labels(), sub.numClasses(), DataType.DOUBLE), spec.integer("sharpness_iterations"),
                seed);
        if (spec.string("lr_unit").equals(CRIT) && !(e.lambdaMax() > 0 && Double.isFinite(e.lambdaMax()))) {
            throw new BadInputException("lr_unit=crit: the loss's largest curvature at the initial parameters is "
                    + e.lambdaMax() + ", so lr_crit = 2 / lambda_max is not a rate; allowed: lr_unit=abs with "
                    + "lr_batch, lr_stochastic, lr_mini_batch");
        }
        return new ModeRates(spec.string("lr_unit"), e, referenceRayleigh(e, sizes, spec.string("activation"),
                sub.features(), sub.oneHot()), spec);
    }

    /** v . H v for the reference network's loss over {@code x}, {@code y}, v the estimate's unit direction. */
    static double referenceRayleigh(NetSharpness.Estimate e, int[] sizes, String activation, double[][] x,
                                    double[][] y) {
        Mlp ref = new Mlp(sizes, Activation.named(activation), Activation.SOFTMAX, Loss.MCXENT);
        Objective f = new Objective() {
            @Override
            public int dimension() {
                return e.params().length;
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
        double scale = 1;
        for (double c : e.params()) {
            scale = Math.max(scale, Math.abs(c));
        }
        double[] hv = Sharpness.hessianTimes(f, e.params(), e.direction(), 1e-5 * scale);
        double rayleigh = 0;
        for (int i = 0; i < hv.length; i++) {
            rayleigh += e.direction()[i] * hv[i];
        }
        return rayleigh;
    }

    /** Whether the reference's curvature along the same direction agrees with DL4J's lambda_max. */
    boolean referenceAgrees() {
        return Math.abs(reference - sharpness.lambdaMax()) <= REFERENCE_TOLERANCE * Math.abs(sharpness.lambdaMax());
    }

    /** The absolute learning rate of {@code mode} (batch, stochastic, mini-batch). */
    double lr(String mode) {
        String key = mode.replace('-', '_');
        // to 4 significant digits: the value a cell's lr coordinate shows is the one it trains with
        return unit.equals(CRIT) ? Double.parseDouble(Table.readable(spec.real("lr_ratio_" + key)
                * sharpness.lrCrit())) : spec.real("lr_" + key);
    }

    /** The learning rate of {@code mode} as a multiple of lr_crit. */
    double ratio(String mode) {
        return unit.equals(CRIT) ? spec.real("lr_ratio_" + mode.replace('-', '_')) : lr(mode) / sharpness.lrCrit();
    }

    /** lambda_max, lr_crit, the unit, and each of {@code modes}' absolute rate and ratio. */
    java.util.Map<String, Object> facts(List<String> modes) {
        java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("lambda_max", sharpness.lambdaMax());
        facts.put("lr_crit", sharpness.lrCrit());
        facts.put("sharpness_products", sharpness.products());
        facts.put("sharpness_converged", sharpness.converged());
        facts.put("sharpness_examples", sharpness.examples());
        facts.put("lambda_max_reference", reference);
        facts.put("lr_unit", unit);
        for (String m : modes.stream().distinct().toList()) {
            String key = m.replace('-', '_');
            facts.put("lr_" + key, lr(m));
            facts.put("lr_ratio_" + key, ratio(m));
        }
        return facts;
    }

    /** What the run used, one line: lr_crit and each mode's absolute rate and ratio. */
    String describe(List<String> modes) {
        return sharpness.describe() + "; learning rates (lr_unit = " + unit + "): " + String.join(", ",
                modes.stream().distinct().map(m -> String.format(Locale.ROOT, "%s %s (%s x lr_crit)", m,
                        Table.readable(lr(m)), Table.readable(ratio(m)))).toList());
    }
}
