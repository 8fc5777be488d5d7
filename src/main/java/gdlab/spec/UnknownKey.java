package gdlab.spec;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The message for a key nobody knows: the closest known key when one is close ({@code maxEpochs}, {@code max-epochs}
 * and {@code max_epoch} all lead to {@code max_epochs}), else the list of known keys.
 */
public final class UnknownKey {
    private UnknownKey() {
    }

    /** {@code unknown key 'K'; did you mean 'C'?}, or {@code unknown key 'K'; known: a, b, c}. */
    public static String message(String key, String where, Collection<String> known) {
        String head = "unknown key '" + key + "'" + where;
        String closest = closest(key, known);
        return closest != null ? head + "; did you mean '" + closest + "'?"
                : head + "; known: " + String.join(", ", new TreeSet<>(known));
    }

    /** The known key nearest to {@code key} in snake_case, when it is near enough to be a slip; else null. */
    static String closest(String key, Collection<String> known) {
        String typed = snakeCase(key);
        String best = new TreeSet<>(known).stream()
                .min(Comparator.comparingInt(k -> editDistance(typed, k))).orElse(null);
        return best != null && editDistance(typed, best) <= Math.max(2, typed.length() / 3) ? best : null;
    }

    /** {@code maxEpochs}, {@code lr.batch}, {@code Max-Epochs} -> {@code max_epochs}, {@code lr_batch}, ... */
    static String snakeCase(String key) {
        return key.strip().replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[.\\-\\s]+", "_")
                .toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance: insertions, deletions and substitutions, one each. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
