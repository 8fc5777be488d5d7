package gdlab.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The Spark standalone cluster of {@code scripts/spark-cluster} (a master and workers on 127.0.0.1, each a JVM of its
 * own), driven from a test: start, stop, and the process ids of its workers and of their executors, to kill them.
 */
final class StandaloneCluster {
    static final Path DIR = Path.of("target/spark-cluster");
    private static final Path SCRIPT = Path.of("scripts/spark-cluster");
    /** start waits for the master, then the workers, up to this long each (the script's own bound). */
    private static final long START_SECONDS = 240;

    private final String masterUrl;

    private StandaloneCluster(String masterUrl) {
        this.masterUrl = masterUrl;
    }

    /** Starts the master and {@code workers} workers, or what of them is not running (a worker killed earlier). */
    static StandaloneCluster start(int workers) {
        String out = script(START_SECONDS * 2 + 60, "start", String.valueOf(workers));
        List<String> lines = out.lines().filter(l -> l.startsWith("spark://")).toList();
        if (lines.size() != 1) {
            throw new IllegalStateException("scripts/spark-cluster start printed no master URL: " + out);
        }
        return new StandaloneCluster(lines.get(0));
    }

    /** Stops the workers, their executors and the master. */
    static void stop() {
        script(60, "stop");
    }

    String masterUrl() {
        return masterUrl;
    }

    /** Worker {@code n}'s JVM (1-based), while it runs. */
    static ProcessHandle worker(int n) {
        return daemon("worker-" + n).orElseThrow(() -> new IllegalStateException("worker " + n + " is not running"));
    }

    /** The executor JVMs the running workers have launched (in client mode a worker launches nothing else). */
    static List<ProcessHandle> executors() {
        try (var files = Files.list(DIR)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("worker-") && n.endsWith(".pid"))
                    .map(n -> daemon(n.substring(0, n.length() - 4)))
                    .flatMap(Optional::stream)
                    .flatMap(ProcessHandle::children)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<ProcessHandle> daemon(String name) {
        try {
            Path pid = DIR.resolve(name + ".pid");
            return Files.isRegularFile(pid)
                    ? ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).filter(ProcessHandle::isAlive)
                    : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, then waits (at most 60 s) until the process is gone. */
    static void kill(ProcessHandle process) {
        process.destroyForcibly();
        awaitTrue(60, () -> !process.isAlive(), "process " + process.pid() + " to die after SIGKILL");
    }

    /** Polls {@code condition} every 200 ms until it holds; fails after {@code seconds}, saying what it waited for. */
    static void awaitTrue(long seconds, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + what);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String script(long seconds, String... args) {
        try {
            Path log = Files.createTempFile("spark-cluster", ".log");
            List<String> command = new ArrayList<>(List.of(SCRIPT.toAbsolutePath().toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("SPARK_CLUSTER_TIMEOUT", String.valueOf(START_SECONDS));
            Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("scripts/spark-cluster " + String.join(" ", args)
                        + " took over " + seconds + " s: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("scripts/spark-cluster " + String.join(" ", args) + " exited "
                        + p.exitValue() + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
