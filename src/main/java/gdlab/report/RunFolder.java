package gdlab.report;

import gdlab.spec.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One run's folder, {@code results/<experiment>/<yyyyMMdd-HHmmss>-<spec hash>/}, and the files in it.
 *
 * <p>Whole files (summary, run.json, curves) are written to a temporary file and renamed, so a crash never
 * leaves a half-written one. cells.csv is the append log: each finished cell is one record written with a
 * single call and flushed. {@code results/<experiment>/latest} is a symbolic link to the newest run.
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** Makes a new, empty run folder; a second run in the same second with the same spec gets a suffix. */
    public static RunFolder create(Path resultsDir, String experiment, String specHash, LocalDateTime now) {
        Path parent = resultsDir.resolve(experiment);
        try {
            Files.createDirectories(parent);
            String base = STAMP.format(now) + "-" + specHash;
            for (int i = 1; ; i++) {
                Path dir = parent.resolve(i == 1 ? base : base + "-" + i);
                try {
                    Files.createDirectory(dir);
                    return new RunFolder(dir);
                } catch (FileAlreadyExistsException e) {
                    // taken: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new BadInputException("bad value '" + resultsDir + "' for results_dir: cannot create "
                    + parent.toAbsolutePath() + " (" + describe(e) + "); allowed: a folder gdlab can create and write",
                    e);
        }
    }

    public static RunFolder open(Path dir) {
        return new RunFolder(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Writes a whole file: to a temporary sibling first, then an atomic rename. */
    public void writeAtomically(String name, String content) {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(name + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ResultWriteException("cannot write " + target + ": " + describe(e), e);
        }
    }

    /** Appends one CSV record (writing the header first when the file is new). */
    public void appendRecord(String name, List<String> header, List<?> record) {
        appendRecords(name, header, List.of(record));
    }

    /**
     * Appends CSV records (the header first when the file is new) with one write call, forced to disk before
     * returning: a process killed at any moment leaves either all of them or none (a torn final line, possible
     * only on a full disk or power loss, is dropped by {@link #committedRecords}).
     */
    public synchronized void appendRecords(String name, List<String> header, List<? extends List<?>> records) {
        if (records.isEmpty()) {
            return;
        }
        Path target = dir.resolve(name);
        try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            StringBuilder sb = new StringBuilder(channel.size() == 0 ? Csv.line(header) : "");
            records.forEach(r -> sb.append(Csv.line(r)));
            ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new ResultWriteException("cannot append to " + target + ": " + describe(e), e);
        }
    }

    /**
     * The complete records of a CSV file in this folder (header first), or an empty list when it does not exist.
     * A final line without its line end (a torn write) is not a record and is left out.
     */
    public List<List<String>> committedRecords(String name) {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.lastIndexOf(Csv.EOL);
            return end < 0 ? List.of() : Csv.parse(text.substring(0, end + Csv.EOL.length()));
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Points {@code <experiment>/latest} at this run (a relative symbolic link, replaced atomically). */
    public void markLatest() {
        Path latest = dir.getParent().resolve("latest");
        Path tmp = dir.getParent().resolve("latest.tmp");
        try {
            Files.deleteIfExists(tmp);
            Files.createSymbolicLink(tmp, dir.getFileName());
            Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            // no symbolic links here: a text pointer holding the folder name instead
            try {
                Files.deleteIfExists(tmp);
                Files.deleteIfExists(latest);
                Files.writeString(latest, dir.getFileName().toString() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e2) {
                throw new ResultWriteException("cannot update " + latest + ": " + describe(e2), e2);
            }
        }
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + " " + e.getMessage();
    }

    /** Writing a result file failed (disk full, permissions): the run stops with this message. */
    public static final class ResultWriteException extends RuntimeException {
        public ResultWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
