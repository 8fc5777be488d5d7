package gdlab.sweep;

import gdlab.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code workers} threads in this JVM, each training one cell at a time with single-threaded ND4J ops, or, with
 * {@code stack} above 1 and a {@link Stackable} experiment, one stack of cells at a time ({@link Stacks#plan}).
 */
final class LocalEngine implements Engine {

    @Override
    public List<CellResult> train(Experiment experiment, Spec spec, List<Cell> cells,
                                  Consumer<CellResult> onFinished) {
        int workers = spec.integer(Harness.WORKERS);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, cells.size())), r -> {
            Thread t = new Thread(r, "gdlab-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<CellResult>>> futures = new ArrayList<>();
            for (List<Cell> unit : Stacks.plan(experiment, spec.integer(Harness.STACK), cells)) {
                futures.add(pool.submit(() -> unit.size() == 1 ? List.of(finish(runCell(experiment, unit.get(0)),
                        onFinished)) : runStack((Stackable) experiment, unit, onFinished)));
            }
            List<CellResult> results = new ArrayList<>();
            for (Future<List<CellResult>> f : futures) {
                results.addAll(f.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static CellResult finish(CellResult result, Consumer<CellResult> onFinished) {
        onFinished.accept(result);
        return result;
    }

    /**
     * One stack; each cell's result is passed on as soon as it comes. If the stack throws, every cell it has not
     * finished becomes a failed result carrying the message.
     */
    static List<CellResult> runStack(Stackable experiment, List<Cell> unit, Consumer<CellResult> onFinished) {
        List<CellResult> results = new ArrayList<>();
        try {
            experiment.runStacked(unit, r -> results.add(finish(r, onFinished)));
        } catch (RuntimeException | Error e) {
            for (Cell cell : unit) {
                if (results.stream().noneMatch(r -> r.cell().index() == cell.index())) {
                    results.add(finish(CellResult.failed(cell, e), onFinished));
                }
            }
        }
        if (results.size() != unit.size()) {
            throw new IllegalStateException("a stack of " + unit.size() + " cells reported " + results.size());
        }
        return results;
    }

    /** One cell; whatever it throws becomes a failed result carrying the message. */
    static CellResult runCell(Experiment experiment, Cell cell) {
        try {
            return experiment.run(cell);
        } catch (RuntimeException | Error e) {
            return CellResult.failed(cell, e);
        }
    }
}
