package gdlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import gdlab.exact.fixture.UsesNd4jInExact;
import org.junit.jupiter.api.Test;

/**
 * {@code gdlab.exact} (least squares as DL4J scores it, its Hessian and eigenvalues, momentum rates) gives the
 * predictions DL4J is measured against, so it must not share code with DL4J either.
 */
class ExactIndependenceTest {

    static final ArchRule EXACT_IS_PLAIN_JAVA = noClasses()
            .that().resideInAPackage("gdlab.exact..")
            .should().dependOnClassesThat()
            .resideInAnyPackage("org.nd4j..", "org.deeplearning4j..", "org.bytedeco..")
            .because("the exact answers must not share code with the DL4J side they check");

    @Test
    void exactProductionCodeDependsOnNoDl4jNd4jOrBytedecoClass() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("gdlab.exact");
        assertThat(production.size()).isGreaterThanOrEqualTo(4);
        EXACT_IS_PLAIN_JAVA.check(production);
    }

    @Test
    void ruleCatchesAClassThatUsesNd4j() {
        JavaClasses offender = new ClassFileImporter().importClasses(UsesNd4jInExact.class);
        assertThat(EXACT_IS_PLAIN_JAVA.evaluate(offender).hasViolation()).isTrue();
    }
}
