package gdlab.crosscheck;

import gdlab.reference.Updater;
import gdlab.reference.Updaters;
import gdlab.reference.Variant;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The crosscheck's updater factory builds exactly the reference's updaters (DL4J's defaults), or their float twins. */
class ReferenceUpdatersTest {

    static double[][] run(Updater u, int steps) {
        SplittableRandom r = new SplittableRandom(3);
        double[] p = new double[7];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextDouble(-1, 1);
        }
        double[][] out = new double[steps][];
        for (int s = 0; s < steps; s++) {
            double[] g = new double[p.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = r.nextDouble(-1, 1) * (i == 0 ? 1e-9 : 1);
            }
            u.step(p, g);
            out[s] = p.clone();
        }
        return out;
    }

    @Test
    void unroundedEqualsTheReferencesOwnFactory() {
        for (String name : Updaters.NAMES) {
            assertThat(run(ReferenceUpdaters.create(name, 0.05, Variant.DL4J, false), 5)).as(name)
                    .isDeepEqualTo(run(Updaters.create(name, 0.05, Variant.DL4J), 5));
        }
        for (String name : Updaters.WITH_PAPER_VARIANT) {
            assertThat(run(ReferenceUpdaters.create(name, 0.05, Variant.PAPER, false), 5)).as(name)
                    .isDeepEqualTo(run(Updaters.create(name, 0.05, Variant.PAPER), 5));
        }
    }

    @Test
    void floatHyperparametersChangeNadamsStepByAboutSixPpm() {
        double[] exact = run(ReferenceUpdaters.create("nadam", 0.01, Variant.DL4J, false), 1)[0];
        double[] rounded = run(ReferenceUpdaters.create("nadam", 0.01, Variant.DL4J, true), 1)[0];
        double[] start = run(new gdlab.reference.Sgd(1e-300), 1)[0];
        // relative change of the update itself, on an entry with a large gradient
        double du = Math.abs((rounded[1] - start[1]) / (exact[1] - start[1]) - 1);
        assertThat(du).isBetween(5e-6, 8e-6);
    }
}
