package gdlab.spark;

import gdlab.spec.Spec;
import gdlab.sweep.Cell;
import gdlab.sweep.CellResult;
import gdlab.sweep.Engine;
import gdlab.sweep.Experiment;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.LoggerFactory;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * {@code -Dengine=spark}: every cell is one Spark task. Each executor JVM re-creates the experiment and prepares it
 * from the (serializable) spec once ({@link CellTask}), trains its cells with single-threaded ND4J ops, and sends
 * each {@link CellResult} back; the driver hands every result to {@code onFinished} as its task finishes, so the run
 * folder on this machine fills as on the local engine.
 *
 * <p>Spark is configured the usual way: {@code spark.*} system properties ({@code -Dspark.master=local[2]} on one
 * machine, or whatever {@code spark-submit} sets); without a master, {@code local[*]}. A cell that throws, on an
 * executor, becomes a {@code failed} row with its message; only a Spark job that itself fails (executors lost past
 * Spark's retries) stops the run, with the finished cells kept for {@code -Dresume=latest}. So does a cluster that
 * never starts a task (no worker, or none with the cores and memory the executors ask for): after
 * {@code spark.gdlab.startTimeout} seconds (default {@value #START_TIMEOUT_DEFAULT}) without a task started, the run
 * stops with a message saying so, instead of waiting for ever.
 */
public final class SparkEngine implements Engine {
    /** How often the driver looks at the job while no result arrives. */
    private static final long POLL_MS = 200;
    /** The Spark property bounding the wait for a first task to start, in seconds. */
    static final String START_TIMEOUT = "spark.gdlab.startTimeout";
    static final int START_TIMEOUT_DEFAULT = 300;

    public SparkEngine() {
    }

    @Override
    public List<CellResult> train(Experiment experiment, Spec spec, List<Cell> cells,
                                  Consumer<CellResult> onFinished) {
        if (cells.isEmpty()) {
            return List.of();
        }
        SparkLogs.quiet();
        SparkConf conf = configuration(spec);
        startTimeoutSeconds(conf);   // a bad value stops the run before Spark starts
        JavaSparkContext jsc = new JavaSparkContext(conf);
        try {
            return run(jsc, experiment, spec, cells, onFinished);
        } finally {
            jsc.stop();
        }
    }

    @Override
    public String describe(Spec spec) {
        return "Spark tasks on " + configuration(spec).get("spark.master");
    }

    /** {@code spark.*} system properties, with gdlab's defaults for what they leave unset. */
    static SparkConf configuration(Spec spec) {
        return new SparkConf()   // loads every spark.* system property
                .setIfMissing("spark.master", "local[*]")
                .setIfMissing("spark.app.name", "gdlab " + spec.experiment())
                // one ND4J thread per task (CellTask also sets it in each executor JVM)
                .setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1")
                .setIfMissing("spark.ui.showConsoleProgress", "false");
    }

    private static List<CellResult> run(JavaSparkContext jsc, Experiment experiment, Spec spec, List<Cell> cells,
                                        Consumer<CellResult> onFinished) {
        CellTask task = new CellTask(experiment.getClass().getName(), spec);
        JavaRDD<Cell> rdd = jsc.parallelize(cells, cells.size());   // one cell per partition, so per task
        BlockingQueue<CellResult> arrived = new LinkedBlockingQueue<>();
        List<Object> partitions = new ArrayList<>();
        IntStream.range(0, cells.size()).forEach(partitions::add);
        SimpleFutureAction<BoxedUnit> job = jsc.sc().submitJob(rdd.rdd(), task,
                scala.jdk.javaapi.CollectionConverters.asScala(partitions).toList(),
                new OnDriver(arrived), new Done());
        List<CellResult> results = new ArrayList<>();
        long startBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(startTimeoutSeconds(jsc.getConf()));
        boolean started = false;
        try {
            while (results.size() < cells.size()) {
                // the handler runs on Spark's scheduler thread; onFinished (file writes) runs here
                CellResult r = arrived.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (r != null) {
                    results.add(r);
                    onFinished.accept(r);
                } else if (job.isCompleted() && arrived.isEmpty()) {
                    // every result is queued before the job completes: fewer means the job failed
                    scala.util.Try<BoxedUnit> outcome = job.value().get();
                    Throwable why = outcome.isFailure() ? outcome.failed().get()
                            : new IllegalStateException("the job ended without them");
                    throw new IllegalStateException("the Spark job failed after " + results.size() + " of "
                            + cells.size() + " cells (those are in cells.csv: finish with -Dresume=latest): "
                            + why.getMessage(), why);
                } else if (!started) {
                    started = aTaskStarted(jsc);
                    if (!started && System.nanoTime() > startBy) {
                        throw new IllegalStateException("no Spark executor started a task within "
                                + startTimeoutSeconds(jsc.getConf()) + " s (" + START_TIMEOUT + "): the cluster at "
                                + jsc.getConf().get("spark.master") + " has no worker, or none with the cores and "
                                + "memory the executors ask for (spark.executor.cores, spark.executor.memory); "
                                + "0 of " + cells.size() + " cells ran (start workers, then -Dresume=latest)");
                    }
                }
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (!job.isCompleted()) {
                job.cancel();
            }
        }
    }

    /** {@link #START_TIMEOUT}: a positive whole number of seconds. */
    static int startTimeoutSeconds(SparkConf conf) {
        String raw = conf.get(START_TIMEOUT, String.valueOf(START_TIMEOUT_DEFAULT)).strip();
        try {
            int seconds = Integer.parseInt(raw);
            if (seconds > 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new gdlab.spec.BadInputException("bad value '" + raw + "' for " + START_TIMEOUT
                + "; allowed: a whole number of seconds >= 1");
    }

    /** Whether a task of the job has started (is running, or has ended either way). */
    private static boolean aTaskStarted(JavaSparkContext jsc) {
        org.apache.spark.api.java.JavaSparkStatusTracker tracker = jsc.statusTracker();
        for (int stage : tracker.getActiveStageIds()) {
            org.apache.spark.SparkStageInfo info = tracker.getStageInfo(stage);
            if (info != null && info.numActiveTasks() + info.numCompletedTasks() + info.numFailedTasks() > 0) {
                return true;
            }
        }
        return false;
    }

    /** On the driver, for each finished task: queue its result (Spark's scheduler thread must not wait). */
    private static final class OnDriver extends AbstractFunction2<Object, CellResult, BoxedUnit> {
        private final BlockingQueue<CellResult> arrived;

        OnDriver(BlockingQueue<CellResult> arrived) {
            this.arrived = arrived;
        }

        @Override
        public BoxedUnit apply(Object partition, CellResult result) {
            arrived.add(result);
            return BoxedUnit.UNIT;
        }
    }

    private static final class Done extends AbstractFunction0<BoxedUnit> {
        @Override
        public BoxedUnit apply() {
            return BoxedUnit.UNIT;
        }
    }

    /** Spark's INFO lines would bury the progress lines: WARN unless logback's configuration says otherwise. */
    static final class SparkLogs {
        private SparkLogs() {
        }

        static void quiet() {
            if (!LoggerFactory.getILoggerFactory().getClass().getName().startsWith("ch.qos.logback")) {
                return;   // a cluster's own logging (Spark's log4j 2) keeps its configuration
            }
            for (String name : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop", "io.netty")) {
                ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(ch.qos.logback.classic.Level.WARN);
                }
            }
        }
    }
}
