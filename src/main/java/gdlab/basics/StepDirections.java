package gdlab.basics;

import gdlab.dl4j.Probes;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Part 3, why the negative gradient: from the initial parameters, one step of size eta along -g, along +g, and along
 * a random unit direction scaled to |g| (the same length as the gradient steps), for every eta of a log grid; the
 * loss after each step (DL4J's score, and the reference's as a check) beside the first-order prediction
 * {@code L - eta |g|^2}.
 */
public final class StepDirections {
    public static final String PART = "step-direction";
    public static final String MINUS_G = "-g";
    public static final String PLUS_G = "+g";
    public static final String RANDOM = "random";
    public static final String FIRST_ORDER = "first-order";
    public static final List<String> DIRECTIONS = List.of(MINUS_G, PLUS_G, RANDOM);

    private StepDirections() {
    }

    public static void measure(Subject s, double loss0, double[] g, double[] etas, Measurements m) {
        int n = g.length;
        double gg = 0;
        for (double v : g) {
            gg += v * v;
        }
        double gNorm = Math.sqrt(gg);
        double[] u = randomUnit(n, s.seed());
        double cosine = 0;
        for (int i = 0; i < n; i++) {
            cosine -= u[i] * g[i] / gNorm;
        }
        m.add(PART, "start", null, "loss", loss0);
        m.add(PART, "start", null, "gradient_norm_squared", gg);
        m.add(PART, RANDOM, null, "cosine_with_minus_g", cosine);
        double refDiff = 0;
        for (double eta : etas) {
            m.add(PART, FIRST_ORDER, eta, "loss_change", -eta * gg);
            for (String dir : DIRECTIONS) {
                double[] theta = s.theta0().clone();
                for (int i = 0; i < n; i++) {
                    double d = switch (dir) {
                        case MINUS_G -> -g[i];
                        case PLUS_G -> g[i];
                        default -> gNorm * u[i];
                    };
                    theta[i] += eta * d;
                }
                Probes.setParams(s.net(), theta);
                double loss = Probes.score(s.net(), s.all());
                double ref = s.reference().score(theta, s.data().features(), s.plainY());
                refDiff = Math.max(refDiff, Math.abs(loss - ref) / Math.max(1.0, Math.abs(ref)));
                m.add(PART, dir, eta, "loss_after", loss);
                m.add(PART, dir, eta, "loss_change", loss - loss0);
            }
        }
        m.add(PART, "all", null, "reference_max_rel_diff", refDiff);
        s.reset();
    }

    /** A seeded random direction of length 1. */
    static double[] randomUnit(int n, long seed) {
        Random random = new Random(seed * 31L + 0x5DEECE66DL);
        double[] u = new double[n];
        double norm = 0;
        for (int i = 0; i < n; i++) {
            u[i] = random.nextGaussian();
            norm += u[i] * u[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < n; i++) {
            u[i] /= norm;
        }
        return u;
    }

    /**
     * The step sizes: a log grid from {@code min} to {@code max} with {@code perDecade} points per decade; with 1, 2
     * or 3 per decade they are the round numbers 1 / 1, 3 / 1, 2, 5 times a power of ten.
     */
    public static double[] grid(double min, double max, int perDecade) {
        double[] mantissas = switch (perDecade) {
            case 1 -> new double[]{1};
            case 2 -> new double[]{1, 3};
            case 3 -> new double[]{1, 2, 5};
            default -> null;
        };
        List<Double> etas = new ArrayList<>();
        int lowest = (int) Math.floor(Math.log10(min)) - 1;
        int highest = (int) Math.ceil(Math.log10(max)) + 1;
        for (int e = lowest; e <= highest; e++) {
            int count = mantissas == null ? perDecade : mantissas.length;
            for (int k = 0; k < count; k++) {
                double v = mantissas == null ? Math.pow(10, e + (double) k / perDecade)
                        : Double.parseDouble(((long) mantissas[k]) + "e" + e);
                if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) {
                    etas.add(v);
                }
            }
        }
        return etas.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
