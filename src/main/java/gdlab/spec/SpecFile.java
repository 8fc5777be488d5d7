package gdlab.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's editable defaults: {@code experiments/<name>.properties}.
 *
 * <p>Lines are {@code key = value}; {@code #} starts a comment line; {@code hypothesis} holds the "you should see"
 * sentence; {@code quick.key = value} is the value used with {@code -Dquick=true}. Values are taken as written
 * (no escapes), so a comma list reads the same in the file and on the command line.
 *
 * @param path       where it was read from (for messages)
 * @param hypothesis what the experiment expects to show
 * @param values     key to raw value, in file order
 * @param quick      key to raw value for the quick setting, in file order
 */
public record SpecFile(Path path, String hypothesis, Map<String, String> values, Map<String, String> quick) {

    public static final String QUICK_PREFIX = "quick.";

    public static SpecFile read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException("spec file not found: " + path.toAbsolutePath()
                    + " (run from the project folder, or point -Dspec=PATH at the file)");
        } catch (IOException e) {
            throw new BadInputException("cannot read spec file " + path + ": " + e.getMessage(), e);
        }
        return parse(path, lines);
    }

    public static SpecFile parse(Path path, List<String> lines) {
        String hypothesis = "";
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> quick = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String where = path + " line " + (i + 1);
            if (eq <= 0) {
                throw new BadInputException(where + ": expected 'key = value', got '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.equals("hypothesis")) {
                hypothesis = value;
                continue;
            }
            Map<String, String> target = values;
            if (key.startsWith(QUICK_PREFIX)) {
                key = key.substring(QUICK_PREFIX.length());
                target = quick;
            }
            if (!key.matches("[a-z][a-z0-9_]*")) {
                throw new BadInputException(where + ": bad key '" + key + "'; keys are snake_case");
            }
            if (target.put(key, value) != null) {
                throw new BadInputException(where + ": key '" + key + "' is set twice");
            }
        }
        return new SpecFile(path, hypothesis, values, quick);
    }
}
