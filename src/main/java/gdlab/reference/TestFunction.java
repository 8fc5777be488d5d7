package gdlab.reference;

import java.util.List;

/**
 * Classic 2-D test functions with exact gradients and their known minima (Surjanovic &amp; Bingham's Virtual Library
 * of Simulation Experiments gives the same definitions).
 */
public enum TestFunction implements Objective {
    /** (1 - x)^2 + 100 (y - x^2)^2: minimum 0 at (1, 1), at the end of a curved flat valley. */
    ROSENBROCK(0.0, new double[][] {{1, 1}}),
    /** (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2: minimum 0 at (3, 0.5). */
    BEALE(0.0, new double[][] {{3, 0.5}}),
    /** (x^2 + y - 11)^2 + (x + y^2 - 7)^2: minimum 0 at four points. */
    HIMMELBLAU(0.0, new double[][] {
        {3, 2},
        {-2.805118086952745, 3.131312518250573},
        {-3.779310253377747, -3.2831859912861696},
        {3.5844283403304917, -1.8481265269644034}}),
    /**
     * x^2 - y^2: unbounded below; its only stationary point is the saddle at (0, 0), value 0, which
     * {@link #minimumValue()} and {@link #minimizers()} report although it is not a minimum ({@link #hasMinimum()} is
     * false).
     */
    SADDLE(0.0, new double[][] {{0, 0}}),
    /**
     * Six-hump camel, (4 - 2.1 x^2 + x^4 / 3) x^2 + xy + (-4 + 4 y^2) y^2: minimum -1.0316284534898774 at two points
     * (four more local minima).
     */
    SIX_HUMP_CAMEL(-1.0316284534898774, new double[][] {
        {0.0898420131003181, -0.7126564030207396},
        {-0.0898420131003181, 0.7126564030207396}}),
    /**
     * Styblinski-Tang in 2-D, 1/2 sum_i (x_i^4 - 16 x_i^2 + 5 x_i): minimum 2 x {@link #STYBLINSKI_TANG_MIN_PER_DIMENSION}
     * at x_i = {@link #STYBLINSKI_TANG_ARGMIN}.
     */
    STYBLINSKI_TANG(2 * -39.16616570377141, new double[][] {{-2.903534027771177, -2.903534027771177}}),
    /**
     * Branin (Branin-Hoo), a (y - b x^2 + c x - r)^2 + s (1 - t) cos x + s with a = 1, b = 5.1 / (4 pi^2), c = 5 / pi,
     * r = 6, s = 10, t = 1 / (8 pi): minimum s t = 5 / (4 pi) = 0.3978873577297384 at (-pi, 12.275), (pi, 2.275) and
     * (3 pi, 2.475).
     */
    BRANIN(5 / (4 * Math.PI), new double[][] {{-Math.PI, 12.275}, {Math.PI, 2.275}, {3 * Math.PI, 2.475}});

    /** Styblinski-Tang's minimum per dimension. */
    public static final double STYBLINSKI_TANG_MIN_PER_DIMENSION = -39.16616570377141;
    /** The root of 4x^3 - 32x + 5 = 0 that minimises Styblinski-Tang in each coordinate. */
    public static final double STYBLINSKI_TANG_ARGMIN = -2.903534027771177;

    private static final double BRANIN_B = 5.1 / (4 * Math.PI * Math.PI);
    private static final double BRANIN_C = 5 / Math.PI;
    private static final double BRANIN_T = 1 / (8 * Math.PI);

    private final double minimumValue;
    private final double[][] minimizers;

    TestFunction(double minimumValue, double[][] minimizers) {
        this.minimumValue = minimumValue;
        this.minimizers = minimizers;
    }

    @Override
    public int dimension() {
        return 2;
    }

    /** The global minimum (for {@link #SADDLE}: the value at its saddle point). */
    public double minimumValue() {
        return minimumValue;
    }

    /** The points where {@link #minimumValue()} is attained, as copies. */
    public List<double[]> minimizers() {
        return java.util.Arrays.stream(minimizers).map(double[]::clone).toList();
    }

    /** False only for {@link #SADDLE}, which is unbounded below. */
    public boolean hasMinimum() {
        return this != SADDLE;
    }

    @Override
    public double value(double[] p) {
        Check.length("x", p, 2);
        double x = p[0];
        double y = p[1];
        return switch (this) {
            case ROSENBROCK -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            case BEALE -> {
                double t1 = 1.5 - x + x * y;
                double t2 = 2.25 - x + x * y * y;
                double t3 = 2.625 - x + x * y * y * y;
                yield t1 * t1 + t2 * t2 + t3 * t3;
            }
            case HIMMELBLAU -> {
                double u = x * x + y - 11;
                double v = x + y * y - 7;
                yield u * u + v * v;
            }
            case SADDLE -> x * x - y * y;
            case SIX_HUMP_CAMEL -> (4 - 2.1 * x * x + x * x * x * x / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
            case STYBLINSKI_TANG -> 0.5 * (x * x * x * x - 16 * x * x + 5 * x + y * y * y * y - 16 * y * y + 5 * y);
            case BRANIN -> {
                double u = y - BRANIN_B * x * x + BRANIN_C * x - 6;
                yield u * u + 10 * (1 - BRANIN_T) * Math.cos(x) + 10;
            }
        };
    }

    @Override
    public double[] gradient(double[] p) {
        Check.length("x", p, 2);
        double x = p[0];
        double y = p[1];
        return switch (this) {
            case ROSENBROCK -> new double[] {-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)};
            case BEALE -> {
                double t1 = 1.5 - x + x * y;
                double t2 = 2.25 - x + x * y * y;
                double t3 = 2.625 - x + x * y * y * y;
                yield new double[] {
                    2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1),
                    2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y * y};
            }
            case HIMMELBLAU -> {
                double u = x * x + y - 11;
                double v = x + y * y - 7;
                yield new double[] {4 * x * u + 2 * v, 2 * u + 4 * y * v};
            }
            case SADDLE -> new double[] {2 * x, -2 * y};
            case SIX_HUMP_CAMEL -> new double[] {
                8 * x - 8.4 * x * x * x + 2 * x * x * x * x * x + y,
                x - 8 * y + 16 * y * y * y};
            case STYBLINSKI_TANG -> new double[] {2 * x * x * x - 16 * x + 2.5, 2 * y * y * y - 16 * y + 2.5};
            case BRANIN -> {
                double u = y - BRANIN_B * x * x + BRANIN_C * x - 6;
                yield new double[] {2 * u * (-2 * BRANIN_B * x + BRANIN_C) - 10 * (1 - BRANIN_T) * Math.sin(x), 2 * u};
            }
        };
    }
}
