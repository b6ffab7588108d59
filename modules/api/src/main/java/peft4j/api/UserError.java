package peft4j.api;

/**
 * A problem the user can fix (bad input, missing file, unknown name). The command line prints its message as one
 * line, without a stack trace, and exits non-zero; the message says what is wrong, where, and how to fix it.
 */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
