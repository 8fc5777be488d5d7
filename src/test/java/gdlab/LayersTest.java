package gdlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * The layers, lowest first: spec, reference and exact (plain Java), data, report, dl4j, sweep (the experiment
 * contract and the engines), then the experiments and bench, then Main and the Registry. No package imports a
 * higher one, and no two packages import each other; each experiment's package imports no other experiment's.
 */
class LayersTest {
    static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("gdlab");

    static final ArchRule LOWER_LAYERS_DO_NOT_SEE_EXPERIMENTS = noClasses()
            .that().resideInAnyPackage("gdlab.sweep..", "gdlab.report..", "gdlab.data..", "gdlab.reference..",
                    "gdlab.exact..", "gdlab.spec..", "gdlab.dl4j..")
            .should().dependOnClassesThat().resideInAnyPackage("gdlab.experiment..", "gdlab.bench..")
            .because("the harness and the kit serve every experiment and must not know any one of them");

    static final ArchRule NOTHING_BELOW_MAIN_SEES_THE_REGISTRY = noClasses()
            .that().resideOutsideOfPackage("gdlab")
            .should().dependOnClassesThat().haveFullyQualifiedName("gdlab.Registry")
            .because("the registry names every experiment: only Main, above them all, may use it");

    static final ArchRule NO_PACKAGE_CYCLES = slices().matching("gdlab.(*)..").should().beFreeOfCycles();

    static final ArchRule EXPERIMENTS_STAND_ALONE = slices().matching("gdlab.experiment.(*)..")
            .should().notDependOnEachOther()
            .because("each experiment's package is whole: what two experiments share sits in gdlab.experiment "
                    + "or below it");

    @Test
    void lowerLayersImportNothingFromTheExperiments() {
        assertThat(PRODUCTION.size()).isGreaterThan(100);
        LOWER_LAYERS_DO_NOT_SEE_EXPERIMENTS.check(PRODUCTION);
        NOTHING_BELOW_MAIN_SEES_THE_REGISTRY.check(PRODUCTION);
    }

    @Test
    void noPackageCycles() {
        NO_PACKAGE_CYCLES.check(PRODUCTION);
    }

    @Test
    void experimentsDoNotImportEachOther() {
        EXPERIMENTS_STAND_ALONE.check(PRODUCTION);
    }
}
