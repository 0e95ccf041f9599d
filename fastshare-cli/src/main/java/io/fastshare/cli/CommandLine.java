package io.fastshare.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed command line. Options may come before or after the command; {@code --name=value} and
 * {@code --name value} are both accepted.
 *
 * @param command {@code list}, {@code inspect}, {@code cleanup} or {@code help}
 * @param arguments the positional arguments after the command
 * @param dir the block directory, {@code null} for the default
 * @param json print JSON instead of tables
 * @param dryRun cleanup: only report
 * @param verbose cleanup: list every block reclaimed and skipped
 * @param quiet cleanup: print nothing unless something failed
 * @param grace cleanup: grace period, {@code null} for the default
 */
record CommandLine(String command, List<String> arguments, Path dir, boolean json, boolean dryRun, boolean verbose,
        boolean quiet, Duration grace) {

    /** The commands. */
    static final Set<String> COMMANDS = Set.of("list", "inspect", "cleanup", "help");

    /**
     * Parses the arguments.
     *
     * @param args the command line
     * @return the parsed command line
     * @throws UsageException when an option or command is unknown, a value is missing or malformed, or an
     *     option does not apply to the command
     */
    static CommandLine parse(String... args) {
        String command = null;
        List<String> arguments = new ArrayList<>();
        Path dir = null;
        boolean json = false;
        boolean dryRun = false;
        boolean verbose = false;
        boolean quiet = false;
        Duration grace = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "-h", "--help" -> command = "help";
                case "--json" -> json = true;
                case "-n", "--dry-run" -> dryRun = true;
                case "-v", "--verbose" -> verbose = true;
                case "-q", "--quiet" -> quiet = true;
                case "--dir", "--grace" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (value.isEmpty()) {
                        throw new UsageException(name + " needs a value");
                    }
                    if (name.equals("--dir")) {
                        dir = Path.of(value);
                    } else {
                        grace = Durations.parse(value);
                    }
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw new UsageException("unknown option: " + arg);
                    }
                    if (command == null) {
                        if (!COMMANDS.contains(arg)) {
                            throw new UsageException("unknown command: " + arg);
                        }
                        command = arg;
                    } else if (!command.equals("help")) {
                        arguments.add(arg);
                    }
                }
            }
        }
        if (command == null) {
            throw new UsageException("no command given");
        }
        CommandLine line = new CommandLine(command, List.copyOf(arguments), dir, json, dryRun, verbose, quiet, grace);
        line.check();
        return line;
    }

    private void check() {
        if (command.equals("help")) {
            return;
        }
        if (!command.equals("cleanup") && (dryRun || verbose || quiet || grace != null)) {
            throw new UsageException("--dry-run, --verbose, --quiet and --grace apply to cleanup only");
        }
        if (verbose && quiet) {
            throw new UsageException("--verbose and --quiet exclude each other");
        }
        int expected = command.equals("inspect") ? 1 : 0;
        if (arguments.size() != expected) {
            throw new UsageException(command.equals("inspect")
                    ? "inspect needs exactly one block name or token"
                    : command + " takes no arguments: " + String.join(" ", arguments));
        }
    }
}
