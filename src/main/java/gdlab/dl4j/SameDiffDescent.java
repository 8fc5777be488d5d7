package gdlab.dl4j;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Gradient descent on a plain function of a few variables (the 2-D test functions, a quadratic) in ND4J:
 * the function is a SameDiff graph, its gradient comes from SameDiff's autodiff, and each step is a DL4J
 * {@link GradientUpdater} applied by hand ({@code applyUpdater} turns the gradient into the update in place,
 * then the variable is decremented), the same path a network's parameters take. DOUBLE throughout.
 *
 * <p>Every DL4J updater is element-wise, so each coordinate is its own 1x1 variable with its own updater state:
 * exactly equivalent to one updater over the whole vector. Not thread-safe; one instance per cell.
 */
public final class SameDiffDescent {
    /** The functions it can build, by gdlab name. */
    public static final List<String> FUNCTIONS = List.of("rosenbrock", "beale", "himmelblau", "saddle",
            "six-hump-camel", "styblinski-tang", "branin");

    private static final Object STDOUT_LOCK = new Object();

    private final SameDiff sd;
    private final SDVariable[] vars;
    private final String lossName;
    private final GradientUpdater<?>[] updaters;
    private int iteration;

    private SameDiffDescent(SameDiff sd, SDVariable[] vars, SDVariable loss, IUpdater updater) {
        this.sd = sd;
        this.vars = vars;
        this.lossName = loss.name();
        sd.setLossVariables(lossName);
        this.updaters = new GradientUpdater<?>[vars.length];
        for (int i = 0; i < vars.length; i++) {
            long stateSize = updater.stateSize(1);
            INDArray view = stateSize == 0 ? null : Nd4j.zeros(DataType.DOUBLE, 1, stateSize);
            updaters[i] = updater.clone().instantiate(view, true);
        }
        // SameDiff prints "Added differentiated op ..." to System.out the first time it builds the gradient
        // function; keep it out of stdout, which holds only result tables
        synchronized (STDOUT_LOCK) {
            PrintStream saved = System.out;
            try {
                System.setOut(new PrintStream(OutputStream.nullOutputStream()));
                sd.createGradFunction();
            } finally {
                System.setOut(saved);
            }
        }
    }

    /** A 2-D test function by name, started at (x0, y0). */
    public static SameDiffDescent function(String name, double x0, double y0, IUpdater updater) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.scalar(x0).reshape(1, 1));
        SDVariable y = sd.var("y", Nd4j.scalar(y0).reshape(1, 1));
        SDVariable f = switch (name) {
            // (1 - x)^2 + 100 (y - x^2)^2
            case "rosenbrock" -> x.rsub(1.0).pow(2).add(y.sub(x.pow(2)).pow(2).mul(100));
            // (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2
            case "beale" -> x.rsub(1.5).add(x.mul(y)).pow(2)
                    .add(x.rsub(2.25).add(x.mul(y.pow(2))).pow(2))
                    .add(x.rsub(2.625).add(x.mul(y.pow(3))).pow(2));
            // (x^2 + y - 11)^2 + (x + y^2 - 7)^2
            case "himmelblau" -> x.pow(2).add(y).sub(11).pow(2).add(x.add(y.pow(2)).sub(7).pow(2));
            // x^2 - y^2
            case "saddle" -> x.pow(2).sub(y.pow(2));
            // (4 - 2.1 x^2 + x^4/3) x^2 + xy + (-4 + 4 y^2) y^2
            case "six-hump-camel" -> x.pow(2).mul(-2.1).add(x.pow(4).div(3)).add(4).mul(x.pow(2))
                    .add(x.mul(y)).add(y.pow(2).mul(4).sub(4).mul(y.pow(2)));
            // sum over coordinates of (t^4 - 16 t^2 + 5 t) / 2
            case "styblinski-tang" -> styblinski(x).add(styblinski(y));
            // (y - 5.1/(4 pi^2) x^2 + 5/pi x - 6)^2 + 10 (1 - 1/(8 pi)) cos x + 10
            case "branin" -> y.sub(x.pow(2).mul(5.1 / (4 * Math.PI * Math.PI))).add(x.mul(5 / Math.PI)).sub(6)
                    .pow(2).add(sd.math().cos(x).mul(10 * (1 - 1 / (8 * Math.PI)))).add(10);
            default -> throw new IllegalArgumentException("unknown function '" + name + "'; known: "
                    + String.join(", ", FUNCTIONS));
        };
        return new SameDiffDescent(sd, new SDVariable[]{x, y}, f.sum().rename("loss"), updater);
    }

    private static SDVariable styblinski(SDVariable t) {
        return t.pow(4).sub(t.pow(2).mul(16)).add(t.mul(5)).div(2);
    }

    /**
     * The quadratic f(x) = 1/2 x'Hx - b'x, started at x0; H symmetric n x n (row-major), b of length n.
     * Each coordinate is a variable so element-wise updaters keep per-coordinate state.
     */
    public static SameDiffDescent quadratic(double[][] h, double[] b, double[] x0, IUpdater updater) {
        int n = x0.length;
        if (h.length != n || b.length != n) {
            throw new IllegalArgumentException("H is " + h.length + "x?, b has " + b.length + ", x0 has " + n);
        }
        SameDiff sd = SameDiff.create();
        SDVariable[] vars = new SDVariable[n];
        for (int i = 0; i < n; i++) {
            vars[i] = sd.var("x" + i, Nd4j.scalar(x0[i]).reshape(1, 1));
        }
        SDVariable x = sd.concat("xs", 1, vars);          // 1 x n
        SDVariable hm = sd.constant("H", Nd4j.create(h));
        SDVariable bm = sd.constant("b", Nd4j.create(new double[][]{b}));
        SDVariable quad = x.mmul(hm).mul(x).sum().mul(0.5);
        SDVariable f = quad.sub(x.mul(bm).sum());
        return new SameDiffDescent(sd, vars, f.rename("loss"), updater);
    }

    /** The current point. */
    public double[] point() {
        double[] p = new double[vars.length];
        for (int i = 0; i < vars.length; i++) {
            p[i] = vars[i].getArr().getDouble(0);
        }
        return p;
    }

    /** f at the current point. */
    public double value() {
        return sd.output(Map.of(), lossName).get(lossName).getDouble(0);
    }

    /** The gradient at the current point, from SameDiff's autodiff. */
    public double[] gradient() {
        Map<String, INDArray> grads = gradients();
        double[] g = new double[vars.length];
        for (int i = 0; i < vars.length; i++) {
            g[i] = grads.get(vars[i].name()).getDouble(0);
        }
        return g;
    }

    private Map<String, INDArray> gradients() {
        String[] names = new String[vars.length];
        for (int i = 0; i < vars.length; i++) {
            names[i] = vars[i].name();
        }
        return sd.calculateGradients(Map.of(), names);
    }

    /** One updater step: x <- x - U(grad). */
    public void step() {
        Map<String, INDArray> grads = gradients();
        for (int i = 0; i < vars.length; i++) {
            INDArray g = grads.get(vars[i].name()).dup();
            updaters[i].applyUpdater(g, iteration, 0);
            vars[i].getArr().subi(g);
        }
        iteration++;
    }

    /** The points visited: the start, then after each of {@code steps} steps (stops early at a non-finite point). */
    public List<double[]> run(int steps) {
        List<double[]> path = new ArrayList<>();
        path.add(point());
        for (int s = 0; s < steps; s++) {
            step();
            double[] p = point();
            path.add(p);
            if (!java.util.Arrays.stream(p).allMatch(Double::isFinite)) {
                break;
            }
        }
        return path;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SameDiffDescent(%s at %s, iteration %d)", lossName,
                java.util.Arrays.toString(point()), iteration);
    }
}
