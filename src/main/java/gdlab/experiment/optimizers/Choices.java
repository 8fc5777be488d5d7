package gdlab.experiment.optimizers;

import gdlab.experiment.optimizers.OptimizerRanking.Config;
import gdlab.experiment.optimizers.OptimizerRanking.Outcome;
import gdlab.experiment.optimizers.OptimizerRanking.SeedResult;
import gdlab.report.Stats;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.optimizers.OptimizerBenchmark.lrString;

/**
 * What the optimizers experiment's report is made from: the cells grouped over their seeds by (problem, optimizer,
 * lr), each optimizer's chosen configuration per problem in each setting (one-shot: DL4J's default lr; tuned: the
 * best of the grid) and its rank on that problem.
 */
final class Choices {
    static final String ONE_SHOT = "one-shot";
    static final String TUNED = "tuned";
    /** Losses below this count as solved: the performance profile does not tell 1e-13 from 1e-20. */
    static final double LOSS_FLOOR = 1e-12;

    /**
     * An optimizer's chosen configuration on a problem in one setting, the seeds it stands for, and its rank among
     * the problem's ranked optimizers: 0 when it crashed (not ranked), null for a reference solver (the yardstick
     * beside the ranking).
     */
    record Choice(String problem, String setting, Config config, SeedGroup group, Double rank) {
        String optimizer() {
            return config.optimizer();
        }

        boolean hasRank() {
            return rank != null && rank > 0;
        }
    }

    private final List<Double> grid;
    private final List<CellResult> results;
    /** The seeds of each (problem, optimizer, lr), in grid order. */
    private final List<SeedGroup> groups;
    private final List<String> problems;
    /** setting -> its choices, problem by problem, the optimizers of each in grid order. */
    private final Map<String, List<Choice>> choices = new LinkedHashMap<>();

    Choices(List<Double> grid, List<CellResult> results) {
        this.grid = grid;
        this.results = results;
        this.groups = SeedGroup.of(results);
        this.problems = groups.stream().map(g -> g.get("problem")).distinct().toList();
        for (String setting : List.of(ONE_SHOT, TUNED)) {
            List<Choice> all = new ArrayList<>();
            for (String p : problems) {
                List<Config> chosen = optimizers(p).stream().map(o -> setting.equals(ONE_SHOT)
                        ? config(group(p, o, OptimizerBenchmark.oneShotLr(o)))
                        : OptimizerRanking.best(tunable(p, o))).toList();
                Map<Config, Double> ranks = new IdentityHashMap<>();
                OptimizerRanking.rank(chosen.stream().filter(c -> ranked(c.optimizer())).toList())
                        .forEach(r -> ranks.put(r.config(), r.rank()));
                chosen.forEach(c -> all.add(new Choice(p, setting, c, group(p, c.optimizer(), c.lr()),
                        ranks.get(c))));
            }
            choices.put(setting, all);
        }
    }

    static boolean escapeProblem(String problem) {
        return problem.equals("saddle");
    }

    /**
     * Whether an optimizer takes part in the rankings and the performance profile: the ones you can pick in DL4J.
     * The reference's solvers are the yardstick beside them (shown, not ranked).
     */
    static boolean ranked(String optimizer) {
        return !OptimizerBenchmark.REFERENCE_SOLVERS.contains(optimizer);
    }

    /** A seed's result as the ranking sees it: its outcome and its measure (+infinity: missed the escape). */
    static SeedResult seedResult(CellResult r) {
        Outcome o = switch (r.status()) {
            case OK -> Outcome.OK;
            case DIVERGED -> Outcome.DIVERGED;
            case FAILED -> Outcome.CRASHED;
        };
        double loss = r.number("final_loss");
        double measure = loss;
        if (escapeProblem(r.cell().get("problem"))) {
            double steps = r.number("steps_to_target");
            measure = Double.isNaN(steps) ? Double.POSITIVE_INFINITY : steps;
        }
        return new SeedResult(r.cell().longValue("seed"), o, measure, loss);
    }

    static Config config(SeedGroup g) {
        return new Config(g.get("optimizer"), g.get("lr"), g.cells().stream().map(Choices::seedResult)
                .toList());
    }

    List<String> problems() {
        return problems;
    }

    List<String> optimizers(String problem) {
        return groups.stream().filter(g -> g.get("problem").equals(problem)).map(g -> g.get("optimizer")).distinct()
                .toList();
    }

    /** An optimizer's groups on a problem, one per learning rate. */
    List<SeedGroup> groups(String problem, String optimizer) {
        return groups.stream().filter(g -> g.get("problem").equals(problem) && g.get("optimizer").equals(optimizer))
                .toList();
    }

    /** The group of (problem, optimizer, lr), or null when the run has none. */
    SeedGroup find(String problem, String optimizer, String lr) {
        return groups(problem, optimizer).stream().filter(g -> g.get("lr").equals(lr)).findFirst().orElse(null);
    }

    SeedGroup group(String problem, String optimizer, String lr) {
        SeedGroup g = find(problem, optimizer, lr);
        if (g == null) {
            throw new IllegalStateException("no cells of " + optimizer + " on " + problem + " at lr " + lr);
        }
        return g;
    }

    List<Config> configs(String problem, String optimizer) {
        return groups(problem, optimizer).stream().map(Choices::config).toList();
    }

    /**
     * The configurations tuning chooses among: the grid's learning rates only (DL4J's default, run for one-shot,
     * is not a grid point unless the grid has it); every configuration for an optimizer without a learning rate.
     */
    List<Config> tunable(String problem, String optimizer) {
        List<Config> onGrid = configs(problem, optimizer).stream().filter(c -> onGrid(c.lr())).toList();
        return onGrid.isEmpty() ? configs(problem, optimizer) : onGrid;
    }

    private boolean onGrid(String lr) {
        return lr.matches("[0-9.eE+-]+") && grid.stream().anyMatch(g -> Math.abs(g / Double.parseDouble(lr) - 1)
                < 1e-9);
    }

    /**
     * Whether a tuned choice's lr is the grid's smallest or largest: the best may lie beyond the grid. Never for a
     * crashed optimizer (it has no best lr).
     */
    boolean onGridEdge(Choice c) {
        if (grid.size() < 2 || !onGrid(c.config().lr()) || c.config().statusClass() == 2) {
            return false;
        }
        double lr = Double.parseDouble(c.config().lr());
        return Math.abs(lr / grid.get(0) - 1) < 1e-9 || Math.abs(lr / grid.get(grid.size() - 1) - 1) < 1e-9;
    }

    /** Every cell of an optimizer on a problem (all its learning rates). */
    List<CellResult> cellsOf(String problem, String optimizer) {
        return groups(problem, optimizer).stream().flatMap(g -> g.cells().stream()).toList();
    }

    boolean has(String problem, String optimizer) {
        return !groups(problem, optimizer).isEmpty();
    }

    List<Double> grid() {
        return grid;
    }

    List<CellResult> results() {
        return results;
    }

    /** A setting's choices, problem by problem. */
    List<Choice> all(String setting) {
        return choices.get(setting);
    }

    /** A setting's choices on a problem, optimizers in grid order. */
    List<Choice> choices(String setting, String problem) {
        return choices.get(setting).stream().filter(c -> c.problem().equals(problem)).toList();
    }

    /** An optimizer's choice on a problem in a setting, or null when the run has none. */
    Choice choice(String setting, String problem, String optimizer) {
        return choices(setting, problem).stream().filter(c -> c.optimizer().equals(optimizer)).findFirst()
                .orElse(null);
    }

    /** The ranked optimizers' choices on a problem, best first (ties in grid order), crashed ones last. */
    List<Choice> rankOrder(String setting, String problem) {
        List<Choice> out = new ArrayList<>(choices(setting, problem).stream().filter(c -> c.rank() != null).toList());
        out.sort(Comparator.comparing(Choice::config, OptimizerRanking.ORDER));
        return out;
    }

    /** optimizer -> mean rank over the problems where it is ranked (NaN if none), for one setting. */
    Map<String, Double> meanRanks(String setting) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (String p : problems) {
            rankOrder(setting, p).forEach(c -> all.computeIfAbsent(c.optimizer(), k -> new ArrayList<>())
                    .add(c.rank()));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        all.forEach((o, rs) -> mean.put(o, rs.stream().filter(r -> r > 0).mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN)));
        return mean;
    }

    /** The ranked optimizers' configurations in a setting: problem -> optimizer -> configuration. */
    Map<String, Map<String, Config>> contenders(String setting) {
        Map<String, Map<String, Config>> out = new LinkedHashMap<>();
        for (String p : problems) {
            Map<String, Config> m = new LinkedHashMap<>();
            choices(setting, p).stream().filter(c -> ranked(c.optimizer())).forEach(c -> m.put(c.optimizer(),
                    c.config()));
            out.put(p, m);
        }
        return out;
    }

    Map<String, Double> floors() {
        Map<String, Double> floors = new LinkedHashMap<>();
        problems.forEach(p -> floors.put(p, escapeProblem(p) ? 1.0 : LOSS_FLOOR));
        return floors;
    }

    /** A metric over the seeds of a group that finished without diverging. */
    static Stats ok(SeedGroup g, String metric) {
        return Stats.of(g.cells().stream().filter(r -> r.status() == CellResult.Status.OK)
                .map(r -> (Number) r.metric(metric)).toList());
    }

    /** Sensitivity to the learning rate: share of grid lrs where no seed diverged, and the spread of the measure. */
    record Sensitivity(int gridSize, int ok, double spreadDecades) {
        String okShare() {
            return gridSize == 0 ? "-" : ok + "/" + gridSize;
        }
    }

    Sensitivity sensitivity(String problem, String optimizer) {
        List<Config> onGrid = grid.stream().map(lr -> find(problem, optimizer, lrString(lr)))
                .filter(g -> g != null).map(Choices::config).toList();
        double floor = escapeProblem(problem) ? 1 : LOSS_FLOOR;
        double[] means = onGrid.stream().filter(c -> c.statusClass() == 0 && c.misses() == 0)
                .mapToDouble(c -> Math.max(c.meanMeasure(), floor)).filter(Double::isFinite).toArray();
        double spread = means.length < 2 ? Double.NaN
                : Math.log10(Arrays.stream(means).max().orElseThrow() / Arrays.stream(means).min().orElseThrow());
        int ok = (int) onGrid.stream().filter(c -> c.statusClass() == 0).count();
        return new Sensitivity(onGrid.size(), ok, spread);
    }

    /** The optimizers with the best rank on a problem (several when they tie), none when none is ranked. */
    List<Choice> first(String setting, String problem) {
        List<Choice> ranked = rankOrder(setting, problem).stream().filter(Choice::hasRank).toList();
        return ranked.stream().filter(c -> c.rank().equals(ranked.get(0).rank())).toList();
    }
}
