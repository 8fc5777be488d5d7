package gdlab.reference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActivationNamesTest {
    @Test
    void everySpecNameIsItsActivationAndAnUnknownOneIsNamed() {
        assertThat(Activation.named("relu")).isEqualTo(Activation.RELU);
        assertThat(Activation.named("LeakyReLU")).isEqualTo(Activation.LEAKY_RELU);
        assertThat(Activation.named("tanh")).isEqualTo(Activation.TANH);
        assertThat(Activation.named("sigmoid")).isEqualTo(Activation.SIGMOID);
        assertThat(Activation.named("identity")).isEqualTo(Activation.IDENTITY);
        assertThat(Activation.named("softmax")).isEqualTo(Activation.SOFTMAX);
        assertThat(Activation.NAMES).hasSize(Activation.values().length);
        assertThatThrownBy(() -> Activation.named("gelu"))
                .hasMessage("unknown activation 'gelu'; known: identity, relu, leakyrelu, tanh, sigmoid, softmax");
    }
}
