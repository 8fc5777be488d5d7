package gdlab.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

import java.util.Map;
import java.util.Objects;

/**
 * Heavy-ball momentum (Polyak 1964) for DL4J networks: v = mu v + g; theta -= lr v, with g the minibatch MEAN
 * gradient (DL4J divides its summed gradient by the minibatch size before any updater runs) and v starting at 0.
 * With a constant lr this is Polyak's theta' = theta - lr g + mu (theta - theta_prev), and the same as PyTorch's
 * {@code SGD(momentum=mu)}.
 *
 * <p>DL4J 1.0.0-M2.1 has no heavy-ball updater: its {@code Nesterovs} is Nesterov's momentum. This one is a plain
 * {@link IUpdater}: {@code .updater(new HeavyBall(lr, mu))} in a network configuration, one state value (the
 * velocity) per parameter in DL4J's updater state view, so it is saved and restored with the network. The public
 * no-arg constructor and the bean accessors are what DL4J's JSON (de)serialisation needs; {@code equals} compares
 * values so that DL4J gives all layers one updater block (one flat view) instead of one per layer.
 */
public final class HeavyBall implements IUpdater {
    private static final long serialVersionUID = 1L;

    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final double DEFAULT_MOMENTUM = 0.9;

    private double learningRate;
    private double momentum;

    /** DL4J's defaults for Nesterovs: lr 0.1, mu 0.9. Needed by JSON and ModelSerializer loading. */
    public HeavyBall() {
        this(DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM);
    }

    public HeavyBall(double learningRate, double momentum) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public double getMomentum() {
        return momentum;
    }

    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater<HeavyBall> instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater<HeavyBall> instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(state, initializeStateArrays);
        return u;
    }

    @Override
    public HeavyBall clone() {
        return new HeavyBall(learningRate, momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException("HeavyBall takes a constant learning rate, not a schedule");
        }
        this.learningRate = lr;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeavyBall h && Double.compare(h.learningRate, learningRate) == 0
                && Double.compare(h.momentum, momentum) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum);
    }

    @Override
    public String toString() {
        return "HeavyBall(lr=" + learningRate + ", momentum=" + momentum + ")";
    }

    /** The state (velocity v, in the updater state view) and the step. */
    static final class Updater implements GradientUpdater<HeavyBall> {
        static final String V_STATE = "V";

        private final HeavyBall config;
        private INDArray v;

        Updater(HeavyBall config) {
            this.config = config;
        }

        @Override
        public HeavyBall getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> state, boolean initialize) {
            if (state == null || state.size() != 1 || !state.containsKey(V_STATE)) {
                throw new IllegalStateException("HeavyBall state must hold exactly '" + V_STATE + "', got "
                        + (state == null ? null : state.keySet()));
            }
            v = state.get(V_STATE);
            if (initialize) {
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(V_STATE, v);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (!viewArray.isRowVectorOrScalar()) {
                throw new IllegalArgumentException("HeavyBall expects a row-vector state view, got shape "
                        + java.util.Arrays.toString(viewArray.shape()));
            }
            if (initialize) {
                viewArray.assign(0);
            }
            // a view, never a copy: the velocity must live in the network's updater state (saved with it)
            v = Shape.newShapeNoCopy(viewArray, gradientShape, gradientOrder == 'f');
            if (v == null) {
                throw new IllegalStateException("cannot view the HeavyBall state as the gradient's shape "
                        + java.util.Arrays.toString(gradientShape));
            }
        }

        /** Turns the mean gradient into the update lr v in place, after v = mu v + g. */
        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            if (v == null) {
                throw new IllegalStateException("HeavyBall updater has no state view");
            }
            v.muli(config.momentum).addi(gradient);
            gradient.assign(v).muli(config.learningRate);
        }
    }
}
