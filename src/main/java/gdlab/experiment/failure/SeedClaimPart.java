package gdlab.experiment.failure;

import gdlab.data.EpochOrder;
import gdlab.dl4j.Networks;
import gdlab.dl4j.Optimizers;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.experiment.failure.Minima.Minimum;
import gdlab.reference.GradientDescent;
import gdlab.reference.Mlp;
import gdlab.reference.Ordering;
import gdlab.reference.ReferenceTrainer;
import gdlab.reference.StopRule;
import gdlab.reference.TestFunction;
import gdlab.reference.Trajectory;
import gdlab.reference.Updater;
import gdlab.reference.Updaters;
import gdlab.experiment.GdMode;
import gdlab.experiment.Keys;
import gdlab.experiment.failure.ModePairs.Compared;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Harness;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;
import static gdlab.report.Metric.timing;

/**
 * Part 2, the seed's claim "batch GD gets stuck in local minima while stochastic GD's noise escapes them", tested
 * two ways, each with batch (B = N), stochastic (B = 1) and mini-batch (1 &lt; B &lt; N) at the same learning rate and
 * the same number of updates, so that the gradient noise is the only difference:
 *
 * <ul>
 *   <li>a test function written as a finite sum of N terms f_i(x) = f(x) + a_i . x with random tilts a_i summing to
 *   zero: the full sum is exactly f, and a minibatch of B terms gives the gradient of f plus the mean tilt of its
 *   terms, noise with variance ~ (1/B)(N-B)/(N-1) s^2 per coordinate, which is how sampling examples without
 *   replacement makes minibatch noise. Each run is then finished by plain GD ("polished") so that it is classified
 *   by the basin it ended in. Reference (plain Java) only.</li>
 *   <li>a DL4J net with two hidden units on XOR blobs, where some initialisations settle with one blob
 *   misclassified; each run is replayed in the reference from DL4J's initial parameters and the final losses are
 *   compared.</li>
 * </ul>
 * The same seeds (starts, tilts, initialisations) serve every mode, so modes are compared pairwise (McNemar).
 */
final class SeedClaimPart extends Part {
    static final String NAME = "seed-claim";
    static final String MLP_CASE = "xor-blobs";
    static final double POLISH_TOL = 1e-8;
    static final int POLISH_STEPS = 200_000;
    static final double POLISH_ENDPOINT_TOL = 1e-3;
    static final double AGREE_TOL = 1e-6;
    static final List<String> MODES = List.of(GdMode.BATCH, GdMode.STOCHASTIC, GdMode.MINI_BATCH);

    private String function;
    private int terms;
    private int miniBatch;
    private double lr;
    private int steps;
    private int starts;
    private XorBlobs xor;
    private int hidden;
    private String activation;
    private double mlpLr;
    private int mlpUpdates;
    private double target;
    private DataType dtype;
    private List<Minimum> minima;

    SeedClaimPart() {
        super(NAME, "2. The seed's claim: does stochastic GD's noise escape the local minima batch GD gets stuck in?",
                List.of(setting("batch_size"), setting("updates"), setting("runs"), measure("reached"),
                        measure("share_reached"), measure("share_diverged"), measure("final_loss"),
                        measure("final_grad_norm"), measure("ref_final_loss"), measure("engines_agree"),
                        timing("run_ms")), ModePairs.CLAIMS);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.choice("claim_function", Minima.FUNCTIONS, false, "seed claim: the test function"),
                Param.integer("claim_terms", 2, 1_000_000, false, "seed claim: N, terms of the finite sum"),
                Param.integer("claim_batch", 2, 1_000_000, false, "seed claim: B of mini-batch mode (both halves)"),
                Param.realIn("claim_noise", 0, 1e6, true, "seed claim: s, std of each term's tilt (a sweep axis)"),
                Param.real("claim_lr", 0, false, "seed claim: SGD learning rate on the function"),
                Param.integer("claim_steps", 1, 10_000_000, false, "seed claim: updates per run on the function"),
                Param.integer("claim_starts", 1, 100_000, false, "seed claim: starts per seed on the function"),
                Param.integer("claim_mlp_per_blob", 1, 100_000, false, "seed claim: XOR examples per blob"),
                Param.realIn("claim_mlp_spread", 0, 10, false, "seed claim: std of each XOR blob"),
                Param.integer("claim_mlp_hidden", 1, 1000, false, "seed claim: hidden units of the XOR net"),
                Param.choice("claim_mlp_activation", Networks.ACTIVATIONS, false, "seed claim: XOR net activation"),
                Param.real("claim_mlp_lr", 0, false, "seed claim: SGD learning rate of the XOR net"),
                Param.integer("claim_mlp_updates", 1, 10_000_000, false, "seed claim: updates per XOR run"),
                Param.real("claim_target_loss", 0, false,
                        "seed claim: an XOR run reached the global minimum if its training loss ends at most this"),
                Param.integer("claim_data_seed", 0, Integer.MAX_VALUE, false, "seed claim: seed of the XOR blobs"),
                Keys.dtype("ND4J data type of the DL4J networks that are crosschecked with the reference (double: "
                        + "exact comparison)"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        function = spec.string("claim_function");
        minima = Minima.of(function);
        terms = spec.integer("claim_terms");
        miniBatch = spec.integer("claim_batch");
        lr = spec.real("claim_lr");
        steps = spec.integer("claim_steps");
        starts = spec.integer("claim_starts");
        xor = XorBlobs.generate(spec.integer("claim_mlp_per_blob"), spec.real("claim_mlp_spread"),
                spec.longValue("claim_data_seed"));
        hidden = spec.integer("claim_mlp_hidden");
        activation = spec.string("claim_mlp_activation");
        mlpLr = spec.real("claim_mlp_lr");
        mlpUpdates = spec.integer("claim_mlp_updates");
        target = spec.real("claim_target_loss");
        dtype = Networks.dtype(spec.string("dtype"));
        if (miniBatch >= terms || miniBatch >= xor.size()) {
            throw new BadInputException("bad value '" + miniBatch + "' for claim_batch: mini-batch needs 1 < B < N "
                    + "(claim_terms = " + terms + ", XOR examples = " + xor.size() + "); allowed: an integer from 2 to "
                    + (Math.min(terms, xor.size()) - 1));
        }
        List<Long> seeds = Harness.seeds(spec);
        List<Map<String, String>> cells = new ArrayList<>();
        for (String noise : spec.list("claim_noise")) {
            for (String mode : MODES) {
                for (long seed : seeds) {
                    cells.add(Part.coords(NAME, function + "+tilts", "sgd", spec.string("claim_lr"), mode,
                            "noise_std=" + noise, seed));
                }
            }
        }
        String net = String.format(Locale.ROOT, "%s 2-%d-2 %s", MLP_CASE, hidden, activation);
        for (String mode : MODES) {
            for (long seed : seeds) {
                cells.add(Part.coords(NAME, net, "sgd", spec.string("claim_mlp_lr"), mode, "N=" + xor.size(), seed));
            }
        }
        return cells;
    }

    static int batchSize(String mode, int n, int miniBatch) {
        return switch (mode) {
            case "batch" -> n;
            case "stochastic" -> 1;
            default -> miniBatch;
        };
    }

    @Override
    protected Outcome run(Cell cell) {
        return cell.get("case").startsWith(MLP_CASE) ? runMlp(cell) : runFunction(cell);
    }

    /** Tilts a_i (N x 2), centred so that they sum to zero: the full sum of the terms is exactly f. */
    static double[][] tilts(SplittableRandom random, int n, double s) {
        double[][] a = new double[n][2];
        double[] mean = new double[2];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 2; d++) {
                a[i][d] = s * random.nextGaussian();
                mean[d] += a[i][d] / n;
            }
        }
        for (double[] row : a) {
            row[0] -= mean[0];
            row[1] -= mean[1];
        }
        return a;
    }

    private Outcome runFunction(Cell cell) {
        long t0 = System.nanoTime();
        long seed = cell.longValue("seed");
        double s = Double.parseDouble(cell.get("setting").substring("noise_std=".length()));
        int b = batchSize(cell.get("batch"), terms, miniBatch);
        TestFunction f = Minima.function(function);
        Minima.Box box = Minima.box(function);
        // tilts and starts depend on the seed only, so every mode sees the same ones (paired comparison)
        SplittableRandom random = new SplittableRandom(seed);
        double[][] a = tilts(random, terms, s);
        Curve curve = new Curve();
        int reached = 0;
        int diverged = 0;
        for (int j = 0; j < starts; j++) {
            double[] start = {box.xLo() + (box.xHi() - box.xLo()) * random.nextDouble(),
                box.yLo() + (box.yHi() - box.yLo()) * random.nextDouble()};
            double[] x = start.clone();
            Updater u = Updaters.create("sgd", lr);
            double f0 = f.value(x);
            boolean blewUp = false;
            int taken = 0;
            long orderSeed = seed * 1_000_003L + j;
            for (int epoch = 0; taken < steps && !blewUp; epoch++) {
                for (int[] batch : EpochOrder.minibatches(EpochOrder.shuffled(orderSeed, epoch, terms), b)) {
                    if (taken == steps) {
                        break;
                    }
                    double[] g = f.gradient(x);
                    for (int i : batch) {
                        g[0] += a[i][0] / batch.length;
                        g[1] += a[i][1] / batch.length;
                    }
                    u.step(x, g);
                    taken++;
                    double v = f.value(x);
                    if (!Double.isFinite(v) || Math.abs(v - f0) > GradientDescent.BLOW_UP * Math.max(1, Math.abs(f0))) {
                        blewUp = true;
                        break;
                    }
                }
            }
            String label;
            double[] end = x;
            double value = Double.NaN;
            if (blewUp) {
                label = Minima.DIVERGED;
                diverged++;
            } else {
                Trajectory polish = GradientDescent.run(f, Updaters.create("sgd", lr), x, POLISH_STEPS,
                        StopRule.gradientNormBelow(POLISH_TOL));
                label = Minima.classify(minima, f, polish, POLISH_ENDPOINT_TOL, POLISH_TOL);
                end = polish.x();
                value = polish.finalValue();
            }
            Minimum m = Minima.byLabel(minima, label);
            boolean global = m != null && m.global();
            if (global) {
                reached++;
            }
            curve.add("engine", "reference", "series", "run", "step", j, "value", value, "x0", start[0],
                    "y0", start[1], "x", end[0], "y", end[1], "label", label, "status", global ? "reached" : "-");
        }
        Metric.Values v = Metric.values(metrics).put("batch_size", b).put("updates", steps).put("runs", starts)
                .put("reached", reached).put("share_reached", reached / (double) starts)
                .put("share_diverged", diverged / (double) starts).put("final_loss", null)
                .put("final_grad_norm", null).put("ref_final_loss", null).put("engines_agree", null)
                .put("run_ms", (System.nanoTime() - t0) / 1e6);
        return Outcome.ok(v.map(), curve);
    }

    private Outcome runMlp(Cell cell) {
        long seed = cell.longValue("seed");
        int n = xor.size();
        int b = batchSize(cell.get("batch"), n, miniBatch);
        int[] sizes = {2, hidden, 2};
        MultiLayerNetwork net = Networks.classifier(sizes, activation, Optimizers.updater("sgd", mlpLr), seed, dtype);
        double[] p0 = Tensors.toDoubles(net.params());
        INDArray x = Tensors.matrix(xor.x(), dtype);
        INDArray y = Tensors.oneHot(xor.labels(), 2, dtype);
        int perEpoch = (n + b - 1) / b;
        int epochs = (mlpUpdates + perEpoch - 1) / perEpoch;
        long t0 = System.nanoTime();
        Trainer.Outcome o = Trainer.train(net, x, y, Trainer.Options.of(b, epochs, Double.NaN, seed).classifier(2),
                null);
        double ms = (System.nanoTime() - t0) / 1e6;
        long updates = o.epochs().isEmpty() ? 0 : o.last().updates();
        double loss = o.finalLoss();
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        double gradNorm = Common.norm(Tensors.toDoubles(net.gradient().gradient())) / n;

        Mlp mlp = Common.classifier(sizes, activation);
        ReferenceTrainer ref = new ReferenceTrainer(mlp, Updaters.create("sgd", mlpLr), p0, xor.x(), xor.oneHot(), b,
                Ordering.shuffled(seed));
        ref.steps((int) updates);
        double refLoss = ref.trainLoss();
        boolean reached = loss <= target;
        Curve curve = new Curve();
        curve.trainLoss(o.initialLoss(), o.epochs(), Trainer.Epoch::updates);
        curve.add("engine", "dl4j", "series", "run", "step", 0, "value", loss, "status", reached ? "reached" : "-");
        Metric.Values v = Metric.values(metrics).put("batch_size", b).put("updates", updates).put("runs", 1)
                .put("reached", reached ? 1 : 0).put("share_reached", reached ? 1.0 : 0.0)
                .put("share_diverged", o.status() == Trainer.Status.DIVERGED ? 1.0 : 0.0)
                .put("final_loss", loss).put("final_grad_norm", gradNorm).put("ref_final_loss", refLoss)
                .put("engines_agree", Common.agree(loss, refLoss, AGREE_TOL) ? 1 : 0).put("run_ms", ms);
        return Outcome.of(o.status() == Trainer.Status.DIVERGED, o.stopReason(), v.map(), curve);
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<Compared> pairs = ModePairs.of(rows);
        Columns<Compared> table = new Columns<Compared>().add("case", Compared::kase).add("setting", Compared::setting)
                .add("mode", Compared::mode).csv("batch_size", c -> c.first().metric("batch_size"))
                .markdown("B", c -> c.first().metric("batch_size")).csv("lr", c -> lr(c.first()))
                .markdown("lr", c -> coord(c.first(), "lr")).add("updates", c -> c.first().metric("updates"))
                .add("runs", Compared::runs).csv("reached", Compared::reached)
                .markdown("reached_global", Compared::reached).csv("share_reached", Compared::share)
                .csv("ci95_low", c -> c.ci()[0]).csv("ci95_high", c -> c.ci()[1])
                .markdown("share (95% CI)", c -> String.format(Locale.ROOT, "%s (%s..%s)", Table.readable(c.share()),
                        Table.readable(c.ci()[0]), Table.readable(c.ci()[1])))
                .add("diverged", Compared::diverged)
                .csv("only_this_reached", c -> c.batch() ? null : c.onlyThis())
                .csv("only_batch_reached", c -> c.batch() ? null : c.onlyBatch())
                .markdown("vs batch: only this / only batch", c -> c.batch() ? "-" : c.onlyThis() + " / "
                        + c.onlyBatch())
                .csv("mcnemar_p", c -> c.batch() ? null : c.p()).markdown("mcnemar_p", c -> c.batch() ? "-" : c.p())
                .add("verdict", Compared::verdict)
                .csv("final_loss_mean", c -> Double.isNaN(c.lossMean()) ? null : c.lossMean())
                .markdown("final_loss", c -> Double.isNaN(c.lossMean()) ? "-" : c.lossMean())
                .markdown("not reached: median loss, grad norm", c -> stuck(c.cells()))
                .csv("engines_agree", c -> c.compared() == 0 ? null : c.agree())
                .markdown("dl4j_vs_reference", c -> c.compared() == 0 ? "-" : c.agree() + "/" + c.compared());
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, """
                Batch (B = N), stochastic (B = 1) and mini-batch at the same learning rate and the same number of \
                updates, so that gradient noise is the only difference; the same seeds (starts, tilts, \
                initialisations) serve every mode, so each run has a batch twin and the modes are compared pairwise: \
                `only this / only batch` counts pairs where just one of the two reached the global minimum, \
                `mcnemar_p` is the exact two-sided McNemar p-value of that split, and the verdict needs p < 0.05. \
                Share intervals are Wilson 95%%.

                - **%s + tilts**: %s written as the mean of %d terms f_i(x) = f(x) + a_i.x, a_i ~ N(0, s^2 I) \
                centred to sum to zero, so the full batch is exactly f and a minibatch of B terms adds the mean \
                tilt of its terms to the gradient: noise whose variance falls like 1/B (times (N-B)/(N-1)), as \
                sampling examples without replacement does, with s setting how different the examples are. \
                SGD lr %s for %d updates from %d uniform starts per seed in the function's box, then plain GD to a \
                gradient norm of %s (the basin it was in); reached = ended at a global minimum. Reference only \
                (plain Java): DL4J's updaters are checked on these functions in part 1.
                - **%s**: a DL4J net 2-%d-2 (%s, softmax, cross-entropy, Xavier init, %s) on %d points in four XOR \
                blobs, SGD lr %s for %d updates; reached = final training loss <= %s. Each run is replayed in the \
                reference from DL4J's initial parameters with the same minibatches (`dl4j_vs_reference`: runs whose \
                final losses agree to %s). `not reached`: where the other runs stopped (median final loss and \
                norm of the full-batch mean gradient, to tell a stuck run from a slow one). %s

                """, function, function, terms, Table.readable(lr), steps, starts, Table.readable(POLISH_TOL),
                MLP_CASE, hidden, activation, dtype.name().toLowerCase(Locale.ROOT), xor.size(), Table.readable(mlpLr),
                mlpUpdates, Table.readable(target), Table.readable(AGREE_TOL), Trainer.DIVERGENCE_RULE));
        text.append(table.markdown(pairs).toMarkdown()).append('\n');
        List<Figure> figures = List.of(new Figure.Bars("seed-claim", "Share of runs reaching the global minimum "
                + "(error bar: half the Wilson 95% interval)", "share reached", false, pairs.stream()
                .map(c -> shortCase(c.kase()) + " " + c.setting().replace("noise_std=", "s=") + " B="
                        + c.first().metric("batch_size")).toList(),
                pairs.stream().mapToDouble(Compared::share).toArray(),
                pairs.stream().mapToDouble(c -> (c.ci()[1] - c.ci()[0]) / 2).toArray()));
        return new Section(text.toString(), table.csv(pairs), figures, ModePairs.claims(pairs));
    }

    /** Median final loss and gradient norm of the net's runs that did not reach the target ("-" if none). */
    private static String stuck(List<CellResult> rs) {
        double[] loss = rs.stream().filter(r -> r.metric("final_grad_norm") != null && r.number("reached") == 0)
                .mapToDouble(r -> r.number("final_loss")).sorted().toArray();
        double[] grad = rs.stream().filter(r -> r.metric("final_grad_norm") != null && r.number("reached") == 0)
                .mapToDouble(r -> r.number("final_grad_norm")).sorted().toArray();
        if (loss.length == 0) {
            return "-";
        }
        return Table.readable(loss[loss.length / 2]) + ", " + Table.readable(grad[grad.length / 2]);
    }

    private static String shortCase(String kase) {
        return kase.startsWith(MLP_CASE) ? "xor" : kase.replace("+tilts", "").replace("six-hump-", "");
    }
}
