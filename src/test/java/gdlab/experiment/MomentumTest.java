package gdlab.experiment;

import gdlab.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.BatchModesTest.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** momentum on its quick setting: the theory-backed claims of its hypothesis, measured. */
class MomentumTest {
    @TempDir
    static Path results;
    static String stdout;
    static List<Map<String, String>> cells;
    static List<Map<String, String>> curves;

    @BeforeAll
    static void runQuick() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("experiment", "momentum");
        props.put("quick", "true");
        props.put("quiet", "true");
        props.put("results_dir", results.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(props, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        stdout = out.toString(StandardCharsets.UTF_8);
        cells = rows(results.resolve("momentum/latest/cells.csv"));
        curves = rows(results.resolve("momentum/latest/curves.csv"));
    }

    static Map<String, String> row(String part, String problem, String optimizer, String mu) {
        return cells.stream().filter(r -> r.get("part").equals(part) && r.get("problem").equals(problem)
                && r.get("optimizer").equals(optimizer) && r.get("momentum").equals(mu)).findFirst().orElseThrow();
    }

    static double num(Map<String, String> r, String column) {
        return Double.parseDouble(r.get(column));
    }

    @Test
    void heavyBallNeedsAtLeastThreeTimesFewerIterationsThanGradientDescentAtK100() {
        double gd = num(row("quadratic", "k=100", "sgd", "0"), "measured_iterations");
        double hb = num(row("quadratic", "k=100", "momentum", "optimal"), "measured_iterations");
        assertThat(gd / hb).isGreaterThanOrEqualTo(3);
    }

    @Test
    void gradientDescentCountsAreThePredictedOnesAndGrowLikeK() {
        double gd10 = num(row("quadratic", "k=10", "sgd", "0"), "measured_iterations");
        double gd100 = num(row("quadratic", "k=100", "sgd", "0"), "measured_iterations");
        // from the worst-case start both extreme directions shrink by exactly (k-1)/(k+1): the count is exact
        assertThat(gd10).isCloseTo(num(row("quadratic", "k=10", "sgd", "0"), "predicted_iterations"), within(1.0));
        assertThat(gd100).isCloseTo(num(row("quadratic", "k=100", "sgd", "0"), "predicted_iterations"), within(1.0));
        assertThat(gd100 / gd10).isBetween(8.0, 12.0);
        double hb10 = num(row("quadratic", "k=10", "momentum", "optimal"), "measured_iterations");
        double hb100 = num(row("quadratic", "k=100", "momentum", "optimal"), "measured_iterations");
        assertThat(hb100 / hb10).isBetween(2.0, 5.0); // sqrt(10) = 3.16, plus the double root's transient
    }

    @Test
    void everyQuadraticRowIsNearItsPredictionAndEqualsTheReference() {
        List<Map<String, String>> quad = cells.stream().filter(r -> r.get("part").equals("quadratic")).toList();
        assertThat(quad).hasSize(2 * 5);
        for (Map<String, String> r : quad) {
            double measured = num(r, "measured_iterations");
            assertThat(measured).as(r.toString()).isCloseTo(num(r, "reference_iterations"), within(1.0));
            assertThat(measured / num(r, "predicted_iterations")).as(r.toString()).isBetween(0.7, 2.0);
            assertThat(num(r, "ref_mismatch_steps")).as(r.toString()).isZero();
        }
    }

    @Test
    void momentumOvershootsTheMinimumWhereGradientDescentComesStraightIn() {
        assertThat(num(row("trajectory", "quadratic-2d", "sgd", "0"), "overshoot")).isZero();
        assertThat(num(row("trajectory", "quadratic-2d", "momentum", "0.9"), "overshoot")).isGreaterThan(0.1);
        for (Map<String, String> r : cells) {
            if (r.get("part").equals("trajectory")) {
                assertThat(num(r, "ref_mismatch_steps")).as(r.toString()).isZero();
            }
        }
        long pathPoints = curves.stream().filter(r -> r.get("part").equals("trajectory")
                && r.get("problem").equals("quadratic-2d") && r.get("optimizer").equals("momentum")
                && !r.get("x").isEmpty() && !r.get("y").isEmpty()).count();
        assertThat(pathPoints).isGreaterThan(80);
    }

    @Test
    void sameSpecGivesTheSameCellsApartFromTimingsWhateverTheWorkers(@TempDir Path other) throws IOException {
        List<List<Map<String, String>>> runs = new java.util.ArrayList<>();
        for (String workers : List.of("1", "2")) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("experiment", "momentum");
            props.put("quick", "true");
            props.put("quiet", "true");
            props.put("part", "quadratic,trajectory");
            props.put("condition", "10");
            props.put("rosenbrock_steps", "20");
            props.put("trajectory_steps", "20");
            props.put("workers", workers);
            props.put("results_dir", other.resolve(workers).toString());
            int status = Main.run(props, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    System.err);
            assertThat(status).isZero();
            runs.add(BatchModesTest.withoutTimings(rows(other.resolve(workers + "/momentum/latest/cells.csv"))));
        }
        assertThat(runs.get(0)).hasSize(5 + 7).isEqualTo(runs.get(1));
    }

    @Test
    void theMlpRowsAndFiguresAreReported() {
        assertThat(stdout).contains("### Digits MLP").contains("speedup_over_sgd").contains("path-quadratic-2d.png")
                .contains("iterations-vs-k.png");
        assertThat(cells.stream().filter(r -> r.get("part").equals("mlp"))).hasSize(3 * 2);
    }
}
