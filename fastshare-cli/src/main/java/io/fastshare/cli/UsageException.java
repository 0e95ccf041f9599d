package io.fastshare.cli;

/**
 * A malformed command line; the CLI prints the message and the usage and exits with
 * {@link ExitCodes#USAGE}.
 */
final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
