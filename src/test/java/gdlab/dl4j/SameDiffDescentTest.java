package gdlab.dl4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SameDiffDescentTest {
    @Test
    void sgdOnRosenbrockMatchesPlainArithmeticForThreeSteps() {
        double lr = 1e-3;
        SameDiffDescent d = SameDiffDescent.function("rosenbrock", -1.2, 1.0, new Sgd(lr));
        double x = -1.2;
        double y = 1.0;
        assertThat(d.value()).isCloseTo((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x), within(1e-12));
        for (int s = 0; s < 3; s++) {
            double gx = -2 * (1 - x) - 400 * x * (y - x * x);
            double gy = 200 * (y - x * x);
            assertThat(d.gradient()).containsExactly(new double[]{gx, gy}, within(1e-10));
            x -= lr * gx;
            y -= lr * gy;
            d.step();
            assertThat(d.point()).containsExactly(new double[]{x, y}, within(1e-12));
        }
    }

    @Test
    void everyFunctionHasItsKnownMinimumValue() {
        Sgd sgd = new Sgd(0.1);
        assertThat(SameDiffDescent.function("rosenbrock", 1, 1, sgd).value()).isCloseTo(0, within(1e-12));
        assertThat(SameDiffDescent.function("beale", 3, 0.5, sgd).value()).isCloseTo(0, within(1e-12));
        assertThat(SameDiffDescent.function("himmelblau", 3, 2, sgd).value()).isCloseTo(0, within(1e-12));
        assertThat(SameDiffDescent.function("saddle", 0, 0, sgd).value()).isCloseTo(0, within(1e-12));
        assertThat(SameDiffDescent.function("six-hump-camel", 0.0898, -0.7126, sgd).value())
                .isCloseTo(-1.0316284535, within(1e-6));
        assertThat(SameDiffDescent.function("styblinski-tang", -2.903534, -2.903534, sgd).value())
                .isCloseTo(-39.16616570 * 2, within(1e-6));
        assertThat(SameDiffDescent.function("branin", Math.PI, 2.275, sgd).value())
                .isCloseTo(0.3978873577, within(1e-9));
        assertThatThrownBy(() -> SameDiffDescent.function("sphere", 0, 0, sgd))
                .hasMessageContaining("unknown function 'sphere'");
    }

    @Test
    void quadraticGradientIsHxMinusB() {
        double[][] h = {{2, 0.5}, {0.5, 1}};
        double[] b = {1, -1};
        SameDiffDescent d = SameDiffDescent.quadratic(h, b, new double[]{1, 2}, new Sgd(0.1));
        assertThat(d.value()).isCloseTo(0.5 * (2 + 2 * 0.5 * 2 + 4) - (1 - 2), within(1e-12));
        assertThat(d.gradient()).containsExactly(new double[]{2 + 1 - 1, 0.5 + 2 + 1}, within(1e-12));
    }

    @Test
    void adamKeepsStatePerCoordinateAndDescends() {
        SameDiffDescent d = SameDiffDescent.function("himmelblau", 0, 0, new Adam(0.1));
        double start = d.value();
        d.run(200);
        assertThat(d.value()).isLessThan(start / 100);
    }
}
