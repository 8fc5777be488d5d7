package gdlab.data;

import gdlab.spec.BadInputException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;

/** Random CSV data: it either loads with finite features or gives one clear BadInputException. */
class DataPropertyTest {
    @Provide
    Arbitrary<String> dataCsv() {
        Arbitrary<String> cell = Arbitraries.oneOf(Arbitraries.of("1", "2.5", "-3", "NaN", "", "x", "1e5", "inf"),
                Arbitraries.strings().withChars("0123456789.,-eE\"").ofMaxLength(5));
        Arbitrary<String> row = cell.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(",", l));
        return row.list().ofMaxSize(6).map(l -> String.join("\n", l));
    }

    @Property(tries = 500)
    void dataFilesParseOrFailWithOneMessage(@ForAll("dataCsv") String text) throws IOException {
        try {
            Dataset d = Datasets.parse("t", new BufferedReader(new StringReader(text)), "");
            assertThat(d.size()).isPositive();
            for (double[] row : d.features()) {
                for (double v : row) {
                    assertThat(v).isFinite();
                }
            }
        } catch (BadInputException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception");
        }
    }
}
