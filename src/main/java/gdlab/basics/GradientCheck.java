package gdlab.basics;

import gdlab.dl4j.Probes;
import gdlab.reference.Activation;
import gdlab.reference.Mlp;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Part 2, the derivative is the gradient: DL4J's backprop gradient of the mean loss against central finite
 * differences of DL4J's own score, on a seeded sample of the parameters of every block (each layer's weights and
 * biases); and the whole backprop gradient against the reference's.
 */
public final class GradientCheck {
    public static final String PART = "gradient-check";

    private GradientCheck() {
    }

    /**
     * @param gradient DL4J's mean backprop gradient at the initial parameters
     * @param samples  parameters checked per block (all of a smaller block)
     * @param h        finite-difference step
     */
    public static void measure(Subject s, double[] gradient, int samples, double h, Measurements m) {
        s.reset();
        boolean kinked = hasKink(s.reference().activations().get(0));
        double[][] z = kinked ? hiddenPreActivations(s) : null;
        for (int b = 0; b < s.blocks().size(); b++) {
            Probes.Block block = s.blocks().get(b);
            for (int index : sample(block, samples, s.seed(), b)) {
                double fd = Probes.centralDifference(s.net(), s.all(), index, h);
                m.add(PART, block.key(), index, "backprop", gradient[index]);
                m.add(PART, block.key(), index, "finite_difference", fd);
                m.add(PART, block.key(), index, "near_kink", kinked && nearKink(s, z, block, index, h) ? 1 : 0);
            }
        }
        Mlp.Evaluation ref = s.reference().evaluate(s.theta0(), s.data().features(), s.plainY());
        double maxDiff = 0;
        double maxAbs = 0;
        for (int i = 0; i < gradient.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(gradient[i] - ref.gradient()[i]));
            maxAbs = Math.max(maxAbs, Math.abs(ref.gradient()[i]));
        }
        m.add(PART, "all", null, "reference_max_abs_diff", maxDiff);
        m.add(PART, "all", null, "gradient_max_abs", maxAbs);
    }

    /** ReLU and leaky ReLU have a kink at 0. */
    public static boolean hasKink(Activation a) {
        return a == Activation.RELU || a == Activation.LEAKY_RELU;
    }

    /** The first layer's pre-activations z = x W + b at the initial parameters, examples x hidden units. */
    static double[][] hiddenPreActivations(Subject s) {
        double[][] x = s.data().features();
        double[] theta = s.theta0();
        Probes.Block w = s.blocks().get(0);
        Probes.Block b = s.blocks().get(1);
        int nIn = x[0].length;
        double[][] z = new double[x.length][b.length()];
        for (int e = 0; e < x.length; e++) {
            for (int j = 0; j < b.length(); j++) {
                double sum = theta[b.offset() + j];
                for (int i = 0; i < nIn; i++) {
                    sum += x[e][i] * theta[w.offset() + i + j * nIn];
                }
                z[e][j] = sum;
            }
        }
        return z;
    }

    /**
     * Whether nudging the first layer's parameter {@code index} by +-h moves some example's hidden pre-activation
     * across 0, the kink of ReLU: there the score has no derivative and the central difference mixes two slopes.
     * Parameters of later layers never do (the softmax output is smooth).
     */
    static boolean nearKink(Subject s, double[][] z, Probes.Block block, int index, double h) {
        if (block.layer() != 0) {
            return false;
        }
        double[][] x = s.data().features();
        int nIn = x[0].length;
        int k = index - block.offset();
        int j = block.isBias() ? k : k / nIn;
        int i = block.isBias() ? -1 : k % nIn;
        for (int e = 0; e < x.length; e++) {
            double reach = h * (block.isBias() ? 1.0 : Math.abs(x[e][i])) * (1 + 1e-9);
            if (Math.abs(z[e][j]) <= reach && reach > 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code count} distinct flat indices of the block (all of them if it is smaller), sorted; seeded. */
    static int[] sample(Probes.Block block, int count, long seed, int blockNumber) {
        int k = Math.min(count, block.length());
        int[] idx = new int[block.length()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = block.offset() + i;
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + 7919L * (blockNumber + 1));
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] chosen = Arrays.copyOf(idx, k);
        Arrays.sort(chosen);
        return chosen;
    }

    /** |a - b| / max(|a|, |b|); 0 when both are 0. */
    public static double relativeError(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    /** ||a - b|| / max(||a||, ||b||) of two vectors; 0 when both are 0. */
    public static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        double scale = Math.sqrt(Math.max(na, nb));
        return scale == 0 ? 0 : Math.sqrt(diff) / scale;
    }
}
