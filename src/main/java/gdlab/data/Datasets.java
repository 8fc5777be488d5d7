package gdlab.data;

import gdlab.spec.BadInputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The data sets shipped with gdlab (src/main/resources/data, see its README for sources and licences):
 * {@code digits} (1797 8x8 images, 10 classes) and {@code iris} (150 flowers, 3 classes).
 */
public final class Datasets {
    private Datasets() {
    }

    public static final List<String> SHIPPED = List.of("digits", "iris");

    public static Dataset load(String name) {
        return switch (name) {
            case "digits" -> readCsv("digits", "/data/digits.csv.gz", true);
            case "iris" -> readCsv("iris", "/data/iris.csv", false);
            default -> throw new BadInputException("unknown data set '" + name + "'; known: "
                    + String.join(", ", SHIPPED));
        };
    }

    private static Dataset readCsv(String name, String resource, boolean gzip) {
        try (InputStream raw = Datasets.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("data resource missing from the build: " + resource);
            }
            InputStream in = gzip ? new GZIPInputStream(raw) : raw;
            return parse(name, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses a header row then numeric feature columns with the label in the last column. Class names are the
     * distinct labels in order of first appearance, except that integer labels keep their numeric order.
     */
    static Dataset parse(String name, BufferedReader reader) throws IOException {
        String header = reader.readLine();
        if (header == null) {
            throw new BadInputException(name + ": empty file");
        }
        List<String> columns = List.of(header.split(",", -1));
        int nFeatures = columns.size() - 1;
        List<double[]> rows = new ArrayList<>();
        List<String> rawLabels = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != columns.size()) {
                throw new BadInputException(name + " line " + lineNo + ": " + cells.length + " cells, header has "
                        + columns.size());
            }
            double[] x = new double[nFeatures];
            for (int c = 0; c < nFeatures; c++) {
                try {
                    x[c] = Double.parseDouble(cells[c].strip());
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
        boolean numeric = rawLabels.stream().allMatch(s -> s.matches("\\d+"));
        Map<String, Integer> index = new LinkedHashMap<>();
        if (numeric) {
            rawLabels.stream().mapToInt(Integer::parseInt).distinct().sorted()
                    .forEach(v -> index.put(String.valueOf(v), index.size()));
        } else {
            rawLabels.forEach(s -> index.putIfAbsent(s, index.size()));
        }
        int[] labels = rawLabels.stream().mapToInt(index::get).toArray();
        return new Dataset(name, rows.toArray(double[][]::new), labels, columns.subList(0, nFeatures),
                List.copyOf(index.keySet()));
    }
}
