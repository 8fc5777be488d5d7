package gdlab.sweep;

import gdlab.spec.Spec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The worker side of {@link ProcessEngine}, in its own JVM: connects to the parent on loopback, receives the
 * experiment's name and resolved spec, creates and prepares the experiment once, then trains the cells the parent
 * sends, one at a time, answering each with its {@link CellResult}. Whatever goes wrong in a cell (or in preparing
 * the experiment here) becomes a {@code failed} result; only a lost connection ends the worker.
 *
 * <p>The messages are Java-serialized objects on one socket: parent to worker a {@link Job}, then {@link Cell}s and
 * a final {@link #BYE}; worker to parent, per cell, its {@link CellResult} serialized into a byte array (so a result
 * that cannot be serialized becomes a failed one instead of a broken stream).
 */
public final class ProcessWorker {
    /** What the parent sends first: the experiment to create (by name) and the spec to prepare it with. */
    public record Job(String experiment, Spec spec) implements Serializable {
    }

    /** Sent instead of a cell when there is nothing left to train. */
    static final String BYE = "bye";

    private ProcessWorker() {
    }

    /**
     * Ctrl-C on a terminal interrupts the whole process group: a worker leaves it to the parent, which records the
     * run as interrupted and then ends its workers (a worker dying first would turn its cell into a failed row).
     */
    @SuppressWarnings("removal")
    public static void ignoreInterrupts() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> { });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGINT here (not a POSIX system): nothing to ignore
        }
    }

    /**
     * Serves one parent: {@code args} are the parent's loopback port and this worker's number; {@code experiments}
     * creates an experiment from its name.
     */
    public static void serve(String[] args, Function<String, Experiment> experiments) throws IOException {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: WorkerMain PORT [WORKER]");
        }
        int port = Integer.parseInt(args[0]);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            out.flush();
            ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(socket.getInputStream()));
            Job job = (Job) in.readObject();
            Prepared prepared = Prepared.of(job, experiments);
            while (true) {
                Object message = in.readObject();
                if (!(message instanceof Cell cell)) {
                    return;   // BYE
                }
                out.writeObject(bytes(prepared.run(cell)));
                out.flush();
                out.reset();   // results are not shared between messages: don't let the stream keep them
            }
        } catch (EOFException e) {
            // the parent went away: nothing left to do
        } catch (ClassNotFoundException e) {
            throw new IOException("the parent sent a class this worker cannot load: " + e.getMessage(), e);
        }
    }

    /** {@code result} serialized; if it cannot be, a failed result for its cell saying why. */
    static byte[] bytes(CellResult result) throws IOException {
        try {
            return serialize(result);
        } catch (java.io.NotSerializableException e) {
            return serialize(CellResult.failed(result.cell(), new IllegalStateException("the cell's result cannot be "
                    + "sent to the parent JVM: " + e.getMessage() + " is not serializable")));
        }
    }

    static byte[] serialize(Object o) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    /** The experiment as prepared in this JVM, with its grid (to check each cell against), or why it could not be. */
    private record Prepared(Experiment experiment, Map<Integer, Cell> grid, RuntimeException error) {
        static Prepared of(Job job, Function<String, Experiment> experiments) {
            try {
                Experiment experiment = experiments.apply(job.experiment());
                List<Cell> cells = experiment.prepare(job.spec());
                Map<Integer, Cell> grid = new HashMap<>();
                cells.forEach(c -> grid.put(c.index(), c));
                return new Prepared(experiment, grid, null);
            } catch (RuntimeException | Error e) {
                return new Prepared(null, Map.of(), new IllegalStateException("the worker JVM could not prepare "
                        + job.experiment() + ": " + e, e));
            }
        }

        CellResult run(Cell cell) {
            if (error != null) {
                return CellResult.failed(cell, error);
            }
            Cell mine = grid.get(cell.index());
            if (mine == null || !mine.coords().equals(cell.coords())) {
                return CellResult.failed(cell, new IllegalStateException("the worker JVM's grid has "
                        + (mine == null ? "no cell " + cell.index() : "cell " + cell.index() + " as " + mine.label())
                        + ": it prepared the experiment differently"));
            }
            try {
                return experiment.run(cell);
            } catch (RuntimeException | Error e) {
                return CellResult.failed(cell, e);
            }
        }
    }
}
