package gdlab.experiment.optimizers;

import gdlab.reference.ConjugateGradient;
import gdlab.reference.Lbfgs;
import gdlab.reference.LineSearchGradientDescent;
import gdlab.reference.Mlp;
import gdlab.reference.Objective;
import gdlab.reference.Solver;
import gdlab.reference.Status;
import gdlab.reference.StopRule;
import gdlab.reference.Trajectory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The reference's own solvers ({@code *-ref} rows): which one a row names, what it minimizes, how long it took. */
final class ReferenceSolvers {
    private ReferenceSolvers() {
    }

    static Solver named(String name) {
        return switch (name) {
            case "line-gd-ref" -> new LineSearchGradientDescent();
            case "cg-ref" -> new ConjugateGradient();
            case "lbfgs-ref" -> new Lbfgs();
            default -> throw new IllegalArgumentException("unknown reference solver '" + name + "'");
        };
    }

    /** The reference MLP's full-batch training loss as an {@link Objective}; score and gradient in one pass. */
    static final class MlpObjective implements Objective {
        private final Mlp mlp;
        private final double[][] x;
        private final double[][] y;
        private double[] at;
        private Mlp.Evaluation cached;

        MlpObjective(Mlp mlp, double[][] x, double[][] y) {
            this.mlp = mlp;
            this.x = x;
            this.y = y;
        }

        @Override
        public int dimension() {
            return mlp.numParams();
        }

        private Mlp.Evaluation evaluate(double[] p) {
            if (at == null || !Arrays.equals(at, p)) {
                cached = mlp.evaluate(p, x, y);
                at = p.clone();
            }
            return cached;
        }

        @Override
        public double value(double[] p) {
            return evaluate(p).score();
        }

        @Override
        public double[] gradient(double[] p) {
            return evaluate(p).gradient().clone();
        }
    }

    /**
     * A reference solver's trajectory with the wall time at each iteration (seen through its stop rule), cut off
     * when its evaluations reach {@code budget} ({@link Budget.Counted}): a line search the budget interrupts is
     * lost and the run ends at its last accepted point, with {@code budgetSpent} set.
     */
    record Timed(Trajectory trajectory, double[] ms, boolean budgetSpent) {
        static Timed minimize(Solver solver, Objective f, double[] x0, int budget, StopRule stop,
                              double maxSeconds) {
            List<Double> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            List<double[]> points = new ArrayList<>();
            long t0 = System.nanoTime();
            Budget.Counted counted = new Budget.Counted(f, budget);
            StopRule observed = p -> {
                double ms = (System.nanoTime() - t0) / 1e6;
                if (p.iteration() == times.size()) {
                    times.add(ms);
                    values.add(p.value());
                    points.add(p.x().clone());
                }
                return stop.isMet(p) || (maxSeconds > 0 && ms >= maxSeconds * 1000);
            };
            Trajectory tr;
            boolean spent = false;
            try {
                tr = solver.minimize(counted, x0, budget, observed);
            } catch (Budget.Spent e) {
                spent = true;
                int it = values.size() - 1;
                tr = new Trajectory(Status.MAX_ITERATIONS, it, points.get(it),
                        values.stream().mapToDouble(Double::doubleValue).toArray(), List.copyOf(points),
                        counted.count());
            }
            double end = (System.nanoTime() - t0) / 1e6;
            double[] ms = new double[tr.values().length];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = i < times.size() ? times.get(i) : end;
            }
            return new Timed(tr, ms, spent);
        }
    }

    /** Share of rows whose largest output is at the label (NaN without rows). */
    static double accuracy(double[][] outputs, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int arg = 0;
            for (int j = 1; j < outputs[i].length; j++) {
                if (outputs[i][j] > outputs[i][arg]) {
                    arg = j;
                }
            }
            if (arg == labels[i]) {
                correct++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) correct / labels.length;
    }
}
