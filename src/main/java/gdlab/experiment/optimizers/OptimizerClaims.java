package gdlab.experiment.optimizers;

import gdlab.experiment.optimizers.OptimizerRanking.Config;
import gdlab.experiment.optimizers.OptimizerRanking.Outcome;
import gdlab.experiment.optimizers.Choices.Choice;
import gdlab.experiment.optimizers.SolverTables.Sameness;
import gdlab.report.Claim;
import gdlab.report.Table;
import gdlab.spec.Spec;
import gdlab.sweep.CellResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static gdlab.experiment.optimizers.Choices.ONE_SHOT;
import static gdlab.experiment.optimizers.Choices.TUNED;

/**
 * The claims of the optimizers hypothesis, in its order, each checked against the run's cells, its chosen
 * configurations (one-shot and tuned) and its ranks. The hypothesis in experiments/optimizers.properties is these
 * statements, each after its id in brackets. A claim whose problems or optimizers the run lacks is not tested.
 *
 * <p>Statements about what DL4J does (its CG, its LBFGS, AdaBelief) are findings: measured, and reported whether
 * they hold or not. Two are integrity checks, because failing them means gdlab computes something wrong: the
 * reference's own CG and L-BFGS reach the minimum of the test functions, and the reference's replay of each updater
 * run takes the same first step or epoch as DL4J.
 */
final class OptimizerClaims {
    static final List<String> ADAPTIVE = List.of("adam", "adamax", "nadam", "amsgrad", "adagrad", "rmsprop",
            "adadelta");
    static final List<String> ADAM_FAMILY = List.of("adam", "adamax", "nadam", "amsgrad");
    static final List<String> MOMENTUM = List.of("momentum", "nesterov");
    static final List<String> LEADERS = List.of("rmsprop", "adagrad");
    /** The 2-D functions with a minimum (0); the saddle has none. */
    static final List<String> MINIMUM_FUNCTIONS = List.of("rosenbrock", "beale", "himmelblau");
    /** "Far above": DL4J's LBFGS's mean final loss at least this many times the reference's. */
    static final double FAR = 100;

    static final String TUNING_CHANGES_RANKING = "Tuning the learning rate changes the ranking: ordered by mean rank "
            + "over the problems, some pair of optimizers swaps places between one-shot (DL4J's default learning "
            + "rates) and tuned.";
    static final String TUNED_ADAPTIVE_BEST = "Tuned, an adaptive method (Adam and its kin, AdaGrad, RmsProp, "
            + "AdaDelta) has the best mean rank.";
    static final String ADAM_LR_TOO_SMALL = "One-shot, the Adam family's default learning rate 1e-3 is too small for "
            + "these short budgets: tuned, Adam, AdaMax, Nadam and AMSGrad pick a larger one on every problem.";
    static final String MOMENTUM_DIVERGES = "One-shot, momentum and Nesterov at their default 0.1 diverge on "
            + "Rosenbrock, Beale and Himmelblau, every seed.";
    static final String RMSPROP_ADAGRAD_LEAD = "One-shot, RmsProp and AdaGrad (default 0.1) lead: no other optimizer "
            + "has a better mean rank.";
    static final String ADABELIEF_CRASHES = "AdaBelief does not run at all: every run crashes in DL4J 1.0.0-M2.1 "
            + "with an ArrayIndexOutOfBoundsException.";
    static final String CG_IS_LINE_GD = "DL4J's CONJUGATE_GRADIENT retraces LINE_GRADIENT_DESCENT's loss curve "
            + "exactly (it is line-search gradient descent): the same loss at every iteration, same lr and seed.";
    static final String LBFGS_FREEZES = "DL4J's LBFGS freezes: in every run on a problem with a minimum its loss "
            + "stops going down before its budget ends and then never changes again.";
    static final String LBFGS_FAR_ABOVE = "DL4J's LBFGS ends far above the reference's L-BFGS: tuned, at least 100 "
            + "times its mean final loss on every problem with a minimum.";
    static final String REFERENCE_REACHES_MINIMUM = "The reference's CG and L-BFGS reach the minimum of every 2-D "
            + "function that has one (Rosenbrock, Beale, Himmelblau): f <= function_target in every run.";
    static final String UPDATERS_MATCH_REFERENCE = "DL4J's updaters take the reference's steps: every run the "
            + "reference replays agrees with it after the first step (2-D functions) or epoch (networks), to 1e-6 "
            + "relative.";

    private final Choices choices;
    private final Spec spec;
    private final Map<String, Double> tunedMean;
    private final Map<String, Double> oneShotMean;

    private OptimizerClaims(Choices choices, Spec spec) {
        this.choices = choices;
        this.spec = spec;
        this.tunedMean = ranked(choices.meanRanks(TUNED));
        this.oneShotMean = ranked(choices.meanRanks(ONE_SHOT));
    }

    /** Every claim of the hypothesis, in its order. */
    static List<Claim> of(Choices choices, Spec spec) {
        OptimizerClaims c = new OptimizerClaims(choices, spec);
        return List.of(c.tuningChangesRanking(), c.tunedAdaptiveBest(), c.adamLrTooSmall(), c.momentumDiverges(),
                c.rmspropAdagradLead(), c.adabeliefCrashes(), c.cgIsLineGd(), c.lbfgsFreezes(), c.lbfgsFarAbove(),
                c.referenceReachesMinimum(), c.updatersMatchReference());
    }

    // ---------------------------------------------------------------- rankings

    /** The optimizers with a mean rank (crashed everywhere: none), best first. */
    private static Map<String, Double> ranked(Map<String, Double> mean) {
        Map<String, Double> out = new LinkedHashMap<>();
        mean.entrySet().stream().filter(e -> !Double.isNaN(e.getValue())).sorted(Map.Entry.comparingByValue())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static String top(Map<String, Double> mean, int n) {
        return mean.entrySet().stream().limit(n).map(e -> e.getKey() + " " + Table.readable(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Where optimizers tied on a problem (same rank, shared), e.g. "cg = line-gd on iris, rosenbrock". */
    private String ties(String setting) {
        Map<String, List<String>> where = new LinkedHashMap<>();
        for (String problem : choices.problems()) {
            Map<Double, List<String>> byRank = new TreeMap<>();
            choices.rankOrder(setting, problem).stream().filter(Choice::hasRank)
                    .forEach(c -> byRank.computeIfAbsent(c.rank(), k -> new ArrayList<>()).add(c.optimizer()));
            byRank.values().stream().filter(g -> g.size() > 1)
                    .forEach(g -> where.computeIfAbsent(String.join(" = ", g), k -> new ArrayList<>()).add(problem));
        }
        return "; ranks on a problem: tied results share their average rank" + (where.isEmpty() ? " (no tie here)"
                : " (" + setting + ": " + where.entrySet().stream().map(e -> e.getKey() + " on "
                + String.join(", ", e.getValue())).collect(Collectors.joining("; ")) + ")");
    }

    private Claim tuningChangesRanking() {
        List<String> both = tunedMean.keySet().stream().filter(oneShotMean::containsKey).toList();
        String expected = "some pair ordered one way tuned and the other way one-shot (Kendall distance > 0)";
        if (both.size() < 2) {
            return Claim.notTested("tuning_changes_ranking", Claim.Kind.FINDING, TUNING_CHANGES_RANKING,
                    "fewer than 2 optimizers ranked in both settings", expected);
        }
        int pairs = 0;
        int swapped = 0;
        for (int i = 0; i < both.size(); i++) {
            for (int j = i + 1; j < both.size(); j++) {
                String a = both.get(i);
                String b = both.get(j);
                pairs++;
                if ((tunedMean.get(a) - tunedMean.get(b)) * (oneShotMean.get(a) - oneShotMean.get(b)) < 0) {
                    swapped++;
                }
            }
        }
        List<String> consistent = consistentSwaps(both);
        String measured = String.format(Locale.ROOT, "Kendall distance %s (%d of %d pairs swap; a pair tied in "
                        + "either order does not count); top three tuned: %s; one-shot: %s%s; pairs swapped on "
                        + "every problem: %s",
                Table.readable((double) swapped / pairs), swapped, pairs, top(tunedMean, 3), top(oneShotMean, 3),
                ties(TUNED), consistent.isEmpty() ? "none" : consistent.size() + " (e.g. "
                        + String.join(", ", consistent.subList(0, Math.min(3, consistent.size()))) + ")");
        return Claim.comparison("tuning_changes_ranking", TUNING_CHANGES_RANKING, measured, expected, swapped > 0,
                swapped == 0 || !consistent.isEmpty(), rankSupport() + "; a swap counts as shown only when some "
                        + "pair swaps on each of at least 2 problems, not just in the mean");
    }

    /** Pairs that swap order between one-shot and tuned on every problem (at least two) where both are ranked. */
    private List<String> consistentSwaps(List<String> optimizers) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < optimizers.size(); i++) {
            for (int j = i + 1; j < optimizers.size(); j++) {
                String a = optimizers.get(i);
                String b = optimizers.get(j);
                int problems = 0;
                int direction = 0;
                boolean every = true;
                for (String p : choices.problems()) {
                    Double ta = rankOn(TUNED, p, a);
                    Double tb = rankOn(TUNED, p, b);
                    Double oa = rankOn(ONE_SHOT, p, a);
                    Double ob = rankOn(ONE_SHOT, p, b);
                    if (ta == null || tb == null || oa == null || ob == null) {
                        continue;
                    }
                    problems++;
                    int tuned = Double.compare(ta, tb);
                    boolean swaps = tuned != 0 && tuned == -Double.compare(oa, ob);
                    every &= swaps && (direction == 0 || direction == tuned);
                    direction = tuned;
                }
                if (every && problems >= 2) {
                    out.add(a + "/" + b + " on " + problems);
                }
            }
        }
        return out;
    }

    private Double rankOn(String setting, String problem, String optimizer) {
        return java.util.Optional.ofNullable(choices.choice(setting, problem, optimizer)).filter(Choice::hasRank)
                .map(Choice::rank).orElse(null);
    }

    private Claim tunedAdaptiveBest() {
        String expected = "an adaptive optimizer among those with the lowest tuned mean rank";
        boolean adaptive = tunedMean.keySet().stream().anyMatch(ADAPTIVE::contains);
        boolean other = tunedMean.keySet().stream().anyMatch(o -> !ADAPTIVE.contains(o));
        if (!adaptive || !other) {
            return Claim.notTested("tuned_adaptive_best", Claim.Kind.FINDING, TUNED_ADAPTIVE_BEST, "the run ranks "
                    + (adaptive ? "only adaptive optimizers" : "no adaptive optimizer"), expected);
        }
        double best = tunedMean.values().iterator().next();
        List<String> first = tunedMean.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey)
                .toList();
        String bestAdaptive = tunedMean.entrySet().stream().filter(e -> ADAPTIVE.contains(e.getKey())).findFirst()
                .map(e -> e.getKey() + " " + Table.readable(e.getValue())).orElseThrow();
        String measured = String.format(Locale.ROOT, "best tuned mean rank %s: %s; best adaptive: %s%s",
                Table.readable(best), String.join(" = ", first), bestAdaptive, ties(TUNED));
        // a best rank shared by an adaptive and a non-adaptive optimizer cannot say which kind is best
        boolean anyAdaptive = first.stream().anyMatch(ADAPTIVE::contains);
        boolean allAdaptive = first.stream().allMatch(ADAPTIVE::contains);
        return Claim.comparison("tuned_adaptive_best", TUNED_ADAPTIVE_BEST, measured, expected, anyAdaptive,
                allAdaptive || !anyAdaptive, rankSupport() + (anyAdaptive && !allAdaptive ? "; the best rank is "
                        + "shared with non-adaptive optimizers: " + String.join(" = ", first) : ""));
    }

    private Claim adamLrTooSmall() {
        String expected = "the tuned lr above the default on every (optimizer, problem)";
        List<String> family = ADAM_FAMILY.stream().filter(o -> choices.problems().stream()
                .anyMatch(p -> choices.has(p, o))).toList();
        if (family.isEmpty()) {
            return Claim.notTested("one_shot_adam_lr_too_small", Claim.Kind.FINDING, ADAM_LR_TOO_SMALL,
                    "the run has none of " + ADAM_FAMILY, expected);
        }
        double def = OptimizerBenchmark.defaultLearningRate(family.get(0));
        if (choices.grid().stream().noneMatch(lr -> lr > def)) {
            return Claim.notTested("one_shot_adam_lr_too_small", Claim.Kind.FINDING, ADAM_LR_TOO_SMALL,
                    "the lr grid " + choices.grid() + " has no rate above the default " + Table.readable(def),
                    expected);
        }
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (String o : family) {
            List<String> lrs = new ArrayList<>();
            for (String p : choices.problems()) {
                Choice c = choices.choice(TUNED, p, o);
                if (c != null) {
                    lrs.add(p + " " + c.config().lr());
                    holds &= Double.parseDouble(c.config().lr()) > OptimizerBenchmark.defaultLearningRate(o);
                }
            }
            parts.add(o + " (default " + OptimizerBenchmark.oneShotLr(o) + "): " + String.join(", ", lrs));
        }
        return Claim.finding("one_shot_adam_lr_too_small", ADAM_LR_TOO_SMALL, "tuned lr: " + String.join("; ", parts),
                expected, holds, "each tuned lr is the grid point with the lowest mean final loss over "
                        + spec.string("seeds") + " seeds");
    }

    private Claim momentumDiverges() {
        String expected = "every seed diverged at the default lr on each of those problems in the run";
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (String o : MOMENTUM) {
            for (String p : MINIMUM_FUNCTIONS) {
                Choice choice = choices.choice(ONE_SHOT, p, o);
                if (choice != null) {
                    Config c = choice.config();
                    long diverged = c.count(Outcome.DIVERGED);
                    parts.add(o + " on " + p + " " + diverged + "/" + c.seeds().size());
                    holds &= diverged == c.seeds().size();
                }
            }
        }
        if (parts.isEmpty()) {
            return Claim.notTested("one_shot_momentum_diverges", Claim.Kind.FINDING, MOMENTUM_DIVERGES,
                    "the run has neither momentum nor nesterov on rosenbrock, beale or himmelblau", expected);
        }
        return Claim.finding("one_shot_momentum_diverges", MOMENTUM_DIVERGES, "seeds diverged at lr "
                + OptimizerBenchmark.oneShotLr("nesterov") + ": " + String.join(", ", parts), expected, holds,
                "count of diverged seeds (the divergence rule per run)");
    }

    private Claim rmspropAdagradLead() {
        String expected = "no optimizer but these two with a one-shot mean rank below the worse of theirs";
        List<String> present = LEADERS.stream().filter(oneShotMean::containsKey).toList();
        if (present.isEmpty()) {
            return Claim.notTested("one_shot_rmsprop_adagrad_lead", Claim.Kind.FINDING, RMSPROP_ADAGRAD_LEAD,
                    "the run ranks neither rmsprop nor adagrad", expected);
        }
        double worst = present.stream().mapToDouble(oneShotMean::get).max().orElseThrow();
        List<String> better = oneShotMean.entrySet().stream().filter(e -> !LEADERS.contains(e.getKey())
                && e.getValue() < worst).map(e -> e.getKey() + " " + Table.readable(e.getValue())).toList();
        String measured = String.format(Locale.ROOT, "one-shot mean rank %s; better: %s; top three: %s%s",
                present.stream().map(o -> o + " " + Table.readable(oneShotMean.get(o)))
                        .collect(Collectors.joining(", ")), better.isEmpty() ? "none" : String.join(", ", better),
                top(oneShotMean, 3), ties(ONE_SHOT));
        return Claim.finding("one_shot_rmsprop_adagrad_lead", RMSPROP_ADAGRAD_LEAD, measured, expected,
                better.isEmpty(), rankSupport());
    }

    // ---------------------------------------------------------------- DL4J's defects, measured

    private Claim adabeliefCrashes() {
        String expected = "every adabelief cell failed with ArrayIndexOutOfBoundsException";
        List<CellResult> runs = choices.results().stream()
                .filter(r -> r.cell().get("optimizer").equals(OptimizerBenchmark.ADABELIEF)).toList();
        if (runs.isEmpty()) {
            return Claim.notTested("adabelief_crashes", Claim.Kind.FINDING, ADABELIEF_CRASHES,
                    "the run has no adabelief cell", expected);
        }
        List<CellResult> crashed = runs.stream().filter(r -> r.status() == CellResult.Status.FAILED
                && r.message().contains("ArrayIndexOutOfBoundsException")).toList();
        String measured = crashed.size() + " of " + runs.size() + " runs crashed"
                + (crashed.isEmpty() ? "" : ": " + String.join("; ", crashed.stream().map(CellResult::message)
                .distinct().toList()));
        return Claim.finding("adabelief_crashes", ADABELIEF_CRASHES, measured, expected,
                crashed.size() == runs.size(), "count of crashed runs");
    }

    private Claim cgIsLineGd() {
        String expected = "max |diff| = 0 in every (problem, lr, seed) both ran";
        int identical = 0;
        int pairs = 0;
        double max = 0;
        for (String p : choices.problems()) {
            Sameness s = SolverTables.sameAsLineGd(choices, p, "cg");
            identical += s.identical();
            pairs += s.pairs();
            if (s.pairs() > 0) {
                max = Math.max(max, s.maxDifference());
            }
        }
        if (pairs == 0) {
            return Claim.notTested("dl4j_cg_is_line_gd", Claim.Kind.FINDING, CG_IS_LINE_GD,
                    "the run has no cg and line-gd cells at the same problem, lr and seed", expected);
        }
        String measured = String.format(Locale.ROOT, "%d of %d runs identical at every iteration; max |diff| %s",
                identical, pairs, Table.readable(max));
        return Claim.finding("dl4j_cg_is_line_gd", CG_IS_LINE_GD, measured, expected, identical == pairs,
                "exact equality");
    }

    private Claim lbfgsFreezes() {
        String expected = "in every finished run: the last decrease before the last step, the same loss afterwards";
        List<String> parts = new ArrayList<>();
        int runs = 0;
        int frozen = 0;
        int diverged = 0;
        for (String p : choices.problems()) {
            if (Choices.escapeProblem(p) || !choices.has(p, "lbfgs")) {
                continue;
            }
            long lastMin = Long.MAX_VALUE;
            long lastMax = 0;
            long budget = 0;
            for (CellResult r : choices.cellsOf(p, "lbfgs")) {
                if (r.status() != CellResult.Status.OK) {
                    diverged += r.status() == CellResult.Status.DIVERGED ? 1 : 0;
                    continue;
                }
                long last = (long) r.number("last_progress_step");
                long steps = (long) r.number("steps");
                runs++;
                lastMin = Math.min(lastMin, last);
                lastMax = Math.max(lastMax, last);
                budget = Math.max(budget, steps);
                if (last < steps && flatAfter(r, last)) {
                    frozen++;
                }
            }
            if (lastMin <= lastMax) {
                parts.add(p + ": last decrease at step " + (lastMin == lastMax ? "" : lastMin + "-") + lastMax + " of "
                        + budget);
            }
        }
        if (runs == 0) {
            return Claim.notTested("dl4j_lbfgs_freezes", Claim.Kind.FINDING, LBFGS_FREEZES,
                    "the run has no finished lbfgs cell on a problem with a minimum", expected);
        }
        String measured = String.format(Locale.ROOT, "%d of %d finished runs froze (%s)%s", frozen, runs,
                String.join("; ", parts), diverged == 0 ? "" : "; " + diverged + " diverged");
        return Claim.finding("dl4j_lbfgs_freezes", LBFGS_FREEZES, measured, expected, frozen == runs,
                "exact equality of the loss after the last decrease");
    }

    /** Whether a run's loss curve stays exactly at its value at step {@code from} afterwards. */
    private static boolean flatAfter(CellResult r, long from) {
        Double at = null;
        double[] steps = r.series(OptimizerBenchmark.CURVE, "step");
        double[] losses = r.series(OptimizerBenchmark.CURVE, "loss");
        for (int i = 0; i < steps.length; i++) {
            long step = (long) steps[i];
            double loss = losses[i];
            if (step == from) {
                at = loss;
            } else if (step > from && (at == null || loss != at)) {
                return false;
            }
        }
        return at != null;
    }

    private Claim lbfgsFarAbove() {
        String expected = "DL4J's mean final loss >= " + Table.readable(FAR) + " x the reference's (floored at "
                + Table.readable(Choices.LOSS_FLOOR) + ") on each problem";
        List<String> parts = new ArrayList<>();
        boolean holds = true;
        for (String p : choices.problems()) {
            if (Choices.escapeProblem(p) || !choices.has(p, "lbfgs") || !choices.has(p, "lbfgs-ref")) {
                continue;
            }
            Config dl4j = choices.choice(TUNED, p, "lbfgs").config();
            Config ref = choices.choice(TUNED, p, "lbfgs-ref").config();
            double ratio = dl4j.meanLoss() / Math.max(ref.meanLoss(), Choices.LOSS_FLOOR);
            // a diverged DL4J run ends above any finite loss; a crashed one ends nowhere
            boolean far = dl4j.statusClass() == 0 ? ratio >= FAR
                    : dl4j.statusClass() == 1 && Double.isFinite(ref.meanLoss());
            holds &= far;
            parts.add(String.format(Locale.ROOT, "%s: DL4J %s (lr %s) vs reference %s%s", p,
                    dl4j.statusClass() == 0 ? Table.readable(dl4j.meanLoss()) : dl4j.status(), dl4j.lr(),
                    Table.readable(ref.meanLoss()), dl4j.statusClass() == 0 && Double.isFinite(ratio)
                            ? " (x" + Table.readable(ratio) + ")" : ""));
        }
        if (parts.isEmpty()) {
            return Claim.notTested("dl4j_lbfgs_far_above_reference", Claim.Kind.FINDING, LBFGS_FAR_ABOVE,
                    "the run has no problem with a minimum with both lbfgs and lbfgs-ref", expected);
        }
        return Claim.finding("dl4j_lbfgs_far_above_reference", LBFGS_FAR_ABOVE, "tuned mean final loss, "
                + String.join("; ", parts), expected, holds, "ratio of mean final losses against "
                + Table.readable(FAR) + "x (far beyond the seeds' spread)");
    }

    private Claim referenceReachesMinimum() {
        String expected = "every cg-ref and lbfgs-ref run on those functions reaches f <= "
                + spec.string("function_target") + " within function_steps (" + spec.string("function_steps")
                + ") evaluations; a run that stops above it (stalled, converged, diverged) fails the check";
        List<String> parts = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<String> cut = new ArrayList<>();
        for (String solver : List.of("cg-ref", "lbfgs-ref")) {
            for (String p : MINIMUM_FUNCTIONS) {
                if (!choices.has(p, solver)) {
                    continue;
                }
                List<CellResult> rs = choices.cellsOf(p, solver);
                long reached = rs.stream().filter(r -> r.metric("steps_to_target") != null).count();
                parts.add(solver + " on " + p + " " + reached + "/" + rs.size());
                for (CellResult r : rs) {
                    if (r.metric("steps_to_target") == null) {
                        String run = solver + " on " + p + " seed " + r.cell().get("seed") + ": f "
                                + Table.readable(r.number("final_loss")) + ", " + r.message();
                        (cutByBudget(r) ? cut : wrong).add(run);
                    }
                }
            }
        }
        if (parts.isEmpty()) {
            return Claim.notTested("reference_solvers_reach_minimum", Claim.Kind.INTEGRITY, REFERENCE_REACHES_MINIMUM,
                    "the run has no cg-ref or lbfgs-ref cell on rosenbrock, beale or himmelblau", expected);
        }
        String measured = "reached: " + String.join(", ", parts) + (wrong.isEmpty() ? ""
                : "; stopped above the minimum: " + String.join("; ", wrong));
        if (wrong.isEmpty() && !cut.isEmpty()) {
            return Claim.notTested("reference_solvers_reach_minimum", Claim.Kind.INTEGRITY, REFERENCE_REACHES_MINIMUM,
                    measured + "; the budget ended while still descending: " + String.join("; ", cut), expected);
        }
        return Claim.integrity("reference_solvers_reach_minimum", REFERENCE_REACHES_MINIMUM, measured, expected,
                wrong.isEmpty(), "bound f <= " + spec.string("function_target") + " in every run");
    }

    /**
     * A run that ran out of evaluations, iterations or time while its f was still going down: too short a budget to
     * judge.
     */
    private boolean cutByBudget(CellResult r) {
        boolean descending = r.number("last_progress_step") == r.number("steps");
        double maxMs = spec.real("max_seconds") * 1000;
        return descending && (r.message().startsWith(gdlab.reference.Status.MAX_ITERATIONS.label())
                || r.message().startsWith("budget")
                || maxMs > 0 && r.number("train_time_ms") >= maxMs);
    }

    private Claim updatersMatchReference() {
        String expected = "ref_first_agrees = 1 in every replayed run";
        List<CellResult> replayed = choices.results().stream().filter(r -> r.metric("ref_agrees") != null)
                .toList();
        if (replayed.isEmpty()) {
            return Claim.notTested("dl4j_updaters_match_reference", Claim.Kind.INTEGRITY, UPDATERS_MATCH_REFERENCE,
                    "the run has no updater cell (none replayed)", expected);
        }
        // DL4J NaN at the first point, the reference finite: DL4J's softmax NaN (measured in the findings)
        List<CellResult> nan = replayed.stream().filter(r -> !SolverTables.firstAgrees(r) && Double.isNaN(r.number(
                "ref_first_rel_diff")) && SolverTables.nanWhereReferenceIsFinite(r)).toList();
        List<CellResult> apart = replayed.stream().filter(r -> !SolverTables.firstAgrees(r) && !nan.contains(r))
                .toList();
        double maxFirst = replayed.stream().mapToDouble(r -> r.number("ref_first_rel_diff"))
                .filter(Double::isFinite).max().orElse(Double.NaN);
        long end = replayed.stream().filter(r -> SolverTables.flag(r, "ref_agrees", 1)).count();
        String measured = String.format(Locale.ROOT, "%d of %d replayed runs agree after the first point (max "
                        + "relative difference %s)%s; at the end %d agree (see DL4J against the reference)",
                replayed.size() - apart.size() - nan.size(), replayed.size() - nan.size(), Table.readable(maxFirst),
                (nan.isEmpty() ? "" : " (not counted: " + nan.size() + " runs where DL4J's loss is NaN after the first "
                        + "epoch and the reference's is finite, DL4J's softmax NaN below)") + (apart.isEmpty() ? ""
                        : "; apart: " + apart.stream().limit(4).map(r -> r.cell().get("optimizer") + " on "
                        + r.cell().get("problem") + " lr " + r.cell().get("lr") + " seed " + r.cell().get("seed"))
                        .collect(Collectors.joining(", ")) + (apart.size() > 4 ? ", ..." : "")), end);
        return Claim.integrity("dl4j_updaters_match_reference", UPDATERS_MATCH_REFERENCE, measured, expected,
                apart.isEmpty(), "bound 1e-6 relative after the first point");
    }

    /** What a ranking claim rests on: mean ranks over this run's problems, ties sharing their average rank. */
    private String rankSupport() {
        return "mean rank over " + choices.problems().size() + " problems (ties within the tolerance share their "
                + "average rank); a rank order, not a test: with few problems a swap can be noise";
    }
}
