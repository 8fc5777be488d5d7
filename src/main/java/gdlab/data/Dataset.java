package gdlab.data;

import java.util.List;

/**
 * A classification data set in plain Java: one row of features per example and its class index.
 *
 * @param name         for tables and run.json
 * @param features     examples x features
 * @param labels       class index of each example, 0..classes-1
 * @param featureNames one per feature column
 * @param classNames   one per class
 */
public record Dataset(String name, double[][] features, int[] labels, List<String> featureNames,
                      List<String> classNames) {

    public Dataset {
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= classNames.size()) {
                throw new IllegalArgumentException("label " + label + " outside 0.." + (classNames.size() - 1));
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int numFeatures() {
        return featureNames.size();
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The examples at {@code rows}, in that order. */
    public Dataset rows(int[] rows) {
        double[][] x = new double[rows.length][];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            x[i] = features[rows[i]].clone();
            y[i] = labels[rows[i]];
        }
        return new Dataset(name, x, y, featureNames, classNames);
    }

    /** One-hot labels, examples x classes. */
    public double[][] oneHot() {
        double[][] y = new double[labels.length][numClasses()];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1.0;
        }
        return y;
    }
}
