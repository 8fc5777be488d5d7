package gdlab.spec;

/**
 * Bad input from the user: an unknown experiment or key, a malformed value, a missing file. The message is the
 * whole story (it names the bad value and what is allowed); the entry point prints it and exits with status 2,
 * without a stack trace and before any result file is written.
 */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
