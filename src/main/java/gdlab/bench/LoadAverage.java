package gdlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's load average (runnable processes, averaged over 1, 5 and 15 minutes) from /proc/loadavg. Timings
 * taken while it is well above the number of cores are distorted: other processes hold the CPUs.
 */
public record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes) {

    /** Now; NaNs where /proc/loadavg is missing (not Linux). */
    public static LoadAverage now() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new LoadAverage(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            return new LoadAverage(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** True when the 1-minute load is above the cores this JVM sees (timings are then distorted). */
    public boolean overloaded() {
        return oneMinute > Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f %.2f %.2f", oneMinute, fiveMinutes, fifteenMinutes);
    }
}
