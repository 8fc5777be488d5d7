package gdlab.data;

import gdlab.spec.BadInputException;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DatasetsTest {
    @Test
    void shippedDataSetsHaveTheirDocumentedShape() {
        Dataset digits = Datasets.load("digits");
        assertThat(digits.size()).isEqualTo(1797);
        assertThat(digits.numFeatures()).isEqualTo(64);
        assertThat(digits.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        Dataset iris = Datasets.load("iris");
        assertThat(iris.size()).isEqualTo(150);
        assertThat(iris.numFeatures()).isEqualTo(4);
        assertThat(iris.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThatThrownBy(() -> Datasets.load("mnist")).hasMessage("bad value 'mnist' for data; allowed: digits, iris, csv:PATH or idx:IMAGES+LABELS");
    }

    @Test
    void aDataAxisHoldsIdxPairsBecauseTheirFilesAreJoinedByPlus() {
        assertThat(Datasets.axisParam().parse("iris, idx:/d/img.gz+/d/lab.gz, csv:/d/w.csv"))
                .containsExactly("iris", "idx:/d/img.gz+/d/lab.gz", "csv:/d/w.csv");
        assertThatThrownBy(() -> Datasets.axisParam().parse("idx:/d/img.gz,/d/lab.gz"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("bad value 'idx:/d/img.gz'")
                .hasMessageContaining("idx:IMAGES+LABELS");
        assertThatThrownBy(() -> Datasets.param().parse("idx:/d/img.gz,/d/lab.gz"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("idx:IMAGES+LABELS");
        assertThatThrownBy(() -> Datasets.load("idx:/d/a+/d/b+/d/c"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("joined by '+'");
    }

    @Test
    void integerLabelsWithLeadingZerosAreOneClassPerValue() throws Exception {
        Dataset d = Datasets.parse("t", new BufferedReader(new StringReader("x,y\n1,07\n2,7\n3,0\n4,12345678901\n")), "");
        assertThat(d.classNames()).containsExactly("0", "7", "12345678901");
        assertThat(d.labels()).containsExactly(1, 1, 0, 2);
    }

    @Test
    void splitIsSeededAndScaledWithTrainStatisticsOnly() {
        Dataset iris = Datasets.load("iris");
        Split a = Split.of(iris, 0.2, 7, 0);
        Split b = Split.of(iris, 0.2, 7, 0);
        assertThat(a.train().size()).isEqualTo(120);
        assertThat(a.test().size()).isEqualTo(30);
        assertThat(a.train().features()).isDeepEqualTo(b.train().features());
        assertThat(Split.of(iris, 0.2, 8, 0).train().labels()).isNotEqualTo(a.train().labels());
        for (int j = 0; j < 4; j++) {
            int col = j;
            double trainMean = Arrays.stream(a.train().features()).mapToDouble(r -> r[col]).average().orElseThrow();
            double testMean = Arrays.stream(a.test().features()).mapToDouble(r -> r[col]).average().orElseThrow();
            assertThat(trainMean).isCloseTo(0.0, within(1e-12));
            assertThat(Math.abs(testMean)).isGreaterThan(1e-6); // test is scaled by train statistics, not its own
        }
        assertThat(Split.of(iris, 0.2, 7, 50).train().size()).isEqualTo(40);
    }

    @Test
    void nonNumericCellsAreNamedByLineAndColumn() {
        String csv = "a,b,label\n1,2,x\n3,NaN,y\n";
        assertThatThrownBy(() -> Datasets.parse("t", new BufferedReader(new StringReader(csv)), ""))
                .isInstanceOf(BadInputException.class).hasMessage("t line 3, column b: not a finite number: 'NaN'");
        String ragged = "a,b,label\n1,2\n";
        assertThatThrownBy(() -> Datasets.parse("t", new BufferedReader(new StringReader(ragged)), ""))
                .hasMessageContaining("line 2: 2 cells, header has 3");
    }

    @Test
    void epochOrderIsAPermutationFixedBySeedAndEpoch() {
        int[] a = EpochOrder.shuffled(3, 0, 100);
        assertThat(a).isEqualTo(EpochOrder.shuffled(3, 0, 100));
        assertThat(a).isNotEqualTo(EpochOrder.shuffled(3, 1, 100));
        assertThat(Arrays.stream(a).sorted().toArray()).isEqualTo(EpochOrder.identity(100));
        int[][] batches = EpochOrder.minibatches(a, 32);
        assertThat(batches).hasNumberOfRows(4);
        assertThat(batches[3]).hasSize(4);
    }
}
