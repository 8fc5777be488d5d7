package gdlab.dl4j;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.IUpdater;

import java.util.List;

/**
 * DL4J's solvers (its {@code OptimizationAlgorithm}s other than plain minibatch steps) by gdlab name, and the few
 * things the optimizers experiment needs around {@link Networks} and {@link Optimizers}.
 */
public final class Solvers {
    private Solvers() {
    }

    /** gdlab's solver names: DL4J's LINE_GRADIENT_DESCENT, CONJUGATE_GRADIENT and LBFGS. */
    public static final List<String> NAMES = List.of("line-gd", "cg", "lbfgs");

    public static OptimizationAlgorithm algorithm(String name) {
        return switch (name) {
            case "line-gd" -> OptimizationAlgorithm.LINE_GRADIENT_DESCENT;
            case "cg" -> OptimizationAlgorithm.CONJUGATE_GRADIENT;
            case "lbfgs" -> OptimizationAlgorithm.LBFGS;
            default -> throw new IllegalArgumentException("unknown solver '" + name + "'; known: "
                    + String.join(", ", NAMES));
        };
    }

    /**
     * The same network (configuration and current parameters) trained by {@code algorithm} instead of
     * STOCHASTIC_GRADIENT_DESCENT. {@link Networks#classifier} has no solver option; this copies its configuration
     * and sets the algorithm on every layer's configuration before the copy is built (setting it on a built network
     * is ignored: the network reads it when it is constructed).
     */
    public static MultiLayerNetwork withAlgorithm(MultiLayerNetwork net, OptimizationAlgorithm algorithm) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        for (NeuralNetConfiguration layer : conf.getConfs()) {
            layer.setOptimizationAlgo(algorithm);
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init(net.params().dup(), false);
        return copy;
    }

    /**
     * The updater DL4J gives a network whose configuration names none (what the solvers use by default), read from a
     * configuration built without one, not assumed.
     */
    public static IUpdater defaultUpdater() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder().nIn(1).nOut(2).build()).build();
        return ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater();
    }

    /** The updaters of {@link Optimizers} plus {@code adabelief} (DL4J's AdaBelief, which Optimizers leaves out). */
    public static IUpdater updater(String name, double lr) {
        if (name.equals("adabelief")) {
            return new AdaBelief(lr);
        }
        return Optimizers.updater(name, lr);
    }

    /**
     * DL4J's default learning rate of the updater called {@code name} (NaN when it has none, as AdaDelta), read
     * from an instance built with DL4J's no-argument constructor. {@code momentum} is gdlab's {@link HeavyBall},
     * whose defaults are DL4J's Nesterovs ones.
     */
    public static double defaultLearningRate(String name) {
        IUpdater u = switch (name) {
            case "sgd" -> new org.nd4j.linalg.learning.config.Sgd();
            case "momentum" -> new HeavyBall();
            case "nesterov" -> new org.nd4j.linalg.learning.config.Nesterovs();
            case "adam" -> new org.nd4j.linalg.learning.config.Adam();
            case "adamax" -> new org.nd4j.linalg.learning.config.AdaMax();
            case "nadam" -> new org.nd4j.linalg.learning.config.Nadam();
            case "amsgrad" -> new org.nd4j.linalg.learning.config.AMSGrad();
            case "adagrad" -> new org.nd4j.linalg.learning.config.AdaGrad();
            case "rmsprop" -> new org.nd4j.linalg.learning.config.RmsProp();
            case "adadelta" -> new org.nd4j.linalg.learning.config.AdaDelta();
            case "adabelief" -> new AdaBelief();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'");
        };
        return u.hasLearningRate() ? u.getLearningRate(0, 0) : Double.NaN;
    }
}
