package io.fastshare.cli;

/**
 * Exit codes of the {@code fastshare} command, documented in the module's README.
 */
public final class ExitCodes {

    /** The command did what was asked (a cleanup with nothing to reclaim included). */
    public static final int OK = 0;
    /** A cleanup could not reclaim some blocks or leases; the others were reclaimed. */
    public static final int FAILURES = 1;
    /** The command line is wrong: unknown command or option, missing or malformed argument. */
    public static final int USAGE = 2;
    /** {@code inspect}: no such block (or no block directory). */
    public static final int NOT_FOUND = 3;
    /** The block directory could not be read (permissions, I/O error). */
    public static final int ERROR = 4;

    private ExitCodes() {
    }
}
