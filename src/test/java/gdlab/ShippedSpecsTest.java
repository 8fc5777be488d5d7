package gdlab;

import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.Cell;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped spec file loads, in its default and its quick setting, and gives a grid without repeated cells. */
class ShippedSpecsTest {
    @TestFactory
    Stream<DynamicTest> everySpecFileLoadsAndItsGridHasDistinctCells() {
        return Registry.names().stream().flatMap(name -> Stream.of("false", "true").map(quick ->
                DynamicTest.dynamicTest(name + (quick.equals("true") ? " (quick)" : ""), () -> {
                    Experiment experiment = Registry.create(name);
                    Spec spec = Spec.resolve(name, Harness.allParams(experiment.params()), Harness.defaults(),
                            SpecFile.read(Path.of("experiments/" + name + ".properties")), Map.of("quick", quick));
                    List<Map<String, String>> coords = experiment.prepare(spec).stream().map(Cell::coords).toList();
                    assertThat(coords).isNotEmpty().doesNotHaveDuplicates();
                })));
    }
}
