package gdlab.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTest {
    @Test
    void quotesOnlyWhatRfc4180Requires() {
        assertThat(Csv.line(List.of("plain", "a,b", "say \"hi\"", "two\nlines", 3)))
                .isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",3\r\n");
    }

    @Test
    void numbersAreLocaleIndependentAndReadBackExactly() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Csv.format(0.5)).isEqualTo("0.5");
            assertThat(Csv.format(1234567.0)).isEqualTo("1234567");
            assertThat(Csv.format(1e-20)).isEqualTo("1.0e-20");
            assertThat(Csv.format(Double.NaN)).isEqualTo("NaN");
            assertThat(Csv.format(null)).isEmpty();
            assertThat(Table.readable(0.123456)).isEqualTo("0.1235");
            double x = 0.1 + 0.2;
            assertThat(Double.parseDouble(Csv.format(x))).isEqualTo(x);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void parseRoundTripsWhatLineWrites() {
        List<Object> record = Arrays.asList("a,b", "q\"q", "multi\r\nline", "", 2.5);
        String text = Csv.line(List.of("c1", "c2", "c3", "c4", "c5")) + Csv.line(record);
        List<List<String>> parsed = Csv.parse(text);
        assertThat(parsed).hasSize(2);
        assertThat(parsed.get(1)).containsExactly("a,b", "q\"q", "multi\r\nline", "", "2.5");
    }

    @Test
    void markdownTableIsAligned() {
        Table t = new Table("name", "value_ms").add("a", 1.23456).add("long name", 10.0);
        String md = t.toMarkdown();
        assertThat(md.lines().map(String::length).distinct()).hasSize(1);
        assertThat(md).contains("| a         | 1.235    |").contains("| long name | 10       |");
    }

    @Test
    void rowsAreKeyedByTheHeaderAndAShortRowIsAnError() {
        String text = Csv.line(List.of("mode", "lr")) + Csv.line(List.of("batch", 2)) + Csv.line(List.of("sgd", 0.5));
        assertThat(Csv.rows(text)).containsExactly(Map.of("mode", "batch", "lr", "2"),
                Map.of("mode", "sgd", "lr", "0.5"));
        assertThat(Csv.rows("")).isEmpty();
        assertThatThrownBy(() -> Csv.rows(text + Csv.line(List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a row has 1 fields, the header 2");
    }
}
