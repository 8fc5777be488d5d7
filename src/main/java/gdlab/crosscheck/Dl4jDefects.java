package gdlab.crosscheck;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Tensors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.AdaBelief;

/** Measurements of DL4J defects the crosscheck reports but does not run in its grid. */
public final class Dl4jDefects {
    private Dl4jDefects() {
    }

    /** Trains a tiny net with DL4J's AdaBelief for one step and says what happened. */
    public static String adaBeliefFit() {
        try {
            MultiLayerNetwork net = Networks.classifier(new int[]{4, 3}, "tanh", new AdaBelief(1e-3), 1,
                    DataType.DOUBLE);
            double[][] x = {{1, 2, 3, 4}, {-1, 0, 1, 2}};
            net.fit(new DataSet(Tensors.matrix(x, DataType.DOUBLE), Tensors.oneHot(new int[]{0, 2}, 3,
                    DataType.DOUBLE)));
            return "trains without error in this build (1.0.0-M2.1 crashes here): not yet crosschecked";
        } catch (RuntimeException | Error e) {
            return "crashes: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
