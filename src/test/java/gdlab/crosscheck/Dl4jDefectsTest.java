package gdlab.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import gdlab.dl4j.Nd4jSetup;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DL4J 1.0.0-M2.1's defects, pinned: a test here fails when an upgrade fixes one, so its table row gets rewritten. */
class Dl4jDefectsTest {

    @BeforeAll
    static void oneThread() {
        Nd4jSetup.singleThreadedOps();
    }

    @Test
    void fitDataSetNeverAdvancesAnEpochSchedule() {
        double[] plain = Dl4jDefects.epochScheduleRates(false);
        double[] counted = Dl4jDefects.epochScheduleRates(true);
        for (int s = 0; s < 12; s++) {
            assertThat(plain[s]).as("step %d without counting", s).isCloseTo(0.1, within(1e-12));
            assertThat(counted[s]).as("step %d counting", s).isCloseTo(0.1 / (1 << (s / 4)), within(1e-12));
        }
    }

    @Test
    void aGlobalWeightDecayIsAppliedTwiceAPerLayerOneOnce() {
        assertThat(Dl4jDefects.weightDecayMultiple(false)).isCloseTo(2.0, within(1e-9));
        assertThat(Dl4jDefects.weightDecayMultiple(true)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void adaGradWithAScheduleGivesNaN() {
        assertThat(Dl4jDefects.adaGradScheduleFit()).contains("NaN");
    }

    @Test
    void everyRowSaysItsDefectIsPresent() {
        List<Dl4jDefects.Defect> table = Dl4jDefects.measure();
        assertThat(table).hasSize(5).allMatch(Dl4jDefects.Defect::present);
        assertThat(table.get(2).measured()).isEqualTo("1.563");
    }
}
