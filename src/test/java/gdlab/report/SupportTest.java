package gdlab.report;

import gdlab.experiment.RunFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every verdict of a committed quick run says what backs it: a claim that holds, does not hold or is not
 * distinguishable names its test, interval or bound in the support column; a claim not tested has none. The
 * baselines are the quick runs (BaselineTest keeps them equal), so this reads their claims.csv.
 */
class SupportTest {
    @ParameterizedTest
    @ValueSource(strings = {"epochs", "cnn-init", "failure-modes", "momentum", "optimizers", "gradient-basics",
            "bench"})
    void everyVerdictOfAQuickRunHasItsSupport(String experiment) throws IOException {
        List<Map<String, String>> claims = RunFiles.rows(Path.of("results/baseline", experiment, "claims.csv"));
        assertThat(claims).isNotEmpty().allSatisfy(c -> {
            assertThat(c).containsKey("support");
            if (c.get("verdict").equals("not tested")) {
                assertThat(c.get("support")).as(c.get("claim")).isEmpty();
            } else {
                assertThat(c.get("support")).as(c.get("claim") + " " + c.get("verdict")).isNotBlank();
            }
            // a comparison whose intervals overlap is not a difference the run can claim
            if (c.get("support").startsWith("95% CIs overlap") && c.get("verdict").equals("does not hold")) {
                throw new AssertionError(c.get("claim") + ": overlapping intervals cannot refute a difference");
            }
        });
    }
}
