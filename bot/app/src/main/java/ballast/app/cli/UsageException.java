package ballast.app.cli;

/** A user mistake on the command line: printed as one line that names the flag, the rule and the value. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
