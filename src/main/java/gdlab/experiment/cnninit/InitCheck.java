package gdlab.experiment.cnninit;

import gdlab.dl4j.Cnn;
import gdlab.dl4j.Tensors;
import gdlab.report.Columns;
import gdlab.report.Table;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** One row: a layer's initial weights as DL4J drew them vs the formula. */
    record Row(String init, String layer, int fanIn, int fanOut, String formula, double expectedStd,
               double measuredStd, double measuredMean, int weights) {
    }

    private InitCheck() {
    }

    /**
     * @param build the experiment's network for (init, seed)
     * @param s     the small-uniform initialization's half-width
     */
    static List<Row> of(int filters, int hidden, double s, BiFunction<String, Long, MultiLayerNetwork> build) {
        // fan-in / fan-out as DL4J defines them: convolution fanIn = channels kH kW, fanOut = filters kH kW;
        // dense fanIn = the pooled 3x3 x filters inputs
        int[][] fans = {{9, filters * 9}, {filters * 9, hidden}, {hidden, 10}};
        String[] layers = {"conv", "dense", "output"};
        int[] index = {Cnn.CONV, Cnn.DENSE, Cnn.OUTPUT};
        List<Row> rows = new ArrayList<>();
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
                String formula = switch (init) {
                    case "zero" -> "0";
                    case "small-uniform" -> "U(-s, s): s / sqrt(3)";
                    case "xavier" -> "sqrt(2 / (fanIn + fanOut))";
                    default -> "sqrt(2 / fanIn)";
                };
                double expected = switch (init) {
                    case "zero" -> 0;
                    case "small-uniform" -> s / Math.sqrt(3);
                    case "xavier" -> Math.sqrt(2.0 / (fanIn + fanOut));
                    default -> Math.sqrt(2.0 / fanIn);
                };
                double mean = Arrays.stream(w).average().orElse(Double.NaN);
                double sd = Math.sqrt(Arrays.stream(w).map(v -> (v - mean) * (v - mean)).sum() / w.length);
                rows.add(new Row(init, layers[l], fanIn, fanOut, formula, expected, sd, mean, w.length));
            }
        }
        return rows;
    }

    static String markdown(List<Row> rows) {
        Table t = new Columns<Row>().add("init", Row::init).add("layer", Row::layer).add("fan_in", Row::fanIn)
                .add("fan_out", Row::fanOut).add("weights", Row::weights).add("formula_std", Row::formula)
                .add("expected_std", Row::expectedStd).add("measured_std", Row::measuredStd)
                .add("measured_mean", Row::measuredMean).markdown(rows);
        return "### Initial weights as DL4J draws them: measured vs the formula\n\n"
                + "Each layer's weights of seeds 1.." + SEEDS + " pooled; the standard error of a measured std is "
                + "about std / sqrt(2 x weights).\n\n" + t.toMarkdown() + '\n';
    }
}
