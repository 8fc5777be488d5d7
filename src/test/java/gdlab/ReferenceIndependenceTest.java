package gdlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import gdlab.reference.fixture.UsesNd4j;
import org.junit.jupiter.api.Test;

/**
 * The reference must stay independent of what it checks: no class in {@code gdlab.reference..} may depend on ND4J,
 * DL4J or their native bindings. Otherwise a bug shared by both sides could pass every crosscheck.
 */
class ReferenceIndependenceTest {

    static final ArchRule REFERENCE_IS_PLAIN_JAVA = noClasses()
            .that().resideInAPackage("gdlab.reference..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.nd4j..", "org.deeplearning4j..", "org.bytedeco..")
            .because("the reference implementation must not share code with the DL4J side it checks");

    @Test
    void referenceProductionCodeDependsOnNoDl4jNd4jOrBytedecoClass() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("gdlab.reference");
        // guards against a vacuous pass: the import must actually see the package
        assertThat(production.size()).isGreaterThan(10);
        REFERENCE_IS_PLAIN_JAVA.check(production);
    }

    @Test
    void ruleCatchesAClassThatUsesNd4j() {
        JavaClasses offender = new ClassFileImporter().importClasses(UsesNd4j.class);
        assertThat(REFERENCE_IS_PLAIN_JAVA.evaluate(offender).hasViolation()).isTrue();
    }
}
