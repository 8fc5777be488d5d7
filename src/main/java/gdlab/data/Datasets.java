package gdlab.data;

import gdlab.spec.BadInputException;
import gdlab.spec.Param;
import gdlab.spec.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Classification data: the sets shipped with gdlab (src/main/resources/data, see its README for sources and
 * licences), {@code digits} (1797 8x8 images, 10 classes) and {@code iris} (150 flowers, 3 classes), or the
 * user's own: {@code csv:PATH} (a header row, numeric features, the label in the column named by {@code label},
 * default the last) and {@code idx:IMAGES+LABELS} (MNIST's IDX format, gzip or not). The two IDX files are joined
 * by {@code +}, never by a comma, so that a data value never holds the comma that separates a sweep axis's values.
 */
public final class Datasets {
    private Datasets() {
    }

    public static final List<String> SHIPPED = List.of("digits", "iris");

    static final String ALLOWED = "digits, iris, csv:PATH or idx:IMAGES+LABELS";

    /** The {@code data} key of an experiment that trains on one data set. */
    public static Param param() {
        return new Param("data", ALLOWED, Datasets::isDataValue, false,
                "the data set: shipped, or your own CSV or IDX files");
    }

    /**
     * The {@code data} key as a sweep axis: a comma list of data sets (each as {@link #param()} allows), the cells
     * of each trained and grouped by {@code data}.
     */
    public static Param axisParam() {
        return new Param("data", ALLOWED + " (a comma list sweeps them)", Datasets::isDataValue, true,
                "the data sets, a sweep axis: shipped, or your own CSV or IDX files");
    }

    /** One data value: a shipped name, {@code csv:PATH} or {@code idx:IMAGES+LABELS} (two non-blank files). */
    public static boolean isDataValue(String s) {
        if (s.startsWith("idx:")) {
            String[] files = s.substring(4).split("\\+", -1);
            return files.length == 2 && !files[0].isBlank() && !files[1].isBlank();
        }
        return SHIPPED.contains(s) || (s.startsWith("csv:") && !s.substring(4).isBlank());
    }

    /** The {@code label} key: the label column of a CSV file (empty = the last column). */
    public static Param labelParam() {
        return Param.text("label", "a column name of the CSV file (empty: the last column)",
                "with data=csv:PATH, the column holding the class");
    }

    /** Loads {@code data} (and {@code label}) of a resolved spec. */
    public static Dataset load(Spec spec) {
        return load(spec.string("data"), spec.values().containsKey("label") ? spec.string("label") : "");
    }

    public static Dataset load(String name) {
        return load(name, "");
    }

    /**
     * Loads a data set for a classifier: as {@link #read} and then {@link #requireClassLabels}, so a label column
     * with one class, or one that looks continuous, stops the run before anything is trained.
     */
    public static Dataset load(String data, String label) {
        Labelled d = readLabelled(data, label);
        return requireClassLabels(data, d.labelSource(), d.data());
    }

    /**
     * Reads a data set without judging its labels (each distinct label value is a class): for a caller that does
     * not train a classifier. Classifiers use {@link #load(String, String)}.
     */
    public static Dataset read(String data, String label) {
        return readLabelled(data, label).data();
    }

    /** A data set and where its labels came from (for messages), e.g. {@code label column 'species'}. */
    public record Labelled(Dataset data, String labelSource) {
    }

    /**
     * Reads a data set without judging its labels, with where they came from: for a caller that decides by
     * {@link #labelKind} what to do with them.
     */
    public static Labelled readLabelled(String data, String label) {
        if (data.startsWith("csv:")) {
            return readUserCsv(Path.of(data.substring(4)), label);
        }
        if (data.startsWith("idx:")) {
            String[] files = data.substring(4).split("\\+", -1);
            if (files.length != 2) {
                throw new BadInputException("bad value '" + data + "' for data; allowed: " + ALLOWED
                        + " (the images file and the labels file joined by '+')");
            }
            return new Labelled(Idx.read(Path.of(files[0].strip()), Path.of(files[1].strip())),
                    "labels file " + files[1].strip());
        }
        return switch (data) {
            case "digits" -> readCsv("digits", "/data/digits.csv.gz", true);
            case "iris" -> readCsv("iris", "/data/iris.csv", false);
            default -> throw new BadInputException("bad value '" + data + "' for data; allowed: " + ALLOWED);
        };
    }

    /**
     * The height and width of the images of a data value whose rows are images, or null when its rows are not known
     * to be images (a CSV): the IDX images file's header for {@code idx:}, 8 x 8 for {@code digits}.
     */
    public static int[] imageShape(String data) {
        if (data.startsWith("idx:")) {
            return Idx.imageShape(Path.of(data.substring(4).split("\\+", -1)[0].strip()));
        }
        return data.equals("digits") ? new int[]{8, 8} : null;
    }

    /**
     * A data value's name in tables and cells: digits and iris as they are; a file's name without its folder and
     * extensions, lower case (idx: the images file's).
     */
    public static String shortName(String data) {
        if (!data.contains(":")) {
            return data;
        }
        String file = data.substring(data.indexOf(':') + 1).split("\\+", 2)[0].strip();
        Path name = Path.of(file).getFileName();
        String base = name == null ? file : name.toString();
        int dot = base.indexOf('.');
        return (dot > 0 ? base.substring(0, dot) : base).toLowerCase(java.util.Locale.ROOT);
    }

    /** Most distinct label values a set of {@code rows} examples may have and still count as class labels. */
    static int maxClasses(int rows) {
        return Math.max(20, rows / 20);
    }

    /**
     * Refuses labels a classifier cannot learn from: one class only; numbers that are not integers, or more
     * distinct numbers than {@link #maxClasses} (a measured quantity, not a class); more distinct strings than that
     * with fewer than two examples per class on average (names or ids, not classes).
     *
     * @param data   the {@code data} value, for the message
     * @param source what holds the labels, e.g. {@code label column 'y'}
     */
    public static Dataset requireClassLabels(String data, String source, Dataset d) {
        List<String> values = d.classNames();
        int rows = d.size();
        if (values.size() < 2) {
            throw new BadInputException(data + ": " + source + " has one class ('" + values.get(0)
                    + "'); a classifier needs at least 2");
        }
        boolean many = values.size() > maxClasses(rows);
        String counts = values.size() + " distinct values in " + rows + " rows";
        if (labelKind(d) == LabelKind.CONTINUOUS) {
            throw new BadInputException(data + ": " + source + " looks continuous (" + counts + ", e.g. "
                    + continuousExample(d) + "): gdlab's experiments here are classifiers; give a column of class "
                    + "labels");
        }
        if (!values.stream().allMatch(Datasets::isNumber) && many && rows < 2L * values.size()) {
            throw new BadInputException(data + ": " + source + " does not look like class labels (" + counts
                    + ", fewer than 2 examples per class, e.g. '" + values.get(0)
                    + "'): gdlab's experiments here are classifiers; give a column of class labels");
        }
        return d;
    }

    /** What a label column holds: class labels, or a continuous quantity (a regression target). */
    public enum LabelKind {
        CLASSES, CONTINUOUS
    }

    /**
     * The kind of {@code d}'s labels: {@link LabelKind#CONTINUOUS} when every label is a number and either some are
     * not integers or there are more distinct numbers than {@link #maxClasses} (a measured quantity, not a class);
     * otherwise {@link LabelKind#CLASSES}. The rule {@link #requireClassLabels} refuses continuous labels by.
     */
    public static LabelKind labelKind(Dataset d) {
        List<String> values = d.classNames();
        boolean numeric = values.stream().allMatch(Datasets::isNumber);
        boolean fractional = numeric && values.stream().anyMatch(v -> !isInteger(v));
        return numeric && (fractional || values.size() > maxClasses(d.size())) ? LabelKind.CONTINUOUS
                : LabelKind.CLASSES;
    }

    /** A label value that shows why the labels are continuous: a fractional one, else the last distinct one. */
    static String continuousExample(Dataset d) {
        List<String> values = d.classNames();
        return values.stream().filter(v -> !isInteger(v)).findFirst().orElse(values.get(values.size() - 1));
    }

    /**
     * Each example's label as a number, for a continuous label (see {@link #labelKind}).
     *
     * @throws IllegalArgumentException when a label is not a finite number (the labels are class names)
     */
    public static double[] labelValues(Dataset d) {
        double[] byClass = new double[d.numClasses()];
        for (int c = 0; c < byClass.length; c++) {
            String v = d.classNames().get(c);
            if (!isNumber(v)) {
                throw new IllegalArgumentException("label '" + v + "' is not a finite number");
            }
            byClass[c] = Double.parseDouble(v);
        }
        double[] out = new double[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = byClass[d.labels()[i]];
        }
        return out;
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isInteger(String s) {
        double v = Double.parseDouble(s);
        return v == Math.rint(v);
    }

    private static Labelled readUserCsv(Path file, String label) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("data file not found: " + file.toAbsolutePath());
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long bytes = Files.size(file);
            return parseLabelled(file.toString(), reader, label, bytes >= Idx.PROGRESS_BYTES
                    ? new Progress(file.getFileName().toString(), bytes, System.err) : null);
        } catch (CharacterCodingException e) {
            throw new BadInputException("cannot read data file " + file
                    + ": not a UTF-8 text file (a CSV with a header row is expected)", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException("cannot read data file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Labelled readCsv(String name, String resource, boolean gzip) {
        try (InputStream raw = Datasets.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("data resource missing from the build: " + resource);
            }
            InputStream in = gzip ? new GZIPInputStream(raw) : raw;
            return parseLabelled(name, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), "",
                    null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a header row then numeric feature columns and one label column ({@code label}, or the last when
     * empty). Class names are the distinct labels in order of first appearance, except that integer labels keep
     * their numeric order.
     */
    static Dataset parse(String name, BufferedReader reader, String label) throws IOException {
        return parseLabelled(name, reader, label, null).data();
    }

    /** Reading progress of a large file on stderr: a line at every tenth of its bytes. */
    static final class Progress {
        private final String name;
        private final long total;
        private final java.io.PrintStream out;
        private long read;
        private int tenths;

        Progress(String name, long total, java.io.PrintStream out) {
            this.name = name;
            this.total = total;
            this.out = out;
        }

        void line(String line) {
            read += line.length() + 1;
            while (tenths < 10 && read * 10 >= (tenths + 1) * total) {
                tenths++;
                out.printf("reading %s: %d%%%n", name, tenths * 10);
            }
        }
    }

    static Labelled parseLabelled(String name, BufferedReader reader, String label, Progress progress)
            throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new BadInputException(name + ": empty file (a header row and data rows are expected)");
        }
        if (progress != null) {
            progress.line(header);
        }
        List<String> all = java.util.Arrays.stream(header.split(",", -1)).map(String::strip).toList();
        if (all.size() < 2) {
            throw new BadInputException(name + ": the header has " + all.size()
                    + " column; at least one feature and a label are expected");
        }
        int labelColumn = label.isEmpty() ? all.size() - 1 : all.indexOf(label);
        if (labelColumn < 0) {
            throw new BadInputException("bad value '" + label + "' for label: no such column in " + name
                    + "; allowed: " + String.join(", ", all));
        }
        List<String> columns = new ArrayList<>(all);
        columns.remove(labelColumn);
        columns.add(all.get(labelColumn));
        int nFeatures = columns.size() - 1;
        List<double[]> rows = new ArrayList<>();
        List<String> rawLabels = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (progress != null) {
                progress.line(line);
            }
            if (line.isBlank()) {
                continue;
            }
            String[] raw = line.split(",", -1);
            if (raw.length != columns.size()) {
                throw new BadInputException(name + " line " + lineNo + ": " + raw.length + " cells, header has "
                        + columns.size());
            }
            String[] cells = new String[raw.length];
            for (int c = 0, k = 0; c < raw.length; c++) {
                if (c != labelColumn) {
                    cells[k++] = raw[c];
                }
            }
            cells[raw.length - 1] = raw[labelColumn];
            double[] x = new double[nFeatures];
            for (int c = 0; c < nFeatures; c++) {
                try {
                    x[c] = Double.parseDouble(cells[c].strip().replaceAll("^\"|\"$", ""));
                } catch (NumberFormatException e) {
                    x[c] = Double.NaN;
                }
                if (!Double.isFinite(x[c])) {
                    throw new BadInputException(name + " line " + lineNo + ", column " + columns.get(c)
                            + ": not a finite number: '" + cells[c] + "'");
                }
            }
            rows.add(x);
            rawLabels.add(cells[nFeatures].strip());
        }
        if (rows.isEmpty()) {
            throw new BadInputException(name + ": no data rows after the header");
        }
        boolean numeric = rawLabels.stream().allMatch(s -> s.matches("\\d+"));
        if (numeric) {
            // one class per integer value: "07" and "7" are the same class, named "7"
            rawLabels.replaceAll(s -> new java.math.BigInteger(s).toString());
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        if (numeric) {
            rawLabels.stream().map(java.math.BigInteger::new).distinct().sorted()
                    .forEach(v -> index.put(v.toString(), index.size()));
        } else {
            rawLabels.forEach(s -> index.putIfAbsent(s, index.size()));
        }
        int[] labels = rawLabels.stream().mapToInt(index::get).toArray();
        return new Labelled(new Dataset(name, rows.toArray(double[][]::new), labels, columns.subList(0, nFeatures),
                List.copyOf(index.keySet())), "label column '" + all.get(labelColumn) + "'");
    }
}
