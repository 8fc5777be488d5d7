package gdlab.data;

import gdlab.spec.BadInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST's IDX files: images {@code 0x00000803} (unsigned bytes, count x rows x cols) and labels
 * {@code 0x00000801} (unsigned bytes, count), each plain or gzip-compressed (told apart by the gzip magic).
 */
final class Idx {
    private Idx() {
    }

    static Dataset read(Path images, Path labels) {
        int[][] shape = new int[1][];
        byte[] pixels = body(images, 0x0803, 3, shape);
        int[] imageShape = shape[0];
        byte[] labelBytes = body(labels, 0x0801, 1, shape);
        int count = imageShape[0];
        if (shape[0][0] != count) {
            throw new BadInputException("IDX size mismatch: " + images + " holds " + count + " images but "
                    + labels + " holds " + shape[0][0] + " labels");
        }
        int rows = imageShape[1];
        int cols = imageShape[2];
        double[][] x = new double[count][rows * cols];
        for (int i = 0; i < count; i++) {
            for (int p = 0; p < rows * cols; p++) {
                x[i][p] = pixels[i * rows * cols + p] & 0xFF;
            }
        }
        int[] raw = new int[count];
        for (int i = 0; i < count; i++) {
            raw[i] = labelBytes[i] & 0xFF;
        }
        int[] classes = IntStream.of(raw).distinct().sorted().toArray();
        int[] index = new int[256];
        for (int c = 0; c < classes.length; c++) {
            index[classes[c]] = c;
        }
        int[] y = IntStream.of(raw).map(v -> index[v]).toArray();
        List<String> features = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                features.add("pixel_" + r + "_" + c);
            }
        }
        List<String> classNames = IntStream.of(classes).mapToObj(String::valueOf).toList();
        return new Dataset(images.getFileName().toString(), x, y, features, classNames);
    }

    /** Checks magic and dimension count, fills {@code shape[0]} with the dimensions, returns the data bytes. */
    private static byte[] body(Path file, int magic, int dims, int[][] shape) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("data file not found: " + file.toAbsolutePath());
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw) : raw);
            int m = in.readInt();
            if (m != magic) {
                throw new BadInputException("bad IDX header in " + file + ": magic 0x" + Integer.toHexString(m)
                        + ", expected 0x" + String.format("%08x", magic) + (dims == 3 ? " (images)" : " (labels)"));
            }
            int[] sizes = new int[dims];
            long total = 1;
            for (int d = 0; d < dims; d++) {
                sizes[d] = in.readInt();
                if (sizes[d] <= 0) {
                    throw new BadInputException("bad IDX header in " + file + ": dimension " + d + " is " + sizes[d]);
                }
                total *= sizes[d];
            }
            if (total > Integer.MAX_VALUE - 8) {
                throw new BadInputException("IDX file too large: " + file);
            }
            byte[] body = new byte[(int) total];
            try {
                in.readFully(body);
            } catch (EOFException e) {
                throw new BadInputException("IDX size mismatch in " + file + ": the header promises " + total
                        + " bytes of data, the file holds fewer");
            }
            if (in.read() != -1) {
                throw new BadInputException("IDX size mismatch in " + file + ": more data than the header's "
                        + total + " bytes");
            }
            shape[0] = sizes;
            return body;
        } catch (EOFException e) {
            throw new BadInputException("bad IDX header in " + file + ": the file is too short");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
