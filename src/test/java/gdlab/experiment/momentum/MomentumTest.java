package gdlab.experiment.momentum;

import gdlab.Main;
import gdlab.report.Claim;
import gdlab.spec.SpecFile;
import gdlab.sweep.CellResult;
import gdlab.sweep.Report;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import gdlab.experiment.RunFiles;

import static gdlab.experiment.RunFiles.rows;
import static gdlab.experiment.RunFiles.claim;
import static gdlab.experiment.RunFiles.quick;
import static gdlab.experiment.RunFiles.with;
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
        List<List<Map<String, String>>> runs = new ArrayList<>();
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
            runs.add(RunFiles.withoutTimings(rows(other.resolve(workers + "/momentum/latest/cells.csv"))));
        }
        assertThat(runs.get(0)).hasSize(8 + 5).isEqualTo(runs.get(1)); // 8 paths, 5 quadratics
    }

    // ---------------------------------------------------------------- claims

    static final Path SPEC = Path.of("experiments/momentum.properties");

    /** Each sentence of the hypothesis is a claim of claims.csv, in its order, with a verdict; no claim is extra. */
    @Test
    void everySentenceOfTheHypothesisIsAClaimWithAVerdict() throws IOException {
        List<Map<String, String>> claims = rows(results.resolve("momentum/latest/claims.csv"));
        assertThat(claims).extracting(c -> List.of(c.get("claim"), c.get("statement"))).containsExactlyElementsOf(
                Claim.sentences(SpecFile.read(SPEC).hypothesis()).stream()
                        .map(e -> List.of(e.getKey(), e.getValue())).toList());
        assertThat(claims).allSatisfy(c -> assertThat(c.get("verdict")).isIn("holds", "does not hold",
                "not distinguishable", "not tested"));
        assertThat(claims).filteredOn(c -> c.get("kind").equals("integrity")).extracting(c -> c.get("claim") + ": "
                + c.get("verdict")).containsExactly("dl4j_matches_reference: holds",
                "iterations_match_exact_recurrence: holds", "heavy_ball_optimum: holds");
        // the quick run has k = 10 and 100 only, and one seed (no interval to compare the MLP's rows by); its MLP
        // grid (0.3, 1, 3) pairs momentum at 0.3 with sgd at 0.3 / (1 - 0.9) = 3
        assertThat(claims).filteredOn(c -> c.get("verdict").equals("not tested")).extracting(c -> c.get("claim"))
                .containsExactly("speedup_10x_at_k1000", "mlp_momentum_fewer_steps");
        assertThat(claims).filteredOn(c -> c.get("claim").equals("mlp_momentum_fewer_steps")).singleElement()
                .satisfies(c -> assertThat(c.get("measured")).contains("1 seed: no 95% interval"));
        // gradient descent at its best constant rate zig-zags; heavy ball's optimum ends nearer the minimum
        assertThat(claims).filteredOn(c -> c.get("claim").equals("momentum_paths_zigzag")).singleElement()
                .satisfies(c -> assertThat(c.get("verdict")).isEqualTo("holds"))
                .satisfies(c -> assertThat(c.get("measured")).contains("sgd lr 0.0952"));
        assertThat(claims).filteredOn(c -> c.get("claim").equals("speedup_3x_at_k100"))
                .extracting(c -> c.get("verdict")).containsExactly("holds");
        assertThat(stdout).contains("### Checks").contains("every integrity check passes");
    }

    /** The quick run's cells, read back from its run folder. */
    static List<CellResult> results() throws IOException {
        return RunFiles.results(results.resolve("momentum/latest"), new Momentum());
    }

    /** {@code results} with the heavy-ball optimal row at k = 100 given {@code value} for {@code metric}. */
    static List<CellResult> perturbed(String metric, Object value) throws IOException {
        List<CellResult> out = new ArrayList<>(results());
        out.replaceAll(r -> r.cell().get("part").equals("quadratic") && r.cell().get("problem").equals("k=100")
                && r.cell().get("optimizer").equals("momentum") && r.cell().get("momentum").equals("optimal")
                ? with(r, metric, value) : r);
        return out;
    }

    @Test
    void aCountThatLeavesTheReferenceFailsTheIntegrityCheckAndTheRun() throws IOException {
        Momentum experiment = quick(new Momentum());
        Report clean = experiment.summarize(results());
        assertThat(clean.fails()).isFalse();
        assertThat(clean.claims()).extracting(Claim::id).containsExactlyElementsOf(
                Claim.sentences(SpecFile.read(SPEC).hypothesis()).stream().map(Map.Entry::getKey).toList());

        double measured = Double.parseDouble(row("quadratic", "k=100", "momentum", "optimal")
                .get("measured_iterations"));
        Report report = experiment.summarize(perturbed("reference_iterations", measured + 5));
        Claim reference = claim(report, "dl4j_matches_reference");
        assertThat(reference.verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(reference.failsTheRun()).isTrue();
        assertThat(reference.measured()).startsWith("counts differ: k=100 momentum mu=optimal");
        assertThat(report.fails()).isTrue();
    }

    @Test
    void aCountAwayFromTheExactRecurrenceOrAWrongOptimumFailsTheRun() throws IOException {
        Momentum experiment = quick(new Momentum());
        double measured = Double.parseDouble(row("quadratic", "k=100", "momentum", "optimal")
                .get("measured_iterations"));
        Report exact = experiment.summarize(perturbed("exact_iterations", measured - 3));
        assertThat(claim(exact, "iterations_match_exact_recurrence").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(exact.fails()).isTrue();
        Report optimum = experiment.summarize(perturbed("mu", 0.7));
        assertThat(claim(optimum, "heavy_ball_optimum").verdict()).isEqualTo(Claim.Verdict.DOES_NOT_HOLD);
        assertThat(optimum.fails()).isTrue();
    }

    @Test
    void aRunOfTheQuadraticsOnlyLeavesThePathAndMlpClaimsNotTested() throws IOException {
        List<CellResult> quad = results().stream().filter(r -> r.cell().get("part").equals("quadratic")).toList();
        Report report = quick(new Momentum()).summarize(quad);
        for (String id : List.of("momentum_paths_overshoot", "momentum_paths_zigzag", "mlp_momentum_fewer_steps",
                "mlp_small_lr_effective_lr")) {
            assertThat(claim(report, id).verdict()).as(id).isEqualTo(Claim.Verdict.NOT_TESTED);
            assertThat(claim(report, id).measured()).as(id).startsWith("the run has no");
        }
        assertThat(claim(report, "dl4j_matches_reference").verdict()).isEqualTo(Claim.Verdict.HOLDS);
        assertThat(report.fails()).isFalse();
    }

    @Test
    void theRunReadBackSummarizesToTheSameSummaryAndClaims() throws IOException {
        Report report = quick(new Momentum()).summarize(results());
        assertThat(report.summary().toCsv())
                .isEqualTo(Files.readString(results.resolve("momentum/latest/summary.csv")));
        assertThat(Claim.table(report.claims()).toCsv())
                .isEqualTo(Files.readString(results.resolve("momentum/latest/claims.csv")));
    }

    @Test
    void theMlpRowsAndFiguresAreReported() {
        assertThat(stdout).contains("### MLP on digits").contains("speedup_over_sgd").contains("path-quadratic-2d.png")
                .contains("iterations-vs-k.png");
        assertThat(cells.stream().filter(r -> r.get("part").equals("mlp"))).hasSize(3 * 3); // 3 rows x 3 lrs
    }
}
