package gdlab.sweep;

import gdlab.spec.Spec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code -Dengine=processes}: {@code workers} worker JVMs on this machine, each preparing the experiment once and
 * training the cells it is handed one at a time (whichever worker is free takes the next cell). Cells in separate
 * JVMs share nothing: in one JVM, ND4J's native buffers are freed through JavaCPP's JVM-wide pointer bookkeeping and
 * the garbage collector, which serializes in-process workers.
 *
 * <p>A worker is the same java binary with this JVM's classpath, heap and collector flags, {@code OMP_NUM_THREADS=1},
 * and a main class (by default {@value #WORKER_MAIN}) that creates the experiment by name and calls
 * {@link ProcessWorker#serve}. It talks to this JVM over a loopback socket with Java serialization; its stdout and
 * stderr go to this JVM's stderr. Results come back here, where {@code onFinished} writes them to the run folder.
 *
 * <p>A cell that throws in a worker is a {@code failed} row. A worker JVM that dies (crash, out of memory,
 * killed) makes its cell a {@code failed} row saying so, not retried (a cell that kills its JVM would kill the
 * next one too); a new worker takes the remaining cells. Workers are destroyed when the run ends, and by a
 * shutdown hook if this JVM exits first; a worker whose parent is gone exits by itself when its socket closes.
 */
final class ProcessEngine implements Engine {
    /** The worker's main class, above the experiments (it looks them up by name). */
    static final String WORKER_MAIN = "gdlab.WorkerMain";
    /** .mvn/jvm.config's settings, for a parent JVM started without any collector flag. */
    static final List<String> DEFAULT_JVM_FLAGS = List.of("-XX:+UseParallelGC", "-Xmn64m", "-XX:SurvivorRatio=2");
    /** How long a new worker JVM may take to connect. */
    static final long CONNECT_TIMEOUT_MS = 120_000;

    private final String workerMain;

    ProcessEngine() {
        this(WORKER_MAIN);
    }

    /** @param workerMain the worker JVMs' main class: it calls {@link ProcessWorker#serve} */
    ProcessEngine(String workerMain) {
        this.workerMain = workerMain;
    }

    @Override
    public String describe(Spec spec) {
        int workers = spec.integer(Harness.WORKERS);
        return workers + (workers == 1 ? " worker JVM" : " worker JVMs");
    }

    @Override
    public List<CellResult> train(Experiment experiment, Spec spec, List<Cell> cells,
                                  Consumer<CellResult> onFinished) {
        if (cells.isEmpty()) {
            return List.of();
        }
        ProcessWorker.Job job = new ProcessWorker.Job(spec.experiment(), spec);
        Queue<Cell> todo = new ConcurrentLinkedQueue<>(cells);
        BlockingQueue<CellResult> finished = new LinkedBlockingQueue<>();
        Set<Worker> live = ConcurrentHashMap.newKeySet();
        AtomicBoolean over = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            over.set(true);
            live.forEach(Worker::kill);
        }, "gdlab-worker-reaper");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Thread> slots = new ArrayList<>();
        try {
            int n = Math.max(1, Math.min(spec.integer(Harness.WORKERS), cells.size()));
            for (int i = 1; i <= n; i++) {
                int slot = i;
                Thread t = new Thread(() -> serveSlot(slot, job, todo, finished, live, over),
                        "gdlab-worker-" + slot);
                t.setDaemon(true);
                t.start();
                slots.add(t);
            }
            List<CellResult> results = new ArrayList<>();
            while (results.size() < cells.size()) {
                // the slots only queue results; the run folder is written from this thread
                CellResult r = finished.take();
                results.add(r);
                onFinished.accept(r);
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            over.set(true);
            todo.clear();
            slots.forEach(Thread::interrupt);
            live.forEach(Worker::kill);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // this JVM is already shutting down: the hook runs anyway
            }
        }
    }

    /** One worker slot: takes the next cell while there is one, starting a worker JVM when it has none. */
    private void serveSlot(int slot, ProcessWorker.Job job, Queue<Cell> todo, BlockingQueue<CellResult> finished,
                           Set<Worker> live, AtomicBoolean over) {
        Worker worker = null;
        try {
            Cell cell;
            while ((cell = todo.poll()) != null) {
                if (worker == null) {
                    try {
                        worker = Worker.start(command(slot), job);
                        live.add(worker);
                    } catch (IOException | RuntimeException e) {
                        finished.add(CellResult.failed(cell, new IllegalStateException(
                                "could not start a worker JVM: " + e.getMessage(), e)));
                        continue;
                    }
                }
                try {
                    finished.add(worker.train(cell));
                } catch (IOException | ClassNotFoundException | RuntimeException e) {
                    // a lost connection, or an answer that is not a result: either way this worker is done
                    if (over.get()) {
                        return;   // the run is over or this JVM is exiting: the worker was ended on purpose
                    }
                    String death = worker.death(e);
                    live.remove(worker);
                    worker.kill();
                    worker = null;
                    finished.add(CellResult.failed(cell, new IllegalStateException(death)));
                }
            }
        } finally {
            if (worker != null) {
                worker.close();
                live.remove(worker);
            }
        }
    }

    /** The command line of a worker JVM. */
    List<String> command(int slot) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        command.add("-cp");
        command.add(classpath());
        command.add(workerMain);
        command.add("{port}");
        command.add(String.valueOf(slot));
        return command;
    }

    /**
     * This JVM's heap, collector and native-library flags, for a worker: {@code -X...} and {@code -XX:...} (not
     * {@code -Xlog}, whose files the workers would share) and the {@code -D} properties of JavaCPP, ND4J and
     * logging; with {@link #DEFAULT_JVM_FLAGS} when this JVM chose no collector.
     */
    static List<String> jvmFlags(List<String> parent) {
        List<String> flags = new ArrayList<>();
        for (String a : parent) {
            boolean heapOrGc = (a.startsWith("-XX:") || a.startsWith("-Xm") || a.startsWith("-Xss"));
            boolean library = a.startsWith("-Dorg.bytedeco.") || a.startsWith("-Djavacpp.")
                    || a.startsWith("-Dorg.nd4j.") || a.startsWith("-Dlogback.");
            if (heapOrGc || library) {
                flags.add(a);
            }
        }
        if (flags.stream().noneMatch(f -> f.startsWith("-XX:+Use") && f.endsWith("GC"))) {
            flags.addAll(0, DEFAULT_JVM_FLAGS);
        }
        return flags;
    }

    /**
     * The classpath gdlab runs with: its class loader's when that is a URL class loader ({@code mvn exec:java}
     * loads the project in one, inside Maven's JVM), else {@code java.class.path}.
     */
    static String classpath() {
        if (ProcessEngine.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    entries.add(url.getPath());
                }
            }
            if (!entries.isEmpty()) {
                return String.join(File.pathSeparator, entries);
            }
        }
        return System.getProperty("java.class.path");
    }

    /** One worker JVM and its connection. */
    static final class Worker {
        private final Process process;
        private final Socket socket;
        private final ObjectOutputStream out;
        private final ObjectInputStream in;

        private Worker(Process process, Socket socket) throws IOException {
            this.process = process;
            this.socket = socket;
            socket.setTcpNoDelay(true);
            this.out = new ObjectOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            out.flush();
            this.in = new ObjectInputStream(new BufferedInputStream(socket.getInputStream()));
        }

        /** Starts a worker JVM ({@code {port}} in {@code command} becomes the port it connects to) and sends the job. */
        static Worker start(List<String> command, ProcessWorker.Job job) throws IOException {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(200);
                List<String> cmd = command.stream()
                        .map(a -> a.equals("{port}") ? String.valueOf(server.getLocalPort()) : a).toList();
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                pb.environment().put("OMP_NUM_THREADS", "1");
                Process process = pb.start();
                pump(process, System.err);
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS);
                while (true) {
                    try {
                        Worker worker = new Worker(process, server.accept());
                        worker.out.writeObject(job);
                        worker.out.flush();
                        return worker;
                    } catch (SocketTimeoutException e) {
                        if (!process.isAlive()) {
                            throw new IOException("it exited with status " + process.exitValue()
                                    + " before connecting (its output is above)");
                        }
                        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                            process.destroyForcibly();
                            throw new IOException("it did not connect within " + CONNECT_TIMEOUT_MS / 1000 + " s");
                        }
                    } catch (IOException e) {
                        process.destroyForcibly();
                        throw e;
                    }
                }
            }
        }

        /** Copies the worker's output, line by line, to {@code err}. */
        private static void pump(Process process, PrintStream err) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        err.println(line);
                    }
                } catch (IOException e) {
                    // the worker is gone
                }
            }, "gdlab-worker-output-" + process.pid());
            t.setDaemon(true);
            t.start();
        }

        CellResult train(Cell cell) throws IOException, ClassNotFoundException {
            out.writeObject(cell);
            out.flush();
            out.reset();
            byte[] bytes = (byte[]) in.readObject();
            try (ObjectInputStream result = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                return (CellResult) result.readObject();
            }
        }

        /** Why the connection broke, for the row of the cell it was training. */
        String death(Exception e) {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return "the worker JVM (pid " + process.pid() + ") "
                    + (process.isAlive() ? "stopped answering (" + e + ")"
                    : "died while training this cell, exit status " + process.exitValue())
                    + "; the cell was not retried, the other cells went on";
        }

        /** Tells the worker there is nothing left, and ends it. */
        void close() {
            try {
                out.writeObject(ProcessWorker.BYE);
                out.flush();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (IOException e) {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            } finally {
                closeSocket();
            }
        }

        void kill() {
            process.destroyForcibly();
            closeSocket();
        }

        private void closeSocket() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
