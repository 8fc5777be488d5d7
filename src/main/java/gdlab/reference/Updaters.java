package gdlab.reference;

import java.util.List;
import java.util.Locale;

/**
 * Builds {@link Updater}s by their lower-case names, with DL4J 1.0.0-M2.1's default hyperparameters for everything not
 * given.
 *
 * <table>
 *   <caption>Names and DL4J defaults</caption>
 *   <tr><th>name</th><th>class</th><th>default lr</th><th>other defaults</th><th>variants</th></tr>
 *   <tr><td>sgd</td><td>{@link Sgd}</td><td>1e-3</td><td></td><td>DL4J</td></tr>
 *   <tr><td>momentum</td><td>{@link HeavyBall}</td><td>0.1</td><td>mu 0.9 (as Nesterovs)</td><td>DL4J</td></tr>
 *   <tr><td>nesterov</td><td>{@link Nesterov}</td><td>0.1</td><td>mu 0.9</td><td>DL4J</td></tr>
 *   <tr><td>adam</td><td>{@link Adam}</td><td>1e-3</td><td>b1 0.9, b2 0.999, eps 1e-8</td><td>DL4J, PAPER</td></tr>
 *   <tr><td>adamax</td><td>{@link AdaMax}</td><td>1e-3</td><td>b1 0.9, b2 0.999, eps 1e-8</td><td>DL4J</td></tr>
 *   <tr><td>nadam</td><td>{@link Nadam}</td><td>1e-3</td><td>b1 0.9, b2 0.999, eps 1e-8</td><td>DL4J, PAPER</td></tr>
 *   <tr><td>amsgrad</td><td>{@link AmsGrad}</td><td>1e-3</td><td>b1 0.9, b2 0.999, eps 1e-8</td>
 *       <td>DL4J, PAPER</td></tr>
 *   <tr><td>adagrad</td><td>{@link AdaGrad}</td><td>0.1</td><td>eps 1e-6</td><td>DL4J, PAPER</td></tr>
 *   <tr><td>rmsprop</td><td>{@link RmsProp}</td><td>0.1</td><td>rho 0.95, eps 1e-8</td><td>DL4J, PAPER</td></tr>
 *   <tr><td>adadelta</td><td>{@link AdaDelta}</td><td>none</td><td>rho 0.95, eps 1e-6</td><td>DL4J</td></tr>
 * </table>
 * Other hyperparameters: use the classes' constructors.
 */
public final class Updaters {
    /** Every known name, in a fixed order. */
    public static final List<String> NAMES = List.of(
            "sgd", "momentum", "nesterov", "adam", "adamax", "nadam", "amsgrad", "adagrad", "rmsprop", "adadelta");

    /** The names that have a {@link Variant#PAPER} form. */
    public static final List<String> WITH_PAPER_VARIANT = List.of("adam", "nadam", "amsgrad", "adagrad", "rmsprop");

    private Updaters() {
    }

    /** The updater called {@code name}, with DL4J's default learning rate and other defaults. */
    public static Updater create(String name) {
        return create(name, defaultLearningRate(name), Variant.DL4J);
    }

    /**
     * The updater called {@code name} with learning rate {@code lr} and DL4J's other defaults, DL4J's form.
     * For {@code adadelta}, which has no learning rate, {@code lr} is ignored (as DL4J's AdaDelta takes none).
     */
    public static Updater create(String name, double lr) {
        return create(name, lr, Variant.DL4J);
    }

    /**
     * As {@link #create(String, double)} in the given form; {@link Variant#PAPER} is accepted only for the names in
     * {@link #WITH_PAPER_VARIANT}.
     */
    public static Updater create(String name, double lr, Variant variant) {
        String key = known(name);
        Check.notNull("variant", variant);
        if (variant == Variant.PAPER && !WITH_PAPER_VARIANT.contains(key)) {
            throw new IllegalArgumentException("optimizer '" + key + "' has only DL4J's form (the paper's); "
                    + "Variant.PAPER exists for: " + String.join(", ", WITH_PAPER_VARIANT));
        }
        return switch (key) {
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new HeavyBall(lr, HeavyBall.DEFAULT_MOMENTUM);
            case "nesterov" -> new Nesterov(lr, Nesterov.DEFAULT_MOMENTUM);
            case "adam" -> new Adam(lr, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, variant);
            case "adamax" -> new AdaMax(lr);
            case "nadam" -> new Nadam(lr, Nadam.DEFAULT_BETA1, Nadam.DEFAULT_BETA2, Nadam.DEFAULT_EPSILON, variant);
            case "amsgrad" -> new AmsGrad(lr, AmsGrad.DEFAULT_BETA1, AmsGrad.DEFAULT_BETA2, AmsGrad.DEFAULT_EPSILON,
                    variant);
            case "adagrad" -> new AdaGrad(lr, AdaGrad.DEFAULT_EPSILON, variant);
            case "rmsprop" -> new RmsProp(lr, RmsProp.DEFAULT_RHO, RmsProp.DEFAULT_EPSILON, variant);
            case "adadelta" -> new AdaDelta();
            default -> throw new AssertionError(key);
        };
    }

    /** DL4J 1.0.0-M2.1's default learning rate for {@code name}; NaN for adadelta, which has none. */
    public static double defaultLearningRate(String name) {
        return switch (known(name)) {
            case "sgd" -> Sgd.DEFAULT_LEARNING_RATE;
            case "momentum" -> HeavyBall.DEFAULT_LEARNING_RATE;
            case "nesterov" -> Nesterov.DEFAULT_LEARNING_RATE;
            case "adam" -> Adam.DEFAULT_LEARNING_RATE;
            case "adamax" -> AdaMax.DEFAULT_LEARNING_RATE;
            case "nadam" -> Nadam.DEFAULT_LEARNING_RATE;
            case "amsgrad" -> AmsGrad.DEFAULT_LEARNING_RATE;
            case "adagrad" -> AdaGrad.DEFAULT_LEARNING_RATE;
            case "rmsprop" -> RmsProp.DEFAULT_LEARNING_RATE;
            case "adadelta" -> Double.NaN;
            default -> throw new AssertionError(name);
        };
    }

    private static String known(String name) {
        if (name == null) {
            throw new IllegalArgumentException("unknown optimizer 'null'; known: " + String.join(", ", NAMES));
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(key)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return key;
    }
}
