package gdlab.experiment.optimizers;

import gdlab.experiment.optimizers.OptimizerRanking.Config;
import gdlab.report.Figure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static gdlab.experiment.optimizers.Choices.ONE_SHOT;
import static gdlab.experiment.optimizers.Choices.TUNED;

/** The optimizers experiment's figures: the measure against the lr per problem, the tuned ranking, the profiles. */
final class OptimizerFigures {
    static final double[] PROFILE_CURVE_TAUS = {1, 1.25, 1.5, 2, 3, 5, 10, 20, 50, 100, 1e3, 1e4, 1e6};

    private OptimizerFigures() {
    }

    static List<Figure> of(Choices s) {
        List<Figure> figures = new ArrayList<>();
        List<Double> grid = s.grid();
        double lo = grid.isEmpty() ? 1e-3 : grid.get(0);
        double hi = grid.isEmpty() ? 1 : grid.get(grid.size() - 1);
        for (String problem : s.problems()) {
            List<Figure.Series> series = new ArrayList<>();
            for (String o : s.optimizers(problem)) {
                List<Config> cs = s.configs(problem, o);
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
            String what = Choices.escapeProblem(problem) ? "steps to escape"
                    : OptimizerBenchmark.network(problem) ? "final training loss" : "final f";
            figures.add(new Figure.Lines("lr-" + problem, problem + ": " + what
                    + " vs learning rate (mean over seeds; lrs with a diverged seed left out)", "learning rate",
                    what, true, true, series));
        }
        Map<String, Double> tunedMean = s.meanRanks(TUNED);
        List<String> ranked = tunedMean.entrySet().stream().filter(e -> !Double.isNaN(e.getValue()))
                .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        figures.add(new Figure.Bars("tuned-ranking", "Tuned ranking: mean rank over the problems (lower is better; "
                + "crashed optimizers not ranked)", "mean rank", false, ranked,
                ranked.stream().mapToDouble(tunedMean::get).toArray(), null));
        for (String setting : List.of(TUNED, ONE_SHOT)) {
            Map<String, double[]> prof = OptimizerRanking.profile(s.contenders(setting), s.floors(),
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
