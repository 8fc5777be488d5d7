package gdlab.sweep;

import gdlab.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** {@code workers} threads in this JVM, each training one cell at a time with single-threaded ND4J ops. */
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
            List<Future<CellResult>> futures = new ArrayList<>();
            for (Cell cell : cells) {
                futures.add(pool.submit(() -> {
                    CellResult result = runCell(experiment, cell);
                    onFinished.accept(result);
                    return result;
                }));
            }
            List<CellResult> results = new ArrayList<>();
            for (Future<CellResult> f : futures) {
                results.add(f.get());
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

    /** One cell; whatever it throws becomes a failed result carrying the message. */
    static CellResult runCell(Experiment experiment, Cell cell) {
        try {
            return experiment.run(cell);
        } catch (RuntimeException | Error e) {
            return CellResult.failed(cell, e);
        }
    }
}
