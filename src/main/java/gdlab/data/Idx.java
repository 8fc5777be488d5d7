package gdlab.data;

import gdlab.spec.BadInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * MNIST's IDX files: images {@code 0x00000803} (unsigned bytes, count x rows x cols) and labels
 * {@code 0x00000801} (unsigned bytes, count), each plain or gzip-compressed (told apart by the gzip magic). Images
 * are read one at a time straight into their feature rows (never the whole file as bytes besides), with progress
 * on stderr for a large file, so a 60,000 x 784 set loads in a 2 GB heap.
 */
final class Idx {
    /** Image data of at least this many bytes reports its progress on stderr. */
    static final long PROGRESS_BYTES = 16L << 20;

    private Idx() {
    }

    static Dataset read(Path images, Path labels) {
        return read(images, labels, System.err);
    }

    static Dataset read(Path images, Path labels, PrintStream progress) {
        int[] raw;
        double[][] x;
        int rows;
        int cols;
        try (DataInputStream in = open(images)) {
            int[] shape = header(in, images, 0x0803, 3);
            raw = readLabels(labels);
            if (shape[0] != raw.length) {
                throw new BadInputException("IDX size mismatch: " + images + " holds " + shape[0] + " images but "
                        + labels + " holds " + raw.length + " labels");
            }
            rows = shape[1];
            cols = shape[2];
            long total = (long) shape[0] * rows * cols;
            if ((long) rows * cols > Integer.MAX_VALUE - 8) {
                throw new BadInputException("IDX file too large: " + images + " (" + rows + " x " + cols
                        + " pixels per image)");
            }
            x = new double[shape[0]][];
            byte[] image = new byte[rows * cols];
            int step = total >= PROGRESS_BYTES ? Math.max(1, shape[0] / 10) : 0;
            for (int i = 0; i < x.length; i++) {
                readFully(in, image, images, total);
                double[] row = new double[image.length];
                for (int p = 0; p < row.length; p++) {
                    row[p] = image[p] & 0xFF;
                }
                x[i] = row;
                if (step > 0 && ((i + 1) % step == 0 || i + 1 == x.length)) {
                    progress.printf("reading %s: %d of %d images (%d%%)%n", images.getFileName(), i + 1, x.length,
                            (i + 1) * 100L / x.length);
                }
            }
            if (in.read() != -1) {
                throw new BadInputException("IDX size mismatch in " + images + ": more data than the header's "
                        + total + " bytes");
            }
        } catch (EOFException e) {
            throw new BadInputException("bad IDX header in " + images + ": the file is too short");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + images + ": " + e.getMessage(), e);
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

    /** The rows and columns of each image of an IDX images file, from its header alone. */
    static int[] imageShape(Path images) {
        try (DataInputStream in = open(images)) {
            int[] shape = header(in, images, 0x0803, 3);
            return new int[]{shape[1], shape[2]};
        } catch (EOFException e) {
            throw new BadInputException("bad IDX header in " + images + ": the file is too short");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + images + ": " + e.getMessage(), e);
        }
    }

    private static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            int count = header(in, file, 0x0801, 1)[0];
            byte[] body = new byte[count];
            readFully(in, body, file, count);
            if (in.read() != -1) {
                throw new BadInputException("IDX size mismatch in " + file + ": more data than the header's "
                        + count + " bytes");
            }
            int[] raw = new int[count];
            for (int i = 0; i < count; i++) {
                raw[i] = body[i] & 0xFF;
            }
            return raw;
        } catch (EOFException e) {
            throw new BadInputException("bad IDX header in " + file + ": the file is too short");
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(DataInputStream in, byte[] into, Path file, long total) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new BadInputException("IDX size mismatch in " + file + ": the header promises " + total
                    + " bytes of data, the file holds fewer");
        }
    }

    /** The file as a stream, gunzipped when it starts with the gzip magic. */
    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("data file not found: " + file.toAbsolutePath());
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    /** Checks magic and dimension count and returns the dimensions. */
    private static int[] header(DataInputStream in, Path file, int magic, int dims) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new BadInputException("bad IDX header in " + file + ": magic 0x" + Integer.toHexString(m)
                    + ", expected 0x" + String.format("%08x", magic) + (dims == 3 ? " (images)" : " (labels)"));
        }
        int[] sizes = new int[dims];
        for (int d = 0; d < dims; d++) {
            sizes[d] = in.readInt();
            if (sizes[d] <= 0) {
                throw new BadInputException("bad IDX header in " + file + ": dimension " + d + " is " + sizes[d]);
            }
        }
        return sizes;
    }
}
