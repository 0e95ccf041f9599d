package io.fastshare.cli;

import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.InvalidTokenException;
import io.fastshare.cleanup.BlockDetails;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.format.BlockName;
import io.fastshare.store.BlockDirectory;
import io.fastshare.store.FileBlockStore;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.PoolJanitor;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.SlotRef;
import io.fastshare.token.Token;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code fastshare} command: {@code list}, {@code inspect} and {@code cleanup} of the blocks in a
 * block directory. Runs without a lease of its own, so every block of a live process is LIVE to it and
 * survives its cleanup. See the module's README for usage, output and exit codes.
 */
public final class FastShareCli {

    private static final String POOL_TOKEN_PREFIX = "FSHR:" + PoolBlockStore.KIND + ":";


    /**
     * Smallest grace the CLI runs without a warning, as the starter's floor: a block file between its
     * creation and its header's first write looks corrupt, and only its age protects it.
     */
    static final Duration SAFE_GRACE = Duration.ofSeconds(5);

    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;

    FastShareCli(PrintStream out, PrintStream err, Clock clock) {
        this.out = out;
        this.err = err;
        this.clock = clock;
    }

    /**
     * Runs the command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // The CLI reports everything itself; library log lines would only repeat it on stderr.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        System.exit(new FastShareCli(System.out, System.err, Clock.systemUTC()).run(args));
    }

    /**
     * Runs a command line.
     *
     * @param args the command line
     * @return the exit code, see {@link ExitCodes}
     */
    int run(String... args) {
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        CommandLine commandLine = Commands.commandLine(this::dispatch)
                .setOut(outWriter)
                .setErr(errWriter)
                .setParameterExceptionHandler(FastShareCli::usageError)
                .setExecutionExceptionHandler(this::failure);
        int code = commandLine.execute(args);
        outWriter.flush();
        errWriter.flush();
        return code;
    }

    /** A command line picocli rejects: the message, then the usage of the command it concerns. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && commandLine.getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command: " + unmatched.getUnmatched().get(0);
        }
        err.println("fastshare: " + message);
        err.println();
        commandLine.usage(err);
        err.flush();
        return ExitCodes.USAGE;
    }

    /** An exception out of a command: usage errors found late (a bad token) and the library's failures. */
    private int failure(Exception e, CommandLine commandLine, ParseResult parseResult) throws Exception {
        if (e instanceof UsageException) {
            err.println("fastshare: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof FastShareException) {
            err.println("fastshare: error: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        throw e;
    }

    private int dispatch(Invocation line) {
        Path path = (line.dir() != null ? line.dir() : BlockDirectory.defaultPath()).toAbsolutePath().normalize();
        return switch (line.command()) {
            case "list" -> list(line, path);
            case "inspect" -> inspect(line, path);
            default -> cleanup(line, path);
        };
    }

    /** Returns the janitor, or empty when the directory does not exist (nothing to list or clean). */
    private Optional<Janitor> janitor(Path path) {
        try {
            return Optional.of(new Janitor(BlockDirectory.existing(path), null, clock));
        } catch (BlockNotFoundException e) {
            return Optional.empty();
        }
    }

    private int list(Invocation line, Path path) {
        Optional<Janitor> janitor = janitor(path);
        if (janitor.isEmpty() && !line.json()) {
            err.println("fastshare: no block directory at " + path);
        }
        List<BlockInfo> blocks = new ArrayList<>(janitor.map(Janitor::scan).orElse(List.of()));
        blocks.addAll(PoolBlockStore.list(path.resolve(PoolLayout.DIRECTORY), clock.instant()));
        if (line.json()) {
            out.println(JsonOutput.list(path, blocks));
        } else {
            HumanOutput.list(out, path, blocks, clock.instant());
        }
        return ExitCodes.OK;
    }

    private int inspect(Invocation line, Path path) {
        String argument = line.arguments().get(0);
        String poolKey = poolKey(argument);
        String name = poolKey != null ? poolKey : blockName(argument);
        Optional<BlockDetails> details = poolKey != null
                ? PoolBlockStore.describe(path.resolve(PoolLayout.DIRECTORY), poolKey, clock)
                : janitor(path).flatMap(j -> j.describe(name));
        if (details.isEmpty()) {
            String message = "no block " + name + " in " + path
                    + " (released, taken, reclaimed, or written on another host or IPC namespace)";
            if (line.json()) {
                out.println(JsonOutput.error(message));
            } else {
                err.println("fastshare: " + message);
            }
            return ExitCodes.NOT_FOUND;
        }
        if (line.json()) {
            out.println(JsonOutput.inspect(path, details.get()));
        } else {
            HumanOutput.inspect(out, path, details.get(), clock.instant());
        }
        return ExitCodes.OK;
    }

    /**
     * Adds a sweep of the pool directory (slots of dead takers and writers, dead owners' segments), or in a
     * dry run what that sweep would reclaim.
     */
    private CleanupResult withPool(CleanupResult files, Path path, Duration grace, boolean dryRun) {
        CleanupResult pool = PoolJanitor.sweep(path.resolve(PoolLayout.DIRECTORY), grace, clock, dryRun).toResult(dryRun);
        List<CleanupResult.Reclaimed> cleaned = new ArrayList<>(files.cleaned());
        cleaned.addAll(pool.cleaned());
        return new CleanupResult(cleaned, files.failed(), files.skipped(), files.bytesReclaimed() + pool.bytesReclaimed(),
                dryRun, files.leasesReclaimed());
    }

    /** The key of a pooled block named by its token or its key, or null for anything else. */
    private static @Nullable String poolKey(String nameOrToken) {
        String key = nameOrToken.startsWith(POOL_TOKEN_PREFIX) ? nameOrToken.substring(POOL_TOKEN_PREFIX.length())
                : nameOrToken;
        if (!key.startsWith(PoolLayout.SEGMENT_PREFIX)) {
            return null;
        }
        try {
            return SlotRef.parse(key).key();
        } catch (InvalidTokenException e) {
            throw new UsageException("not a pooled block key or token: " + nameOrToken
                    + " (expected FSHR:pool:FSHP_<32 hex>.<slot>.<generation>)");
        }
    }

    private static String blockName(String nameOrToken) {
        if (BlockName.isValid(nameOrToken)) {
            return nameOrToken;
        }
        if (nameOrToken.startsWith(Token.INLINE_PREFIX)) {
            throw new UsageException("an inline token carries its payload itself; there is no block to inspect");
        }
        try {
            if (Token.parse(nameOrToken, 0) instanceof Token.Stored stored && stored.kind().equals(FileBlockStore.KIND)
                    && BlockName.isValid(stored.key())) {
                return stored.key();
            }
        } catch (InvalidTokenException e) {
            // reported below with the expected forms
        }
        throw new UsageException("not a block name or shared-memory token: " + nameOrToken
                + " (expected FSHR_<32 hex>, FSHR:shm:FSHR_<32 hex> or FSHR:pool:FSHP_<32 hex>.<slot>.<generation>)");
    }

    private int cleanup(Invocation line, Path path) {
        Duration grace = line.grace() != null ? line.grace() : CleanupOptions.DEFAULT_GRACE;
        if (grace.compareTo(SAFE_GRACE) < 0 && !line.dryRun() && !line.quiet()) {
            err.println("fastshare: warning: --grace " + grace.toMillis() + "ms is below " + SAFE_GRACE.toSeconds()
                    + "s: a block that a live process has just created and not yet written looks corrupt and would "
                    + "be deleted under it (the Spring Boot starter refuses a grace below " + SAFE_GRACE.toSeconds()
                    + "s); use --dry-run first");
        }
        CleanupOptions options = new CleanupOptions(line.dryRun(), grace);
        Optional<Janitor> janitor = janitor(path);
        if (janitor.isEmpty() && !line.json() && !line.quiet()) {
            err.println("fastshare: no block directory at " + path + "; nothing to clean");
        }
        CleanupResult files = janitor.map(j -> j.cleanup(options))
                .orElseGet(() -> new CleanupResult(List.of(), List.of(), List.of(), 0, line.dryRun()));
        CleanupResult result = withPool(files, path, grace, line.dryRun());
        if (line.json()) {
            out.println(JsonOutput.cleanup(path, grace, result));
        } else {
            HumanOutput.cleanup(out, err, path, result, line.verbose(), line.quiet());
        }
        return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILURES;
    }
}
