package gdlab.experiment.optimizers;

import gdlab.experiment.optimizers.OptimizerRanking.Config;
import gdlab.experiment.optimizers.OptimizerRanking.Outcome;
import gdlab.experiment.optimizers.OptimizerRanking.Ranked;
import gdlab.experiment.optimizers.OptimizerRanking.SeedResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The ranking rules on hand-made results, where the right answer is known. */
class OptimizerRankingTest {
    static SeedResult ok(long seed, double loss) {
        return new SeedResult(seed, Outcome.OK, loss, loss);
    }

    static SeedResult diverged(long seed) {
        return new SeedResult(seed, Outcome.DIVERGED, Double.NaN, Double.NaN);
    }

    static SeedResult crashed(long seed) {
        return new SeedResult(seed, Outcome.CRASHED, Double.NaN, Double.NaN);
    }

    @Test
    void aConfigurationWithADivergedSeedNeverBeatsOneWithout() {
        // lr 1 has the lowest loss on the seed that finished, but another seed diverged
        Config fast = new Config("sgd", "1", List.of(ok(1, 1e-9), diverged(2)));
        Config slow = new Config("sgd", "0.01", List.of(ok(1, 0.5), ok(2, 0.7)));
        Config slower = new Config("sgd", "0.001", List.of(ok(1, 2.0), ok(2, 2.1)));
        assertThat(OptimizerRanking.best(List.of(fast, slower, slow))).isSameAs(slow);
    }

    @Test
    void whenEveryLearningRateDivergedTheFewestDivergedSeedsWin() {
        Config both = new Config("nesterov", "1", List.of(diverged(1), diverged(2)));
        Config one = new Config("nesterov", "0.1", List.of(ok(1, 3.0), diverged(2)));
        Config best = OptimizerRanking.best(List.of(both, one));
        assertThat(best).isSameAs(one);
        assertThat(best.status()).isEqualTo("diverged 1/2");
    }

    @Test
    void rankPutsFinishedBeforeDivergedBeforeCrashedWhateverTheLoss() {
        Config adam = new Config("adam", "0.01", List.of(ok(1, 0.3), ok(2, 0.4)));
        Config sgd = new Config("sgd", "0.1", List.of(ok(1, 0.1), ok(2, 0.2)));
        Config nesterov = new Config("nesterov", "1", List.of(ok(1, 1e-6), diverged(2)));
        Config adabelief = new Config("adabelief", "0.001", List.of(crashed(1), crashed(2)));
        List<Ranked> ranked = OptimizerRanking.rank(List.of(nesterov, adabelief, adam, sgd));
        assertThat(ranked).extracting(r -> r.config().optimizer())
                .containsExactly("sgd", "adam", "nesterov", "adabelief");
        assertThat(ranked).extracting(Ranked::rank).containsExactly(1.0, 2.0, 3.0, 0.0);
    }

    /** Identical runs (DL4J's CG is its line-search GD) share the mean of their places, whatever the input order. */
    @Test
    void tiedConfigurationsShareTheirAverageRank() {
        Config lineGd = new Config("line-gd", "0.1", List.of(ok(1, 0.2), ok(2, 0.3)));
        Config cg = new Config("cg", "0.1", List.of(ok(1, 0.2), ok(2, 0.3)));
        Config sgd = new Config("sgd", "0.1", List.of(ok(1, 0.1), ok(2, 0.2)));
        Config adam = new Config("adam", "0.1", List.of(ok(1, 0.5), ok(2, 0.6)));
        Config crashedA = new Config("adabelief", "0.1", List.of(crashed(1), crashed(2)));
        Config crashedB = new Config("other", "0.1", List.of(crashed(1), crashed(2)));
        for (List<Config> rows : List.of(List.of(lineGd, cg, sgd, adam, crashedA, crashedB),
                List.of(crashedB, adam, cg, crashedA, sgd, lineGd))) {
            Map<String, Double> ranks = new LinkedHashMap<>();
            OptimizerRanking.rank(rows).forEach(r -> ranks.put(r.config().optimizer(), r.rank()));
            assertThat(ranks).containsEntry("sgd", 1.0).containsEntry("line-gd", 2.5).containsEntry("cg", 2.5)
                    .containsEntry("adam", 4.0).containsEntry("adabelief", 0.0).containsEntry("other", 0.0);
        }
        // three tied for first share places 1, 2, 3
        Config sgd2 = new Config("sgd2", "0.1", sgd.seeds());
        Config sgd3 = new Config("sgd3", "0.1", sgd.seeds());
        assertThat(OptimizerRanking.rank(List.of(adam, sgd, sgd2, sgd3))).extracting(Ranked::rank)
                .containsExactly(2.0, 2.0, 2.0, 4.0);
    }

    @Test
    void escapeProblemsRankByHitsThenSteps() {
        // measure = steps to escape; +infinity = finished without escaping
        Config quick = new Config("adam", "0.1", List.of(new SeedResult(1, Outcome.OK, 20, -1.5),
                new SeedResult(2, Outcome.OK, Double.POSITIVE_INFINITY, 0.2)));
        Config steady = new Config("sgd", "0.1", List.of(new SeedResult(1, Outcome.OK, 60, -1.1),
                new SeedResult(2, Outcome.OK, 70, -1.2)));
        assertThat(OptimizerRanking.rank(List.of(quick, steady))).extracting(r -> r.config().optimizer())
                .containsExactly("sgd", "adam");
    }

    @Test
    void profileCountsInstancesWithinTauOfTheBest() {
        Map<String, Map<String, Config>> chosen = new LinkedHashMap<>();
        chosen.put("p", Map.of(
                "a", new Config("a", "1", List.of(ok(1, 1.0), ok(2, 4.0))),
                "b", new Config("b", "1", List.of(ok(1, 3.0), ok(2, 1.0))),
                "c", new Config("c", "1", List.of(diverged(1), ok(2, 1e-20)))));
        double[] taus = {1, 3, 10};
        Map<String, double[]> rho = OptimizerRanking.profile(chosen, Map.of("p", 1e-12), taus);
        // seed 1: best a (1.0): a 1, b 3, c inf; seed 2: best c (floored to 1e-12): a 4e12, b 1e12, c 1
        assertThat(rho.get("a")).containsExactly(new double[]{0.5, 0.5, 0.5}, within(1e-15));
        assertThat(rho.get("b")).containsExactly(new double[]{0.0, 0.5, 0.5}, within(1e-15));
        assertThat(rho.get("c")).containsExactly(new double[]{0.5, 0.5, 0.5}, within(1e-15));
    }

    @Test
    void lossesBelowTheFloorTie() {
        Map<String, Map<String, Config>> chosen = Map.of("p", Map.of(
                "a", new Config("a", "1", List.of(ok(1, 1e-30))),
                "b", new Config("b", "1", List.of(ok(1, 1e-14)))));
        Map<String, double[]> rho = OptimizerRanking.profile(chosen, Map.of("p", 1e-12), new double[]{1});
        assertThat(rho.get("a")[0]).isEqualTo(1.0);
        assertThat(rho.get("b")[0]).isEqualTo(1.0);
    }
}
