package gdlab.experiment.failure;

import gdlab.experiment.failure.Minima.Minimum;
import gdlab.experiment.failure.Part.Row;
import gdlab.report.Claim;
import gdlab.report.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The claims of failure-modes' hypothesis, part by part in its order: each part's {@link Check}s, and how a part's
 * rows decide the ones that need more than a count. Integrity checks compare DL4J with the reference or the
 * reference with theory; findings are what gradient descent did, compared pairwise (McNemar) where runs have twins.
 */
final class Checks {
    private Checks() {
    }

    static final Check MINIMA_DEPEND = Check.finding("minima_depend_on_start", "GD ends at different minima "
            + "depending on where it starts: in every setting that does not all diverge, the starts end at two or more "
            + "minima.");
    static final Check GLOBAL_PARTIAL = Check.finding("global_share_partial", "On a function with local minima, only "
            + "part of the starts end at a global minimum (a share between 0 and 1 in every such setting).");
    static final Check STABILITY = Check.integrity("stability_bound", "No run converges to a minimum whose critical "
            + "step size (2/lambda_max for SGD) is below its learning rate.");
    static final Check DL4J_AGREE = Check.integrity("dl4j_ends_with_reference", "DL4J ends where the reference ends.");
    static final String STABILITY_BOUND = "linear stability: lr < 2/lambda_max; heavy ball lr < 2(1+mu)/lambda_max; "
            + "DL4J's Nesterov lr < (2+2mu)/((1+2mu) lambda_max)";

    static final List<Check> LOCAL_MINIMA = List.of(MINIMA_DEPEND, GLOBAL_PARTIAL, STABILITY, DL4J_AGREE);

    static Claim minimaDependOnStart(List<Row> rows, Map<String, List<Minimum>> catalogue) {
        List<String> measured = new ArrayList<>();
        boolean holds = true;
        for (Row r : rows) {
            if (r.num("share_diverged") < 1) {
                long reached = catalogue.get(r.coord("case")).stream()
                        .filter(m -> LocalMinimaPart.counts(r).getOrDefault(m.label(), 0) > 0).count();
                measured.add(r.coord("case") + " " + r.coord("optimizer") + " lr=" + r.coord("lr") + ": " + reached);
                holds &= reached >= 2;
            }
        }
        return measured.isEmpty() ? MINIMA_DEPEND.notTested("every setting diverged", ">= 2 minima reached")
                : MINIMA_DEPEND.verdict("minima reached: " + String.join(", ", measured), ">= 2 per setting", holds);
    }

    static Claim globalSharePartial(List<Row> rows, Map<String, List<Minimum>> catalogue) {
        List<String> measured = new ArrayList<>();
        boolean holds = true;
        for (Row r : rows) {
            if (r.num("share_diverged") < 1 && catalogue.get(r.coord("case")).stream().anyMatch(m -> !m.global())) {
                measured.add(r.coord("case") + " " + r.coord("optimizer") + " lr=" + r.coord("lr") + ": "
                        + Table.readable(r.num("share_global")));
                holds &= r.num("share_global") > 0 && r.num("share_global") < 1;
            }
        }
        return measured.isEmpty() ? GLOBAL_PARTIAL.notTested("no function with local minima in a setting that did "
                + "not all diverge", "0 < share_global < 1") : GLOBAL_PARTIAL.verdict("share_global: "
                + String.join(", ", measured), "0 < share_global < 1 per setting", holds);
    }


    static final Check LITTLE_NOISE = Check.finding("little_noise_no_help", "When the examples differ little (the "
            + "smallest of two or more claim_noise levels), neither stochastic nor mini-batch noise measurably changes "
            + "how often GD reaches the global minimum.");
    static final Check MODERATE_NOISE = Check.finding("stochastic_helps_moderate_noise", "When they differ "
            + "moderately (a larger level where no B = 1 run diverges), stochastic GD (B = 1) reaches the global "
            + "minimum measurably more often than batch GD.");
    static final Check MINI_BATCH_A_LOT = Check.finding("mini_batch_helps_only_a_lot", "Mini-batch noise measurably "
            + "helps only when the examples differ a lot (the largest claim_noise level).");
    static final Check DIVERGING_NOISE = Check.finding("stochastic_hurts_when_diverging", "Where B = 1 noise is so "
            + "large that runs diverge, stochastic GD reaches the global minimum measurably less often than batch GD.");
    static final Check XOR_NO_HELP = Check.finding("xor_no_help", "On the XOR net no mode's noise measurably helps.");
    static final Check XOR_STUCK = Check.finding("xor_third_stuck", "About a third of the XOR runs get stuck in every "
            + "mode (1/3 inside the 95% interval of the share not reaching the target, 0 outside it).");
    static final Check WINDOW = Check.finding("noise_rescues_in_a_window", "Stochastic noise rescues batch GD from "
            + "local minima only in a window: stochastic GD reaches the global minimum measurably more often than "
            + "batch GD in some settings, not all.");
    static final Check XOR_AGREE = Check.integrity("xor_engines_agree", "Every XOR run replayed in the reference from "
            + "DL4J's initial parameters and minibatches ends at DL4J's loss.");
    static final List<Check> SEED_CLAIM = List.of(LITTLE_NOISE, MODERATE_NOISE, MINI_BATCH_A_LOT, DIVERGING_NOISE,
            XOR_NO_HELP, XOR_STUCK, WINDOW, XOR_AGREE);
    private static final String SIGNIFICANT = "McNemar p < 0.05 against the batch twins";

    /** One mode of one seed-claim setting against batch GD on the same seeds. */
    record Compared(String kase, String setting, String mode, int runs, int reached, long diverged, int onlyThis,
                    int onlyBatch, double p) {
        boolean helped() {
            return p < 0.05 && onlyThis > onlyBatch;
        }

        boolean hurt() {
            return p < 0.05 && onlyThis < onlyBatch;
        }

        boolean xor() {
            return kase.startsWith(SeedClaimPart.MLP_CASE);
        }

        double noise() {
            return xor() ? Double.NaN : Double.parseDouble(setting.substring(setting.indexOf('=') + 1));
        }

        String label() {
            return (xor() ? "xor" : setting) + " " + mode + ": " + onlyThis + "/" + onlyBatch + " p="
                    + Table.readable(p);
        }
    }

    static List<Claim> seedClaim(List<Compared> all, long xorAgree, long xorCompared) {
        List<Compared> tilts = all.stream().filter(c -> !c.xor() && !c.mode().equals("batch")).toList();
        List<Compared> xor = all.stream().filter(Compared::xor).toList();
        List<Double> levels = tilts.stream().map(Compared::noise).distinct().sorted().toList();
        List<Double> diverging = tilts.stream().filter(c -> c.mode().equals("stochastic") && c.diverged() > 0)
                .map(Compared::noise).toList();
        List<Compared> little = levels.size() < 2 ? List.of()
                : tilts.stream().filter(c -> c.noise() == levels.get(0)).toList();
        List<Compared> moderate = tilts.stream().filter(c -> c.mode().equals("stochastic") && !little.contains(c)
                && !diverging.contains(c.noise())).toList();
        List<Compared> stochasticDiverging = tilts.stream().filter(c -> c.mode().equals("stochastic")
                && diverging.contains(c.noise())).toList();
        List<Compared> minis = tilts.stream().filter(c -> c.mode().equals("mini-batch")).toList();
        List<Compared> xorModes = xor.stream().filter(c -> !c.mode().equals("batch")).toList();
        List<Compared> stochastic = all.stream().filter(c -> c.mode().equals("stochastic")).toList();
        List<Compared> testable = stochastic.stream().filter(c -> Check.canReachSignificance(c.runs())).toList();
        long k = testable.stream().filter(Compared::helped).count();
        List<String> untestable = stochastic.stream().filter(c -> !testable.contains(c))
                .map(c -> (c.xor() ? "xor" : c.setting()) + " (" + c.runs() + " runs)").toList();
        return List.of(
                paired(LITTLE_NOISE, little, c -> !c.helped() && !c.hurt(), "no change (" + SIGNIFICANT + ")",
                        levels.size() < 2 ? "needs two or more claim_noise levels" : null),
                paired(MODERATE_NOISE, moderate, Compared::helped, "helped (" + SIGNIFICANT + ")",
                        moderate.isEmpty() ? "no level above the smallest without diverging B = 1 runs" : null),
                levels.size() < 2 ? MINI_BATCH_A_LOT.notTested("needs two or more claim_noise levels", "helped at the "
                        + "largest level only") : paired(MINI_BATCH_A_LOT, minis, c -> c.helped()
                        == (c.noise() == levels.get(levels.size() - 1)), "helped at the largest level only ("
                        + SIGNIFICANT + ")", null),
                paired(DIVERGING_NOISE, stochasticDiverging, Compared::hurt, "hurt (" + SIGNIFICANT + ")",
                        stochasticDiverging.isEmpty() ? "no level where a B = 1 run diverged" : null),
                paired(XOR_NO_HELP, xorModes, c -> !c.helped(), "no help (" + SIGNIFICANT + ")",
                        xor.isEmpty() ? "no XOR runs" : null),
                xorStuck(xor),
                testable.size() < 2 ? WINDOW.notTested("needs two settings that can reach p < 0.05; too few runs: "
                        + String.join(", ", untestable), "helped in k of n settings, 0 < k < n")
                        : WINDOW.verdict(String.format(Locale.ROOT, "helped in %d of %d settings%s", k,
                        testable.size(), untestable.isEmpty() ? "" : "; not counted, too few runs: "
                                + String.join(", ", untestable)), "0 < k < n", k > 0 && k < testable.size()),
                xorCompared == 0 ? XOR_AGREE.notTested("no XOR runs", "final losses equal") : XOR_AGREE.verdict(
                        xorAgree + " of " + xorCompared + " runs agree", "every run, final losses equal to "
                                + Table.readable(SeedClaimPart.AGREE_TOL), xorAgree == xorCompared));
    }

    /** A claim on paired comparisons: not tested without them or when one cannot reach p < 0.05 (too few runs). */
    private static Claim paired(Check check, List<Compared> cs, java.util.function.Predicate<Compared> holds,
                                String expected, String why) {
        if (why != null || cs.isEmpty()) {
            return check.notTested(why == null ? "no such setting in this run" : why, expected);
        }
        List<String> few = cs.stream().filter(c -> !Check.canReachSignificance(c.runs()))
                .map(c -> (c.xor() ? "xor" : c.setting()) + " " + c.mode() + " " + c.runs()).toList();
        if (!few.isEmpty()) {
            return check.notTested("too few runs to reach p < 0.05 (at least 6 pairs): " + String.join(", ", few),
                    expected);
        }
        return check.verdict(String.join("; ", cs.stream().map(Compared::label).toList()), expected,
                cs.stream().allMatch(holds));
    }

    private static Claim xorStuck(List<Compared> xor) {
        if (xor.isEmpty()) {
            return XOR_STUCK.notTested("no XOR runs", "1/3 in every mode's interval");
        }
        boolean holds = true;
        List<String> measured = new ArrayList<>();
        for (Compared c : xor) {
            double[] ci = Binomial.wilson(c.runs() - c.reached(), c.runs());
            holds &= ci[0] > 0 && ci[0] <= 1 / 3.0 && 1 / 3.0 <= ci[1];
            measured.add(String.format(Locale.ROOT, "%s %d/%d (%s..%s)", c.mode(), c.runs() - c.reached(), c.runs(),
                    Table.readable(ci[0]), Table.readable(ci[1])));
        }
        return XOR_STUCK.verdict("stuck: " + String.join(", ", measured), "1/3 in every mode's Wilson 95% interval, "
                + "0 not", holds);
    }

    static final Check CLOSER_SLOWER = Check.finding("saddle_closer_slower", "SGD needs more steps to escape the "
            + "saddle the closer it starts to it.");
    static final Check SADDLE_THEORY = Check.integrity("saddle_linear_theory", "SGD's, heavy ball's and Nesterov's "
            + "escape steps from y0 > 0 are exactly the linear recurrence's (for SGD the first k with y0 (1 + 2 lr)^k "
            + "past the escape level, about log(1/y0)).");
    static final Check FAR_SOONER = Check.finding("others_escape_far_sooner", "SGD crawls at the saddle and on the "
            + "plateau: momentum and adaptive methods escape both in at most half its steps, or within the budget where "
            + "SGD never does.");
    static final Check SADDLE_LINE = Check.integrity("saddle_line_never_left", "No method leaves the exact saddle "
            + "line y0 = 0 (a zero gradient gives a zero update).");
    static final Check ESCAPE_AGREE = Check.integrity("escape_engines_agree", "DL4J and the reference escape the "
            + "saddle and the plateau at the same step.");
    static final List<Check> ESCAPE = List.of(CLOSER_SLOWER, SADDLE_THEORY, FAR_SOONER, SADDLE_LINE, ESCAPE_AGREE);
    /** "Far sooner": at most this share of SGD's escape steps. */
    static final double FAR = 0.5;

    static List<Claim> escape(List<Row> rows, List<String> disagree, int saddleSteps, int plateauSteps) {
        List<Row> saddle = rows.stream().filter(r -> r.coord("case").equals(EscapePart.SADDLE)).toList();
        List<Row> sgdFrom = saddle.stream().filter(r -> r.coord("optimizer").equals("sgd") && EscapePart.y0(r) > 0)
                .sorted(java.util.Comparator.comparingDouble(r -> -EscapePart.y0(r))).toList();
        boolean slower = true;
        for (int i = 1; i < sgdFrom.size(); i++) {
            slower &= steps(sgdFrom.get(i), saddleSteps) > steps(sgdFrom.get(i - 1), saddleSteps);
        }
        String sgdSteps = String.join(", ", sgdFrom.stream().map(r -> r.coord("setting") + ": "
                + (r.get("escape_step") == null ? "never" : r.str("escape_step"))).toList());
        List<Row> linear = saddle.stream().filter(r -> EscapePart.y0(r) > 0
                && List.of("sgd", "momentum", "nesterov").contains(r.coord("optimizer"))).toList();
        List<Row> line = saddle.stream().filter(r -> EscapePart.y0(r) == 0).toList();
        List<String> sooner = new ArrayList<>();
        boolean far = true;
        for (Row sgd : rows.stream().filter(r -> r.coord("optimizer").equals("sgd")
                && (!r.coord("case").equals(EscapePart.SADDLE) || EscapePart.y0(r) > 0)).toList()) {
            int budget = sgd.coord("case").equals(EscapePart.SADDLE) ? saddleSteps : plateauSteps;
            for (Row r : rows) {
                if (r != sgd && r.coord("case").equals(sgd.coord("case"))
                        && r.coord("setting").equals(sgd.coord("setting"))) {
                    far &= sgd.get("escape_step") == null ? r.get("escape_step") != null
                            : steps(r, budget) <= FAR * steps(sgd, budget);
                    sooner.add(r.coord("setting") + " " + r.coord("optimizer") + " " + steps(r, budget) + "/"
                            + steps(sgd, budget));
                }
            }
        }
        String never = " (never = budget + 1)";
        return List.of(
                sgdFrom.size() < 2 ? CLOSER_SLOWER.notTested("needs two or more saddle_y0 > 0 for sgd; has: "
                        + sgdSteps, "escape steps rise as y0 falls") : CLOSER_SLOWER.verdict(sgdSteps,
                        "escape steps rise as y0 falls" + never, slower),
                theory(SADDLE_THEORY, linear, "no sgd, momentum or nesterov row from y0 > 0"),
                sooner.isEmpty() ? FAR_SOONER.notTested("needs sgd and another optimizer", "<= " + FAR + " x")
                        : FAR_SOONER.verdict("steps, other/sgd: " + String.join(", ", sooner), "<= "
                        + Table.readable(FAR) + " x SGD's steps; escaped where SGD never did", far),
                theory(SADDLE_LINE, line, "no saddle_y0 = 0 in this run"),
                rows.isEmpty() ? ESCAPE_AGREE.notTested("no rows", "same step") : ESCAPE_AGREE.verdict(
                        disagree.isEmpty() ? "all " + rows.size() + " runs" : "disagree: " + String.join(", ",
                                disagree), "the same escape step (or never) in every run", disagree.isEmpty()));
    }

    private static int steps(Row r, int budget) {
        return r.get("escape_step") == null ? budget + 1 : (int) r.num("escape_step");
    }

    private static Claim theory(Check check, List<Row> rs, String why) {
        if (rs.isEmpty()) {
            return check.notTested(why, "the linear recurrence's step (never from y0 = 0)");
        }
        List<String> off = rs.stream().filter(r -> !java.util.Objects.equals(r.get("ref_escape_step"),
                r.get("theory_steps"))).map(r -> r.coord("setting") + " " + r.coord("optimizer") + ": "
                + r.get("ref_escape_step") + " vs " + r.get("theory_steps")).toList();
        return check.verdict(off.isEmpty() ? "all " + rs.size() + " reference rows match" : "off theory: "
                + String.join(", ", off), "the linear recurrence's step (never from y0 = 0)", off.isEmpty());
    }

    static final Check SIGMOID_VANISHES = Check.finding("sigmoid_gradient_vanishes", "The deep sigmoid net's "
            + "first-layer gradient is at least two orders of magnitude below its output layer's at initialization.");
    static final Check SIGMOID_CHANCE = Check.finding("sigmoid_accuracy_at_chance", "The deep sigmoid net's test "
            + "accuracy stays at chance.");
    static final Check FLAT = Check.finding("tanh_relu_flat", "Tanh and relu nets' gradients stay flat across "
            + "layers: first-layer over output-layer norm above 0.01 at initialization.");
    static final Check LEARN = Check.finding("tanh_relu_learn", "Tanh and relu nets learn: their test accuracy is "
            + "above chance.");
    static final Check VANISHING_AGREE = Check.integrity("vanishing_engines_agree", "DL4J's per-layer gradient "
            + "norms equal the reference Mlp's from the same parameters.");
    static final List<Check> VANISHING = List.of(SIGMOID_VANISHES, SIGMOID_CHANCE, FLAT, LEARN, VANISHING_AGREE);
    /** Two orders of magnitude: the first-over-output ratio at or below it is a vanishing gradient. */
    static final double VANISHED = 0.01;

    static List<Claim> vanishing(Map<String, List<Row>> byAct, int tests, int classes, List<String> disagree,
                                 double tol) {
        List<String> sigmoid = byAct.containsKey("sigmoid") ? List.of("sigmoid") : List.of();
        List<String> others = byAct.keySet().stream().filter(a -> a.equals("tanh") || a.equals("relu")).toList();
        String chance = "1/" + classes + " inside the Wilson 95% interval of the pooled test accuracy";
        String above = "1/" + classes + " below the Wilson 95% interval of the pooled test accuracy";
        return List.of(
                ratio(SIGMOID_VANISHES, byAct, sigmoid, true), accuracy(SIGMOID_CHANCE, byAct, sigmoid, tests,
                        classes, true, chance),
                ratio(FLAT, byAct, others, false), accuracy(LEARN, byAct, others, tests, classes, false, above),
                VANISHING_AGREE.verdict(disagree.isEmpty() ? "every layer norm of every cell" : "max relative diff: "
                        + String.join(", ", disagree), "relative difference <= " + Table.readable(tol),
                        disagree.isEmpty()));
    }

    private static Claim ratio(Check check, Map<String, List<Row>> byAct, List<String> acts, boolean vanish) {
        String expected = (vanish ? "<= " : "> ") + Table.readable(VANISHED) + " in every seed";
        if (acts.isEmpty()) {
            return check.notTested("the run has no such activation in deep_activations", expected);
        }
        List<Row> rs = acts.stream().flatMap(a -> byAct.get(a).stream()).toList();
        return check.verdict(String.join(", ", rs.stream().map(r -> r.coord("setting") + " seed " + r.coord("seed")
                + ": " + Table.readable(r.num("first_over_last_init"))).toList()), expected, rs.stream()
                .allMatch(r -> vanish == r.num("first_over_last_init") <= VANISHED));
    }

    private static Claim accuracy(Check check, Map<String, List<Row>> byAct, List<String> acts, int tests,
                                  int classes, boolean atChance, String expected) {
        if (acts.isEmpty()) {
            return check.notTested("the run has no such activation in deep_activations", expected);
        }
        boolean holds = true;
        List<String> measured = new ArrayList<>();
        for (String a : acts) {
            List<Row> rs = byAct.get(a);
            int correct = (int) Math.round(rs.stream().mapToDouble(r -> r.num("test_accuracy") * tests).sum());
            double[] ci = Binomial.wilson(correct, tests * rs.size());
            holds &= atChance ? ci[0] <= 1.0 / classes && 1.0 / classes <= ci[1] : ci[0] > 1.0 / classes;
            measured.add(String.format(Locale.ROOT, "%s %d/%d (%s..%s)", a, correct, tests * rs.size(),
                    Table.readable(ci[0]), Table.readable(ci[1])));
        }
        return check.verdict(String.join(", ", measured), expected, holds);
    }

    static final Check TOO_LARGE = Check.finding("too_large_step_diverges", "Too large a step size (the largest of "
            + "each case) ends as a row with status diverged and the step it happened at: a loss blow-up first, NaN "
            + "later or never.");
    static final Check JUST_ABOVE = Check.finding("just_above_bound_neither", "A step just above 2/lambda_max on "
            + "Rosenbrock (at most 10% above) neither diverges nor converges.");
    static final Check ROSENBROCK_BOUND = Check.integrity("rosenbrock_stability_bound", "No Rosenbrock run converges "
            + "with lr above 2/lambda_max at (1, 1).");
    static final Check STEP_AGREE = Check.integrity("step_size_engines_agree", "DL4J and the reference agree on "
            + "every step-size run: the same outcome and end point, or the same outcome on a chaotic orbit.");
    static final List<Check> STEP_SIZE = List.of(TOO_LARGE, JUST_ABOVE, ROSENBROCK_BOUND, STEP_AGREE);
    /** "Just above" the bound: at most this factor above it. */
    static final double JUST = 1.1;

    static List<Claim> stepSize(List<Row> rows, String rosenbrock, List<String> violations, List<String> disagree) {
        Map<String, Row> largest = new java.util.LinkedHashMap<>();
        for (Row r : rows) {
            largest.merge(r.coord("case") + " " + r.coord("setting"), r, (a, b) -> Double.parseDouble(b.coord("lr"))
                    > Double.parseDouble(a.coord("lr")) ? b : a);
        }
        List<String> measured = new ArrayList<>();
        boolean diverged = true;
        for (Row r : largest.values()) {
            boolean ok = r.status() == gdlab.sweep.CellResult.Status.DIVERGED && r.get("diverged_step") != null
                    && (r.get("nonfinite_step") == null || r.num("nonfinite_step") >= r.num("diverged_step"));
            diverged &= ok;
            measured.add(r.coord("case") + " " + r.coord("setting") + " lr=" + r.coord("lr") + ": " + r.status()
                    + (r.get("diverged_step") == null ? "" : " at step " + r.str("diverged_step"))
                    + (r.get("nonfinite_step") == null ? "" : ", NaN at " + r.str("nonfinite_step")));
        }
        List<Row> rosen = rows.stream().filter(r -> r.coord("case").equals(rosenbrock)).toList();
        List<Row> just = rosen.stream().filter(r -> Double.parseDouble(r.coord("lr")) > r.num("lr_bound")
                && Double.parseDouble(r.coord("lr")) <= JUST * r.num("lr_bound")).toList();
        return List.of(
                largest.isEmpty() ? TOO_LARGE.notTested("no rows", "diverged") : TOO_LARGE.verdict(String.join("; ",
                        measured), "status diverged with its step; NaN at or after it, or never", diverged),
                just.isEmpty() ? JUST_ABOVE.notTested("no rosenbrock_lr in (2/lambda_max, " + JUST
                        + " x 2/lambda_max]", "neither diverged nor converged") : JUST_ABOVE.verdict(String.join(", ",
                        just.stream().map(r -> "lr=" + r.coord("lr") + ": " + r.str("outcome")).toList()),
                        "neither diverged nor converged", just.stream().noneMatch(r -> List.of("diverged",
                        "converged").contains(r.str("outcome")))),
                rosen.isEmpty() ? ROSENBROCK_BOUND.notTested("no Rosenbrock rows", "none") : ROSENBROCK_BOUND.verdict(
                        violations.isEmpty() ? "none of " + rosen.size() + " runs" : "converged: " + String.join(", ",
                                violations), "no convergence with lr >= 2/lambda_max", violations.isEmpty()),
                rows.isEmpty() ? STEP_AGREE.notTested("no rows", "agree") : STEP_AGREE.verdict(disagree.isEmpty()
                        ? "all " + rows.size() + " runs" : "disagree: " + String.join(", ", disagree),
                        "agreement yes or chaotic in every run", disagree.isEmpty()));
    }
}
