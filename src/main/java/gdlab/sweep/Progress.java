package gdlab.sweep;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Progress of a sweep on stderr: a live bar (cells done / total, ETA, the last cell) when stderr is a terminal,
 * one plain line per finished cell otherwise, nothing with {@code quiet=true}.
 */
interface Progress extends AutoCloseable {

    void finished(Cell cell, CellResult result);

    @Override
    void close();

    static Progress of(String task, int total, boolean quiet, PrintStream err, Clock clock) {
        if (quiet || total == 0) {
            return new Progress() {
                @Override
                public void finished(Cell cell, CellResult result) {
                }

                @Override
                public void close() {
                }
            };
        }
        return err == System.err && System.console() != null ? new Bar(task, total, err) : new Lines(total, err, clock);
    }

    /** A line per finished cell, with elapsed time and a linear ETA. */
    final class Lines implements Progress {
        private final int total;
        private final PrintStream err;
        private final Clock clock;
        private final Instant start;
        private int done;

        Lines(int total, PrintStream err, Clock clock) {
            this.total = total;
            this.err = err;
            this.clock = clock;
            this.start = clock.instant();
        }

        @Override
        public synchronized void finished(Cell cell, CellResult result) {
            done++;
            double elapsed = Duration.between(start, clock.instant()).toMillis() / 1000.0;
            double eta = elapsed / done * (total - done);
            err.printf(Locale.ROOT, "[%d/%d] %s: %s%s (%.1f s elapsed, ETA %.0f s)%n", done, total, cell.label(),
                    result.status(), result.message().isEmpty() ? "" : " - " + result.message(), elapsed, eta);
            err.flush();
        }

        @Override
        public void close() {
        }
    }

    /** me.tongfei's progress bar on a terminal. */
    final class Bar implements Progress {
        private final ProgressBar bar;

        Bar(String task, int total, PrintStream err) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).setUpdateIntervalMillis(500).build();
        }

        @Override
        public synchronized void finished(Cell cell, CellResult result) {
            bar.step();
            bar.setExtraMessage(" " + cell.label() + ": " + result.status());
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
