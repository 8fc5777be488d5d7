package gdlab.experiment.optimizers;

import gdlab.dl4j.Solvers;
import gdlab.experiment.optimizers.OptimizerRanking.Config;
import gdlab.experiment.optimizers.OptimizerRanking.Outcome;
import gdlab.experiment.optimizers.OptimizerRanking.Ranked;
import gdlab.experiment.optimizers.OptimizerRanking.SeedResult;
import gdlab.report.Figure;
import gdlab.report.Stats;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import gdlab.sweep.Report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The optimizers experiment's tables, verdicts and figures, from its finished cells. */
final class OptimizerSummary {
    static final String ONE_SHOT = "one-shot";
    static final String TUNED = "tuned";
    /** Losses below this count as solved: the performance profile does not tell 1e-13 from 1e-20. */
    static final double LOSS_FLOOR = 1e-12;
    static final double[] PROFILE_CURVE_TAUS = {1, 1.25, 1.5, 2, 3, 5, 10, 20, 50, 100, 1e3, 1e4, 1e6};

    private final Spec spec;
    private final List<Double> grid;
    private final List<CellResult> results;
    /** problem -> optimizer -> lr -> the cells of that configuration (its seeds) */
    private final Map<String, Map<String, Map<String, List<CellResult>>>> cells = new LinkedHashMap<>();

    OptimizerSummary(Spec spec, List<Double> grid, List<CellResult> results) {
        this.spec = spec;
        this.grid = grid;
        this.results = results;
        for (CellResult r : results) {
            cells.computeIfAbsent(r.cell().get("problem"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.cell().get("optimizer"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.cell().get("lr"), k -> new ArrayList<>()).add(r);
        }
    }

    // ---------------------------------------------------------------- from cells to configurations

    static boolean escapeProblem(String problem) {
        return problem.equals("saddle");
    }

    /** What ranks on a problem: steps to escape on the saddle, the final (training) loss elsewhere. */
    static String measureName(String problem) {
        return escapeProblem(problem) ? "steps to escape (f <= -saddle_escape)"
                : OptimizerBenchmark.NETWORKS.contains(problem) ? "final training loss" : "final f (minimum 0)";
    }

    static SeedResult seedResult(String problem, CellResult r) {
        Outcome o = switch (r.status()) {
            case OK -> Outcome.OK;
            case DIVERGED -> Outcome.DIVERGED;
            case FAILED -> Outcome.CRASHED;
        };
        double loss = r.number("final_loss");
        double measure = loss;
        if (escapeProblem(problem)) {
            double steps = r.number("steps_to_target");
            measure = Double.isNaN(steps) ? Double.POSITIVE_INFINITY : steps;
        }
        return new SeedResult(r.cell().longValue("seed"), o, measure, loss);
    }

    Config config(String problem, String optimizer, String lr) {
        List<CellResult> rs = cells.get(problem).get(optimizer).get(lr);
        return new Config(optimizer, lr, rs.stream().map(r -> seedResult(problem, r)).toList());
    }

    List<Config> configs(String problem, String optimizer) {
        return cells.get(problem).get(optimizer).keySet().stream().map(lr -> config(problem, optimizer, lr)).toList();
    }

    /**
     * Whether an optimizer takes part in the rankings and the performance profile: the ones you can pick in DL4J.
     * The reference's solvers are the yardstick beside them (shown, not ranked).
     */
    static boolean ranked(String optimizer) {
        return !OptimizerBenchmark.REFERENCE_SOLVERS.contains(optimizer);
    }

    /** The chosen configurations of the ranked optimizers only. */
    static Map<String, Map<String, Config>> contenders(Map<String, Map<String, Config>> chosen) {
        Map<String, Map<String, Config>> out = new LinkedHashMap<>();
        chosen.forEach((p, byOpt) -> {
            Map<String, Config> m = new LinkedHashMap<>();
            byOpt.forEach((o, c) -> {
                if (ranked(o)) {
                    m.put(o, c);
                }
            });
            out.put(p, m);
        });
        return out;
    }

    static String oneShotLr(String optimizer) {
        double def = OptimizerBenchmark.defaultLearningRate(optimizer);
        return Double.isNaN(def) ? OptimizerBenchmark.NO_LR : OptimizerBenchmark.lrString(def);
    }

    Config chosen(String problem, String optimizer, String setting) {
        return setting.equals(ONE_SHOT) ? config(problem, optimizer, oneShotLr(optimizer))
                : OptimizerRanking.best(configs(problem, optimizer));
    }

    /** setting -> problem -> optimizer -> chosen configuration. */
    Map<String, Map<String, Map<String, Config>>> chosenAll() {
        Map<String, Map<String, Map<String, Config>>> out = new LinkedHashMap<>();
        for (String setting : List.of(ONE_SHOT, TUNED)) {
            Map<String, Map<String, Config>> byProblem = new LinkedHashMap<>();
            for (String p : cells.keySet()) {
                Map<String, Config> byOpt = new LinkedHashMap<>();
                for (String o : cells.get(p).keySet()) {
                    byOpt.put(o, chosen(p, o, setting));
                }
                byProblem.put(p, byOpt);
            }
            out.put(setting, byProblem);
        }
        return out;
    }

    List<CellResult> cellsOf(String problem, Config c) {
        return cells.get(problem).get(c.optimizer()).get(c.lr());
    }

    /** Every cell of an optimizer on a problem (all its learning rates). */
    List<CellResult> cellsOf(String problem, String optimizer) {
        return cells.get(problem).get(optimizer).values().stream().flatMap(List::stream).toList();
    }

    boolean has(String problem, String optimizer) {
        return cells.getOrDefault(problem, Map.of()).containsKey(optimizer);
    }

    java.util.Set<String> problems() {
        return cells.keySet();
    }

    List<Double> grid() {
        return grid;
    }

    List<CellResult> results() {
        return results;
    }

    private Stats stat(List<CellResult> rs, String column) {
        return Stats.of(rs.stream().filter(r -> r.status() == CellResult.Status.OK)
                .map(r -> (Number) r.metric(column)).toList());
    }

    /** Sensitivity to the learning rate: share of grid lrs where no seed diverged, and the spread of the measure. */
    record Sensitivity(int gridSize, int ok, double spreadDecades) {
        String okShare() {
            return gridSize == 0 ? "-" : ok + "/" + gridSize;
        }
    }

    Sensitivity sensitivity(String problem, String optimizer) {
        List<Config> onGrid = new ArrayList<>();
        for (double lr : grid) {
            String key = OptimizerBenchmark.lrString(lr);
            if (cells.get(problem).get(optimizer).containsKey(key)) {
                onGrid.add(config(problem, optimizer, key));
            }
        }
        double floor = escapeProblem(problem) ? 1 : LOSS_FLOOR;
        double[] means = onGrid.stream().filter(c -> c.statusClass() == 0 && c.misses() == 0)
                .mapToDouble(c -> Math.max(c.meanMeasure(), floor)).filter(Double::isFinite).toArray();
        double spread = means.length < 2 ? Double.NaN
                : Math.log10(java.util.Arrays.stream(means).max().orElseThrow()
                / java.util.Arrays.stream(means).min().orElseThrow());
        int ok = (int) onGrid.stream().filter(c -> c.statusClass() == 0).count();
        return new Sensitivity(onGrid.size(), ok, spread);
    }

    // ---------------------------------------------------------------- the report

    Report report() {
        Map<String, Map<String, Map<String, Config>>> chosen = chosenAll();
        Map<String, Map<String, Map<String, Double>>> ranks = new LinkedHashMap<>();
        for (String setting : chosen.keySet()) {
            Map<String, Map<String, Double>> byProblem = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Config>> e : chosen.get(setting).entrySet()) {
                Map<String, Double> r = new LinkedHashMap<>();
                List<Config> contenders = e.getValue().values().stream().filter(c -> ranked(c.optimizer())).toList();
                for (Ranked ranked : OptimizerRanking.rank(contenders)) {
                    r.put(ranked.config().optimizer(), ranked.rank());
                }
                byProblem.put(e.getKey(), r);
            }
            ranks.put(setting, byProblem);
        }

        Table csv = new Table("problem", "optimizer", "implementation", "setting", "lr", "status", "rank", "seeds",
                "diverged", "crashed", "final_loss_mean", "final_loss_std", "final_loss_ci95", "test_accuracy_mean",
                "test_accuracy_std", "steps_to_target_mean", "reached_target", "time_to_target_ms_mean", "steps_mean",
                "lr_grid_ok", "lr_grid_size", "loss_spread_decades", "reference_agrees", "reference_replayed",
                "reference_max_final_rel_diff", "message");
        StringBuilder md = new StringBuilder();
        md.append(intro());
        for (String problem : cells.keySet()) {
            md.append(problemSection(problem, chosen, ranks, csv));
        }
        md.append(overall(chosen, ranks));
        md.append(solverSection());
        md.append(crosscheckSection());
        md.append(findings(chosen, ranks));
        return new Report(csv, md.toString(), false, figures(chosen, ranks),
                OptimizerClaims.of(this, spec, chosen, ranks));
    }

    private String intro() {
        List<Long> seeds = Harness.seeds(spec);
        return String.format(Locale.ROOT, """
                        Each optimizer runs at DL4J's default learning rate (**one-shot**) and at every learning rate \
                        of the grid %s (**tuned**: the lr whose seeds all finished with the lowest mean final loss; \
                        a configuration where any seed diverged never beats one where none did). %d seeds. \
                        Networks: MLP %s hidden units (%s), %s, minibatch %s, %s epochs on digits and %s on iris; \
                        DL4J's solvers train them full batch for %s iterations (each iteration is a line search: \
                        several loss evaluations). 2-D functions: %s steps (updaters, through SameDiff) or \
                        iterations (solvers), each seed starting within %s of the centre (Rosenbrock (-1.2, 1), \
                        Beale (1, 1.5), Himmelblau (0, 0); the saddle x^2 - y^2 at x within that of 1 and y in \
                        [0.005, 0.015], near the ridge y = 0).

                        Rows: DL4J's updaters; `momentum` is gdlab's heavy-ball IUpdater inside DL4J (DL4J has none; \
                        defaults as Nesterovs); `adabelief` is DL4J's AdaBelief; `line-gd`, `cg`, `lbfgs` are \
                        DL4J's OptimizationAlgorithm LINE_GRADIENT_DESCENT, CONJUGATE_GRADIENT and LBFGS (their \
                        lr scales the updater step the line search starts from; on 2-D functions they run on the \
                        function written as a one-layer DL4J network); `line-gd-ref`, `cg-ref`, `lbfgs-ref` are \
                        the reference's (plain Java) Armijo line-search GD, Polak-Ribiere+ CG with a strong-Wolfe \
                        search, and L-BFGS (memory 10), with no learning rate. Every updater run is replayed by the \
                        reference (same start, minibatches and steps): `reference` = runs whose final losses agree \
                        (1e-6 relative, or both blew up). On the digits and iris networks: %s

                        """, grid.stream().map(OptimizerBenchmark::lrString).toList(), seeds.size(),
                spec.string("hidden"), spec.string("activation"), spec.string("dtype"), spec.string("batch_size"),
                spec.string("digits_epochs"), spec.string("iris_epochs"), spec.string("solver_iterations"),
                spec.string("function_steps"), spec.string("start_radius"), gdlab.dl4j.Trainer.DIVERGENCE_RULE);
    }

    private String problemSection(String problem, Map<String, Map<String, Map<String, Config>>> chosen,
                                  Map<String, Map<String, Map<String, Double>>> ranks, Table csv) {
        boolean network = OptimizerBenchmark.NETWORKS.contains(problem);
        Table md = new Table("rank", "optimizer", "one_shot_lr", "one_shot_" + lossColumn(problem),
                "one_shot_rank", "tuned_lr", "tuned_" + lossColumn(problem), network ? "test_accuracy" : "final_point",
                "steps_to_target", "time_to_target_ms", "lr_grid_ok", "spread_decades", "reference", "note");
        List<String> order = new ArrayList<>(cells.get(problem).keySet());
        Map<String, Double> tunedRanks = ranks.get(TUNED).get(problem);
        order.sort(Comparator.comparingDouble((String o) -> !ranked(o) ? Double.MAX_VALUE
                : tunedRanks.get(o) == 0 ? Double.MAX_VALUE / 2 : tunedRanks.get(o))
                .thenComparing(o -> chosen.get(TUNED).get(problem).get(o), OptimizerRanking.ORDER));
        for (String o : order) {
            Config one = chosen.get(ONE_SHOT).get(problem).get(o);
            Config tuned = chosen.get(TUNED).get(problem).get(o);
            Sensitivity sens = sensitivity(problem, o);
            for (String setting : List.of(ONE_SHOT, TUNED)) {
                Config c = setting.equals(ONE_SHOT) ? one : tuned;
                csv.add(csvRow(problem, o, setting, c, ranks.get(setting).get(problem).getOrDefault(o, 0.0), sens));
            }
            List<CellResult> rs = cellsOf(problem, tuned);
            Stats steps = stat(rs, "steps_to_target");
            long reached = rs.stream().filter(r -> r.status() == CellResult.Status.OK
                    && r.metric("steps_to_target") != null).count();
            String target = tuned.statusClass() == 2 ? "-" : reached == 0 ? "not reached (0/" + rs.size() + ")"
                    : steps.pretty() + " (" + reached + "/" + rs.size() + ")";
            String time = reached == 0 ? "-" : stat(rs, "time_to_target_ms").pretty();
            String place = network ? stat(rs, "test_accuracy").pretty() : point(rs);
            md.add(rankText(tunedRanks.get(o)), o, one.lr(), lossText(problem, one),
                    rankText(ranks.get(ONE_SHOT).get(problem).get(o)), tuned.lr(), lossText(problem, tuned), place,
                    target, time, sens.okShare(), Double.isNaN(sens.spreadDecades()) ? "-"
                            : String.format(Locale.ROOT, "%.2f", sens.spreadDecades()),
                    referenceText(rs), note(problem, tuned, rs));
        }
        return String.format(Locale.ROOT, "### %s: ranked by %s (tuned)%n%n", problem, measureName(problem))
                + md.toMarkdown() + "\n";
    }

    private static String lossColumn(String problem) {
        return escapeProblem(problem) ? "steps_to_escape" : OptimizerBenchmark.NETWORKS.contains(problem)
                ? "final_train_loss" : "final_f";
    }

    private String lossText(String problem, Config c) {
        if (c.statusClass() == 2) {
            return "crashed";
        }
        if (escapeProblem(problem)) {
            long escaped = c.seeds().size() - c.misses() - c.count(Outcome.DIVERGED);
            String s = Double.isNaN(c.meanMeasure()) ? "not escaped" : Table.readable(c.meanMeasure());
            return s + " (" + escaped + "/" + c.seeds().size() + ")" + (c.statusClass() == 1 ? " " + c.status() : "");
        }
        String loss = stat(cellsOf(problem, c), "final_loss").pretty();
        return c.statusClass() == 0 ? loss : c.status() + (loss.equals("-") ? "" : "; others " + loss);
    }

    private static String rankText(Double rank) {
        return rank == null ? "ref" : rank == 0 ? "-" : Table.readable(rank);
    }

    private String point(List<CellResult> rs) {
        Stats x = stat(rs, "final_x");
        Stats y = stat(rs, "final_y");
        return x.n() == 0 ? "-" : "(" + Table.readable(x.mean()) + ", " + Table.readable(y.mean()) + ")";
    }

    private static String referenceText(List<CellResult> rs) {
        long replayed = rs.stream().filter(r -> r.metric("ref_agrees") != null).count();
        if (replayed == 0) {
            return "-";
        }
        long agree = rs.stream().filter(r -> flag(r, "ref_agrees", 1)).count();
        long late = rs.stream().filter(r -> flag(r, "ref_agrees", 0)
                && firstAgrees(r)).count();
        return agree + "/" + replayed + " agree" + (late == 0 ? "" : ", " + late + " split late");
    }

    private static String note(String problem, Config c, List<CellResult> rs) {
        List<String> notes = new ArrayList<>();
        rs.stream().filter(r -> r.status() == CellResult.Status.FAILED).map(CellResult::message).distinct()
                .forEach(notes::add);
        if (c.statusClass() == 1) {
            notes.add("every lr had a diverged seed");
        }
        if (OptimizerBenchmark.REFERENCE_SOLVERS.contains(c.optimizer())) {
            rs.stream().map(CellResult::message).filter(m -> !m.isEmpty()).map(m -> m.replaceAll(", \\d+ evaluations",
                    "")).distinct().forEach(notes::add);
        }
        return String.join("; ", notes);
    }

    private List<Object> csvRow(String problem, String optimizer, String setting, Config c, double rank,
                                Sensitivity sens) {
        List<CellResult> rs = cellsOf(problem, c);
        Stats loss = stat(rs, "final_loss");
        Stats acc = stat(rs, "test_accuracy");
        Stats steps = stat(rs, "steps_to_target");
        Stats time = stat(rs, "time_to_target_ms");
        Stats run = stat(rs, "steps");
        long replayed = rs.stream().filter(r -> r.metric("ref_agrees") != null).count();
        long agree = rs.stream().filter(r -> flag(r, "ref_agrees", 1)).count();
        double maxDiff = rs.stream().map(r -> r.number("ref_final_rel_diff"))
                .filter(Double::isFinite).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        String message = rs.stream().map(CellResult::message).filter(m -> !m.isEmpty()).distinct()
                .reduce((a, b) -> a + "; " + b).orElse("");
        return java.util.Arrays.asList(problem, optimizer, OptimizerBenchmark.implementation(optimizer), setting,
                c.lr(), c.status(), rank == 0 ? null : rank, rs.size(), c.count(Outcome.DIVERGED),
                c.count(Outcome.CRASHED), loss.mean(), loss.std(), loss.ci95(), acc.mean(), acc.std(), steps.mean(),
                steps.n(), time.mean(), run.mean(), sens.gridSize() == 0 ? null : sens.ok(),
                sens.gridSize() == 0 ? null : sens.gridSize(), sens.spreadDecades(), replayed == 0 ? null : agree,
                replayed == 0 ? null : replayed, maxDiff, message);
    }

    // ---------------------------------------------------------------- across problems

    private double[] taus() {
        return spec.reals("profile_tau").stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    }

    private Map<String, Double> floors() {
        Map<String, Double> floors = new LinkedHashMap<>();
        cells.keySet().forEach(p -> floors.put(p, escapeProblem(p) ? 1.0 : LOSS_FLOOR));
        return floors;
    }

    /** The optimizers with the best rank (several when they tie), none when none is ranked. */
    static List<String> first(Map<String, Double> ranks) {
        double min = ranks.values().stream().filter(r -> r > 0).mapToDouble(Double::doubleValue).min().orElse(-1);
        return ranks.entrySet().stream().filter(e -> e.getValue() == min).map(Map.Entry::getKey).toList();
    }

    /** optimizer -> mean rank over the problems where it is ranked (NaN if none), for one setting. */
    Map<String, Double> meanRanks(Map<String, Map<String, Double>> ranks) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (Map<String, Double> byOpt : ranks.values()) {
            byOpt.forEach((o, r) -> all.computeIfAbsent(o, k -> new ArrayList<>()).add(r));
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        all.forEach((o, rs) -> mean.put(o, rs.stream().filter(r -> r > 0).mapToDouble(Double::doubleValue).average()
                .orElse(Double.NaN)));
        return mean;
    }

    private String overall(Map<String, Map<String, Map<String, Config>>> chosen,
                           Map<String, Map<String, Map<String, Double>>> ranks) {
        Map<String, Double> tunedMean = meanRanks(ranks.get(TUNED));
        Map<String, Double> oneMean = meanRanks(ranks.get(ONE_SHOT));
        double[] taus = taus();
        Map<String, double[]> profTuned = OptimizerRanking.profile(contenders(chosen.get(TUNED)), floors(), taus);
        Map<String, double[]> profOne = OptimizerRanking.profile(contenders(chosen.get(ONE_SHOT)), floors(), taus);
        List<String> columns = new ArrayList<>(List.of("optimizer", "implementation", "mean_rank_tuned",
                "mean_rank_one_shot", "problems_ranked", "diverged_or_crashed_tuned"));
        for (double t : taus) {
            columns.add("rho_tuned_tau_" + OptimizerBenchmark.lrString(t));
        }
        for (double t : taus) {
            columns.add("rho_one_shot_tau_" + OptimizerBenchmark.lrString(t));
        }
        Table table = new Table(columns);
        List<String> order = new ArrayList<>(tunedMean.keySet());
        order.sort(Comparator.comparingDouble(o -> Double.isNaN(tunedMean.get(o)) ? Double.MAX_VALUE
                : tunedMean.get(o)));
        for (String o : order) {
            long ranked = ranks.get(TUNED).values().stream().filter(m -> m.getOrDefault(o, 0.0) > 0).count();
            long bad = chosen.get(TUNED).values().stream().filter(m -> m.containsKey(o)
                    && m.get(o).statusClass() > 0).count();
            List<Object> row = new ArrayList<>(List.of(o, OptimizerBenchmark.implementation(o)));
            row.add(tunedMean.get(o));
            row.add(oneMean.get(o));
            row.add(ranked + "/" + ranks.get(TUNED).size());
            row.add(bad);
            for (double v : profTuned.get(o)) {
                row.add(v);
            }
            for (double v : profOne.get(o)) {
                row.add(v);
            }
            table.add(row);
        }
        int instances = 0;
        for (String p : cells.keySet()) {
            instances += Harness.seeds(spec).size();
        }
        return String.format(Locale.ROOT, """
                        ### Across problems: mean rank and performance profile

                        Ranked: the optimizers you can pick in DL4J (the reference's solvers are the yardstick in \
                        the tables above, not ranked). mean_rank = mean over the problems of the rank above (1 = \
                        best; rows that tie share the mean of their places; crashed rows are not ranked). \
                        rho_*_tau_T = performance profile (Dolan & More): the share of the %d problem instances \
                        (problem x seed) on which the optimizer's measure (final loss, floored at %s; steps to escape \
                        on the saddle) is within a factor T of the best optimizer's on that instance; a diverged, \
                        crashed or not-escaped run never counts.

                        """, instances, Table.readable(LOSS_FLOOR)) + table.toMarkdown() + "\n";
    }

    // ---------------------------------------------------------------- DL4J's solvers against the reference's

    /** Loss curve of one cell (step -> loss). */
    private static TreeMap<Long, Double> curve(CellResult r) {
        TreeMap<Long, Double> c = new TreeMap<>();
        for (List<Object> p : r.curve()) {
            c.put(((Number) p.get(0)).longValue(), ((Number) p.get(1)).doubleValue());
        }
        return c;
    }

    /** Max |loss difference| over the common steps of two curves; +infinity if their lengths differ. */
    static double maxCurveDifference(CellResult a, CellResult b) {
        TreeMap<Long, Double> ca = curve(a);
        TreeMap<Long, Double> cb = curve(b);
        if (!ca.keySet().equals(cb.keySet())) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (Map.Entry<Long, Double> e : ca.entrySet()) {
            double d = Math.abs(e.getValue() - cb.get(e.getKey()));
            if (Double.isNaN(d)) {
                d = Objects.equals(e.getValue(), cb.get(e.getKey())) ? 0 : Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /** How often a DL4J solver's trajectory equals DL4J line-gd's at the same (lr, seed), and the largest gap. */
    record Sameness(int identical, int pairs, double maxDifference) {
    }

    Sameness sameAsLineGd(String problem, String solver) {
        Map<String, List<CellResult>> mine = cells.get(problem).get(solver);
        Map<String, List<CellResult>> line = cells.get(problem).get("line-gd");
        int identical = 0;
        int pairs = 0;
        double max = 0;
        if (mine == null || line == null) {
            return new Sameness(0, 0, Double.NaN);
        }
        for (Map.Entry<String, List<CellResult>> e : mine.entrySet()) {
            for (CellResult r : e.getValue()) {
                CellResult other = line.getOrDefault(e.getKey(), List.of()).stream()
                        .filter(x -> x.cell().get("seed").equals(r.cell().get("seed"))).findFirst().orElse(null);
                if (other == null || r.status() == CellResult.Status.FAILED
                        || other.status() == CellResult.Status.FAILED) {
                    continue;
                }
                double d = maxCurveDifference(r, other);
                pairs++;
                if (d == 0) {
                    identical++;
                }
                max = Math.max(max, d);
            }
        }
        return new Sameness(identical, pairs, max);
    }

    /** DL4J line-gd against DL4J Sgd steps on a 2-D function: same final f (1e-9 relative) at the same lr, seed. */
    Sameness sameFinalAsSgd(String problem) {
        Map<String, List<CellResult>> line = cells.get(problem).get("line-gd");
        Map<String, List<CellResult>> sgd = cells.get(problem).get("sgd");
        if (line == null || sgd == null) {
            return new Sameness(0, 0, Double.NaN);
        }
        int same = 0;
        int pairs = 0;
        double max = 0;
        for (Map.Entry<String, List<CellResult>> e : line.entrySet()) {
            for (CellResult r : e.getValue()) {
                CellResult other = sgd.getOrDefault(e.getKey(), List.of()).stream()
                        .filter(x -> x.cell().get("seed").equals(r.cell().get("seed"))).findFirst().orElse(null);
                if (other == null || r.status() != CellResult.Status.OK || other.status() != CellResult.Status.OK) {
                    continue;
                }
                double a = r.number("final_loss");
                double b = other.number("final_loss");
                double diff = Math.abs(a - b);
                pairs++;
                if (diff <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15) {
                    same++;
                }
                max = Math.max(max, diff);
            }
        }
        return new Sameness(same, pairs, max);
    }

    private String solverSection() {
        Table table = new Table("problem", "solver", "dl4j_one_shot_final_loss", "dl4j_tuned_lr",
                "dl4j_tuned_final_loss", "dl4j_last_progress_step", "dl4j_steps", "same_as",
                "reference_final_loss", "reference_steps", "reference_end");
        boolean any = false;
        for (String problem : cells.keySet()) {
            for (String solver : Solvers.NAMES) {
                if (!cells.get(problem).containsKey(solver)) {
                    continue;
                }
                any = true;
                Config one = config(problem, solver, oneShotLr(solver));
                Config tuned = OptimizerRanking.best(configs(problem, solver));
                List<CellResult> tunedCells = cellsOf(problem, tuned);
                String same = "-";
                if (!solver.equals("line-gd")) {
                    Sameness s = sameAsLineGd(problem, solver);
                    same = s.pairs() == 0 ? "-" : "line-gd: " + s.identical() + "/" + s.pairs()
                            + " runs identical (max |diff| " + Table.readable(s.maxDifference()) + ")";
                } else if (!OptimizerBenchmark.NETWORKS.contains(problem)) {
                    Sameness s = sameFinalAsSgd(problem);
                    same = s.pairs() == 0 ? "-" : "sgd: " + s.identical() + "/" + s.pairs()
                            + " runs end at the same f (max |diff| " + Table.readable(s.maxDifference()) + ")";
                }
                String ref = solver + "-ref";
                String refLoss = "-";
                String refSteps = "-";
                String refEnd = "-";
                if (cells.get(problem).containsKey(ref)) {
                    List<CellResult> rs = cells.get(problem).get(ref).get(OptimizerBenchmark.NO_LR);
                    refLoss = valueText(problem, rs);
                    refSteps = stat(rs, "steps").pretty();
                    refEnd = String.join(", ", rs.stream().map(r -> r.message().replaceAll(",.*", "")).distinct()
                            .toList());
                }
                table.add(problem, solver, valueText(problem, cellsOf(problem, one)), tuned.lr(),
                        valueText(problem, tunedCells), stat(tunedCells, "last_progress_step").pretty(),
                        stat(tunedCells, "steps").pretty(), same, refLoss, refSteps, refEnd);
            }
        }
        if (!any) {
            return "";
        }
        return """
                ### DL4J's solvers beside the reference's

                DL4J rows: OptimizationAlgorithm with DL4J's default updater (Sgd) at the one-shot lr and at the \
                tuned lr; last_progress_step = the last iteration at which the loss went down (mean over seeds). \
                same_as: for cg and lbfgs, the whole loss curve against DL4J LINE_GRADIENT_DESCENT's at the same lr \
                and seed, over every lr and seed run; for line-gd on a 2-D function (one example, so every step is \
                full batch), its final f against plain DL4J Sgd steps (through SameDiff) at the same lr and seed, \
                among the runs where both finished (1e-9 relative, 1e-15 absolute): equal when the line search \
                always takes the first step it tries. Reference rows: the correct method of the same name from the \
                same start (reference_end: how its runs ended).

                """ + table.toMarkdown() + "\n";
    }

    /** Final loss (or f) of a group of cells, "mean ± std", with diverged/crashed counts. */
    private String valueText(String problem, List<CellResult> rs) {
        Config c = new Config(rs.get(0).cell().get("optimizer"), rs.get(0).cell().get("lr"),
                rs.stream().map(r -> seedResult(problem, r)).toList());
        return lossText(problem, c).replace(" (" + c.seeds().size() + "/" + c.seeds().size() + ")", "")
                + (escapeProblem(problem) ? " steps" : "");
    }

    // ---------------------------------------------------------------- DL4J against the reference

    private String crosscheckSection() {
        Map<String, List<CellResult>> byOptimizer = new LinkedHashMap<>();
        for (CellResult r : results) {
            if (r.metric("ref_agrees") != null) {
                byOptimizer.computeIfAbsent(r.cell().get("optimizer"), k -> new ArrayList<>()).add(r);
            }
        }
        if (byOptimizer.isEmpty()) {
            return "";
        }
        Table t = new Table("optimizer", "runs_replayed", "agree_after_first_point", "max_first_rel_diff",
                "agree_at_end", "max_end_rel_diff_where_agreeing", "dl4j_nan_reference_finite",
                "runs_that_split (problem lr seed: step, first rel diff)");
        for (Map.Entry<String, List<CellResult>> e : byOptimizer.entrySet()) {
            List<CellResult> rs = e.getValue();
            long firstOk = rs.stream().filter(r -> firstAgrees(r)).count();
            double maxFirst = rs.stream().mapToDouble(r -> r.number("ref_first_rel_diff"))
                    .filter(Double::isFinite).max().orElse(Double.NaN);
            long endOk = rs.stream().filter(r -> flag(r, "ref_agrees", 1)).count();
            double maxEnd = rs.stream().filter(r -> flag(r, "ref_agrees", 1))
                    .mapToDouble(r -> r.number("ref_final_rel_diff"))
                    .filter(Double::isFinite).max().orElse(Double.NaN);
            List<CellResult> split = rs.stream().filter(r -> r.metric("ref_split_step")
                    != null).toList();
            List<String> shown = split.stream().limit(4).map(r -> String.format(Locale.ROOT, "%s %s %s: %s, %s",
                    r.cell().get("problem"), r.cell().get("lr"), r.cell().get("seed"),
                    Table.readable(r.metric("ref_split_step")),
                    Table.readable(r.metric("ref_first_rel_diff")))).toList();
            t.add(e.getKey(), rs.size(), firstOk + "/" + rs.size(), maxFirst, endOk + "/" + rs.size(), maxEnd,
                    rs.stream().filter(OptimizerSummary::nanWhereReferenceIsFinite).count(),
                    split.isEmpty() ? "-" : split.size() + ": " + String.join("; ", shown)
                            + (split.size() > 4 ? "; ..." : ""));
        }
        return """
                ### DL4J against the reference

                Every updater run replayed by the reference (plain Java, DL4J's formulas): same initial point or \
                parameters, same minibatches, same number of steps. Losses compared after the first epoch (networks) \
                or step (functions), then at every epoch or step: agree = within 1e-6 relative (plus 1e-12 absolute), \
                or both blew up. A run "splits" at the first point where they no longer agree: when it agreed to \
                rounding level after the first point and splits late, at a large learning rate, it is rounding error \
                amplified by an unstable run, not a different method; a disagreement from the first point would be \
                one.

                """ + t.toMarkdown() + "\n";
    }

    /**
     * Whether a 0/1 metric has the value {@code v}, whatever number type holds it (a resumed run reads its cells
     * back from CSV).
     */
    static boolean flag(CellResult r, String column, int v) {
        return r.number(column) == v;
    }

    /** DL4J's final loss is NaN where the reference's, after the same steps, is a number. */
    static boolean nanWhereReferenceIsFinite(CellResult r) {
        return Double.isNaN(r.number("final_loss"))
                && Double.isFinite(r.number("ref_final_loss"));
    }

    static boolean firstAgrees(CellResult r) {
        return flag(r, "ref_first_agrees", 1);
    }

    // ---------------------------------------------------------------- verdicts

    private String findings(Map<String, Map<String, Map<String, Config>>> chosen,
                            Map<String, Map<String, Map<String, Double>>> ranks) {
        List<String> lines = new ArrayList<>();
        for (String problem : cells.keySet()) {
            List<String> best = first(ranks.get(TUNED).get(problem)).stream()
                    .map(o -> "**" + o + "** (lr " + chosen.get(TUNED).get(problem).get(o).lr() + ")").toList();
            List<String> bestOne = first(ranks.get(ONE_SHOT).get(problem)).stream().map(o -> "**" + o + "**").toList();
            lines.add(String.format(Locale.ROOT, "- %s: best tuned %s, best one-shot %s.", problem, best.isEmpty()
                    ? "-" : String.join(" = ", best), bestOne.isEmpty() ? "-" : String.join(" = ", bestOne)));
        }
        // DL4J NaN where the reference is finite, and the softmax measurement that explains the ones seen so far
        List<CellResult> nanRuns = results.stream().filter(OptimizerSummary::nanWhereReferenceIsFinite).toList();
        if (!nanRuns.isEmpty()) {
            List<String> where = nanRuns.stream().map(r -> r.cell().get("optimizer") + " on "
                    + r.cell().get("problem") + " at lr " + r.cell().get("lr")).distinct().toList();
            double[] logits = {-800, -810, -820};
            gdlab.dl4j.SoftmaxProbe.Result dbl = gdlab.dl4j.SoftmaxProbe.probe(logits,
                    org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            gdlab.dl4j.SoftmaxProbe.Result flt = gdlab.dl4j.SoftmaxProbe.probe(logits,
                    org.nd4j.linalg.api.buffer.DataType.FLOAT);
            lines.add(String.format(Locale.ROOT, "- In %d run%s (%s) DL4J's loss became NaN while the reference, "
                            + "replaying the same steps, stayed finite. Measured now: DL4J's %s; %s.%s",
                    nanRuns.size(), nanRuns.size() == 1 ? "" : "s",
                    String.join("; ", where.stream().limit(6).toList()) + (where.size() > 6 ? "; ..." : ""), dbl, flt,
                    dbl.agree() ? " In DOUBLE both ways agree here, so the NaN has another cause."
                            : " A minibatch row whose logits are all very negative (large weights after a large step) "
                            + "comes out NaN in DOUBLE."));
        }
        return "### Findings\n\n" + String.join("\n", lines) + "\n";
    }

    // ---------------------------------------------------------------- figures

    private List<Figure> figures(Map<String, Map<String, Map<String, Config>>> chosen,
                                 Map<String, Map<String, Map<String, Double>>> ranks) {
        List<Figure> figures = new ArrayList<>();
        double lo = grid.isEmpty() ? 1e-3 : grid.get(0);
        double hi = grid.isEmpty() ? 1 : grid.get(grid.size() - 1);
        for (String problem : cells.keySet()) {
            List<Figure.Series> series = new ArrayList<>();
            for (String o : cells.get(problem).keySet()) {
                List<Config> cs = configs(problem, o);
                if (cs.stream().allMatch(c -> c.statusClass() == 2)) {
                    continue;
                }
                if (cs.size() == 1 && cs.get(0).lr().equals(OptimizerBenchmark.NO_LR)) {
                    Config c = cs.get(0);
                    double v = c.statusClass() == 0 && c.misses() == 0 ? c.meanMeasure() : Double.NaN;
                    series.add(Figure.Series.line(o + " (no lr)", new double[]{lo, hi}, new double[]{v, v}));
                    continue;
                }
                List<double[]> points = new ArrayList<>();
                for (Config c : cs) {
                    if (c.statusClass() == 0 && c.misses() == 0) {
                        points.add(new double[]{Double.parseDouble(c.lr()), c.meanMeasure()});
                    }
                }
                points.sort(Comparator.comparingDouble(p -> p[0]));
                series.add(Figure.Series.line(o, points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray()));
            }
            String what = escapeProblem(problem) ? "steps to escape" : OptimizerBenchmark.NETWORKS.contains(problem)
                    ? "final training loss" : "final f";
            figures.add(new Figure.Lines("lr-" + problem, problem + ": " + what
                    + " vs learning rate (mean over seeds; lrs with a diverged seed left out)", "learning rate",
                    what, true, true, series));
        }
        Map<String, Double> tunedMean = meanRanks(ranks.get(TUNED));
        List<String> ranked = tunedMean.entrySet().stream().filter(e -> !Double.isNaN(e.getValue()))
                .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        figures.add(new Figure.Bars("tuned-ranking", "Tuned ranking: mean rank over the problems (lower is better; "
                + "crashed optimizers not ranked)", "mean rank", false, ranked,
                ranked.stream().mapToDouble(tunedMean::get).toArray(), null));
        for (String setting : List.of(TUNED, ONE_SHOT)) {
            Map<String, double[]> prof = OptimizerRanking.profile(contenders(chosen.get(setting)), floors(),
                    PROFILE_CURVE_TAUS);
            List<Figure.Series> series = new ArrayList<>();
            prof.forEach((o, rho) -> series.add(Figure.Series.line(o, PROFILE_CURVE_TAUS, rho)));
            figures.add(new Figure.Lines("profile-" + setting, "Performance profile, " + setting
                    + ": share of problem instances within a factor tau of the best", "tau", "share of instances",
                    true, false, series));
        }
        return figures;
    }
}
