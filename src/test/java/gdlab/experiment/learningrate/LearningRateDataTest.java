package gdlab.experiment.learningrate;

import gdlab.report.Claim;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.RunFiles.claim;
import static gdlab.experiment.RunFiles.rows;
import static gdlab.experiment.RunFiles.with;
import static gdlab.experiment.learningrate.LearningRateTest.num;
import static gdlab.experiment.learningrate.LearningRateTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * learning-rate on data gdlab's problems do not name: a regression CSV (iris's petal width from its other three
 * measurements: a continuous label) runs least squares on it, with the predicted and the measured divergence edge;
 * a classification CSV runs least squares on its one-hot classes and the MLP; labels it cannot use are bad input.
 */
class LearningRateDataTest {
    static final String REGRESSION = "csv:src/test/resources/learning-rate/iris-petal-width.csv";
    static final String CLASSES = "csv:src/main/resources/data/iris.csv";

    @TempDir
    static Path results;
    static String regressionOut;
    static Path regressionRun;

    @BeforeAll
    static void runRegression() {
        regressionOut = run(results, Map.of("data", REGRESSION, "label", "petal_width_cm", "problem", "linear"), 0);
        regressionRun = results.resolve("learning-rate/latest");
    }

    /**
     * 2 / lambda_max of the Hessian of DL4J's MSE, computed here from the file: features standardized (population
     * std), a column of ones appended, H = (2 / (N nOut)) Xa'Xa, its largest eigenvalue by power iteration.
     */
    /** @param labelColumn the label's column, left out of the features (-1: every column is a feature) */
    static double lrCrit(Path csv, int labelColumn, int nOut) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int n = lines.size() - 1;
        int d = lines.get(0).split(",").length - (labelColumn >= 0 ? 1 : 0);
        double[][] x = new double[n][d + 1];
        for (int e = 0; e < n; e++) {
            String[] cells = lines.get(e + 1).split(",");
            for (int c = 0, k = 0; c < cells.length; c++) {
                if (c != labelColumn) {
                    x[e][k++] = Double.parseDouble(cells[c]);
                }
            }
            x[e][d] = 1;
        }
        for (int j = 0; j < d; j++) {
            double mean = 0;
            double var = 0;
            for (double[] row : x) {
                mean += row[j] / n;
            }
            for (double[] row : x) {
                var += (row[j] - mean) * (row[j] - mean) / n;
            }
            for (double[] row : x) {
                row[j] = (row[j] - mean) / Math.sqrt(var);
            }
        }
        double[] v = new double[d + 1];
        java.util.Arrays.fill(v, 1);
        double lambda = 0;
        for (int it = 0; it < 5000; it++) {
            double[] hv = new double[d + 1];
            for (double[] row : x) {
                double dot = 0;
                for (int a = 0; a <= d; a++) {
                    dot += row[a] * v[a];
                }
                for (int a = 0; a <= d; a++) {
                    hv[a] += 2.0 / ((double) n * nOut) * row[a] * dot;
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(hv).map(h -> h * h).sum());
            lambda = norm / Math.sqrt(java.util.Arrays.stream(v).map(h -> h * h).sum());
            for (int a = 0; a <= d; a++) {
                v[a] = hv[a] / norm;
            }
        }
        return 2 / lambda;
    }

    @Test
    void aRegressionCsvGivesThePredictedAndTheMeasuredEdgeWithinTwoPercent() throws IOException {
        List<Map<String, String>> summary = rows(regressionRun.resolve("summary.csv"));
        assertThat(summary).isNotEmpty().allSatisfy(r -> assertThat(r.get("problem"))
                .isEqualTo("iris-petal-width-linear"));
        double predicted = num(summary.get(0), "lr_crit_predicted");
        double measured = num(summary.get(0), "lr_edge_measured");
        assertThat(predicted).isCloseTo(lrCrit(Path.of(REGRESSION.substring(4)), 3, 1), within(1e-9 * predicted));
        assertThat(measured / predicted).isCloseTo(1, within(0.02));
        assertThat(summary).allSatisfy(r -> assertThat(List.of(num(r, "lr_crit_predicted"),
                num(r, "lr_edge_measured"))).containsExactly(predicted, measured));

        Map<String, String> edge = claimRow(regressionRun, "divergence_edge");
        assertThat(edge.get("verdict")).isEqualTo("holds");
        assertThat(edge.get("measured")).startsWith("iris-petal-width-linear: DL4J ");
        assertThat(claimRow(regressionRun, "dl4j_matches_reference").get("verdict")).isEqualTo("holds");
        assertThat(rows(regressionRun.resolve("claims.csv"))).extracting(c -> c.get("verdict"))
                .doesNotContainNull().isNotEmpty();
        assertThat(regressionOut).contains("| lr_crit_predicted | lr_edge_measured |")
                .contains("label column 'petal_width_cm': continuous (22 distinct values): least squares on its "
                        + "value").contains("every integrity check passes");
    }

    @Test
    void aUserDataEdgeAwayFromTwoOverLambdaMaxFailsTheRun() throws IOException {
        LearningRate experiment = new LearningRate();
        experiment.prepare(Spec.resolve(experiment.name(), Harness.allParams(experiment.params()),
                Harness.defaults(), SpecFile.read(Path.of("experiments/learning-rate.properties")),
                Map.of("quick", "true", "data", REGRESSION, "label", "petal_width_cm", "problem", "linear")));
        List<CellResult> clean = gdlab.experiment.RunFiles.results(regressionRun, experiment);
        assertThat(experiment.summarize(clean).fails()).isFalse();
        List<CellResult> perturbed = new ArrayList<>(clean);
        perturbed.replaceAll(r -> r.cell().get("task").equals("edge")
                ? with(r, "measured_lr", r.number("predicted_lr") * 1.03) : r);
        Report wrong = experiment.summarize(perturbed);
        assertThat(claim(wrong, "divergence_edge").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(wrong.fails()).isTrue();
    }

    @Test
    void aClassificationCsvRunsLeastSquaresOnItsClassesAndTheMlp(@TempDir Path dir) throws IOException {
        String out = run(dir, Map.of("data", CLASSES, "label", "species", "problem", "linear, mlp"), 0);
        List<Map<String, String>> summary = rows(dir.resolve("learning-rate/latest/summary.csv"));
        assertThat(summary).extracting(r -> r.get("problem")).containsOnly("iris-linear", "iris-mlp")
                .contains("iris-linear", "iris-mlp");
        // least squares on 3 one-hot outputs: DL4J's MSE is a mean over the outputs too
        Map<String, String> linear = summary.stream().filter(r -> r.get("problem").equals("iris-linear"))
                .findFirst().orElseThrow();
        double predicted = num(linear, "lr_crit_predicted");
        assertThat(predicted).isCloseTo(lrCrit(Path.of("src/test/resources/learning-rate/iris-petal-width.csv"),
                -1, 3), within(1e-9 * predicted));
        assertThat(num(linear, "lr_edge_measured") / predicted).isCloseTo(1, within(0.02));
        assertThat(summary).filteredOn(r -> r.get("problem").equals("iris-mlp")).allSatisfy(r -> {
            assertThat(num(r, "lr_crit_predicted")).isPositive();
            assertThat(r.get("lr_edge_measured")).isEmpty();
        });
        assertThat(out).contains("label column 'species': 3 classes").contains("every integrity check passes");
        Path run = dir.resolve("learning-rate/latest");
        assertThat(claimRow(run, "mlp_both_failure_regimes").get("measured")).startsWith("B=150: ");
        assertThat(claimRow(run, "divergence_edge").get("verdict")).isEqualTo("holds");
    }

    @Test
    void labelsTheExperimentCannotUseAndBadFilesAreBadInput(@TempDir Path dir) throws IOException {
        String err = run(dir, Map.of("data", REGRESSION, "label", "petal_width_cm"), 2); // quick: quadratic, mlp
        assertThat(err).contains("label column 'petal_width_cm' is continuous, so only problem linear")
                .contains("allowed with a continuous label: quadratic, linear");
        Path mixed = dir.resolve("mixed.csv");
        Files.writeString(mixed, "a,b,y\n1,2,0.5\n2,3,NaN\n3,1,1.5\n4,4,2.5\n");
        assertThat(run(dir, Map.of("data", "csv:" + mixed, "problem", "linear"), 2))
                .contains("label column 'y' mixes numbers (e.g. 0.5) with 'NaN'");
        Path oneClass = dir.resolve("one.csv");
        Files.writeString(oneClass, "a,b,y\n1,2,cat\n2,3,cat\n3,1,cat\n");
        assertThat(run(dir, Map.of("data", "csv:" + oneClass, "problem", "linear"), 2)).contains("has one class");
        assertThat(run(dir, Map.of("data", REGRESSION, "label", "petal", "problem", "linear"), 2))
                .contains("bad value 'petal' for label");
        assertThat(run(dir, Map.of("data", "csv:" + dir.resolve("none.csv"), "problem", "linear"), 2))
                .contains("data file not found");
        Path badCell = dir.resolve("bad.csv");
        Files.writeString(badCell, "a,b,y\n1,x,0.5\n2,3,1.5\n");
        assertThat(run(dir, Map.of("data", "csv:" + badCell, "problem", "linear"), 2))
                .contains("line 2, column b: not a finite number");
        assertThat(dir.resolve("learning-rate")).doesNotExist();
    }

    @Test
    void problemsAreNamedAfterTheirData() {
        assertThat(gdlab.data.Datasets.shortName("digits")).isEqualTo("digits");
        assertThat(gdlab.data.Datasets.shortName("csv:/data/Wine.Quality.csv")).isEqualTo("wine");
        assertThat(gdlab.data.Datasets.shortName("idx:/x/t10k-images-idx3-ubyte.gz+/x/t10k-labels-idx1-ubyte.gz"))
                .isEqualTo("t10k-images-idx3-ubyte");
        assertThat(Problem.isMlp("digits-mlp")).isTrue();
        assertThat(Problem.isMlp("digits-linear")).isFalse();
    }

    static Map<String, String> claimRow(Path run, String id) throws IOException {
        return rows(run.resolve("claims.csv")).stream().filter(c -> c.get("claim").equals(id)).findFirst()
                .orElseThrow();
    }
}
