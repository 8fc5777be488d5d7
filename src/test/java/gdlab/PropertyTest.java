package gdlab;

import gdlab.report.Csv;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Random input to the spec and CSV parsers: every input either parses or gives one clear BadInputException. */
class PropertyTest {
    static final List<Param> PARAMS = List.of(
            Param.bool("quick", ""),
            Param.integer("max_epochs", 1, 1000, false, ""),
            Param.real("lr", 0, true, ""),
            Param.choice("optimizer", List.of("sgd", "adam"), true, ""),
            Param.text("label", "a name", ""));

    @Provide
    Arbitrary<String> specText() {
        Arbitrary<String> keys = Arbitraries.of("quick", "max_epochs", "lr", "optimizer", "label", "quick.lr",
                "typo", "Bad Key", "", "hypothesis");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
                Arbitraries.of("1", "0", "-1", "0.1, 1", "NaN", "sgd,adam", "true", "1e400", ",", ""));
        Arbitrary<String> line = Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(keys, values).as((k, v) -> k + " = " + v),
                Arbitraries.strings().ofMaxLength(20));
        return line.list().ofMaxSize(8).map(l -> String.join("\n", l));
    }

    @Property(tries = 500)
    void specFilesParseOrFailWithOneMessage(@ForAll("specText") String text,
                                            @ForAll("overrideValue") String override) {
        try {
            SpecFile file = SpecFile.parse(Path.of("x.properties"), text.lines().toList());
            Spec spec = Spec.resolve("x", PARAMS, Map.of("quick", "false", "max_epochs", "5", "lr", "0.1",
                    "optimizer", "sgd", "label", ""), file, Map.of("lr", override));
            assertThat(spec.reals("lr")).allMatch(v -> v > 0 && Double.isFinite(v));
            assertThat(spec.integer("max_epochs")).isBetween(1, 1000);
        } catch (BadInputException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("Exception");
        }
    }

    @Provide
    Arbitrary<String> overrideValue() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10), Arbitraries.of("0.5", "1,2,3", "1e-3,abc"));
    }

    @Property(tries = 500)
    void csvRecordsReadBackAsWritten(@ForAll List<@net.jqwik.api.constraints.StringLength(max = 8) String> fields) {
        if (fields.isEmpty()) {
            return;
        }
        List<List<String>> parsed = Csv.parse(Csv.line(fields));
        assertThat(parsed).hasSize(1);
        assertThat(parsed.get(0)).isEqualTo(fields);
    }

    @Property(tries = 300)
    void numbersRoundTripThroughCsv(@ForAll double value) {
        Object back = Csv.value(Csv.format(value));
        assertThat(((Number) back).doubleValue()).isEqualTo(value == 0.0 ? 0.0 : value);   // -0.0 is written as 0
    }
}
