package gdlab.reference;

/**
 * Gradient normalization and clipping, as DL4J 1.0.0-M2.1 applies its {@code GradientNormalization} modes: to the
 * mean gradient (after the division by the minibatch size), per layer, BEFORE L2 is added and before the updater
 * ({@code BaseMultiLayerUpdater.preApply}). "Per layer" is the layer's whole gradient, weights and biases together;
 * "per param type" is the weight block and the bias block of a layer separately. The threshold applies to the clip
 * modes only.
 *
 * <p>The textbook forms: clipping by norm (Pascanu, Mikolov &amp; Bengio 2013) rescales g to norm t when |g| > t;
 * clipping by value clamps each entry to [-t, t]; renormalizing divides by the norm, always. DL4J's are these, per
 * block; where a norm is exactly 0, the renormalizing modes divide by 1e-5 instead (0 stays 0).
 */
public enum GradientNormalization {
    /** no change */
    NONE,
    /** g / |g| per layer ({@code RenormalizeL2PerLayer}) */
    RENORMALIZE_L2_PER_LAYER,
    /** g / |g| per weight and per bias block ({@code RenormalizeL2PerParamType}) */
    RENORMALIZE_L2_PER_PARAM_TYPE,
    /** each entry clamped to [-t, t] ({@code ClipElementWiseAbsoluteValue}) */
    CLIP_ELEMENT_WISE_ABSOLUTE_VALUE,
    /** g (t / |g|) per layer where |g| > t ({@code ClipL2PerLayer}) */
    CLIP_L2_PER_LAYER,
    /** g / (|g| / t) per weight and per bias block where |g| > t ({@code ClipL2PerParamType}) */
    CLIP_L2_PER_PARAM_TYPE;

    /**
     * Applies this mode to {@code g} in place.
     *
     * @param g         the mean gradient, in {@code net}'s layout
     * @param net       the net whose layers and parameter blocks split {@code g}
     * @param threshold t of the clip modes (> 0)
     * @return whether any entry changed (a clip mode whose threshold no block exceeds changes nothing)
     */
    public boolean apply(double[] g, Mlp net, double threshold) {
        double[] before = g.clone();
        normalize(g, net, threshold);
        return !java.util.Arrays.equals(before, g);
    }

    private void normalize(double[] g, Mlp net, double threshold) {
        Check.length("g", g, net.numParams());
        Check.positive("threshold", threshold);
        for (int l = 0; l < net.numLayers(); l++) {
            int w = net.weightOffset(l);
            int b = net.biasOffset(l);
            int end = b + net.nOut(l);
            switch (this) {
                case NONE -> {
                }
                case RENORMALIZE_L2_PER_LAYER -> renormalize(g, w, end);
                case RENORMALIZE_L2_PER_PARAM_TYPE -> {
                    renormalize(g, w, b);
                    renormalize(g, b, end);
                }
                case CLIP_ELEMENT_WISE_ABSOLUTE_VALUE -> {
                    for (int i = w; i < end; i++) {
                        g[i] = Math.max(-threshold, Math.min(threshold, g[i]));
                    }
                }
                case CLIP_L2_PER_LAYER -> {
                    double norm = norm(g, w, end);
                    if (norm > threshold) {
                        scale(g, w, end, threshold / norm);
                    }
                }
                case CLIP_L2_PER_PARAM_TYPE -> {
                    clipDividing(g, w, b, threshold);
                    clipDividing(g, b, end, threshold);
                }
            }
        }
    }

    private static void renormalize(double[] g, int from, int to) {
        double norm = norm(g, from, to);
        double by = norm == 0 ? 1e-5 : norm;
        for (int i = from; i < to; i++) {
            g[i] /= by;
        }
    }

    /** DL4J's per-param-type clip divides by |g| / t (its per-layer clip multiplies by t / |g|). */
    private static void clipDividing(double[] g, int from, int to, double threshold) {
        double norm = norm(g, from, to);
        if (norm > threshold) {
            double by = norm / threshold;
            for (int i = from; i < to; i++) {
                g[i] /= by;
            }
        }
    }

    private static void scale(double[] g, int from, int to, double factor) {
        for (int i = from; i < to; i++) {
            g[i] *= factor;
        }
    }

    static double norm(double[] g, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += g[i] * g[i];
        }
        return Math.sqrt(s);
    }
}
