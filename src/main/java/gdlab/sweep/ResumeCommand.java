package gdlab.sweep;

import gdlab.spec.Spec;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The command that finishes an interrupted run: the keys it was started with (in name order) and
 * {@code -Dresume=<its folder>}.
 */
final class ResumeCommand {
    /** Values a shell takes as they are; any other is single-quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.,/:=+@%-]+");

    private ResumeCommand() {
    }

    static String of(Spec spec, Path runFolder) {
        StringBuilder command = new StringBuilder(spec.string(Harness.ENGINE).equals("spark")
                ? "mvn -Pspark -q compile exec:java" : "mvn -q compile exec:java");
        command.append(" -Dexperiment=").append(quoted(spec.experiment()));
        for (String key : new java.util.TreeSet<>(spec.overridden())) {
            if (!key.equals(Harness.RESUME)) {
                command.append(" -D").append(key).append('=').append(quoted(spec.raw(key)));
            }
        }
        return command.append(" -Dresume=").append(quoted(runFolder.toString())).toString();
    }

    static String quoted(String value) {
        return PLAIN.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }
}
