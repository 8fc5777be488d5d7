package gdlab.experiment.momentum;

import gdlab.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static gdlab.experiment.RunFiles.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * momentum on data written here: a regression CSV (a continuous label) runs the quadratic part on its least squares,
 * whose Hessian this test knows in closed form; a class-label CSV trains the MLP; what momentum cannot use is bad
 * input, named.
 */
class MomentumDataTest {
    @TempDir
    static Path dir;
    static Path regression;
    static double correlation;
    static String stdout;
    static List<Map<String, String>> cells;
    static List<Map<String, String>> summary;
    static List<Map<String, String>> claims;

    /**
     * Two features with correlation about 0.8 and a noisy continuous label. Standardized (population std) and with a
     * column of ones, DL4J's MSE Hessian (2/N) Xa'Xa is 2 [[1, r, 0], [r, 1, 0], [0, 0, 1]]: eigenvalues 2(1 + r),
     * 2(1 - r) and 2, so k = (1 + r) / (1 - r) for the sample correlation r.
     */
    @BeforeAll
    static void runRegression() throws IOException {
        Random random = new Random(7);
        int n = 80;
        double[][] rows = new double[n][3];
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < n; i++) {
            double a = random.nextGaussian();
            double b = 0.8 * a + 0.6 * random.nextGaussian();
            double y = 3 * a - 2 * b + 0.5 * random.nextGaussian() + 10;
            rows[i] = new double[]{a, b, y};
            csv.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", a, b, y));
        }
        regression = dir.resolve("tiny.csv");
        Files.writeString(regression, csv);
        correlation = correlation(Files.readAllLines(regression));
        stdout = run(dir.resolve("regression"), Map.of("data", "csv:" + regression, "label", "y"), 0);
        Path run = dir.resolve("regression/momentum/latest");
        cells = rows(run.resolve("cells.csv"));
        summary = rows(run.resolve("summary.csv"));
        claims = rows(run.resolve("claims.csv"));
    }

    /** The sample correlation of the file's first two columns, as written (rounded to 6 decimals). */
    static double correlation(List<String> lines) {
        int n = lines.size() - 1;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            String[] c = lines.get(i + 1).split(",");
            a[i] = Double.parseDouble(c[0]);
            b[i] = Double.parseDouble(c[1]);
        }
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i] / n;
            mb += b[i] / n;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    static String run(Path results, Map<String, String> extra, int expectedStatus) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "momentum");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", results.toString());
        props.putAll(extra);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(expectedStatus);
        return expectedStatus == 0 ? out.toString(StandardCharsets.UTF_8) : err.toString(StandardCharsets.UTF_8);
    }

    static double num(Map<String, String> r, String column) {
        return Double.parseDouble(r.get(column));
    }

    @Test
    void aContinuousLabelRunsTheQuadraticPartOnItsLeastSquaresWithTheExactSpectrum() {
        assertThat(correlation).isBetween(0.6, 0.95);
        List<Map<String, String>> quad = cells.stream().filter(r -> r.get("part").equals("quadratic")).toList();
        // sgd, heavy ball and Nesterov at 0.9 and at their optimum; the synthetic k = 10, 100 are replaced
        assertThat(quad).hasSize(5).allSatisfy(r -> assertThat(r.get("problem")).isEqualTo("tiny-linear"));
        assertThat(cells).noneMatch(r -> r.get("part").equals("mlp"));
        for (Map<String, String> r : quad) {
            assertThat(num(r, "lambda_max")).as(r.toString()).isCloseTo(2 * (1 + correlation), within(1e-9));
            assertThat(num(r, "lambda_min")).as(r.toString()).isCloseTo(2 * (1 - correlation), within(1e-9));
            assertThat(num(r, "condition")).isCloseTo((1 + correlation) / (1 - correlation), within(1e-6));
            assertThat(num(r, "measured_iterations")).as(r.toString())
                    .isCloseTo(num(r, "reference_iterations"), within(1.0))
                    .isCloseTo(num(r, "exact_iterations"), within(1.0));
            assertThat(num(r, "ref_mismatch_steps")).as(r.toString()).isZero();
        }
        Map<String, String> gd = quad.stream().filter(r -> r.get("optimizer").equals("sgd")).findFirst()
                .orElseThrow();
        // from the worst start both extreme directions shrink by exactly (k-1)/(k+1): the count is the predicted one
        assertThat(num(gd, "measured_iterations")).isCloseTo(num(gd, "predicted_iterations"), within(1.0));
        double k = (1 + correlation) / (1 - correlation);
        assertThat(num(gd, "lr")).isCloseTo(2 / (2 * (1 - correlation) + 2 * (1 + correlation)), within(1e-9));
        Map<String, String> hb = quad.stream().filter(r -> r.get("optimizer").equals("momentum")
                && r.get("momentum").equals("optimal")).findFirst().orElseThrow();
        double muStar = Math.pow((Math.sqrt(k) - 1) / (Math.sqrt(k) + 1), 2);
        assertThat(num(hb, "mu")).isCloseTo(muStar, within(1e-9));
        assertThat(stdout).contains("csv:" + regression).contains("continuous");
    }

    @Test
    void theSummaryCarriesTheEffectiveLearningRateAndTheClaimsCheckTheDataProblem() {
        for (Map<String, String> r : summary) {
            assertThat(num(r, "gd_lr_over_1_minus_mu")).as(r.toString())
                    .isCloseTo(num(r, "lr") / (1 - num(r, "mu")), within(1e-9 * num(r, "gd_lr_over_1_minus_mu")));
        }
        assertThat(claims).filteredOn(c -> c.get("kind").equals("integrity")).allSatisfy(c ->
                assertThat(c.get("verdict")).as(c.get("claim")).isEqualTo("holds"));
        assertThat(claims).filteredOn(c -> c.get("claim").equals("heavy_ball_optimum")).singleElement()
                .satisfies(c -> assertThat(c.get("measured")).startsWith("tiny-linear: mu "));
        // one k: no slope to measure
        assertThat(claims).filteredOn(c -> c.get("claim").equals("gd_grows_like_k")).singleElement()
                .satisfies(c -> assertThat(c.get("verdict")).isEqualTo("not tested"));
    }

    @Test
    void aClassLabelCsvTrainsTheMlpOnItsClasses() throws IOException {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("u,v,kind\n");
        for (int i = 0; i < 60; i++) {
            int c = i % 3;
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", c + 0.3 * random.nextGaussian(),
                    -c + 0.3 * random.nextGaussian(), List.of("red", "green", "blue").get(c)));
        }
        Path file = Files.writeString(dir.resolve("blobs.csv"), csv);
        String out = run(dir.resolve("classes"), Map.of("data", "csv:" + file, "label", "kind", "part", "mlp",
                "lr", "0.3,3", "max_epochs", "30"), 0);
        List<Map<String, String>> mlp = rows(dir.resolve("classes/momentum/latest/cells.csv"));
        assertThat(mlp).hasSize(3 * 2).allSatisfy(r -> assertThat(r.get("problem")).isEqualTo("blobs-mlp"));
        assertThat(out).contains("### MLP on csv:" + file).contains("MLP 2-32-3");
    }

    @Test
    void whatMomentumCannotUseIsNamedWithExitStatus2() throws IOException {
        String mlpOnly = run(dir.resolve("bad1"), Map.of("data", "csv:" + regression, "label", "y", "part", "mlp"), 2);
        assertThat(mlpOnly).contains("label column 'y' is continuous").contains("part = quadratic");
        StringBuilder twins = new StringBuilder("a,a2,y\n");
        for (int i = 0; i < 30; i++) {
            twins.append(i % 7).append(',').append(2 * (i % 7)).append(',').append(i * 1.5 + 0.25).append('\n');
        }
        Path singular = Files.writeString(dir.resolve("twins.csv"), twins);
        assertThat(run(dir.resolve("bad2"), Map.of("data", "csv:" + singular, "label", "y", "part", "quadratic"), 2))
                .contains("singular").contains("twins.csv");
        assertThat(run(dir.resolve("bad3"), Map.of("data", "csv:" + dir.resolve("missing.csv"), "label", "y"), 2))
                .contains("missing.csv");
        assertThat(run(dir.resolve("bad4"), Map.of("data", "csv:" + regression, "label", "nope"), 2))
                .contains("nope");
        assertThat(dir.resolve("bad1/momentum")).doesNotExist();
    }
}
