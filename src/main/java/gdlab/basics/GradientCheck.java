package gdlab.basics;

import gdlab.dl4j.Probes;
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
        for (int b = 0; b < s.blocks().size(); b++) {
            Probes.Block block = s.blocks().get(b);
            for (int index : sample(block, samples, s.seed(), b)) {
                double fd = Probes.centralDifference(s.net(), s.all(), index, h);
                m.add(PART, block.key(), index, "backprop", gradient[index]);
                m.add(PART, block.key(), index, "finite_difference", fd);
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
