package gdlab.sweep;

import gdlab.report.Json;
import gdlab.report.RunFolder;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * While a run trains, a JVM shutdown hook: on SIGTERM or Ctrl-C (SIGINT) it marks the run's run.json
 * {@code interrupted} and prints, as the last line on stderr, the command that finishes the run. Once the run has
 * written its final run.json ({@link #finish}) or stopped otherwise ({@link #close}), the hook does nothing.
 */
final class InterruptHook implements AutoCloseable {
    private final RunFolder folder;
    private final Map<String, Object> runInfo;
    private final String resumeCommand;
    private final PrintStream err;
    final Thread thread = new Thread(this::onShutdown, "gdlab-interrupted");
    private boolean over;

    private InterruptHook(RunFolder folder, Map<String, Object> runInfo, String resumeCommand, PrintStream err) {
        this.folder = folder;
        this.runInfo = new LinkedHashMap<>(runInfo);
        this.resumeCommand = resumeCommand;
        this.err = err;
    }

    /** Registers the hook; {@code runInfo} is the running run's run.json content, copied now. */
    static InterruptHook install(RunFolder folder, Map<String, Object> runInfo, String resumeCommand,
                                 PrintStream err) {
        InterruptHook hook = new InterruptHook(folder, runInfo, resumeCommand, err);
        Runtime.getRuntime().addShutdownHook(hook.thread);
        return hook;
    }

    /** Writes the run's final run.json; from then on an interrupt leaves it alone. */
    synchronized void finish(Map<String, Object> finalRunInfo) {
        folder.writeAtomically("run.json", Json.write(finalRunInfo));
        over = true;
    }

    synchronized void onShutdown() {
        if (over) {
            return;
        }
        over = true;
        runInfo.put("status", "interrupted");
        folder.writeAtomically("run.json", Json.write(runInfo));
        err.println();
        err.println("gdlab: interrupted; finish it with: " + resumeCommand);
        err.flush();
    }

    /** Unregisters the hook (when the JVM is already shutting down, the hook runs or has run: nothing to undo). */
    @Override
    public void close() {
        synchronized (this) {
            over = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
