package gdlab.experiment.optimizers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the optimizers experiment ranks: which learning rate a tuned optimizer gets, the order of optimizers on one
 * problem, and the performance profile. Plain data in, plain data out.
 *
 * <p>Every seed of a configuration (problem, optimizer, learning rate) ends {@link Outcome#OK}, {@link
 * Outcome#DIVERGED} or {@link Outcome#CRASHED}, with a measure where lower is better (the final training loss, or the
 * steps to escape a saddle; +infinity when an ok run missed that target). A configuration with any diverged seed can
 * never be preferred to one whose seeds all finished, and a crashed one comes last of all.
 */
final class OptimizerRanking {
    private OptimizerRanking() {
    }

    enum Outcome { OK, DIVERGED, CRASHED }

    /**
     * @param measure   lower is better; +infinity = the run finished but missed the target the measure counts to
     * @param finalLoss the loss at the end (tie-breaker, and what a missed target is compared by)
     */
    record SeedResult(long seed, Outcome outcome, double measure, double finalLoss) {
    }

    /** One configuration over its seeds. {@code lr} is the learning rate as written, or "none". */
    record Config(String optimizer, String lr, List<SeedResult> seeds) {
        Config {
            seeds = List.copyOf(seeds);
        }

        long count(Outcome o) {
            return seeds.stream().filter(s -> s.outcome() == o).count();
        }

        /** Finished seeds whose measure is infinite (the target was missed). */
        long misses() {
            return seeds.stream().filter(s -> s.outcome() == Outcome.OK && !Double.isFinite(s.measure())).count();
        }

        /** 0: every seed finished; 1: some seed diverged; 2: some seed crashed. */
        int statusClass() {
            return count(Outcome.CRASHED) > 0 ? 2 : count(Outcome.DIVERGED) > 0 ? 1 : 0;
        }

        /** Mean measure over the finished seeds with a finite one (NaN if none). */
        double meanMeasure() {
            return mean(seeds.stream().filter(s -> s.outcome() == Outcome.OK).mapToDouble(SeedResult::measure)
                    .filter(Double::isFinite).toArray());
        }

        /** Mean final loss over the finished seeds (NaN if none). */
        double meanLoss() {
            return mean(seeds.stream().filter(s -> s.outcome() == Outcome.OK).mapToDouble(SeedResult::finalLoss)
                    .filter(Double::isFinite).toArray());
        }

        /** "ok", "diverged k/n" or "crashed k/n". */
        String status() {
            int n = seeds.size();
            return switch (statusClass()) {
                case 0 -> "ok";
                case 1 -> "diverged " + count(Outcome.DIVERGED) + "/" + n;
                default -> "crashed " + count(Outcome.CRASHED) + "/" + n;
            };
        }

        SeedResult seed(long seed) {
            return seeds.stream().filter(s -> s.seed() == seed).findFirst().orElse(null);
        }
    }

    /**
     * Better first: all seeds finished before any diverged before any crashed; then fewer failed seeds; then fewer
     * missed targets; then the lower mean measure; then the lower mean final loss (NaN last at each step).
     */
    static final Comparator<Config> ORDER = Comparator.comparingInt(Config::statusClass)
            .thenComparingLong(c -> c.count(Outcome.DIVERGED) + c.count(Outcome.CRASHED))
            .thenComparingLong(Config::misses)
            .thenComparing(Config::meanMeasure, OptimizerRanking::nanLast)
            .thenComparing(Config::meanLoss, OptimizerRanking::nanLast);

    private static int nanLast(Double a, Double b) {
        boolean na = a.isNaN();
        boolean nb = b.isNaN();
        if (na || nb) {
            return Boolean.compare(na, nb);
        }
        return Double.compare(a, b);
    }

    /** The tuned choice among one optimizer's configurations (its learning rates). */
    static Config best(List<Config> configs) {
        return configs.stream().min(ORDER).orElseThrow();
    }

    /**
     * A row of a ranking: rank 1 is best; tied rows share the mean of the places they take (two tied for first are
     * both 1.5); crashed configurations get rank 0 (unranked).
     */
    record Ranked(Config config, double rank) {
    }

    /**
     * The optimizers of one problem in order; ranks 1..k for all but crashed ones. Rows the {@link #ORDER} cannot
     * tell apart (identical runs: DL4J's CG and line-search GD) tie: each gets the average of their places, so the
     * order they were listed in never decides a rank.
     */
    static List<Ranked> rank(List<Config> rows) {
        List<Config> sorted = new ArrayList<>(rows);
        sorted.sort(ORDER);
        List<Ranked> out = new ArrayList<>();
        int place = 1;
        for (int i = 0; i < sorted.size(); ) {
            int j = i + 1;
            while (j < sorted.size() && ORDER.compare(sorted.get(i), sorted.get(j)) == 0) {
                j++;
            }
            boolean crashed = sorted.get(i).statusClass() == 2;
            double shared = place + (j - i - 1) / 2.0;
            for (int k = i; k < j; k++) {
                out.add(new Ranked(sorted.get(k), crashed ? 0 : shared));
            }
            if (!crashed) {
                place += j - i;
            }
            i = j;
        }
        return out;
    }

    /**
     * The performance profile (Dolan &amp; More 2002) over problem instances (a problem and a seed): for each
     * optimizer, the share of instances where its measure is within a factor tau of the best optimizer's on that
     * instance. A diverged, crashed or target-missing run has ratio +infinity; measures are floored at {@code floor}
     * of their problem (a loss below 1e-12 counts as solved, not as infinitely better than 1e-13).
     *
     * @param chosen problem -> optimizer -> its configuration on that problem
     * @param floors problem -> the floor of its measure
     * @return optimizer -> rho(tau) for each tau
     */
    static Map<String, double[]> profile(Map<String, Map<String, Config>> chosen, Map<String, Double> floors,
                                         double[] taus) {
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Config>> problem : chosen.entrySet()) {
            double floor = floors.getOrDefault(problem.getKey(), 0.0);
            java.util.TreeSet<Long> seeds = new java.util.TreeSet<>();
            problem.getValue().values().forEach(c -> c.seeds().forEach(s -> seeds.add(s.seed())));
            for (long seed : seeds) {
                Map<String, Double> m = new LinkedHashMap<>();
                for (Map.Entry<String, Config> e : problem.getValue().entrySet()) {
                    SeedResult r = e.getValue().seed(seed);
                    boolean usable = r != null && r.outcome() == Outcome.OK && Double.isFinite(r.measure());
                    m.put(e.getKey(), usable ? Math.max(r.measure(), floor) : Double.POSITIVE_INFINITY);
                }
                double best = m.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                for (Map.Entry<String, Double> e : m.entrySet()) {
                    double ratio = Double.isFinite(best) && Double.isFinite(e.getValue()) ? e.getValue() / best
                            : Double.POSITIVE_INFINITY;
                    ratios.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ratio);
                }
            }
        }
        Map<String, double[]> rho = new LinkedHashMap<>();
        for (Map.Entry<String, List<Double>> e : ratios.entrySet()) {
            double[] r = new double[taus.length];
            for (int i = 0; i < taus.length; i++) {
                double tau = taus[i];
                r[i] = (double) e.getValue().stream().filter(x -> x <= tau).count() / e.getValue().size();
            }
            rho.put(e.getKey(), r);
        }
        return rho;
    }

    static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
