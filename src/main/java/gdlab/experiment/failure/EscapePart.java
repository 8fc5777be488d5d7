package gdlab.experiment.failure;

import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.SameDiffDescent;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.reference.GradientDescent;
import gdlab.reference.HeavyBall;
import gdlab.reference.Loss;
import gdlab.reference.Mlp;
import gdlab.reference.Nesterov;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.Status;
import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;
import gdlab.reference.Updaters;
import gdlab.reference.Variant;
import gdlab.experiment.Keys;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.timing;

/**
 * Part 3, saddles and plateaus: steps each optimizer needs to escape (a) the saddle of f = x^2 - y^2 from (x0, y0)
 * with y0 tiny or exactly 0 (escaped: |y| > saddle_escape), in DL4J (SameDiff) and the reference, beside the exact
 * linear theory of SGD, heavy ball and DL4J's Nesterov on this quadratic; (b) the plateau of a saturated sigmoid unit:
 * a DL4J net with one sigmoid output and MSE loss on 1-D data (x in [-1, 1], label x > 0), started at w = 0 and a
 * large negative bias, where the gradient is ~sigma'(b) ~ e^b (escaped: training loss at most plateau_escape_loss),
 * full-batch, replayed in the reference from the same parameters.
 */
final class EscapePart extends Part {
    static final String NAME = "saddle-plateau";
    static final String SADDLE = "saddle x^2-y^2";
    static final String PLATEAU = "plateau sigmoid unit";

    static final Claim CLOSER_SLOWER = finding("saddle_closer_slower", "SGD needs more steps to escape the "
            + "saddle the closer it starts to it.");
    static final Claim SADDLE_THEORY = integrity("saddle_linear_theory", "SGD's, heavy ball's and Nesterov's "
            + "escape steps from y0 > 0 are exactly the linear recurrence's (for SGD the first k with y0 (1 + 2 lr)^k "
            + "past the escape level, about log(1/y0)).");
    static final Claim FAR_SOONER = finding("others_escape_far_sooner", "SGD crawls at the saddle and on the "
            + "plateau: momentum and adaptive methods escape both in at most half its steps, or within the budget where "
            + "SGD never does.");
    static final Claim SADDLE_LINE = integrity("saddle_line_never_left", "No method leaves the exact saddle "
            + "line y0 = 0 (a zero gradient gives a zero update).");
    static final Claim ESCAPE_AGREE = integrity("escape_engines_agree", "DL4J and the reference escape the "
            + "saddle and the plateau at the same step.");
    /** "Far sooner": at most this share of SGD's escape steps. */
    static final double FAR = 0.5;

    private double saddleX0;
    private double saddleEscape;
    private double plateauBias;
    private double plateauEscape;
    private int plateauPoints;
    private int saddleSteps;
    private int plateauSteps;
    private DataType dtype;

    EscapePart() {
        super(NAME, "3. Saddles and plateaus: steps to escape", List.of(measure("escape_step"),
                measure("ref_escape_step"), measure("theory_steps"), measure("engines_agree"),
                measure("paper_escape_step"), measure("final_value"), measure("ref_final_value"),
                measure("initial_grad_norm"), timing("run_ms")), CLOSER_SLOWER, SADDLE_THEORY, FAR_SOONER, SADDLE_LINE,
                ESCAPE_AGREE);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("escape_optimizers", Optimizers.UPDATERS, true, "saddles/plateaus: the optimizers"),
                Param.real("saddle_lr", 0, true, "saddles: learning rate of every optimizer"),
                Param.realIn("saddle_x0", -1e6, 1e6, false, "saddles: start x"),
                Param.realIn("saddle_y0", 0, 1, true, "saddles: start y (distance from the saddle's escape line)"),
                Param.real("saddle_escape", 0, false, "saddles: escaped once |y| exceeds this"),
                Param.real("plateau_lr", 0, true, "plateaus: learning rate of every optimizer"),
                Param.realIn("plateau_bias", -50, 0, false, "plateaus: initial bias of the sigmoid unit (w = 0)"),
                Param.real("plateau_escape_loss", 0, false, "plateaus: escaped once the training loss is at most this"),
                Param.integer("plateau_points", 2, 100_000, false, "plateaus: training points in [-1, 1]"),
                Param.integer("saddle_max_steps", 1, 10_000_000, false, "saddles: step budget"),
                Param.integer("plateau_max_steps", 1, 10_000_000, false, "plateaus: step budget"),
                Keys.dtype("saddles/plateaus: ND4J data type of the plateau's DL4J net"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        saddleX0 = spec.real("saddle_x0");
        saddleEscape = spec.real("saddle_escape");
        plateauBias = spec.real("plateau_bias");
        plateauEscape = spec.real("plateau_escape_loss");
        plateauPoints = spec.integer("plateau_points");
        saddleSteps = spec.integer("saddle_max_steps");
        plateauSteps = spec.integer("plateau_max_steps");
        dtype = Networks.dtype(spec.string("dtype"));
        for (String y0 : spec.list("saddle_y0")) {
            if (Double.parseDouble(y0) >= saddleEscape) {
                throw new BadInputException("bad value '" + y0 + "' for saddle_y0: it must start below saddle_escape ("
                        + spec.string("saddle_escape") + "); allowed: a number from 0 to below saddle_escape");
            }
        }
        List<Map<String, String>> cells = new ArrayList<>();
        for (String y0 : spec.list("saddle_y0")) {
            for (String lr : spec.list("saddle_lr")) {
                for (String opt : spec.list("escape_optimizers")) {
                    cells.add(Part.coords(NAME, SADDLE, opt, lr, "-", "y0=" + y0, "-"));
                }
            }
        }
        for (String lr : spec.list("plateau_lr")) {
            for (String opt : spec.list("escape_optimizers")) {
                cells.add(Part.coords(NAME, PLATEAU, opt, lr, "batch", "b0=" + spec.string("plateau_bias"), "-"));
            }
        }
        return cells;
    }

    @Override
    protected Outcome run(Cell cell) {
        return cell.get("case").equals(SADDLE) ? runSaddle(cell) : runPlateau(cell);
    }

    private Outcome runSaddle(Cell cell) {
        long t0 = System.nanoTime();
        String opt = cell.get("optimizer");
        double lr = cell.real("lr");
        double y0 = Double.parseDouble(cell.get("setting").substring("y0=".length()));
        Trajectory ref = GradientDescent.run(TestFunction.SADDLE, Updaters.create(opt, lr),
                new double[] {saddleX0, y0}, saddleSteps, p -> Math.abs(p.x()[1]) > saddleEscape);
        Integer refEscape = ref.status() == Status.CONVERGED ? ref.iterations() : null;
        Integer paperEscape = null;
        if (Updaters.WITH_PAPER_VARIANT.contains(opt)) {
            Trajectory paper = GradientDescent.run(TestFunction.SADDLE, Updaters.create(opt, lr, Variant.PAPER),
                    new double[] {saddleX0, y0}, saddleSteps, p -> Math.abs(p.x()[1]) > saddleEscape);
            paperEscape = paper.status() == Status.CONVERGED ? paper.iterations() : null;
        }

        SameDiffDescent d = SameDiffDescent.function("saddle", saddleX0, y0, Optimizers.updater(opt, lr));
        Curve curve = new Curve();
        Integer escape = null;
        for (int k = 0; ; k++) {
            double[] p = d.point();
            if (y0 != 0 || k == 0) {
                curve.add("engine", "dl4j", "series", "abs_y", "step", k, "value", Math.abs(p[1]));
            }
            if (Math.abs(p[1]) > saddleEscape) {
                escape = k;
                break;
            }
            if (k == saddleSteps || !Double.isFinite(p[0]) || !Double.isFinite(p[1])) {
                break;
            }
            d.step();
        }
        double value = d.value();
        Integer theory = linearTheory(opt, lr, y0);
        Metric.Values v = Metric.values(metrics).put("escape_step", escape).put("ref_escape_step", refEscape)
                .put("theory_steps", theory)
                .put("engines_agree", java.util.Objects.equals(escape, refEscape) ? 1 : 0)
                .put("paper_escape_step", paperEscape)
                .put("final_value", value).put("ref_final_value", ref.finalValue())
                // the gradient along the escape direction, |df/dy| = 2 |y0| (the x part only pulls back to the line)
                .put("initial_grad_norm", Math.abs(TestFunction.SADDLE.gradient(new double[] {saddleX0, y0})[1]))
                .put("run_ms", (System.nanoTime() - t0) / 1e6);
        return Outcome.ok(v.map(), curve);
    }

    /**
     * The escape step by the exact linear recurrence of the method on x^2 - y^2 (the y coordinate alone, g_y = -2y):
     * SGD y_k = y0 (1 + 2 lr)^k; heavy ball and DL4J's Nesterov: powers of their 2x2 iteration matrix on (y, v).
     * From y0 = 0 no method moves y (every updater maps a zero gradient to a zero update). Null when not escaped
     * within the budget; NaN-free: returns null for optimizers without a linear form.
     */
    Integer linearTheory(String opt, double lr, double y0) {
        if (y0 == 0) {
            return null;
        }
        if (opt.equals("sgd")) {
            long k = (long) Math.floor(Math.log(saddleEscape / y0) / Math.log(1 + 2 * lr)) + 1;
            return k <= saddleSteps ? (int) k : null;
        }
        double[][] m;
        if (opt.equals("momentum")) {
            // v' = mu v + g = mu v - 2y; y' = y - lr v' = (1 + 2 lr) y - lr mu v
            double mu = HeavyBall.DEFAULT_MOMENTUM;
            m = new double[][] {{1 + 2 * lr, -lr * mu}, {-2, mu}};
        } else if (opt.equals("nesterov")) {
            // v' = mu v - lr g = mu v + 2 lr y; y' = y - (mu v - (1 + mu) v') = (1 + 2 lr (1 + mu)) y + mu^2 v
            double mu = Nesterov.DEFAULT_MOMENTUM;
            m = new double[][] {{1 + 2 * lr * (1 + mu), mu * mu}, {2 * lr, mu}};
        } else {
            return null;
        }
        double y = y0;
        double vel = 0;
        for (int k = 1; k <= saddleSteps; k++) {
            double ny = m[0][0] * y + m[0][1] * vel;
            double nv = m[1][0] * y + m[1][1] * vel;
            y = ny;
            vel = nv;
            if (Math.abs(y) > saddleEscape) {
                return k;
            }
        }
        return null;
    }

    private double[][] plateauX() {
        double[][] x = new double[plateauPoints][1];
        for (int i = 0; i < plateauPoints; i++) {
            x[i][0] = -1 + 2.0 * i / (plateauPoints - 1);
        }
        return x;
    }

    private double[][] plateauY(double[][] x) {
        double[][] y = new double[x.length][1];
        for (int i = 0; i < x.length; i++) {
            y[i][0] = x[i][0] > 0 ? 1 : 0;
        }
        return y;
    }

    /** One sigmoid output unit with MSE loss, parameters [w, b] (DL4J's layout: W then b). */
    static MultiLayerNetwork sigmoidUnit(IUpdater updater, DataType dtype, double w, double b) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(0)
                .dataType(dtype)
                .updater(updater)
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(1).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build());
        net.init();
        net.setParams(Nd4j.create(new double[][] {{w, b}}).castTo(dtype));
        return net;
    }

    private Outcome runPlateau(Cell cell) {
        long t0 = System.nanoTime();
        String opt = cell.get("optimizer");
        double lr = cell.real("lr");
        double[][] xs = plateauX();
        double[][] ys = plateauY(xs);
        MultiLayerNetwork net = sigmoidUnit(Optimizers.updater(opt, lr), dtype, 0, plateauBias);
        INDArray x = Tensors.matrix(xs, dtype);
        INDArray y = Tensors.matrix(ys, dtype);
        Trainer.Outcome o = Trainer.train(net, x, y, new Trainer.Options(plateauPoints, plateauSteps, 0, plateauEscape, 0,
                Trainer.Order.AS_GIVEN), e -> e.trainLoss() <= plateauEscape);
        Integer escape = o.epochsToTarget();
        Curve curve = new Curve();
        curve.trainLoss(o.initialLoss(), o.epochs(), Trainer.Epoch::updates);

        Mlp mlp = new Mlp(new int[] {1, 1}, List.of(gdlab.reference.Activation.SIGMOID), Loss.MSE);
        double[] p0 = {0, plateauBias};
        ReferenceTrainer ref = new ReferenceTrainer(mlp, Updaters.create(opt, lr), p0, xs, ys, plateauPoints,
                Ordering.FIXED);
        Integer refEscape = escapeStep(ref);
        Integer paperEscape = null;
        if (Updaters.WITH_PAPER_VARIANT.contains(opt)) {
            paperEscape = escapeStep(new ReferenceTrainer(mlp, Updaters.create(opt, lr, Variant.PAPER), p0, xs, ys,
                    plateauPoints, Ordering.FIXED));
        }
        Metric.Values v = Metric.values(metrics).put("escape_step", escape).put("ref_escape_step", refEscape)
                .put("theory_steps", null)
                .put("engines_agree", java.util.Objects.equals(escape, refEscape) ? 1 : 0)
                .put("paper_escape_step", paperEscape)
                .put("final_value", o.finalLoss()).put("ref_final_value", ref.trainLoss())
                .put("initial_grad_norm", Common.norm(mlp.gradient(p0, xs, ys)))
                .put("run_ms", (System.nanoTime() - t0) / 1e6);
        return Outcome.ok(v.map(), curve);
    }

    /** Full-batch steps until the training loss is at most the escape level, or null within the budget. */
    private Integer escapeStep(ReferenceTrainer t) {
        for (int k = 1; k <= plateauSteps; k++) {
            t.step();
            if (t.trainLoss() <= plateauEscape) {
                return k;
            }
        }
        return null;
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        Columns<CellResult> table = columns("case", "setting", "optimizer", "lr", "escape_step", "ref_escape_step",
                "theory_steps", "engines_agree", "paper_escape_step", "initial_grad_norm", "final_value")
                .markdown("case", r -> coord(r, "case")).markdown("start", r -> coord(r, "setting"))
                .markdown("optimizer", r -> coord(r, "optimizer")).markdown("lr", r -> coord(r, "lr"))
                .markdown("initial_gradient", r -> r.metric("initial_grad_norm"))
                .markdown("escape_step_dl4j", r -> orNever(r, "escape_step"))
                .markdown("escape_step_reference", r -> orNever(r, "ref_escape_step"))
                .markdown("linear_theory", r -> coord(r, "case").equals(SADDLE) && (y0(r) == 0
                        || List.of("sgd", "momentum", "nesterov").contains(coord(r, "optimizer")))
                        ? orNever(r, "theory_steps") : "-")
                .markdown("agree", r -> r.number("engines_agree") == 1 ? "yes" : "**NO**")
                .markdown("paper_form_reference", r -> Updaters.WITH_PAPER_VARIANT.contains(coord(r, "optimizer"))
                        ? orNever(r, "paper_escape_step") : "-")
                .markdown("final_value_dl4j", r -> r.metric("final_value"));
        List<String> disagree = rows.stream().filter(r -> r.number("engines_agree") != 1)
                .map(r -> coord(r, "case") + " " + coord(r, "setting") + " " + coord(r, "optimizer")).toList();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, """
                Saddle: f = x^2 - y^2 from (%s, y0); escaped once |y| > %s. Plateau: one sigmoid unit, MSE, %d points \
                x in [-1, 1] labelled x > 0, full batch, started at w = 0, b = %s (gradient ~ sigma'(b)); escaped \
                once the training loss is at most %s. Every optimizer runs at the same learning rate (its column), \
                in DL4J (SameDiff for the saddle, a MultiLayerNetwork for the plateau) and in the reference; \
                `linear_theory` is the escape step from the exact linear recurrence of SGD, heavy ball and DL4J's \
                Nesterov on the quadratic (and "never" from y0 = 0 for every method: a zero gradient gives a zero \
                update). `initial_gradient`: |df/dy| = 2|y0| at the saddle start (the direction of escape), the \
                gradient norm at the plateau start. `paper_form_reference`: the reference with the defining paper's \
                form of the updater where DL4J departs from it (adam, nadam, amsgrad: eps on the corrected v and \
                nadam's bias correction of v; adagrad, rmsprop: no eps-initialised state; see gdlab.reference), so the \
                effect of DL4J's form on the escape is measured. AdaDelta has no learning rate (its column is ignored).

                """, Table.readable(saddleX0), Table.readable(saddleEscape), plateauPoints,
                Table.readable(plateauBias), Table.readable(plateauEscape)));
        text.append(table.markdown(rows).toMarkdown()).append('\n');
        text.append(departures(rows));
        return new Section(text.toString(), table.csv(rows), figures(rows), claims(rows, disagree));
    }

    private List<Claim> claims(List<CellResult> rows, List<String> disagree) {
        List<CellResult> saddle = rows.stream().filter(r -> coord(r, "case").equals(SADDLE)).toList();
        List<CellResult> sgdFrom = saddle.stream().filter(r -> coord(r, "optimizer").equals("sgd") && y0(r) > 0)
                .sorted(java.util.Comparator.comparingDouble(r -> -y0(r))).toList();
        boolean slower = true;
        for (int i = 1; i < sgdFrom.size(); i++) {
            slower &= steps(sgdFrom.get(i), saddleSteps) > steps(sgdFrom.get(i - 1), saddleSteps);
        }
        String sgdSteps = String.join(", ", sgdFrom.stream().map(r -> coord(r, "setting") + ": "
                + (r.metric("escape_step") == null ? "never" : str(r, "escape_step"))).toList());
        List<CellResult> linear = saddle.stream().filter(r -> y0(r) > 0
                && List.of("sgd", "momentum", "nesterov").contains(coord(r, "optimizer"))).toList();
        List<CellResult> line = saddle.stream().filter(r -> y0(r) == 0).toList();
        List<String> sooner = new ArrayList<>();
        boolean far = true;
        for (CellResult sgd : rows.stream().filter(r -> coord(r, "optimizer").equals("sgd")
                && (!coord(r, "case").equals(SADDLE) || y0(r) > 0)).toList()) {
            int budget = coord(sgd, "case").equals(SADDLE) ? saddleSteps : plateauSteps;
            for (CellResult r : rows) {
                if (r != sgd && coord(r, "case").equals(coord(sgd, "case"))
                        && coord(r, "setting").equals(coord(sgd, "setting"))) {
                    far &= sgd.metric("escape_step") == null ? r.metric("escape_step") != null
                            : steps(r, budget) <= FAR * steps(sgd, budget);
                    sooner.add(coord(r, "setting") + " " + coord(r, "optimizer") + " " + steps(r, budget) + "/"
                            + steps(sgd, budget));
                }
            }
        }
        String never = " (never = budget + 1)";
        return List.of(
                sgdFrom.size() < 2 ? notTested(CLOSER_SLOWER, "needs two or more saddle_y0 > 0 for sgd; has: "
                        + sgdSteps, "escape steps rise as y0 falls") : verdict(CLOSER_SLOWER, sgdSteps,
                        "escape steps rise as y0 falls" + never, slower,
                        "exact escape steps of deterministic runs"),
                theory(SADDLE_THEORY, linear, "no sgd, momentum or nesterov row from y0 > 0"),
                sooner.isEmpty() ? notTested(FAR_SOONER, "needs sgd and another optimizer", "<= " + FAR + " x")
                        : verdict(FAR_SOONER, "steps, other/sgd: " + String.join(", ", sooner), "<= "
                        + Table.readable(FAR) + " x SGD's steps; escaped where SGD never did", far,
                        "exact escape steps of deterministic runs, against the ratio " + Table.readable(FAR)),
                theory(SADDLE_LINE, line, "no saddle_y0 = 0 in this run"),
                rows.isEmpty() ? notTested(ESCAPE_AGREE, "no rows", "same step") : verdict(ESCAPE_AGREE, 
                        disagree.isEmpty() ? "all " + rows.size() + " runs" : "disagree: " + String.join(", ",
                                disagree), "the same escape step (or never) in every run", disagree.isEmpty(),
                        "exact equality of escape steps"));
    }

    private static int steps(CellResult r, int budget) {
        return r.metric("escape_step") == null ? budget + 1 : (int) r.number("escape_step");
    }

    private static Claim theory(Claim check, List<CellResult> rs, String why) {
        if (rs.isEmpty()) {
            return notTested(check, why, "the linear recurrence's step (never from y0 = 0)");
        }
        List<String> off = rs.stream().filter(r -> !java.util.Objects.equals(r.metric("ref_escape_step"),
                r.metric("theory_steps"))).map(r -> coord(r, "setting") + " " + coord(r, "optimizer") + ": "
                + r.metric("ref_escape_step") + " vs " + r.metric("theory_steps")).toList();
        return verdict(check, off.isEmpty() ? "all " + rs.size() + " reference rows match" : "off theory: "
                + String.join(", ", off), "the linear recurrence's step (never from y0 = 0)", off.isEmpty(),
                "exact equality with the recurrence's step");
    }


    /** A step metric, or "not in budget" where the run never escaped. */
    private Object orNever(CellResult r, String metric) {
        return r.metric(metric) != null ? r.metric(metric)
                : "not in " + (coord(r, "case").equals(SADDLE) ? saddleSteps : plateauSteps);
    }

    /** Where DL4J's form of an updater departs from its paper's and the escape step changes with it. */
    private static String departures(List<CellResult> rows) {
        List<String> lines = new ArrayList<>();
        List<String> departures = new ArrayList<>();
        for (CellResult r : rows) {
            if (r.metric("paper_escape_step") != null || Updaters.WITH_PAPER_VARIANT.contains(coord(r, "optimizer"))) {
                Object dl4j = r.metric("ref_escape_step");
                Object paper = r.metric("paper_escape_step");
                if (!java.util.Objects.equals(dl4j, paper)) {
                    departures.add(String.format(Locale.ROOT, "%s %s %s: %s (DL4J's form) vs %s (paper's)",
                            coord(r, "case").startsWith("saddle") ? "saddle" : "plateau", coord(r, "setting"),
                            coord(r, "optimizer"), dl4j == null ? "never" : dl4j, paper == null ? "never" : paper));
                }
            }
        }
        if (!departures.isEmpty()) {
            lines.add("- Where DL4J's updater form departs from the paper's, the escape changes: "
                    + String.join("; ", departures) + ".");
        }
        return String.join("\n", lines) + "\n";
    }

    static double y0(CellResult r) {
        return Double.parseDouble(coord(r, "setting").substring("y0=".length()));
    }

    private List<Figure> figures(List<CellResult> rows) {
        double smallest = rows.stream().filter(r -> coord(r, "case").equals(SADDLE))
                .mapToDouble(EscapePart::y0).filter(v -> v > 0).min()
                .orElse(Double.NaN);
        List<Figure.Series> saddle = new ArrayList<>();
        List<Figure.Series> plateau = new ArrayList<>();
        for (CellResult r : rows) {
            if (coord(r, "case").equals(SADDLE) && y0(r) == smallest) {
                saddle.add(line(coord(r, "optimizer"), r));
            } else if (coord(r, "case").equals(PLATEAU)) {
                plateau.add(line(coord(r, "optimizer"), r));
            }
        }
        List<Figure> figures = new ArrayList<>();
        if (!saddle.isEmpty()) {
            figures.add(new Figure.Lines("saddle-escape", "Saddle x^2 - y^2 from y0 = " + Table.readable(smallest)
                    + ": |y| per step (DL4J)", "step", "|y|", false, true, saddle));
        }
        if (!plateau.isEmpty()) {
            figures.add(new Figure.Lines("plateau-escape", "Saturated sigmoid unit: training loss per step (DL4J)",
                    "step", "training loss", false, false, plateau));
        }
        return figures;
    }
}
