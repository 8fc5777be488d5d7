package gdlab.reference;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Limited-memory BFGS (Liu &amp; Nocedal 1989; Nocedal &amp; Wright 2006, Algorithm 7.4): the direction d = -H g comes
 * from the two-loop recursion over the last {@code memory} pairs s = x_{k+1} - x_k, y = g_{k+1} - g_k, with initial
 * matrix H_0 = (s'y / y'y) I from the newest pair. A pair is stored only if s'y > 1e-10 ||s|| ||y|| (the curvature
 * condition that keeps H positive definite; with a backtracking search it can fail, and the pair is skipped). The first
 * step tries alpha = 1 / ||g|| (a unit move), every later one alpha = 1 first (the quasi-Newton step). The line
 * search is {@link LineSearch#automatic()} unless given.
 *
 * <p>DL4J 1.0.0-M2.1's {@code LBFGS} uses x'g where it needs s'y, and y stays 0, so it stalls; this class is the method
 * as published.
 */
public final class Lbfgs extends LineSearchSolver {
    /** Memory used by {@link #Lbfgs()}. */
    public static final int DEFAULT_MEMORY = 10;

    private final int memory;

    public Lbfgs() {
        this(DEFAULT_MEMORY, LineSearch.automatic());
    }

    public Lbfgs(int memory, LineSearch lineSearch) {
        super(lineSearch);
        this.memory = Check.atLeast("memory", memory, 1);
    }

    public int memory() {
        return memory;
    }

    @Override
    public String name() {
        return "lbfgs";
    }

    private record Pair(double[] s, double[] y, double rho) {
    }

    @Override
    Directions newRun(int dimension) {
        return new Directions() {
            private final Deque<Pair> pairs = new ArrayDeque<>(); // newest first

            @Override
            public double[] next(double[] g) {
                double[] q = g.clone();
                int m = pairs.size();
                double[] a = new double[m];
                int i = 0;
                for (Pair p : pairs) { // newest to oldest
                    a[i] = p.rho() * Vectors.dot(p.s(), q);
                    for (int k = 0; k < q.length; k++) {
                        q[k] -= a[i] * p.y()[k];
                    }
                    i++;
                }
                if (m > 0) {
                    Pair newest = pairs.peekFirst();
                    double gamma = Vectors.dot(newest.s(), newest.y()) / Vectors.dot(newest.y(), newest.y());
                    for (int k = 0; k < q.length; k++) {
                        q[k] *= gamma;
                    }
                }
                Iterator<Pair> oldestFirst = pairs.descendingIterator();
                i = m - 1;
                while (oldestFirst.hasNext()) {
                    Pair p = oldestFirst.next();
                    double b = p.rho() * Vectors.dot(p.y(), q);
                    for (int k = 0; k < q.length; k++) {
                        q[k] += p.s()[k] * (a[i] - b);
                    }
                    i--;
                }
                return Vectors.negate(q);
            }

            @Override
            public void accepted(double[] x, double[] g, double[] xNew, double[] gNew) {
                double[] s = new double[x.length];
                double[] y = new double[x.length];
                for (int k = 0; k < s.length; k++) {
                    s[k] = xNew[k] - x[k];
                    y[k] = gNew[k] - g[k];
                }
                double sy = Vectors.dot(s, y);
                if (sy > 1e-10 * Vectors.norm(s) * Vectors.norm(y)) {
                    pairs.addFirst(new Pair(s, y, 1 / sy));
                    if (pairs.size() > memory) {
                        pairs.removeLast();
                    }
                }
            }

            @Override
            public void restarted(double[] steepest) {
                pairs.clear();
            }
        };
    }

    @Override
    double initialStep(int iteration, double[] g, double[] d, double previousDecrease) {
        return iteration == 0 ? 1 / Vectors.norm(g) : 1.0;
    }
}
