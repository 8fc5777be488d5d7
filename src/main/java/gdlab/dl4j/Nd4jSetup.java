package gdlab.dl4j;

import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/** ND4J's process-wide settings for sweeps, and a description of the backend for run.json. */
public final class Nd4jSetup {
    /** JavaCPP's system property for its resident-memory check, read once when JavaCPP's Pointer class loads. */
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    static {
        javacppBeforeItLoads();
    }

    private Nd4jSetup() {
    }

    /**
     * Turns off JavaCPP's resident-memory check unless the user set it ({@code -Dorg.bytedeco.javacpp.maxPhysicalBytes},
     * either spelling): with it on, every native pointer JavaCPP registers for the garbage collector first reads
     * /proc/self/statm (a system call that takes the process's memory-map lock), and a DL4J step registers ~160 of
     * them (64-32-10, B = 1). Its default limit, 4 x the maximum heap, is the whole RAM with the JVM's default heap,
     * so the check never fired anyway; JavaCPP's other limit ({@code maxBytes}, the native bytes it tracks against
     * the heap's maximum) stays. Measured on batch-modes' stochastic cell: 1.25 -> 0.85 ms per step, identical
     * results. It must run before JavaCPP's Pointer class loads (it reads the property once): this class's static
     * initializer calls it, and gdlab's Main loads this class before ND4J; {@code .mvn/jvm.config} and the tests'
     * argLine set the same property for the JVMs they start.
     */
    static void javacppBeforeItLoads() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) == null
                && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
            System.setProperty(MAX_PHYSICAL_BYTES, "0");
        }
    }

    /**
     * One ND4J/BLAS thread per worker: small nets are dominated by per-op overhead, and OpenMP's spinning threads
     * made them 3-4x slower than one thread (measured). One thread also keeps results bit-identical however many
     * workers run.
     */
    public static synchronized void singleThreadedOps() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }

    /** Versions, backend, classifier, CPU and threads, as recorded in run.json. */
    public static Map<String, Object> describe() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("gdlab_version", version("gdlab", "gdlab"));
        env.put("dl4j_version", version("org.deeplearning4j", "deeplearning4j-nn"));
        env.put("nd4j_version", version("org.nd4j", "nd4j-native"));
        env.put("java_version", System.getProperty("java.version"));
        env.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        env.put("java_gc", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
        env.put("javacpp_platform", org.bytedeco.javacpp.Loader.getPlatform());
        env.put("javacpp_platform_requested", System.getProperty("javacpp.platform", ""));
        env.put("javacpp_max_physical_bytes", org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        env.put("javacpp_max_bytes", org.bytedeco.javacpp.Pointer.maxBytes());
        org.nd4j.nativeblas.NativeOps ops = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps();
        env.put("nd4j_binary_level", level(ops.binaryLevel()));
        env.put("cpu_optimal_level", level(ops.optimalLevel()));
        Properties info = Nd4j.getExecutioner().getEnvironmentInformation();
        env.put("blas_vendor", String.valueOf(info.getOrDefault("blas.vendor", "")));
        env.put("cpu_model", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("nd4j_max_threads", Nd4j.getEnvironment().maxThreads());
        env.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", ""));
        env.put("openblas_coretype", System.getenv().getOrDefault("OPENBLAS_CORETYPE", ""));
        return env;
    }

    /** libnd4j's instruction-set levels: what the loaded binary was built for, and the best this CPU could run. */
    static String level(int level) {
        return switch (level) {
            case 3 -> "avx512";
            case 2 -> "avx2";
            default -> "generic x86";
        };
    }

    static String version(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Nd4jSetup.class.getResourceAsStream(path)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        try (InputStream in = Nd4jSetup.class.getResourceAsStream("/gdlab/version.properties")) {
            if (in != null && group.equals("gdlab")) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }
}
