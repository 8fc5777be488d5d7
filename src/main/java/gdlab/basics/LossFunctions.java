package gdlab.basics;

import gdlab.dl4j.Probes;
import gdlab.reference.Activation;
import gdlab.reference.Loss;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.List;
import java.util.function.Supplier;

/**
 * Part 1, loss functions: on the same network outputs (the output layer's pre-activations z of every example), the
 * value of three losses and their gradient with respect to z, each computed by DL4J and by the reference.
 */
public final class LossFunctions {
    public static final String PART = "losses";
    public static final String EXAMPLE = "loss-example";

    private LossFunctions() {
    }

    /** A loss with the output activation it is paired with. */
    public enum Pairing {
        MCXENT_SOFTMAX("mcxent+softmax", "multi-class cross-entropy", "softmax", "-sum_k y_k log p_k", "p - y",
                LossMCXENT::new, ActivationSoftmax::new, Loss.MCXENT, Activation.SOFTMAX),
        MSE_SOFTMAX("mse+softmax", "mean squared error", "softmax", "(1/K) sum_k (p_k - y_k)^2",
                "(2/K) J_softmax (p - y)", LossMSE::new, ActivationSoftmax::new, Loss.MSE, Activation.SOFTMAX),
        XENT_SIGMOID("xent+sigmoid", "binary cross-entropy (one-vs-rest)", "sigmoid",
                "-sum_k [y_k log s_k + (1 - y_k) log(1 - s_k)]", "s - y", LossBinaryXENT::new,
                ActivationSigmoid::new, Loss.XENT, Activation.SIGMOID);

        public final String id;
        public final String lossName;
        public final String activationName;
        public final String formula;
        public final String gradientFormula;
        final Supplier<ILossFunction> dl4jLoss;
        final Supplier<IActivation> dl4jActivation;
        final Loss referenceLoss;
        final Activation referenceActivation;

        Pairing(String id, String lossName, String activationName, String formula, String gradientFormula,
                Supplier<ILossFunction> dl4jLoss, Supplier<IActivation> dl4jActivation, Loss referenceLoss,
                Activation referenceActivation) {
            this.id = id;
            this.lossName = lossName;
            this.activationName = activationName;
            this.formula = formula;
            this.gradientFormula = gradientFormula;
            this.dl4jLoss = dl4jLoss;
            this.dl4jActivation = dl4jActivation;
            this.referenceLoss = referenceLoss;
            this.referenceActivation = referenceActivation;
        }

        public static Pairing byId(String id) {
            for (Pairing p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown loss pairing " + id);
        }
    }

    /** The example shown class by class. */
    public static final int EXAMPLE_INDEX = 0;

    public static void measure(Subject s, Measurements m) {
        INDArray z = Probes.outputPreActivations(s.net(), s.x());
        double[][] zRows = z.toDoubleMatrix();
        double[][] y = s.plainY();
        int n = zRows.length;
        int classes = y[0].length;
        int[] labels = s.data().labels();
        m.add(PART, "network", null, "score_dl4j", Probes.score(s.net(), s.all()));
        for (int k = 0; k < classes; k++) {
            m.add(EXAMPLE, "example", k, "y", y[EXAMPLE_INDEX][k]);
            m.add(EXAMPLE, "example", k, "z", zRows[EXAMPLE_INDEX][k]);
        }
        for (Pairing p : Pairing.values()) {
            IActivation act = p.dl4jActivation.get();
            ILossFunction loss = p.dl4jLoss.get();
            double dl4j = Probes.loss(loss, act, z, s.y());
            double[][] a = Probes.activate(act, z).toDoubleMatrix();
            double[][] g = Probes.lossGradient(loss, act, z, s.y()).toDoubleMatrix();
            double ref = 0;
            double gradDiff = 0;
            double gradAbs = 0;
            double trueClass = 0;
            double fromAMinusY = 0;
            for (int e = 0; e < n; e++) {
                double[] ae = p.referenceActivation.apply(zRows[e]);
                ref += p.referenceLoss.score(zRows[e], ae, y[e], p.referenceActivation);
                double[] ge = p.referenceLoss.gradient(zRows[e], ae, y[e], p.referenceActivation);
                for (int k = 0; k < classes; k++) {
                    gradDiff = Math.max(gradDiff, Math.abs(g[e][k] - ge[k]));
                    gradAbs += Math.abs(g[e][k]);
                    fromAMinusY = Math.max(fromAMinusY, Math.abs(g[e][k] - (a[e][k] - y[e][k])));
                }
                trueClass += g[e][labels[e]];
            }
            ref /= n;
            m.add(PART, p.id, null, "loss_dl4j", dl4j);
            m.add(PART, p.id, null, "loss_reference", ref);
            m.add(PART, p.id, null, "gradient_max_abs_diff", gradDiff);
            m.add(PART, p.id, null, "gradient_mean_abs", gradAbs / (n * (double) classes));
            m.add(PART, p.id, null, "gradient_true_class_mean", trueClass / n);
            m.add(PART, p.id, null, "gradient_max_abs_minus_a_minus_y", fromAMinusY);
            for (int k = 0; k < classes; k++) {
                m.add(EXAMPLE, p.id, k, "output", a[EXAMPLE_INDEX][k]);
                m.add(EXAMPLE, p.id, k, "gradient", g[EXAMPLE_INDEX][k]);
            }
        }
        mismatch(s, z, zRows, m);
    }

    /** The series of DL4J's binary cross-entropy on softmax outputs, a pairing where it does not apply. */
    public static final String XENT_SOFTMAX = "xent+softmax";

    /**
     * Binary cross-entropy on softmax outputs: what DL4J's LossBinaryXENT returns for its value and its gradient,
     * beside the reference's binary cross-entropy of the same probabilities and DL4J's multi-class value.
     */
    private static void mismatch(Subject s, INDArray z, double[][] zRows, Measurements m) {
        IActivation softmax = new ActivationSoftmax();
        double value = Probes.loss(new LossBinaryXENT(), softmax, z, s.y());
        double[][] g = Probes.lossGradient(new LossBinaryXENT(), softmax, z, s.y()).toDoubleMatrix();
        double[][] y = s.plainY();
        double ref = 0;
        double gradDiff = 0;
        for (int e = 0; e < zRows.length; e++) {
            double[] p = Activation.SOFTMAX.apply(zRows[e]);
            ref += Loss.XENT.score(zRows[e], p, y[e], Activation.SOFTMAX);
            double[] ge = Loss.XENT.gradient(zRows[e], p, y[e], Activation.SOFTMAX);
            for (int k = 0; k < ge.length; k++) {
                gradDiff = Math.max(gradDiff, Math.abs(g[e][k] - ge[k]));
            }
        }
        m.add(PART, XENT_SOFTMAX, null, "loss_dl4j", value);
        m.add(PART, XENT_SOFTMAX, null, "loss_reference", ref / zRows.length);
        m.add(PART, XENT_SOFTMAX, null, "mcxent_dl4j", Probes.loss(new LossMCXENT(), softmax, z, s.y()));
        m.add(PART, XENT_SOFTMAX, null, "gradient_max_abs_diff", gradDiff);
    }

    public static List<Pairing> pairings() {
        return List.of(Pairing.values());
    }
}
