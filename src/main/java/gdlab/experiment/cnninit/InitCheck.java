package gdlab.experiment.cnninit;

import gdlab.dl4j.Cnn;
import gdlab.dl4j.Tensors;
import gdlab.report.Table;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.DoubleStream;

/**
 * The initial weights of each layer for each initialization (seeds 1..{@value #SEEDS} pooled), their measured
 * standard deviation beside the one the initialization's formula gives, so the table shows what "xavier" and "he"
 * really drew.
 */
final class InitCheck {
    /** Seeds pooled (the convolution layer alone has only 9 x filters weights). */
    static final int SEEDS = 10;
    /** The standard deviation each initialization draws with (s = small_uniform_scale). */
    static final Map<String, String> FORMULAS = Map.of("zero", "0", "small-uniform", "U(-s, s): s / sqrt(3)",
            "xavier", "sqrt(2 / (fanIn + fanOut))", "he", "sqrt(2 / fanIn)");

    private InitCheck() {
    }

    /**
     * The summary's section on it.
     *
     * @param shape the images' height and width
     * @param build the experiment's network for (init, seed)
     * @param s     the small-uniform initialization's half-width
     */
    static String markdown(int[] shape, int classes, int filters, int hidden, double s,
                           BiFunction<String, Long, MultiLayerNetwork> build) {
        // fan-in / fan-out as DL4J defines them: convolution fanIn = channels kH kW, fanOut = filters kH kW;
        // dense fanIn = the pooled map's inputs (3x3 x filters for 8x8 images)
        int[][] fans = {{9, filters * 9}, {filters * Cnn.pooled(shape[0]) * Cnn.pooled(shape[1]), hidden},
                {hidden, classes}};
        String[] layers = {"conv", "dense", "output"};
        int[] index = {Cnn.CONV, Cnn.DENSE, Cnn.OUTPUT};
        Table t = new Table("init", "layer", "fan_in", "fan_out", "weights", "formula_std", "expected_std",
                "measured_std", "measured_mean");
        for (String init : Cnn.INITS) {
            List<DoubleStream.Builder> pooled = List.of(DoubleStream.builder(), DoubleStream.builder(),
                    DoubleStream.builder());
            for (long seed = 1; seed <= SEEDS; seed++) {
                MultiLayerNetwork net = build.apply(init, seed);
                for (int l = 0; l < 3; l++) {
                    Arrays.stream(Tensors.toDoubles(net.getParam(index[l] + "_W"))).forEach(pooled.get(l));
                }
            }
            for (int l = 0; l < 3; l++) {
                double[] w = pooled.get(l).build().toArray();
                int fanIn = fans[l][0];
                int fanOut = fans[l][1];
                double expected = switch (init) {
                    case "zero" -> 0;
                    case "small-uniform" -> s / Math.sqrt(3);
                    case "xavier" -> Math.sqrt(2.0 / (fanIn + fanOut));
                    default -> Math.sqrt(2.0 / fanIn);
                };
                double mean = Arrays.stream(w).average().orElse(Double.NaN);
                double sd = Math.sqrt(Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / w.length);
                t.add(init, layers[l], fanIn, fanOut, w.length, FORMULAS.get(init), expected, sd, mean);
            }
        }
        return "### Initial weights as DL4J draws them: measured vs the formula\n\n"
                + "Each layer's weights of seeds 1.." + SEEDS + " pooled; the standard error of a measured std is "
                + "about std / sqrt(2 x weights).\n\n" + t.toMarkdown() + '\n';
    }
}
