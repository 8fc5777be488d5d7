package gdlab.crosscheck;

import gdlab.dl4j.Nd4jSetup;
import gdlab.dl4j.Networks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every cell of a stack agrees with its DL4J net and with the reference after 1 and after 100 steps, at the
 * crosscheck's tolerances (double 1e-12 / 1e-10, float 1e-5 / 1e-4), for every updater the stack has; and the check
 * can fail: one stacked parameter moved by 1e-8 of the parameters' scale fails the double check.
 */
class StackedCheckTest {
    static final int[] SIZES = {6, 8, 3};
    static final double[] LR = {0.01, 0.05, 0.2};
    static final long[] SEEDS = {11, 12, 13};
    static final int N = 40;
    static final double[][] X = new double[N][SIZES[0]];
    static final int[] LABELS = new int[N];

    @BeforeAll
    static void data() {
        Nd4jSetup.singleThreadedOps();
        Random r = new Random(5);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < SIZES[0]; j++) {
                X[i][j] = r.nextGaussian();
            }
            LABELS[i] = r.nextInt(SIZES[2]);
        }
    }

    @ParameterizedTest
    @CsvSource({"sgd, double", "momentum, double", "nesterov, double", "adam, double", "sgd, float", "adam, float"})
    void everyStackedCellPassesBothStages(String updater, String dtype) {
        List<StackedCheck.Row> rows = StackedCheck.run(SIZES, "tanh", updater, LR, SEEDS, X, LABELS, 8, 100,
                Networks.dtype(dtype), null);
        assertThat(rows).hasSize(2 * LR.length);
        assertThat(rows).extracting(StackedCheck.Row::stage).containsOnly(Stage.STEP_1, Stage.STEPS);
        double first = dtype.equals("double") ? 1e-12 : 1e-5;
        double many = dtype.equals("double") ? 1e-10 : 1e-4;
        for (StackedCheck.Row row : rows) {
            assertThat(row.tolerance()).isEqualTo(row.stage() == Stage.STEP_1 ? first : many);
            assertThat(row.pass()).as(row.toString()).isTrue();
        }
    }

    @Test
    void aPerturbedStackedParameterFailsTheCheck() {
        List<StackedCheck.Row> rows = StackedCheck.run(SIZES, "tanh", "sgd", LR, SEEDS, X, LABELS, 8, 100,
                DataType.DOUBLE, stack -> {
                    double[] cell = stack.cell(1);
                    double scale = java.util.Arrays.stream(cell).map(Math::abs).max().orElseThrow();
                    cell[3] += 1e-8 * scale;
                    stack.setCell(1, cell);
                });
        for (StackedCheck.Row row : rows) {
            assertThat(row.pass()).as(row.toString()).isEqualTo(row.cell() != 1);
            if (row.cell() == 1) {
                assertThat(row.dl4j().rel()).isGreaterThan(row.tolerance());
                assertThat(row.reference().rel()).isGreaterThan(row.tolerance());
            }
        }
    }
}
