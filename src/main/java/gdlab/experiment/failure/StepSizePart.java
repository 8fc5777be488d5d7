package gdlab.experiment.failure;

import gdlab.data.Dataset;
import gdlab.data.Split;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.SameDiffDescent;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.GradientDescent;
import gdlab.reference.Mlp;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Status;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Theory;
import gdlab.reference.Trajectory;
import gdlab.reference.Updaters;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.outcome;
import static gdlab.report.Metric.timing;

/**
 * Part 5, a bad step size: plain GD with too large a learning rate on (a) Rosenbrock from (-1.2, 1), in DL4J
 * (SameDiff) and the reference, beside linear-stability theory at the minimum (GD can converge to (1, 1) only if lr
 * &lt; 2 / lambda_max of the Hessian there); (b) an MLP on {@code data} (the digits by default) trained full-batch
 * (one update per epoch, so the epoch is the step) in DL4J, in double and float, replayed in the reference (double
 * only). A run that blows up is a row with status {@code diverged} and the step it happened at, never an exception.
 */
final class StepSizePart extends Part {
    static final String NAME = "step-size";
    static final String ROSENBROCK = "rosenbrock";
    static final double[] START = {-1.2, 1};
    /** f at most this counts as converged on Rosenbrock (minimum 0). */
    static final double CONVERGED_F = 1e-10;
    static final double AGREE_TOL = 1e-6;

    static final Claim TOO_LARGE = finding("too_large_step_diverges", "Too large a step size (the largest of "
            + "each case) ends as a row with status diverged and the step it happened at: a loss blow-up first, NaN "
            + "later or never.");
    static final Claim JUST_ABOVE = finding("just_above_bound_neither", "A step just above 2/lambda_max on "
            + "Rosenbrock (at most 10% above) neither diverges nor converges.");
    static final Claim ROSENBROCK_BOUND = integrity("rosenbrock_stability_bound", "No Rosenbrock run converges "
            + "with lr above 2/lambda_max at (1, 1).");
    static final Claim STEP_AGREE = integrity("step_size_engines_agree", "DL4J and the reference agree on "
            + "every step-size run: the same outcome and end point, or the same outcome on a chaotic orbit.");
    /** "Just above" the bound: at most this factor above it. */
    static final double JUST = 1.1;

    private int rosenbrockSteps;
    private int mlpSteps;
    private int hidden;
    private double blowup;
    private Split split;

    StepSizePart() {
        super(NAME, "5. A bad step size: divergence as a status", List.of(outcome("outcome"),
                measure("diverged_step"), measure("nonfinite_step"), outcome("ref_outcome"),
                measure("ref_diverged_step"), measure("ref_nonfinite_step"), measure("initial_value"),
                measure("final_value"), measure("ref_final_value"), measure("lr_bound"), measure("engines_agree"),
                outcome("agreement"), measure("orbit_split_step"), timing("run_ms")), TOO_LARGE, JUST_ABOVE,
                ROSENBROCK_BOUND, STEP_AGREE);
    }

    @Override
    protected List<Param> params() {
        List<Param> params = new ArrayList<>(List.of(
                Param.real("rosenbrock_lr", 0, true, "step size: GD learning rates on Rosenbrock"),
                Param.integer("rosenbrock_steps", 1, 10_000_000, false, "step size: step budget on Rosenbrock"),
                Param.real("mlp_lr", 0, true, "step size: full-batch GD learning rates of the MLP"),
                Param.integer("mlp_steps", 1, 1_000_000, false, "step size: full-batch steps of the MLP"),
                Param.integer("mlp_hidden", 1, 4096, false, "step size: hidden units of the MLP"),
                Param.choice("mlp_activation", Networks.ACTIVATIONS, true, "step size: hidden activation"),
                Param.choice("mlp_dtype", Networks.DTYPES, true, "step size: ND4J data type of the MLP"),
                Param.real("blowup_factor", 1, false,
                        "step size: an MLP whose training loss exceeds this times its initial loss has diverged")));
        params.addAll(Common.dataParams());
        return params;
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        rosenbrockSteps = spec.integer("rosenbrock_steps");
        mlpSteps = spec.integer("mlp_steps");
        hidden = spec.integer("mlp_hidden");
        blowup = spec.real("blowup_factor");
        split = Common.split(spec);
        List<Map<String, String>> cells = new ArrayList<>();
        for (String lr : spec.list("rosenbrock_lr")) {
            cells.add(Part.coords(NAME, ROSENBROCK, "sgd", lr, "-", "start=(-1.2, 1)", "-"));
        }
        Dataset train = split.train();
        for (String act : spec.list("mlp_activation")) {
            String kase = String.format(Locale.ROOT, "%s %d-%d-%d %s", Common.dataName(train), train.numFeatures(),
                    hidden, train.numClasses(), act);
            for (String dtype : spec.list("mlp_dtype")) {
                for (String lr : spec.list("mlp_lr")) {
                    cells.add(Part.coords(NAME, kase, "sgd", lr, "batch", "dtype=" + dtype, 1));
                }
            }
        }
        return cells;
    }

    /** Largest eigenvalue of Rosenbrock's Hessian at its minimum (1, 1): [[802, -400], [-400, 200]]. */
    static double rosenbrockLambdaMax() {
        double a = 1200 - 400 + 2;
        double b = -400;
        double d = 200;
        return (a + d) / 2 + Math.hypot((a - d) / 2, b);
    }

    @Override
    protected Outcome run(Cell cell) {
        return cell.get("case").equals(ROSENBROCK) ? runRosenbrock(cell) : runMlp(cell);
    }

    private Outcome runRosenbrock(Cell cell) {
        long t0 = System.nanoTime();
        double lr = cell.real("lr");
        Trajectory ref = GradientDescent.run(TestFunction.ROSENBROCK, Updaters.create("sgd", lr), START,
                rosenbrockSteps, StopRule.valueBelow(CONVERGED_F));
        String refOutcome = switch (ref.status()) {
            case CONVERGED -> "converged";
            case DIVERGED -> "diverged";
            default -> "not_converged";
        };

        SameDiffDescent d = SameDiffDescent.function(ROSENBROCK, START[0], START[1], Optimizers.updater("sgd", lr));
        double f0 = d.value();
        double v = f0;
        String outcome;
        int step;
        Curve curve = new Curve();
        curve.add("engine", "dl4j", "series", "f", "step", 0, "value", f0);
        List<double[]> path = new ArrayList<>();
        path.add(d.point());
        for (int k = 0; ; k++) {
            if (v <= CONVERGED_F) {
                outcome = "converged";
                step = k;
                break;
            }
            if (k == rosenbrockSteps) {
                outcome = "not_converged";
                step = k;
                break;
            }
            d.step();
            v = d.value();
            double[] p = d.point();
            path.add(p);
            curve.add("engine", "dl4j", "series", "f", "step", k + 1, "value", v);
            if (!Double.isFinite(v) || !Double.isFinite(p[0]) || !Double.isFinite(p[1])
                    || Math.abs(v - f0) > GradientDescent.BLOW_UP * Math.max(1, Math.abs(f0))) {
                outcome = "diverged";
                step = k + 1;
                break;
            }
        }
        boolean same = outcome.equals(refOutcome) && (outcome.equals("diverged") ? step == ref.iterations()
                : Common.agree(v, ref.finalValue(), AGREE_TOL) || Math.abs(v - ref.finalValue()) <= 1e-12);
        int split = Common.splitStep(path, ref.points());
        // same outcome, identical orbits for many steps, then apart: rounding amplified by unstable dynamics
        boolean chaotic = !same && outcome.equals(refOutcome) && split >= Common.CHAOS_MIN_STEPS;
        Metric.Values m = Metric.values(metrics).put("outcome", outcome)
                .put("diverged_step", outcome.equals("diverged") ? step : null).put("nonfinite_step", null)
                .put("ref_nonfinite_step", null)
                .put("ref_outcome", refOutcome)
                .put("ref_diverged_step", ref.status() == Status.DIVERGED ? ref.iterations() : null)
                .put("initial_value", f0).put("final_value", v).put("ref_final_value", ref.finalValue())
                .put("lr_bound", Theory.criticalLearningRate(rosenbrockLambdaMax()))
                .put("engines_agree", same ? 1 : 0).put("agreement", same ? "yes" : chaotic ? "chaotic" : "no")
                .put("orbit_split_step", split < 0 ? null : split)
                .put("run_ms", (System.nanoTime() - t0) / 1e6);
        return Outcome.of(outcome.equals("diverged"), "f = " + v + " at step " + step, m.map(), curve);
    }

    private Outcome runMlp(Cell cell) {
        long t0 = System.nanoTime();
        double lr = cell.real("lr");
        long seed = cell.longValue("seed");
        String act = cell.get("case").substring(cell.get("case").lastIndexOf(' ') + 1);
        DataType dtype = Networks.dtype(cell.get("setting").substring("dtype=".length()));
        Dataset train = split.train();
        int n = train.size();
        int[] sizes = {train.numFeatures(), hidden, train.numClasses()};
        MultiLayerNetwork net = Networks.classifier(sizes, act, Optimizers.updater("sgd", lr), seed, dtype);
        double[] p0 = Tensors.toDoubles(net.params());
        INDArray x = Tensors.matrix(train.features(), dtype);
        INDArray y = Tensors.oneHot(train.labels(), train.numClasses(), dtype);
        double initial = net.score(new DataSet(x, y));
        // no early stop at the blow-up: training goes on, so a later NaN (or none) is seen too
        Trainer.Outcome o = Trainer.train(net, x, y, new Trainer.Options(n, mlpSteps, 0, Double.NaN, seed,
                Trainer.Order.SHUFFLED), null);
        double[] losses = o.epochs().stream().mapToDouble(Trainer.Epoch::trainLoss).toArray();
        Integer blowStep = firstAbove(losses, blowup * initial);
        Integer nonfinite = o.status() == Trainer.Status.DIVERGED && !Double.isFinite(o.finalLoss())
                ? o.epochs().size() : null;
        boolean diverged = blowStep != null || o.status() == Trainer.Status.DIVERGED;
        Integer divergedStep = blowStep != null ? blowStep : diverged ? (Integer) o.epochs().size() : null;
        String outcome = diverged ? "diverged" : "ok";
        Curve curve = new Curve();
        curve.trainLoss(initial, o.epochs(), Trainer.Epoch::updates);

        String refOutcome = null;
        Integer refStep = null;
        Integer refNonfinite = null;
        Double refFinal = null;
        Integer agree = null;
        String agreement = null;
        if (dtype == DataType.DOUBLE) {
            Mlp mlp = Common.classifier(sizes, act);
            double[][] yRef = train.oneHot();
            ReferenceTrainer ref = new ReferenceTrainer(mlp, Updaters.create("sgd", lr), p0, train.features(), yRef,
                    n, Ordering.shuffled(seed));
            double refInitial = ref.trainLoss();
            List<Double> refLosses = new ArrayList<>();
            double loss = refInitial;
            for (int k = 1; k <= mlpSteps; k++) {
                ref.step();
                loss = ref.trainLoss();
                refLosses.add(loss);
                // the Trainer's rule: stop at a non-finite loss or one above BLOW_UP x max(initial, 1)
                if (!Double.isFinite(loss) || loss > Trainer.BLOW_UP * Math.max(refInitial, 1.0)) {
                    refNonfinite = Double.isFinite(loss) ? null : k;
                    break;
                }
            }
            refStep = firstAbove(refLosses.stream().mapToDouble(Double::doubleValue).toArray(), blowup * refInitial);
            refOutcome = refStep != null || refLosses.size() < mlpSteps ? "diverged" : "ok";
            if (refStep == null && refLosses.size() < mlpSteps) {
                refStep = refLosses.size();
            }
            refFinal = loss;
            agree = outcome.equals(refOutcome) && Objects.equals(divergedStep, refStep)
                    && Objects.equals(nonfinite, refNonfinite)
                    && (diverged || Common.agree(o.finalLoss(), loss, AGREE_TOL)) ? 1 : 0;
            agreement = agree == 1 ? "yes" : "no";
        }
        Metric.Values m = Metric.values(metrics).put("outcome", outcome).put("diverged_step", divergedStep)
                .put("nonfinite_step", nonfinite).put("ref_outcome", refOutcome).put("ref_diverged_step", refStep)
                .put("ref_nonfinite_step", refNonfinite).put("initial_value", initial)
                .put("final_value", o.finalLoss()).put("ref_final_value", refFinal)
                .put("lr_bound", null).put("engines_agree", agree).put("agreement", agreement)
                .put("orbit_split_step", null).put("run_ms", (System.nanoTime() - t0) / 1e6);
        return Outcome.of(diverged, describe(outcome, divergedStep, nonfinite), m.map(), curve);
    }

    /** The first step (1-based) whose loss is non-finite or above {@code limit}, or null. */
    static Integer firstAbove(double[] losses, double limit) {
        for (int k = 0; k < losses.length; k++) {
            if (!Double.isFinite(losses[k]) || losses[k] > limit) {
                return k + 1;
            }
        }
        return null;
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        Table csv = columns("case", "setting", "lr", "lr_bound", "status", "outcome", "diverged_step",
                "nonfinite_step", "ref_outcome", "ref_diverged_step", "ref_nonfinite_step", "initial_value",
                "final_value", "ref_final_value", "engines_agree", "agreement", "orbit_split_step").csv(rows);
        List<CellResult> rosenRows = rows.stream().filter(r -> coord(r, "case").equals(ROSENBROCK)).toList();
        List<CellResult> mlpRows = rows.stream().filter(r -> !coord(r, "case").equals(ROSENBROCK)).toList();
        Table rosen = new Columns<CellResult>().markdown("lr", r -> coord(r, "lr"))
                .markdown("2/lambda_max at (1,1)", r -> r.metric("lr_bound"))
                .markdown("theory", r -> lr(r) < r.number("lr_bound") ? "can converge" : "cannot converge to (1,1)")
                .markdown("status", r -> r.status().toString())
                .markdown("dl4j", r -> describe(str(r, "outcome"), r.metric("diverged_step")))
                .markdown("reference", r -> describe(str(r, "ref_outcome"), r.metric("ref_diverged_step")))
                .markdown("final_f_dl4j", r -> r.metric("final_value"))
                .markdown("final_f_reference", r -> r.metric("ref_final_value"))
                .markdown("agree", StepSizePart::agreement).markdown(rosenRows);
        Table mlp = new Columns<CellResult>().markdown("net", r -> coord(r, "case"))
                .markdown("dtype", r -> coord(r, "setting").substring("dtype=".length()))
                .markdown("lr", r -> coord(r, "lr")).markdown("status", r -> r.status().toString())
                .markdown("dl4j", r -> describe(str(r, "outcome"), r.metric("diverged_step"),
                        r.metric("nonfinite_step")))
                .markdown("initial_loss", r -> r.metric("initial_value"))
                .markdown("final_loss_dl4j", r -> r.metric("final_value"))
                .markdown("reference", r -> r.metric("ref_outcome") == null ? "-" : describe(str(r, "ref_outcome"),
                        r.metric("ref_diverged_step"), r.metric("ref_nonfinite_step")))
                .markdown("final_loss_reference", r -> r.metric("ref_final_value") == null ? "-"
                        : r.metric("ref_final_value"))
                .markdown("agree", StepSizePart::agreement).markdown(mlpRows);
        List<String> disagree = rows.stream().filter(r -> str(r, "agreement").equals("no"))
                .map(r -> coord(r, "case") + " " + coord(r, "setting") + " lr=" + coord(r, "lr")).toList();
        // no Rosenbrock run may converge with lr at or above the bound
        List<String> violations = rosenRows.stream().filter(r -> !(lr(r) < r.number("lr_bound"))
                && "converged".equals(r.metric("outcome"))).map(r -> "lr=" + coord(r, "lr")).toList();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, """
                Rosenbrock: plain GD (sgd) from (-1.2, 1) for at most %d steps; converged = f <= %s; diverged = f or \
                x not finite or |f - f0| > %s max(1, |f0|) (the reference's rule, applied to DL4J too), with the \
                step it happened at. Theory: the Hessian at (1, 1) has lambda_max = %s, so GD can converge there only \
                if lr < 2/lambda_max = %s. `agree` compares the DL4J run with the reference: the same outcome and \
                end point, or, on an unstable (chaotic) orbit, the same outcome with the two orbits identical to \
                1e-9 for at least %d steps before last-bit rounding differences grow apart.

                """, rosenbrockSteps, Table.readable(CONVERGED_F), Table.readable(GradientDescent.BLOW_UP),
                Table.readable(rosenbrockLambdaMax()), Table.readable(Theory.criticalLearningRate(rosenbrockLambdaMax())),
                Common.CHAOS_MIN_STEPS));
        if (!rosen.rows().isEmpty()) {
            text.append(rosen.toMarkdown()).append('\n');
        }
        text.append(String.format(Locale.ROOT, """
                MLP on %s (Xavier init, seed 1), full-batch GD for %d steps: one update per epoch, so an epoch is a \
                step. Diverged at the first step whose training loss is above %s x the initial loss, or NaN/infinite \
                (gdlab's Trainer stops there; its own rule, above %s x max(initial, 1), cannot fire here: DL4J clips \
                the softmax cross-entropy at -log(1e-10) ~ 23 per example, so an exploding net's loss saturates \
                instead). Training goes on after the blow-up, so a later NaN shows too. Reference replay from \
                DL4J's initial parameters, double only.

                """, split == null ? "data" : Common.dataName(split.train()), mlpSteps, Table.readable(blowup),
                Table.readable(Trainer.BLOW_UP)));
        if (!mlp.rows().isEmpty()) {
            text.append(mlp.toMarkdown()).append('\n');
        }
        return new Section(text.toString(), csv, figures(rows), claims(rows, violations, disagree));
    }

    private static List<Claim> claims(List<CellResult> rows, List<String> violations, List<String> disagree) {
        Map<String, CellResult> largest = new java.util.LinkedHashMap<>();
        for (CellResult r : rows) {
            largest.merge(coord(r, "case") + " " + coord(r, "setting"), r, (a, b) -> Double.parseDouble(coord(b, "lr"))
                    > Double.parseDouble(coord(a, "lr")) ? b : a);
        }
        List<String> measured = new ArrayList<>();
        boolean diverged = true;
        for (CellResult r : largest.values()) {
            boolean ok = r.status() == gdlab.sweep.CellResult.Status.DIVERGED && r.metric("diverged_step") != null
                    && (r.metric("nonfinite_step") == null || r.number("nonfinite_step") >= r.number("diverged_step"));
            diverged &= ok;
            measured.add(coord(r, "case") + " " + coord(r, "setting") + " lr=" + coord(r, "lr") + ": " + r.status()
                    + (r.metric("diverged_step") == null ? "" : " at step " + str(r, "diverged_step"))
                    + (r.metric("nonfinite_step") == null ? "" : ", NaN at " + str(r, "nonfinite_step")));
        }
        List<CellResult> rosen = rows.stream().filter(r -> coord(r, "case").equals(ROSENBROCK)).toList();
        List<CellResult> just = rosen.stream().filter(r -> lr(r) > r.number("lr_bound")
                && lr(r) <= JUST * r.number("lr_bound")).toList();
        return List.of(
                largest.isEmpty() ? notTested(TOO_LARGE, "no rows", "diverged") : verdict(TOO_LARGE, String.join("; ",
                        measured), "status diverged with its step; NaN at or after it, or never", diverged,
                        "the divergence rule on each deterministic run"),
                just.isEmpty() ? notTested(JUST_ABOVE, "no rosenbrock_lr in (2/lambda_max, " + JUST
                        + " x 2/lambda_max]", "neither diverged nor converged") : verdict(JUST_ABOVE, String.join(", ",
                        just.stream().map(r -> "lr=" + coord(r, "lr") + ": " + str(r, "outcome")).toList()),
                        "neither diverged nor converged", just.stream().noneMatch(r -> List.of("diverged",
                        "converged").contains(str(r, "outcome"))), "outcome of each deterministic run"),
                rosen.isEmpty() ? notTested(ROSENBROCK_BOUND, "no Rosenbrock rows", "none") : verdict(ROSENBROCK_BOUND, 
                        violations.isEmpty() ? "none of " + rosen.size() + " runs" : "converged: " + String.join(", ",
                                violations), "no convergence with lr >= 2/lambda_max", violations.isEmpty(),
                        "bound 2/lambda_max = 0.001997 at (1, 1) (exact Hessian)"),
                rows.isEmpty() ? notTested(STEP_AGREE, "no rows", "agree") : verdict(STEP_AGREE, disagree.isEmpty()
                        ? "all " + rows.size() + " runs" : "disagree: " + String.join(", ", disagree),
                        "agreement yes or chaotic in every run", disagree.isEmpty(),
                        "the same outcome, end points within the crosscheck's bound"));
    }

    /** How the DL4J run agrees with the reference, in words. */
    private static String agreement(CellResult r) {
        return switch (str(r, "agreement")) {
            case "" -> "-";
            case "yes" -> "yes";
            case "chaotic" -> "same outcome; orbits equal to 1e-9 until step " + str(r, "orbit_split_step")
                    + ", then apart (chaos)";
            default -> "**NO**";
        };
    }

    private static String describe(String outcome, Object step) {
        return step == null ? outcome : outcome + " at step " + step;
    }

    private static String describe(String outcome, Object step, Object nonfinite) {
        return describe(outcome, step) + (nonfinite == null ? "" : ", NaN at step " + nonfinite);
    }

    private static List<Figure> figures(List<CellResult> rows) {
        List<Figure.Series> rosen = new ArrayList<>();
        List<Figure.Series> mlp = new ArrayList<>();
        for (CellResult r : rows) {
            if (coord(r, "case").equals(ROSENBROCK)) {
                rosen.add(line("lr=" + coord(r, "lr"), r));
            } else {
                mlp.add(line(coord(r, "setting").substring("dtype=".length()) + " lr=" + coord(r, "lr"), r));
            }
        }
        List<Figure> figures = new ArrayList<>();
        if (!rosen.isEmpty()) {
            figures.add(new Figure.Lines("rosenbrock-step-size", "GD on Rosenbrock: f per step (DL4J)", "step", "f",
                    false, true, rosen));
        }
        if (!mlp.isEmpty()) {
            figures.add(new Figure.Lines("mlp-step-size", "MLP, full-batch GD: training loss per step (DL4J)",
                    "step", "training loss", false, true, mlp));
        }
        return figures;
    }
}
