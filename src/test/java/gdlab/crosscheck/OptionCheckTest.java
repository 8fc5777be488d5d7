package gdlab.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gdlab.dl4j.Optimizers;
import org.junit.jupiter.api.Test;

/** Which option stages run with which updater, and the mapping of the gradient normalization modes to DL4J's. */
class OptionCheckTest {

    @Test
    void schedulesNeedAnUpdaterThatSchedulesItsRateWithoutDl4jsAdaGradDefect() {
        assertThat(OptionCheck.stagesFor("adam")).isEqualTo(Stage.OPTIONS);
        for (String u : new String[]{"momentum", "adadelta", "adagrad"}) {
            assertThat(OptionCheck.stagesFor(u)).as(u).hasSize(6).noneMatch(Stage::isSchedule);
        }
        assertThatThrownBy(() -> OptionCheck.applies(Stage.STEPS, "sgd")).hasMessageContaining("not an option");
        assertThatThrownBy(() -> Optimizers.updater("adadelta", new org.nd4j.linalg.schedule.StepSchedule(
                org.nd4j.linalg.schedule.ScheduleType.EPOCH, 0.1, 0.5, 1))).hasMessageContaining("no learning-rate");
    }

    @Test
    void everyNormalizationStageMapsToTheDl4jModeOfTheSameName() {
        for (Stage s : Stage.OPTIONS) {
            var mode = OptionCheck.normalization(s);
            String dl4j = OptionCheck.dl4jMode(mode).name().toLowerCase(java.util.Locale.ROOT);
            assertThat(dl4j).isEqualTo(mode.name().replace("_", "").toLowerCase(java.util.Locale.ROOT));
        }
    }
}
