package gdlab.experiment.momentum;

import gdlab.data.Dataset;
import gdlab.data.Datasets;
import gdlab.data.Split;
import gdlab.exact.LeastSquares;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Spec;

import java.util.Locale;

/**
 * The {@code data} set of a momentum run and what its label decides. A continuous label (a measured quantity, see
 * {@link Datasets#labelKind}) gives the quadratic part a real problem: least squares of the label on the
 * standardized features with a bias, whose Hessian (2/N) Xa'Xa (DL4J's MSE) gives lambda_min, lambda_max and k
 * exactly; the MLP, a classifier, cannot use it. Class labels (the digits by default) train the MLP, and the quadratic
 * part keeps its synthetic spectra. Either way the examples are shuffled by {@code data_seed} and cut to
 * {@code max_examples} (0 = all), so a subsample is reproducible.
 *
 * @param data        the {@code data} value
 * @param name        its name in problem names: digits, iris, or the file's name without folder and extensions
 * @param split       the examples, features standardized (the whole set trains: nothing is held out)
 * @param continuous  whether the label is continuous (a regression target)
 * @param labelSource where the labels come from, for messages
 */
record MomentumData(String data, String name, Split split, boolean continuous, String labelSource) {

    static MomentumData load(Spec spec) {
        String data = spec.string("data");
        Datasets.Labelled read = Datasets.readLabelled(data, spec.string("label"));
        boolean continuous = Datasets.labelKind(read.data()) == Datasets.LabelKind.CONTINUOUS;
        Dataset d = continuous ? read.data() : Datasets.requireClassLabels(data, read.labelSource(), read.data());
        Split split = Split.of(d, 0, spec.longValue("data_seed"), spec.integer("max_examples"));
        return new MomentumData(data, Datasets.shortName(data), split, continuous, read.labelSource());
    }


    /**
     * Least squares of the continuous label on the standardized features with a bias column. A singular Hessian (a
     * constant feature, or one that is a combination of others) has lambda_min = 0 and no condition number: refused.
     */
    LeastSquares leastSquares() {
        double[][] x = split.train().features();
        double[] values = Datasets.labelValues(split.train());
        double[][] y = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            y[i] = new double[]{values[i]};
        }
        if (x.length < x[0].length + 2) {
            throw new BadInputException("data " + data + ": " + x.length + " examples for " + x[0].length
                    + " features; least squares with a bias needs at least features + 2 = " + (x[0].length + 2)
                    + " (raise max_examples or give more rows)");
        }
        LeastSquares ls = LeastSquares.of(x, y, true);
        double lmin = ls.eigen().min();
        if (!(lmin > 1e-10 * ls.lambdaMax())) {
            throw new BadInputException("data " + data + ": the least-squares Hessian of its " + x[0].length
                    + " standardized features is singular (lambda_min " + Table.readable(lmin) + ", lambda_max "
                    + Table.readable(ls.lambdaMax()) + "): a constant feature or one that is a combination of "
                    + "others leaves k infinite; allowed: features whose least-squares Hessian is nonsingular");
        }
        return ls;
    }

    /** One line for the summary: the data, its size and what its label is. */
    String describe() {
        Dataset train = split.train();
        return String.format(Locale.ROOT, "%s, %d examples x %d features (standardized), %s: %s", data,
                train.size(), train.numFeatures(), labelSource, continuous ? "continuous (" + train.numClasses()
                        + " distinct values): least squares on its value, with a bias" : train.numClasses()
                        + " classes");
    }
}
