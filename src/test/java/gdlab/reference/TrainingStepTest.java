package gdlab.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of one update against hand-computed values on a 1-1 net (params: w, b): normalization, then L2, then
 * the updater, then weight decay.
 */
class TrainingStepTest {
    private static final Mlp NET = new Mlp(new int[]{1, 1}, List.of(Activation.IDENTITY), Loss.MSE);

    @Test
    void l2IsAddedToTheWeightsGradientBeforeTheUpdater() {
        double[] p = {2.0, 1.0};
        new TrainingStep(NET, new Sgd(0.1), 0.1).withL2(0.5).step(p, new double[]{1.0, 1.0});
        // w: 2 - 0.1 (1 + 0.5 x 2) = 1.8; b: no L2, 1 - 0.1 = 0.9
        assertThat(p).containsExactly(new double[]{1.8, 0.9}, within(1e-15));
    }

    @Test
    void l2GoesThroughAdaptiveUpdatersAndWeightDecayDoesNot() {
        // Adam's first step is about lr sign(g): L2 changes g but not the step's size; weight decay adds lr c w
        double[] withL2 = {2.0, 1.0};
        new TrainingStep(NET, new Adam(0.1), 0.1).withL2(0.5).step(withL2, new double[]{1.0, 1.0});
        double[] plain = {2.0, 1.0};
        new TrainingStep(NET, new Adam(0.1), 0.1).step(plain, new double[]{1.0, 1.0});
        assertThat(withL2[0]).isCloseTo(plain[0], within(1e-6));
        double[] decayed = {2.0, 1.0};
        new TrainingStep(NET, new Adam(0.1), 0.1).withWeightDecay(0.5, true).step(decayed, new double[]{1.0, 1.0});
        assertThat(decayed[0]).isCloseTo(plain[0] - 0.1 * 0.5 * 2.0, within(1e-15));
        assertThat(decayed[1]).isEqualTo(plain[1]);
        double[] noLr = {2.0, 1.0};
        new TrainingStep(NET, new Adam(0.1), 0.1).withWeightDecay(0.5, false).step(noLr, new double[]{1.0, 1.0});
        assertThat(noLr[0]).isCloseTo(plain[0] - 0.5 * 2.0, within(1e-15));
    }

    @Test
    void clippingSeesTheGradientWithoutL2() {
        // g = (3, 4), norm 5, clipped per layer to norm 1: (0.6, 0.8); then L2 adds 1 x w = 1 to w's gradient
        double[] p = {1.0, 0.0};
        new TrainingStep(NET, new Sgd(1), 1).withNormalization(GradientNormalization.CLIP_L2_PER_LAYER, 1)
                .withL2(1).step(p, new double[]{3.0, 4.0});
        assertThat(p).containsExactly(new double[]{1 - 1.6, -0.8}, within(1e-15));
    }

    @Test
    void weightDecayUsesTheScheduledRate() {
        double[] p = {1.0, 0.0};
        TrainingStep step = new TrainingStep(NET, new Sgd(99), 99)
                .withSchedule(new Schedule.Step(Schedule.Type.EPOCH, 0.1, 0.5, 1)).withWeightDecay(1, true);
        step.epoch(1);
        step.step(p, new double[]{0.0, 0.0});
        assertThat(p[0]).isCloseTo(1 - 0.05, within(1e-15));
    }

    @Test
    void aNetWithItsOwnL2IsRefused() {
        Mlp l2Net = new Mlp(new int[]{1, 1}, List.of(Activation.IDENTITY), Loss.MSE, 0.1);
        assertThatThrownBy(() -> new TrainingStep(l2Net, new Sgd(1), 1)).hasMessageContaining("l2 = 0.1");
    }
}
