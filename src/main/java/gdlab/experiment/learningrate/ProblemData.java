package gdlab.experiment.learningrate;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;

import java.util.List;
import java.util.Locale;

/**
 * The data of the {@code linear} and {@code mlp} problems: the {@code data} set (the digits by default, or the
 * user's own) with its {@code label}, shuffled by {@code data_seed}, cut to {@code max_examples}, its features
 * standardized with the statistics of the training split (here the whole set: the experiment measures training
 * only, nothing is held out). Least squares gets a bias column from the network's bias.
 *
 * <p>What the label holds ({@link Datasets#labelKind}) decides which problems can use it: class labels give least
 * squares on one-hot targets ({@code linear}, as for the digits) and the softmax MLP ({@code mlp}); a continuous
 * label gives least squares on its value ({@code linear}) only, since the MLP is a classifier.
 *
 * @param data        the {@code data} value
 * @param shortName   the data's name in problem names: digits, iris, or the file's name without its extensions
 * @param split       the standardized examples ({@code split.train()}; the test part is empty)
 * @param continuous  whether the label is a continuous quantity (a regression target)
 * @param labelSource where the labels come from, for messages (e.g. {@code label column 'y'})
 */
record ProblemData(String data, String shortName, Split split, boolean continuous, String labelSource) {

    static ProblemData load(Spec spec) {
        String data = spec.string("data");
        Datasets.Labelled read = Datasets.readLabelled(data, spec.string("label"));
        requireOneKind(data, read);
        boolean continuous = Datasets.labelKind(read.data()) == Datasets.LabelKind.CONTINUOUS;
        Dataset d = continuous ? read.data() : Datasets.requireClassLabels(data, read.labelSource(), read.data());
        Split split = Split.of(d, 0, spec.longValue("data_seed"), spec.integer("max_examples"));
        return new ProblemData(data, Datasets.shortName(data), split, continuous, read.labelSource());
    }

    /**
     * Refuses a label column that mixes numbers with other values ('NaN', an empty cell, a name): it is neither a
     * continuous label nor clean class labels, and least squares on its one-hot classes would hide the bad cells.
     */
    static void requireOneKind(String data, Datasets.Labelled read) {
        List<String> values = read.data().classNames();
        List<String> numbers = values.stream().filter(ProblemData::isFiniteNumber).toList();
        if (!numbers.isEmpty() && numbers.size() < values.size()) {
            String other = values.stream().filter(v -> !isFiniteNumber(v)).findFirst().orElseThrow();
            throw new BadInputException("data " + data + ": " + read.labelSource() + " mixes numbers (e.g. "
                    + numbers.get(0) + ") with '" + other + "'; allowed: a label column of finite numbers (a "
                    + "continuous label or integer classes) or of class names only");
        }
    }

    private static boolean isFiniteNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }


    double[][] features() {
        return split.train().features();
    }

    /** Least-squares targets: the label's value (one output) when continuous, else one-hot classes. */
    double[][] targets() {
        if (!continuous) {
            return split.train().oneHot();
        }
        double[] values = Datasets.labelValues(split.train());
        double[][] y = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            y[i] = new double[]{values[i]};
        }
        return y;
    }

    /** One line for the summary: the data, its size and what its label is. */
    String describe() {
        Dataset train = split.train();
        return String.format(Locale.ROOT, "%s, %d examples x %d features (standardized), %s: %s", data,
                train.size(), train.numFeatures(), labelSource, continuous ? "continuous (" + train.numClasses()
                        + " distinct values): least squares on its value" : train.numClasses() + " classes");
    }
}
