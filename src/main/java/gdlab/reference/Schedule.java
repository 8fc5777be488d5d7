package gdlab.reference;

import java.util.Map;
import java.util.TreeMap;

/**
 * A learning-rate schedule: the rate of the step taken at {@code iteration} (steps taken before it, from 0) in
 * {@code epoch} (whole epochs finished before it, from 0), as DL4J 1.0.0-M2.1's {@code ISchedule.valueAt(iteration,
 * epoch)} computes it. A schedule of {@link Type#ITERATION} reads the iteration, one of {@link Type#EPOCH} the epoch;
 * below, i is the one it reads. Each class gives DL4J's formula beside the textbook one (Caffe's learning-rate
 * policies, which DL4J's schedules follow), and they are the same unless the class says otherwise.
 */
public sealed interface Schedule {

    /** What a schedule counts: DL4J's {@code ScheduleType}. */
    enum Type {
        /** updates (DL4J's iteration count, never reset at an epoch boundary) */
        ITERATION,
        /** finished epochs */
        EPOCH;

        int pick(int iteration, int epoch) {
            return this == ITERATION ? iteration : epoch;
        }
    }

    /** The learning rate of the step taken at {@code iteration} in {@code epoch} (both from 0). */
    double valueAt(int iteration, int epoch);

    /** Step decay: lr = initial * decay^floor(i / step). Textbook (Caffe "step") and DL4J's {@code StepSchedule}. */
    record Step(Type type, double initial, double decay, double step) implements Schedule {
        public Step {
            Check.notNull("type", type);
            Check.positive("step", step);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return initial * Math.pow(decay, Math.floor(type.pick(iteration, epoch) / step));
        }
    }

    /** Exponential decay: lr = initial * gamma^i. Textbook (Caffe "exp") and DL4J's {@code ExponentialSchedule}. */
    record Exponential(Type type, double initial, double gamma) implements Schedule {
        public Exponential {
            Check.notNull("type", type);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return initial * Math.pow(gamma, type.pick(iteration, epoch));
        }
    }

    /**
     * Inverse (1/t) decay: lr = initial / (1 + gamma i)^power; with power 1 the Robbins-Monro rate. Textbook (Caffe
     * "inv") and DL4J's {@code InverseSchedule}.
     */
    record Inverse(Type type, double initial, double gamma, double power) implements Schedule {
        public Inverse {
            Check.notNull("type", type);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return initial / Math.pow(1 + gamma * type.pick(iteration, epoch), power);
        }
    }

    /**
     * Polynomial decay to 0 at {@code maxIter}.
     * <ul>
     *   <li>{@link Variant#PAPER} (Caffe "poly"): lr = initial * (1 - i / maxIter)^power, 0 from maxIter on: it
     *       shrinks.</li>
     *   <li>{@link Variant#DL4J} ({@code PolySchedule}): lr = initial * (1 + i / maxIter)^power, 0 from maxIter on:
     *       with power > 0 it GROWS, up to 2^power initial just before maxIter, then drops to 0. A sign error.</li>
     * </ul>
     */
    record Poly(Type type, double initial, double power, int maxIter, Variant variant) implements Schedule {
        public Poly {
            Check.notNull("type", type);
            Check.atLeast("maxIter", maxIter, 1);
            Check.notNull("variant", variant);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            int i = type.pick(iteration, epoch);
            if (i >= maxIter) {
                return 0;
            }
            double sign = variant == Variant.DL4J ? 1 : -1;
            return initial * Math.pow(1 + sign * (i / (double) maxIter), power);
        }
    }

    /**
     * Sigmoid: lr = initial / (1 + exp(-gamma (i - stepSize))): rises (gamma > 0) or falls (gamma < 0) around
     * stepSize. Textbook (Caffe "sigmoid") and DL4J's {@code SigmoidSchedule}.
     */
    record Sigmoid(Type type, double initial, double gamma, int stepSize) implements Schedule {
        public Sigmoid {
            Check.notNull("type", type);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return initial / (1 + Math.exp(-gamma * (type.pick(iteration, epoch) - stepSize)));
        }
    }

    /**
     * The one-cycle policy (Smith 2018): within each cycle of {@code cycleLength}, with c = i mod cycleLength and
     * s = (cycleLength - annealingLength) / 2 (integer division), the rate rises linearly from initial to max over s
     * steps, falls back linearly over s steps, then anneals: initial * annealingDecay^(annealingLength -
     * (cycleLength - c)). The rise and fall use increment = (max - initial) / s. DL4J's {@code CycleSchedule}
     * computes exactly this (Smith's paper gives the shape, not the annealing's formula).
     */
    record Cycle(Type type, double initial, double max, int cycleLength, int annealingLength, double annealingDecay)
            implements Schedule {
        public Cycle {
            Check.notNull("type", type);
            Check.atLeast("cycleLength", cycleLength, 1);
            if ((cycleLength - annealingLength) / 2 < 1) {
                throw new IllegalArgumentException("cycleLength - annealingLength must be >= 2, got "
                        + cycleLength + " - " + annealingLength);
            }
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            int stepSize = (cycleLength - annealingLength) / 2;
            double increment = (max - initial) / stepSize;
            int c = type.pick(iteration, epoch) % cycleLength;
            if (c < stepSize) {
                return initial + increment * c;
            }
            if (c < 2 * stepSize) {
                return max - increment * (c - stepSize);
            }
            return initial * Math.pow(annealingDecay, annealingLength - (cycleLength - c));
        }
    }

    /**
     * Linear warm-up (Goyal et al. 2017) over {@code numIter} ITERATIONS whatever the base schedule counts:
     * lr = base(i, e) * (i + 1) / numIter while i < numIter - 1, then base(i, e). DL4J's {@code RampSchedule}.
     */
    record Ramp(Schedule base, int numIter) implements Schedule {
        public Ramp {
            Check.notNull("base", base);
            Check.atLeast("numIter", numIter, 1);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            double b = base.valueAt(iteration, epoch);
            if (iteration >= numIter - 1) {
                return b;
            }
            return (iteration + 1) / (double) numIter * b;
        }
    }

    /**
     * Piecewise constant: the value of the largest key at most i (keys must include 0). Textbook (Caffe "multistep")
     * and DL4J's {@code MapSchedule}.
     */
    record Piecewise(Type type, Map<Integer, Double> values) implements Schedule {
        public Piecewise {
            Check.notNull("type", type);
            Check.notNull("values", values);
            if (!values.containsKey(0)) {
                throw new IllegalArgumentException("values must have a value at 0, got keys " + values.keySet());
            }
            values = Map.copyOf(values);
        }

        @Override
        public double valueAt(int iteration, int epoch) {
            return new TreeMap<>(values).floorEntry(type.pick(iteration, epoch)).getValue();
        }

        @Override
        public String toString() {
            return "Piecewise[" + type + ", " + new TreeMap<>(values) + "]";
        }
    }

    /** The same rate at every step. */
    record Fixed(double value) implements Schedule {
        @Override
        public double valueAt(int iteration, int epoch) {
            return value;
        }
    }
}
