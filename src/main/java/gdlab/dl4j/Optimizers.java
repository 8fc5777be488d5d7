package gdlab.dl4j;

import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.List;

/**
 * gdlab's optimizer names mapped to DL4J updaters, with DL4J's defaults for everything but the learning rate.
 * {@code momentum} is heavy-ball momentum ({@link HeavyBall}, mu 0.9), which DL4J lacks; DL4J's own "momentum"
 * updater is {@code nesterov}.
 */
public final class Optimizers {
    private Optimizers() {
    }

    public static final List<String> UPDATERS = List.of("sgd", "momentum", "nesterov", "adam", "adamax", "nadam",
            "amsgrad", "adagrad", "rmsprop", "adadelta");

    /** The DL4J updater for {@code name} at learning rate {@code lr} (AdaDelta has none and ignores it). */
    public static IUpdater updater(String name, double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + lr);
        }
        return switch (name) {
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new HeavyBall(lr, HeavyBall.DEFAULT_MOMENTUM);
            case "nesterov" -> new Nesterovs(lr, Nesterovs.DEFAULT_NESTEROV_MOMENTUM);
            case "adam" -> new Adam(lr);
            case "adamax" -> new AdaMax(lr);
            case "nadam" -> new Nadam(lr);
            case "amsgrad" -> new AMSGrad(lr);
            case "adagrad" -> new AdaGrad(lr);
            case "rmsprop" -> new RmsProp(lr);
            case "adadelta" -> new AdaDelta();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; known: "
                    + String.join(", ", UPDATERS));
        };
    }

    /** The optimizers whose DL4J updater takes a learning-rate schedule ({@link #updater(String, ISchedule)}). */
    public static final List<String> SCHEDULABLE = List.of("sgd", "nesterov", "adam", "adamax", "nadam", "amsgrad",
            "adagrad", "rmsprop");

    /**
     * The DL4J updater for {@code name} with its learning rate following {@code schedule} (DL4J's defaults
     * otherwise). gdlab's heavy ball and AdaDelta (no learning rate) take none.
     */
    public static IUpdater updater(String name, ISchedule schedule) {
        return switch (name) {
            case "sgd" -> new Sgd(schedule);
            case "nesterov" -> new Nesterovs(schedule, Nesterovs.DEFAULT_NESTEROV_MOMENTUM);
            case "adam" -> new Adam(schedule);
            case "adamax" -> new AdaMax(schedule);
            case "nadam" -> new Nadam(schedule);
            case "amsgrad" -> new AMSGrad(schedule);
            case "adagrad" -> new AdaGrad(schedule);
            case "rmsprop" -> new RmsProp(schedule);
            default -> throw new IllegalArgumentException("optimizer '" + name + "' takes no learning-rate schedule; "
                    + "those that do: " + String.join(", ", SCHEDULABLE));
        };
    }
}
