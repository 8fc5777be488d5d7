package gdlab.experiment.failure;

import java.util.SplittableRandom;

/**
 * A small hard task: four Gaussian blobs at (+-1, +-1), class 1 where the signs differ (XOR). A net with two hidden
 * units can solve it, but some initialisations settle with one blob on the wrong side.
 *
 * @param x      features, one row per example (blob by blob)
 * @param labels class per example
 */
record XorBlobs(double[][] x, int[] labels) {

    static XorBlobs generate(int perBlob, double spread, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 4 * perBlob;
        double[][] x = new double[n][];
        int[] labels = new int[n];
        int k = 0;
        for (int blob = 0; blob < 4; blob++) {
            double cx = (blob & 1) == 0 ? -1 : 1;
            double cy = (blob & 2) == 0 ? -1 : 1;
            for (int i = 0; i < perBlob; i++) {
                x[k] = new double[] {cx + spread * random.nextGaussian(), cy + spread * random.nextGaussian()};
                labels[k] = cx * cy < 0 ? 1 : 0;
                k++;
            }
        }
        return new XorBlobs(x, labels);
    }

    int size() {
        return labels.length;
    }

    double[][] oneHot() {
        double[][] y = new double[labels.length][2];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1;
        }
        return y;
    }
}
