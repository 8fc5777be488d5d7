package gdlab.report;

import gdlab.spec.BadInputException;

import java.io.IOException;
import java.io.Writer;
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
            throw new BadInputException("cannot create a run folder under " + parent.toAbsolutePath() + ": "
                    + describe(e) + " (set -Dresults_dir=PATH to a writable folder)", e);
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

    /** Appends one CSV record (writing the header first when the file is new), flushed before returning. */
    public synchronized void appendRecord(String name, List<String> header, List<?> record) {
        Path target = dir.resolve(name);
        try {
            boolean fresh = !Files.exists(target) || Files.size(target) == 0;
            try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write((fresh ? Csv.line(header) : "") + Csv.line(record));
            }
        } catch (IOException e) {
            throw new ResultWriteException("cannot append to " + target + ": " + describe(e), e);
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
