package gdlab.experiment.failure;

import gdlab.experiment.failure.Minima.Minimum;
import gdlab.reference.TestFunction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MinimaTest {
    @Test
    void everyCatalogueHoldsStrictMinimaIncludingTheKnownGlobalOnes() {
        assertThat(Minima.of("himmelblau")).hasSize(4);
        assertThat(Minima.of("six-hump-camel")).hasSize(6);
        assertThat(Minima.of("styblinski-tang")).hasSize(4);
        for (String name : Minima.FUNCTIONS) {
            TestFunction f = Minima.function(name);
            List<Minimum> minima = Minima.of(name);
            for (Minimum m : minima) {
                assertThat(Minima.norm(f.gradient(m.x()))).as(name + " " + m.label()).isLessThan(1e-9);
                assertThat(m.lambdaMin()).as(name + " " + m.label()).isPositive();
                assertThat(m.value()).isCloseTo(f.value(m.x()), within(1e-12));
                assertThat(m.global()).isEqualTo(Math.abs(m.value() - f.minimumValue()) < 1e-9);
            }
            // every published global minimizer is in the catalogue, and marked global
            for (double[] g : f.minimizers()) {
                Minimum nearest = Minima.nearest(minima, g);
                assertThat(Minima.distance(nearest.x(), g)).as(name).isLessThan(1e-6);
                assertThat(nearest.global()).isTrue();
            }
            // distinct points
            for (Minimum a : minima) {
                for (Minimum b : minima) {
                    if (a != b) {
                        assertThat(Minima.distance(a.x(), b.x())).isGreaterThan(0.5);
                    }
                }
            }
        }
        assertThat(Minima.of("six-hump-camel").stream().filter(Minimum::global)).hasSize(2);
        assertThat(Minima.of("styblinski-tang").stream().filter(Minimum::global)).hasSize(1);
        assertThat(Minima.of("six-hump-camel").get(2).value()).isCloseTo(-0.2155, within(1e-4));
        assertThat(Minima.of("six-hump-camel").get(5).value()).isCloseTo(2.1043, within(1e-4));
    }

    @Test
    void hessianCurvatureMatchesTheClosedFormAtHimmelblausFirstMinimum() {
        // f_xx = 12x^2 + 4y - 42, f_yy = 4x + 12y^2 - 26, f_xy = 4(x + y) at (3, 2): 74, 34, 20
        Minimum m = Minima.nearest(Minima.of("himmelblau"), new double[] {3, 2});
        double expected = (74 + 34) / 2.0 + Math.hypot((74 - 34) / 2.0, 20);
        assertThat(m.lambdaMax()).isCloseTo(expected, within(1e-5));
    }

    @Test
    void classifiesByNearestMinimumThenGradientThenBudget() {
        List<Minimum> minima = Minima.of("himmelblau");
        assertThat(Minima.classify(minima, new double[] {3.01, 2.0}, false, 0.5, 0.05, 1e-6))
                .isEqualTo(Minima.nearest(minima, new double[] {3, 2}).label());
        assertThat(Minima.classify(minima, new double[] {3.1, 2.0}, false, 1e-7, 0.05, 1e-6))
                .isEqualTo(Minima.STATIONARY);
        assertThat(Minima.classify(minima, new double[] {3.1, 2.0}, false, 1e-3, 0.05, 1e-6))
                .isEqualTo(Minima.NOT_CONVERGED);
        assertThat(Minima.classify(minima, new double[] {3.0, 2.0}, true, 0, 0.05, 1e-6))
                .isEqualTo(Minima.DIVERGED);
        assertThat(Minima.classify(minima, new double[] {Double.NaN, 2.0}, false, 0, 0.05, 1e-6))
                .isEqualTo(Minima.DIVERGED);
    }

    @Test
    void gridStartsCoverTheBoxOnePerCellAndFollowTheSeed() {
        Minima.Box box = Minima.box("six-hump-camel");
        List<double[]> starts = Minima.gridStarts(box, 5, 3);
        assertThat(starts).hasSize(25);
        for (int k = 0; k < starts.size(); k++) {
            double[] p = starts.get(k);
            int i = k % 5;
            int j = k / 5;
            assertThat(p[0]).isBetween(box.xLo() + i * 6 / 5.0, box.xLo() + (i + 1) * 6 / 5.0);
            assertThat(p[1]).isBetween(box.yLo() + j * 4 / 5.0, box.yLo() + (j + 1) * 4 / 5.0);
        }
        assertThat(Minima.gridStarts(box, 5, 3).get(7)).containsExactly(starts.get(7));
        assertThat(Minima.gridStarts(box, 5, 4).get(7)).isNotEqualTo(starts.get(7));
    }
}
