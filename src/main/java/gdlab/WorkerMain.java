package gdlab;

import gdlab.dl4j.Nd4jSetup;
import gdlab.sweep.ProcessWorker;

import java.io.IOException;

/**
 * A worker JVM of {@code -Dengine=processes}, started by the sweep's process engine (never by hand): it creates the
 * experiment it is sent by name from the {@link Registry} and trains cells for the parent JVM. Arguments: the
 * parent's loopback port and the worker's number.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) throws IOException {
        ProcessWorker.ignoreInterrupts();
        System.setOut(System.err);   // nothing of a worker's is a result: its output is the parent's stderr
        Nd4jSetup.singleThreadedOps();
        ProcessWorker.serve(args, Registry::create);
        System.exit(0);
    }
}
