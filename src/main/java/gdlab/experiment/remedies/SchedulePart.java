package gdlab.experiment.remedies;

import gdlab.dl4j.Regression;
import gdlab.dl4j.Tensors;
import gdlab.dl4j.Trainer;
import gdlab.exact.LeastSquares;
import gdlab.report.Claim;
import gdlab.report.Columns;
import gdlab.report.Figure;
import gdlab.report.Metric;
import gdlab.report.Stats;
import gdlab.report.Support;
import gdlab.report.Table;
import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.SeedGroup;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.RampSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static gdlab.report.Metric.measure;
import static gdlab.report.Metric.setting;

/**
 * SGD's noise floor at a constant learning rate, and decaying schedules as its remedy: minibatch SGD on a synthetic
 * least-squares problem with label noise (known spectrum, so L* is exact). At a constant lr the loss gap L - L*
 * stops falling at a floor that grows with lr; a schedule from DL4J's ISchedule family, started at the largest
 * constant lr and decaying by {@code sched_decay} over the budget, keeps falling. Schedules count iterations
 * (ScheduleType.ITERATION): the training loop calls {@code fit(DataSet)} once per minibatch, and the table's note
 * shows DL4J's epoch counter after such a run, which is what an EPOCH schedule would read.
 */
final class SchedulePart extends Part {
    static final String NAME = "schedules";
    static final List<String> SCHEDULES = List.of("step", "exponential", "inverse", "poly", "warmup");

    static final Claim FLOOR_GROWS = finding("floor_grows_with_lr", "At a constant learning rate SGD's loss gap "
            + "stalls at a floor that grows with the learning rate: the floor rises from each lr to the next, and the "
            + "smallest and largest lr's 95% intervals are apart.");
    static final Claim DECAY_BELOW = finding("decay_ends_below_floor", "Every decaying schedule started at the "
            + "largest constant lr ends below that lr's floor at the same budget (95% intervals apart).");

    private LeastSquares problem;
    private INDArray x;
    private INDArray y;
    private int batch;
    private int epochs;
    private double decay;
    private double startLr;
    private List<Double> constantLrs;

    SchedulePart() {
        super(NAME, "2. SGD's noise floor: learning-rate schedules", List.of(
                        setting("lr_start"), setting("lr_end"), measure("final_gap"), measure("floor_gap"),
                        measure("dl4j_epoch_count"), measure("dl4j_iteration_count")),
                FLOOR_GROWS, DECAY_BELOW);
    }

    @Override
    protected List<Param> params() {
        return List.of(
                Param.real("sched_lr", 0, true, "schedules: constant learning rates"),
                Param.choice("sched_remedies", SCHEDULES, true, "schedules: decaying schedules from sched_start_lr"),
                Param.real("sched_start_lr", 0, false, "schedules: where every schedule starts"),
                Param.realIn("sched_decay", 1e-6, 1, false, "schedules: lr at the end over lr at the start"),
                Param.integer("sched_examples", 8, 1_000_000, false, "schedules: examples of the problem"),
                Param.real("sched_noise", 0, false, "schedules: std of the label noise"),
                Param.integer("sched_batch", 1, 1_000_000, false, "schedules: minibatch size"),
                Param.integer("sched_epochs", 2, 100_000, false, "schedules: epoch budget"),
                Param.integer("sched_seeds", 1, 1000, false, "schedules: seeds 1..n (init and shuffles)"));
    }

    @Override
    protected List<Map<String, String>> prepare(Spec spec) {
        int n = spec.integer("sched_examples");
        batch = spec.integer("sched_batch");
        if (batch >= n) {
            throw new BadInputException("bad value '" + batch + "' for sched_batch: must be below sched_examples ("
                    + n + "), else there is no minibatch noise; allowed: an integer from 1 to " + (n - 1));
        }
        epochs = spec.integer("sched_epochs");
        decay = spec.real("sched_decay");
        startLr = spec.real("sched_start_lr");
        constantLrs = spec.reals("sched_lr");
        problem = LeastSquares.synthetic(n, new double[] {0.5, 1, 1.5, 2}, true, spec.real("sched_noise"), 11);
        x = Tensors.matrix(problem.features(), DataType.DOUBLE);
        y = Tensors.matrix(problem.targets(), DataType.DOUBLE);
        List<Map<String, String>> cells = new ArrayList<>();
        int seeds = spec.integer("sched_seeds");
        for (String lr : spec.list("sched_lr")) {
            for (int s = 1; s <= seeds; s++) {
                cells.add(coords(NAME, caseName(n), OFF, lr, s));
            }
        }
        for (String remedy : spec.list("sched_remedies")) {
            for (int s = 1; s <= seeds; s++) {
                cells.add(coords(NAME, caseName(n), remedy, spec.string("sched_start_lr"), s));
            }
        }
        return cells;
    }

    private String caseName(int n) {
        return String.format(Locale.ROOT, "synthetic least squares, 4 features + bias, k = 4, N = %d, B = %d", n,
                batch);
    }

    private int updates() {
        int perEpoch = (problem.examples() + batch - 1) / batch;
        return perEpoch * epochs;
    }

    /** The learning rate of a cell: constant, or a schedule over iterations that falls by {@code decay}. */
    ISchedule schedule(String remedy, double lr) {
        int t = updates();
        return switch (remedy) {
            case "step" -> new StepSchedule(ScheduleType.ITERATION, lr, Math.sqrt(decay), Math.ceil(t / 3.0));
            case "exponential" -> new ExponentialSchedule(ScheduleType.ITERATION, lr, Math.pow(decay, 1.0 / t));
            case "inverse" -> new InverseSchedule(ScheduleType.ITERATION, lr, (1 / decay - 1) / t, 1);
            // DL4J documents lr (1 + i / maxIter)^power, so it grows for power > 0 (a shrinking poly would be 1 - i/maxIter)
            case "poly" -> new PolySchedule(ScheduleType.ITERATION, lr, 2, t + 1);
            case "warmup" -> new RampSchedule(new ExponentialSchedule(ScheduleType.ITERATION, lr,
                    Math.pow(decay, 1.0 / t)), Math.max(1, t / 10));
            default -> throw new IllegalArgumentException("unknown schedule '" + remedy + "'");
        };
    }

    @Override
    protected Outcome run(Cell cell) {
        String remedy = cell.get("remedy");
        double lr = cell.real("lr");
        long seed = cell.longValue("seed");
        ISchedule schedule = remedy.equals(OFF) ? null : schedule(remedy, lr);
        MultiLayerNetwork net = Regression.linear(problem.nIn(), 1, true, schedule == null ? new Sgd(lr)
                : new Sgd(schedule), seed, DataType.DOUBLE);
        Trainer.Outcome o = Trainer.train(net, x, y, Trainer.Options.of(batch, epochs, Double.NaN, seed), null);
        double best = problem.minimumValue();
        Curve curve = new Curve().add("gap", 0, o.initialLoss() - best);
        o.epochs().forEach(e -> curve.add("gap", e.epoch(), e.trainLoss() - best));
        double tail = 0;
        int from = o.epochs().size() / 2;
        for (int e = from; e < o.epochs().size(); e++) {
            tail += (o.epochs().get(e).trainLoss() - best) / (o.epochs().size() - from);
        }
        double lrEnd = schedule == null ? lr : schedule.valueAt(updates() - 1, epochs - 1);
        Metric.Values v = Metric.values(metrics).put("lr_start", lr).put("lr_end", lrEnd)
                .put("final_gap", o.finalLoss() - best).put("floor_gap", tail)
                .put("dl4j_epoch_count", net.getEpochCount()).put("dl4j_iteration_count", net.getIterationCount());
        return Outcome.of(o.status() == Trainer.Status.DIVERGED, o.stopReason(), v.map(), curve);
    }

    @Override
    protected Section summarize(List<CellResult> rows) {
        List<SeedGroup> groups = SeedGroup.by(rows, "remedy", "lr");
        Columns<SeedGroup> table = new Columns<SeedGroup>()
                .add("schedule", g -> g.get("remedy").equals(OFF) ? "constant" : g.get("remedy"))
                .add("lr_start", g -> g.real("lr"))
                .add("lr_end", g -> g.cells().get(0).number("lr_end"))
                .add("seeds", SeedGroup::size).add("diverged", SeedGroup::diverged);
        statsColumn(table, "floor_gap", g -> g.stats("floor_gap"));
        statsColumn(table, "final_gap", g -> g.stats("final_gap"));
        CellResult any = rows.get(0);
        String text = String.format(Locale.ROOT, "%s, label noise, L* exact. Minibatch SGD for %d epochs (%d "
                        + "updates) from DL4J's Xavier init; gap = L - L* of the full training loss after each epoch. "
                        + "floor_gap: its mean over the second half of the epochs; final_gap: after the last. Every "
                        + "schedule starts at lr %s and counts iterations (ITERATION type); step: x sqrt(decay) every "
                        + "third of the updates; exponential: gamma = decay^(1/T); inverse: lr / (1 + gamma t), "
                        + "gamma = (1/decay - 1) / T (Robbins-Monro); poly: DL4J's PolySchedule, power 2, which "
                        + "computes lr (1 + t/maxIter)^2 and so grows; warmup: a linear ramp over the first tenth (DL4J's"
                        + " RampSchedule) on the exponential decay (it ends where exponential ends: SGD on a quadratic forgets its "
                        + "first steps, the ramp helps only where large early steps blow up, as in part 3). decay = %s."
                        + "%n%n%s%n", coord(any, "case"), epochs,
                updates(), Table.readable(startLr), Table.readable(decay), epochNote(rows));
        return new Section(text + "\n" + table.markdown(groups).toMarkdown(), table.csv(groups),
                List.of(figure(groups)), claims(groups));
    }

    /** What DL4J's own epoch counter read after the per-minibatch fits: an EPOCH schedule reads this counter. */
    private String epochNote(List<CellResult> rows) {
        Stats epochCount = Stats.of(rows.stream().map(r -> r.number("dl4j_epoch_count")).toList());
        Stats iterations = Stats.of(rows.stream().map(r -> r.number("dl4j_iteration_count")).toList());
        boolean advances = epochCount.mean() > 0;
        return String.format(Locale.ROOT, "DL4J's counters after %d epochs of one fit(DataSet) per minibatch: "
                        + "iteration count %s, epoch count %s. %s", epochs, Table.readable(iterations.mean()),
                Table.readable(epochCount.mean()), advances ? "gdlab's training loop advances the epoch count after each epoch (DL4J's "
                        + "fit(DataSet) alone does not: see crosscheck's DL4J defects), so an EPOCH-type schedule "
                        + "would decay too; the schedules here count iterations."
                        : "The epoch count stays at 0: DL4J counts epochs only in fit(iterator), so an EPOCH-type "
                        + "schedule would never decay in this loop; the schedules here are ITERATION-type.");
    }

    private List<Claim> claims(List<SeedGroup> groups) {
        List<SeedGroup> constant = groups.stream().filter(g -> g.get("remedy").equals(OFF))
                .sorted(java.util.Comparator.comparingDouble(g -> g.real("lr"))).toList();
        List<Claim> out = new ArrayList<>();
        String expected = "floor mean increasing with lr; smallest and largest lr's intervals apart";
        if (constant.size() < 2 || constant.stream().anyMatch(g -> g.diverged() > 0)) {
            out.add(notTested(FLOOR_GROWS, "needs two or more constant lrs that do not diverge", expected));
        } else {
            boolean rising = true;
            for (int i = 1; i < constant.size(); i++) {
                rising &= constant.get(i).stats("floor_gap").mean() > constant.get(i - 1).stats("floor_gap").mean();
            }
            Stats low = constant.get(0).stats("floor_gap");
            Stats high = constant.get(constant.size() - 1).stats("floor_gap");
            String measured = String.join(", ", constant.stream().map(g -> "lr " + g.get("lr") + ": "
                    + g.stats("floor_gap").pretty()).toList());
            out.add(low.n() < 2 || high.n() < 2 ? cannotReach(FLOOR_GROWS, measured, expected, Support.intervals(low,
                    high)) : judged(FLOOR_GROWS, measured, expected, allAsStated(List.<boolean[]>of(new boolean[] {
                    rising && low.mean() < high.mean(), Support.apart(low, high)})), "smallest vs largest lr: "
                    + Support.intervals(low, high)));
        }
        SeedGroup reference = constant.stream().filter(g -> g.real("lr") == startLr).findFirst().orElse(null);
        List<SeedGroup> decaying = groups.stream().filter(g -> !g.get("remedy").equals(OFF)
                && g.cells().get(0).number("lr_end") < g.real("lr")).toList();
        String expectDecay = "final_gap interval of every decaying schedule below the floor interval of constant lr "
                + Table.readable(startLr);
        if (reference == null || decaying.isEmpty()) {
            out.add(notTested(DECAY_BELOW, "needs sched_start_lr among sched_lr and a decaying schedule",
                    expectDecay));
        } else {
            Stats floor = reference.stats("floor_gap");
            List<boolean[]> compared = new ArrayList<>();
            List<String> support = new ArrayList<>();
            List<String> measured = new ArrayList<>(List.of("constant floor " + floor.pretty()));
            for (SeedGroup g : decaying) {
                Stats end = g.stats("final_gap");
                compared.add(new boolean[] {g.diverged() == 0 && end.mean() < floor.mean(),
                        g.diverged() > 0 || Support.apart(end, floor)});
                support.add(g.get("remedy") + " vs floor " + (g.diverged() > 0 ? g.diverged() + " seeds diverged"
                        : Support.intervals(end, floor)));
                measured.add(g.get("remedy") + " " + end.pretty());
            }
            groups.stream().filter(g -> !g.get("remedy").equals(OFF) && !decaying.contains(g)).forEach(g ->
                    measured.add(g.get("remedy") + " does not decay (lr " + Table.readable(g.real("lr")) + " -> "
                            + Table.readable(g.cells().get(0).number("lr_end")) + "): " + g.stats("final_gap")
                            .pretty()));
            out.add(floor.n() < 2 ? cannotReach(DECAY_BELOW, String.join(", ", measured), expectDecay,
                    "no 95% interval with one seed") : judged(DECAY_BELOW, String.join(", ", measured), expectDecay,
                    allAsStated(compared), String.join("; ", support)));
        }
        return out;
    }

    private static Figure figure(List<SeedGroup> groups) {
        List<Figure.Series> series = new ArrayList<>();
        for (SeedGroup g : groups) {
            String label = g.get("remedy").equals(OFF) ? "constant lr " + g.get("lr") : g.get("remedy");
            series.add(line(label, g.cells().get(0), "gap"));
        }
        return new Figure.Lines("schedules", "SGD's loss gap L - L* per epoch, first seed", "epoch", "L - L*",
                false, true, series);
    }
}
