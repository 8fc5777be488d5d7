package gdlab.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timing by windows, interleaved: each workload runs for a short window in turn (A B C A B C ...), so the workloads
 * of one table row see the same machine (JIT state, other processes' load) and their ratios are side by side. A
 * window's value is its wall time divided by the steps it made; a workload's value is the median of its windows,
 * which shrugs off a window hit by a GC pause or a burst of load.
 */
public final class Windows {
    private Windows() {
    }

    /** A workload: runs for about {@code seconds} (at least one step) and returns milliseconds per step. */
    @FunctionalInterface
    public interface Workload {
        double msPerStep(double seconds);
    }

    /** Repeats {@code step} until {@code seconds} have passed, at least {@code minSteps} times. */
    public static double repeat(Runnable step, double seconds, int minSteps) {
        long budget = (long) (seconds * 1e9);
        long start = System.nanoTime();
        long now;
        int steps = 0;
        do {
            step.run();
            steps++;
            now = System.nanoTime();
        } while (steps < minSteps || now - start < budget);
        return (now - start) / 1e6 / steps;
    }

    /**
     * One warm-up window per workload (discarded), then {@code windows} rounds of one window each.
     *
     * @return per workload, its windows' ms per step in round order
     */
    public static Map<String, double[]> interleaved(Map<String, Workload> workloads, int windows, double seconds) {
        workloads.values().forEach(w -> w.msPerStep(seconds));
        Map<String, double[]> ms = new LinkedHashMap<>();
        workloads.keySet().forEach(k -> ms.put(k, new double[windows]));
        for (int round = 0; round < windows; round++) {
            for (Map.Entry<String, Workload> w : workloads.entrySet()) {
                ms.get(w.getKey())[round] = w.getValue().msPerStep(seconds);
            }
        }
        return ms;
    }

    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    public static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    /** (max - min) / median: how much the windows disagree (0.1 = 10%). */
    public static double spread(double[] values) {
        double lo = Arrays.stream(values).min().orElse(Double.NaN);
        double hi = Arrays.stream(values).max().orElse(Double.NaN);
        return (hi - lo) / median(values);
    }
}
