package gdlab.experiment.optimizers;

import gdlab.experiment.RunFiles;
import gdlab.reference.TestFunction;
import gdlab.spec.BadInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static gdlab.experiment.optimizers.OptimizerBenchmarkTest.num;
import static gdlab.experiment.optimizers.OptimizerBenchmarkTest.runMain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Equal budgets in example gradients, and the user's own data as a problem: a small CSV written here runs beside
 * iris on the quick setting.
 */
class OptimizerBudgetTest {
    @TempDir
    static Path dir;
    static Path run;
    static Path csv;

    /** Three well-apart classes of 4 features, 60 rows; label column "kind" first. */
    static Path writeCsv(Path where) throws IOException {
        StringBuilder sb = new StringBuilder("kind,a,b,c,d\n");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 60; i++) {
            int k = i % 3;
            sb.append("k").append(k);
            for (int j = 0; j < 4; j++) {
                sb.append(String.format(Locale.ROOT, ",%.4f", k * 2 + (j == k ? 1 : 0) + random.nextGaussian() * 0.5));
            }
            sb.append('\n');
        }
        Path file = where.resolve("blobs.csv");
        Files.writeString(file, sb.toString());
        return file;
    }

    @BeforeAll
    static void runWithUserData() throws IOException {
        csv = writeCsv(dir);
        runMain(dir.resolve("out"), Map.of("problems", "csv:" + csv + ",iris", "label", "kind", "optimizers",
                "sgd,adam,line-gd,cg,lbfgs,cg-ref,lbfgs-ref", "lr", "0.1", "seeds", "1", "data_epochs", "4"), 0);
        run = dir.resolve("out/optimizers/latest");
    }

    @Test
    void theUsersCsvIsAProblemNamedByItsFile() throws IOException {
        List<Map<String, String>> blobs = RunFiles.rows(run.resolve("summary.csv")).stream()
                .filter(r -> r.get("problem").equals("blobs")).toList();
        assertThat(blobs).extracting(r -> r.get("optimizer")).contains("sgd", "adam", "line-gd", "cg", "lbfgs",
                "cg-ref", "lbfgs-ref");
        assertThat(Files.readString(run.resolve("summary.md"))).contains("### blobs: ranked by final training loss");
        // 48 training examples (test_fraction 0.2), 4 epochs: 192 example gradients for every optimizer
        for (Map<String, String> r : blobs) {
            if (!r.get("status").equals("crashed")) {
                assertThat(num(r, "example_gradients_mean")).as(r.get("optimizer")).isLessThanOrEqualTo(192);
            }
        }
        assertThat(blobs.stream().filter(r -> r.get("optimizer").equals("sgd")).findFirst().orElseThrow())
                .extracting(r -> num(r, "example_gradients_mean")).isEqualTo(192.0);
    }

    @Test
    void everyClaimIsCheckedOnTheUsersProblem() throws IOException {
        List<Map<String, String>> claims = RunFiles.rows(run.resolve("claims.csv"));
        assertThat(claims).isNotEmpty().allSatisfy(c -> assertThat(c.get("verdict")).isNotBlank());
        // the ranking claims count the user's problem: its ranks are among those averaged
        assertThat(claims.stream().filter(c -> c.get("claim").equals("dl4j_lbfgs_far_above_reference"))
                .findFirst().orElseThrow().get("measured")).contains("blobs");
        // a verdict that compares groups names its support
        assertThat(claims).filteredOn(c -> c.get("verdict").equals("holds"))
                .allSatisfy(c -> assertThat(c.get("support")).isNotBlank());
    }

    @Test
    void noOptimizerUsesMoreThanTheBudgetAndLineSearchesCount() throws IOException {
        List<Map<String, String>> cells = RunFiles.rows(run.resolve("cells.csv"));
        for (Map<String, String> c : cells) {
            if (!c.get("status").equals("ok")) {
                continue;
            }
            double budget = c.get("problem").equals("iris") ? 40 * 120 : 4 * 48; // iris_epochs x 120, data_epochs x 48
            assertThat(num(c, "example_gradients")).as(c.toString()).isLessThanOrEqualTo(budget);
            if (c.get("optimizer").equals("line-gd")) {
                // each iteration: a full-batch gradient and the line search's trial points, all counted
                double n = c.get("problem").equals("iris") ? 120 : 48;
                assertThat(num(c, "example_gradients") / n).isGreaterThan(num(c, "steps"));
            }
        }
    }

    @Test
    void aReferenceSolverStopsAtItsBudgetAtItsLastAcceptedPoint() {
        ReferenceSolvers.Timed t = ReferenceSolvers.Timed.minimize(ReferenceSolvers.named("cg-ref"),
                TestFunction.ROSENBROCK, new double[]{-1.2, 1}, 25, gdlab.reference.StopRule.never(), 0);
        assertThat(t.budgetSpent()).isTrue();
        assertThat(t.trajectory().evaluations()).isLessThanOrEqualTo(25);
        assertThat(t.trajectory().values()).hasSize(t.trajectory().iterations() + 1);
        assertThat(t.trajectory().finalValue()).isEqualTo(TestFunction.ROSENBROCK.value(t.trajectory().x()));
        Budget.Counted f = new Budget.Counted(TestFunction.ROSENBROCK, 2);
        f.value(new double[]{0, 0});
        f.gradient(new double[]{0, 0});
        f.value(new double[]{1, 0});
        assertThat(f.count()).isEqualTo(2);
        assertThatThrownBy(() -> f.value(new double[]{2, 0})).isInstanceOf(Budget.Spent.class);
    }

    @Test
    void badUserProblemsAreNamed(@TempDir Path other) throws IOException {
        assertThat(runMain(other, Map.of("problems", "csv:" + other.resolve("missing.csv")), 2))
                .contains("missing.csv");
        assertThat(runMain(other, Map.of("problems", "idx:only-one-file"), 2)).contains("idx:only-one-file");
        Path continuous = other.resolve("cont.csv");
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) {
            sb.append(i).append(',').append(i * 0.37 + 0.01).append('\n');
        }
        Files.writeString(continuous, sb.toString());
        assertThat(runMain(other, Map.of("problems", "csv:" + continuous), 2)).contains("cont.csv");
        assertThatThrownBy(() -> UserProblems.named(List.of("csv:" + csv, "csv:/elsewhere/blobs.csv")))
                .isInstanceOf(BadInputException.class).hasMessageContaining("blobs");
        assertThat(other.resolve("optimizers")).doesNotExist();
    }

    @Test
    void shortNamesOfFiles() {
        assertThat(UserProblems.shortName("csv:/data/wine.csv")).isEqualTo("wine");
        assertThat(UserProblems.shortName("idx:/d/digits28-images-idx3-ubyte.gz+/d/digits28-labels-idx1-ubyte.gz"))
                .isEqualTo("digits28");
        assertThat(UserProblems.shortName("iris")).isEqualTo("iris");
    }
}
