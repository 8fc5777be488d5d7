package gdlab.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** IDX files written by the tests: the bytes of one (magic number, dimensions, body) and a file, gzipped or not. */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** An IDX file's bytes: {@code magic} (0x803 images, 0x801 labels), each dimension, then {@code body}. */
    public static byte[] idx(int magic, int[] dims, byte[] body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(body);
        return bytes.toByteArray();
    }

    /** Writes {@code content} to {@code file}, gzip-compressed when {@code gzip}; returns the file. */
    public static Path write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file))
                : Files.newOutputStream(file)) {
            out.write(content);
        }
        return file;
    }
}
