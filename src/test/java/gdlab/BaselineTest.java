package gdlab;

import gdlab.report.Compare;
import gdlab.report.Csv;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every experiment has a committed baseline (results/baseline/NAME, its quick setting; refresh with
 * scripts/update-baselines) and a fresh quick run compares {@code same} with it on every row: nothing worse,
 * better or changed, no setting different, no group missing on either side. The baselines must hold on any
 * x86-64 machine, whose BLAS kernels change the last bits of every float result: discrepancies (rounding-level
 * differences) are judged against their declared bounds, and measures to a relative 1e-6 in double and 1e-4 in
 * float (measured across OpenBLAS core types: at most 2e-8 in double, 4.5e-6 in float). Each run is then cut back
 * to the first half of its cells, as a killed run would be, and resumed: it must end the same.
 */
class BaselineTest {
    @TempDir
    static Path results;

    @TestFactory
    Stream<DynamicTest> freshQuickRunsMatchTheirBaselines() {
        return Registry.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path baseline = baseline(name);
            Path fresh = quickRun(name, Map.of());
            assertSame(name, baseline, fresh);
            assertSameClaims(name, baseline, fresh);
            assertHypothesisIsItsClaims(name, fresh);

            // the same run cut short (only the first half of its cells kept, as if killed) and resumed
            Path cells = fresh.resolve("cells.csv");
            List<List<String>> rows = Csv.parse(Files.readString(cells));
            int keep = 1 + (rows.size() - 1) / 2;
            StringBuilder cut = new StringBuilder();
            rows.subList(0, keep).forEach(row -> cut.append(Csv.line(row)));
            Files.writeString(cells, cut.toString());
            Files.deleteIfExists(fresh.resolve("summary.csv"));
            Path resumed = quickRun(name, Map.of("resume", fresh.toRealPath().toString()));
            assertThat(resumed.toRealPath()).isEqualTo(fresh.toRealPath());
            assertThat(Csv.parse(Files.readString(cells))).as(name + " cells after resume").hasSize(rows.size());
            assertSame(name + " (resumed after " + (keep - 1) + " of " + (rows.size() - 1) + " cells)", baseline,
                    resumed);
        }));
    }

    private static Path baseline(String name) {
        Path baseline = Path.of("results/baseline", name);
        assertThat(baseline.resolve("cells.csv")).as("committed baseline for " + name).isRegularFile();
        return baseline;
    }

    private static Path quickRun(String name, Map<String, String> extra) {
        Map<String, String> props = new LinkedHashMap<>(Map.of("experiment", name, "quick", "true",
                "quiet", "true", "results_dir", results.toString()));
        props.putAll(extra);
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int status = Main.run(props, sink, sink);
        assertThat(status).as(name + " exit status").isIn(0, 1);
        Path fresh = results.resolve(name).resolve("latest");
        assertThat(Files.isDirectory(fresh)).isTrue();
        return fresh;
    }

    /**
     * The same claims, and every integrity check with the baseline's verdict. (A finding's verdict may rest on
     * timings, which are the machine's; its measured values are in the cells compared above.)
     */
    private static void assertSameClaims(String what, Path baseline, Path candidate) throws java.io.IOException {
        List<Map<String, String>> base = Csv.rows(Files.readString(baseline.resolve("claims.csv")));
        List<Map<String, String>> fresh = Csv.rows(Files.readString(candidate.resolve("claims.csv")));
        assertThat(fresh).as(what + " claims").extracting(c -> c.get("claim"))
                .containsExactlyElementsOf(base.stream().map(c -> c.get("claim")).toList());
        for (int i = 0; i < base.size(); i++) {
            if (base.get(i).get("kind").equals("integrity")) {
                assertThat(fresh.get(i).get("verdict")).as(what + " claim " + base.get(i).get("claim"))
                        .isEqualTo(base.get(i).get("verdict"));
            }
        }
    }

    /**
     * A hypothesis written as claims ("You should see: [id] sentence ...") is exactly the run's claims.csv: every
     * sentence is checked by the claim of its id, in order, and no sentence stands outside a claim.
     */
    private static void assertHypothesisIsItsClaims(String name, Path run) throws java.io.IOException {
        String hypothesis = gdlab.spec.SpecFile.read(Path.of("experiments", name + ".properties")).hypothesis();
        List<Map.Entry<String, String>> sentences = gdlab.report.Claim.sentences(hypothesis);
        if (sentences.isEmpty()) {
            return;
        }
        List<Map<String, String>> claims = Csv.rows(Files.readString(run.resolve("claims.csv")));
        assertThat(claims).as(name + " claims.csv against its hypothesis")
                .extracting(c -> Map.entry(c.get("claim"), c.get("statement")))
                .containsExactlyElementsOf(sentences);
        assertThat(claims).as(name + " claims without a verdict")
                .allSatisfy(c -> assertThat(c.get("verdict")).isIn("holds", "does not hold", "not distinguishable",
                        "not tested"));
        String rebuilt = gdlab.report.Claim.HYPOTHESIS_START + String.join(" ",
                sentences.stream().map(e -> "[" + e.getKey() + "] " + e.getValue()).toList());
        assertThat(rebuilt).as(name + ": text outside the [id] sentences of its hypothesis").isEqualTo(hypothesis);
    }

    private static void assertSame(String what, Path baseline, Path candidate) {
        Compare.Result r = Compare.run(Map.of("baseline", baseline.toString(), "candidate", candidate.toString(),
                "tolerance", "1e-6", "float_tolerance", "1e-4"));
        String table = what + ":\n" + Compare.markdown(r);
        assertThat(r.worse()).as(table).isZero();
        assertThat(r.better()).as(table).isZero();
        assertThat(r.changed()).as(table).isZero();
        assertThat(r.settingsDiffer()).as(table).isZero();
        assertThat(r.oneSided()).as(table).isZero();
    }
}
