package gdlab.crosscheck;

import gdlab.reference.AdaDelta;
import gdlab.reference.AdaGrad;
import gdlab.reference.AdaMax;
import gdlab.reference.Adam;
import gdlab.reference.AmsGrad;
import gdlab.reference.HeavyBall;
import gdlab.reference.Nadam;
import gdlab.reference.Nesterov;
import gdlab.reference.RmsProp;
import gdlab.reference.Sgd;
import gdlab.reference.Updater;
import gdlab.reference.Updaters;
import gdlab.reference.Variant;

/**
 * The reference updater that matches a DL4J cell: DL4J's defaults for every hyperparameter but the learning rate,
 * optionally with every hyperparameter rounded to float first.
 *
 * <p>Why rounding: DL4J's updater kernels cast their hyperparameters to the array type before using them
 * ({@code const T beta2 = static_cast<T>(dBeta2)}), so a FLOAT network runs with beta2 = 0.999f =
 * 0.99900001287..., and its {@code 1 - beta2} is 9.99987e-4, 1.3e-5 relative away from 1e-3. Nadam (whose v has
 * no bias correction) then takes updates 6.4e-6 relative larger than with beta2 = 0.999 exactly. That is an input
 * of the float computation, like the float-rounded data and initial parameters, so the float crosscheck gives the
 * reference the same float-valued hyperparameters; the crosscheck also measures the step with the exact values.
 */
public final class ReferenceUpdaters {
    private ReferenceUpdaters() {
    }

    /**
     * @param name        one of {@link Updaters#NAMES}
     * @param lr          learning rate (ignored by adadelta)
     * @param variant     DL4J's form or the paper's ({@link Updaters#WITH_PAPER_VARIANT} only)
     * @param roundToFloat round every hyperparameter to the nearest float first
     */
    public static Updater create(String name, double lr, Variant variant, boolean roundToFloat) {
        if (variant == Variant.PAPER && !Updaters.WITH_PAPER_VARIANT.contains(name)) {
            throw new IllegalArgumentException(name + " has no paper variant");
        }
        return switch (name) {
            case "sgd" -> new Sgd(h(lr, roundToFloat));
            case "momentum" -> new HeavyBall(h(lr, roundToFloat), h(HeavyBall.DEFAULT_MOMENTUM, roundToFloat));
            case "nesterov" -> new Nesterov(h(lr, roundToFloat), h(Nesterov.DEFAULT_MOMENTUM, roundToFloat));
            case "adam" -> new Adam(h(lr, roundToFloat), h(Adam.DEFAULT_BETA1, roundToFloat),
                    h(Adam.DEFAULT_BETA2, roundToFloat), h(Adam.DEFAULT_EPSILON, roundToFloat), variant);
            case "adamax" -> new AdaMax(h(lr, roundToFloat), h(AdaMax.DEFAULT_BETA1, roundToFloat),
                    h(AdaMax.DEFAULT_BETA2, roundToFloat), h(AdaMax.DEFAULT_EPSILON, roundToFloat));
            case "nadam" -> new Nadam(h(lr, roundToFloat), h(Nadam.DEFAULT_BETA1, roundToFloat),
                    h(Nadam.DEFAULT_BETA2, roundToFloat), h(Nadam.DEFAULT_EPSILON, roundToFloat), variant);
            case "amsgrad" -> new AmsGrad(h(lr, roundToFloat), h(AmsGrad.DEFAULT_BETA1, roundToFloat),
                    h(AmsGrad.DEFAULT_BETA2, roundToFloat), h(AmsGrad.DEFAULT_EPSILON, roundToFloat), variant);
            case "adagrad" -> new AdaGrad(h(lr, roundToFloat), h(AdaGrad.DEFAULT_EPSILON, roundToFloat), variant);
            case "rmsprop" -> new RmsProp(h(lr, roundToFloat), h(RmsProp.DEFAULT_RHO, roundToFloat),
                    h(RmsProp.DEFAULT_EPSILON, roundToFloat), variant);
            case "adadelta" -> new AdaDelta(h(AdaDelta.DEFAULT_RHO, roundToFloat),
                    h(AdaDelta.DEFAULT_EPSILON, roundToFloat));
            default -> throw new IllegalArgumentException("unknown updater '" + name + "'; known: "
                    + String.join(", ", Updaters.NAMES));
        };
    }

    private static double h(double value, boolean roundToFloat) {
        return roundToFloat ? (float) value : value;
    }
}
