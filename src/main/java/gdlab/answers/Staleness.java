package gdlab.answers;

import gdlab.spec.BadInputException;
import gdlab.spec.Spec;
import gdlab.spec.SpecFile;
import gdlab.sweep.Experiment;
import gdlab.sweep.Harness;
import gdlab.sweep.SweepRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Why a run may no longer say what the current code and spec would: its settings, resolved again against today's
 * spec file, hash differently (the spec changed), or the code it was built from ({@code git_commit} in run.json)
 * differs from today's under {@code src/main/java}, {@code pom.xml} or the spec file (git decides; without git
 * nothing is claimed). A commit that changed nothing the run depends on does not make it stale.
 *
 * @param reasons one sentence per reason; empty when the run is current
 */
record Staleness(List<String> reasons) {

    boolean stale() {
        return !reasons.isEmpty();
    }

    static Staleness of(RunResults run, Function<String, Experiment> experiments) {
        List<String> reasons = new ArrayList<>();
        String name = run.text("experiment");
        specChange(run, name, experiments).ifPresent(reasons::add);
        codeChange(run, name).ifPresent(reasons::add);
        return new Staleness(List.copyOf(reasons));
    }

    /** The run's command-line settings resolved against today's spec file: a different hash is a changed spec. */
    private static Optional<String> specChange(RunResults run, String name,
                                                         Function<String, Experiment> experiments) {
        Map<String, String> overrides = run.overrides();
        String file = overrides.getOrDefault(Harness.SPEC, "");
        Path specFile = Path.of(file.isBlank() ? "experiments/" + name + ".properties" : file);
        if (!Files.isRegularFile(specFile)) {
            return Optional.of("its spec file " + specFile + " is not there to check it against");
        }
        try {
            Experiment experiment = experiments.apply(name);
            Spec now = Spec.resolve(name, Harness.allParams(experiment.params()), Harness.defaults(),
                    SpecFile.read(specFile), overrides);
            String hash = SweepRunner.hash(now);
            return hash.equals(run.text("spec_hash")) ? Optional.empty()
                    : Optional.of("the spec changed since: the same settings now hash to " + hash
                    + ", the run's to " + run.text("spec_hash"));
        } catch (BadInputException e) {
            return Optional.of("its settings no longer resolve against today's spec: " + e.getMessage());
        }
    }

    /** Files the run depends on that differ between its commit and today's working tree. */
    private static Optional<String> codeChange(RunResults run, String name) {
        String commit = run.text("git_commit");
        boolean dirty = commit.endsWith("+dirty");
        String head = commit.replace("+dirty", "");
        if (!head.matches("[0-9a-f]{7,40}")) {
            return Optional.of("it does not say which commit built it (git_commit '" + commit + "')");
        }
        Git repository = Git.run("rev-parse", "--git-dir");
        if (repository == null || repository.status() != 0) {
            // no git, or not a repository: nothing to tell
            return Optional.empty();
        }
        Git diff = Git.run("diff", "--name-only", head, "--", "src/main/java", "pom.xml",
                "experiments/" + name + ".properties");
        if (diff == null) {
            return Optional.empty();
        }
        String shortHead = head.substring(0, 7);
        if (diff.status() != 0) {
            return Optional.of("its commit " + shortHead + " is not in this repository");
        }
        List<String> files = diff.output().lines().filter(l -> !l.isBlank()).toList();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        // the spec file or the experiment's own code says most; any other file may matter too
        String own = name.replace("-", "");
        String example = files.stream().filter(f -> f.startsWith("experiments/") || f.contains("/" + own + "/"))
                .findFirst().orElse(files.get(0));
        return Optional.of("the code changed since its commit " + shortHead + " (" + files.size()
                + (files.size() == 1 ? " file" : " files") + ", e.g. " + example + ")"
                + (dirty ? "; it was built with uncommitted changes, which may be among them" : ""));
    }

    /** One git command's exit status and output; null when git cannot be run. */
    private record Git(int status, String output) {
        static Git run(String... args) {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return null;
                }
                return new Git(p.exitValue(), out);
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
