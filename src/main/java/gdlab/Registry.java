package gdlab;

import gdlab.bench.Bench;
import gdlab.experiment.batchmodes.BatchModes;
import gdlab.experiment.cnninit.CnnInit;
import gdlab.experiment.crosscheck.Crosscheck;
import gdlab.experiment.epochs.Epochs;
import gdlab.experiment.failure.FailureModes;
import gdlab.experiment.gradientbasics.GradientBasics;
import gdlab.experiment.learningrate.LearningRate;
import gdlab.experiment.momentum.Momentum;
import gdlab.experiment.optimizers.OptimizerBenchmark;
import gdlab.experiment.remedies.Remedies;
import gdlab.spec.BadInputException;
import gdlab.sweep.Experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every experiment, by name, in the order {@code list} shows them. The one place an experiment is registered; it
 * sits beside {@link Main}, above the experiments, so nothing below imports it (bench gets it as a lookup).
 */
public final class Registry {
    private static final Map<String, Supplier<Experiment>> EXPERIMENTS = new LinkedHashMap<>();

    static {
        register(GradientBasics::new);
        register(BatchModes::new);
        register(Crosscheck::new);
        register(LearningRate::new);
        register(Momentum::new);
        register(OptimizerBenchmark::new);
        register(Epochs::new);
        register(CnnInit::new);
        register(FailureModes::new);
        register(Remedies::new);
        register(() -> new Bench(Registry::create));
    }

    private Registry() {
    }

    private static void register(Supplier<Experiment> factory) {
        EXPERIMENTS.put(factory.get().name(), factory);
    }

    public static List<String> names() {
        return List.copyOf(EXPERIMENTS.keySet());
    }

    /** A fresh instance (experiments hold per-run state); an unknown name is bad input. */
    public static Experiment create(String name) {
        Supplier<Experiment> factory = EXPERIMENTS.get(name);
        if (factory == null) {
            throw new BadInputException("unknown experiment '" + name + "'; known: " + String.join(", ", names()));
        }
        return factory.get();
    }
}
