package gdlab.experiment;

import gdlab.dl4j.Networks;
import gdlab.spec.Param;

/**
 * The spec keys many experiments share, declared once: what values they allow is the same everywhere; each
 * experiment says in its own words what the key means for it.
 */
public final class Keys {
    private Keys() {
    }

    public static Param dtype(String description) {
        return Param.choice("dtype", Networks.DTYPES, false, description);
    }

    public static Param activation(String description) {
        return Param.choice("activation", Networks.ACTIVATIONS, false, description);
    }

    public static Param hidden(String description) {
        return Param.integer("hidden", 1, 4096, false, description);
    }

    public static Param splitSeed(String description) {
        return Param.integer("split_seed", 0, Integer.MAX_VALUE, false, description);
    }

    public static Param maxExamples(String description) {
        return Param.integer("max_examples", 0, Integer.MAX_VALUE, false, description);
    }

    public static Param testFraction(String description) {
        return Param.realIn("test_fraction", 0.0, 0.9, false, description);
    }
}
