package io.fastshare.cli;

import io.fastshare.store.BlockDirectory;
import org.jspecify.annotations.Nullable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The picocli model of the {@code fastshare} command: the root command with the common options, the
 * subcommands {@code list}, {@code inspect}, {@code cleanup}, {@code help} and {@code generate-completion}.
 * Each subcommand turns what picocli parsed into an {@link Invocation} and hands it to an {@link Action}.
 *
 * <p>Every call of {@link #commandLine(Action)} builds a fresh model; a model parses one command line at a
 * time (picocli fills its fields), so it is not thread-safe.
 */
final class Commands {

    /** What runs a parsed command; returns its exit code. */
    @FunctionalInterface
    interface Action {

        /**
         * Runs a command.
         *
         * @param invocation the parsed command
         * @return the exit code, see {@link ExitCodes}
         */
        int run(Invocation invocation);
    }

    private Commands() {
    }

    /**
     * Builds the command model.
     *
     * @param action runs the parsed commands
     * @return a picocli command line, ready to {@code execute} or {@code parseArgs}
     */
    static CommandLine commandLine(Action action) {
        Root root = new Root();
        CommandLine line = new CommandLine(root);
        line.addSubcommand(new ListCommand(root.common, action));
        line.addSubcommand(new InspectCommand(root.common, action));
        line.addSubcommand(new CleanupCommand(root.common, action));
        line.addSubcommand(new CommandLine.HelpCommand());
        line.addSubcommand(new AutoComplete.GenerateCompletion());
        // Computed here, not in the annotation: the default depends on the machine (/dev/shm or tmpdir).
        line.getCommandSpec().usageMessage().footer("%nBlock directory when --dir is not given: "
                + BlockDirectory.defaultPath().toString().replace("%", "%%")
                + "%nDurations: 0, 500ms, 30s, 2m, 1h, 1d, a bare number of seconds, or ISO-8601 (PT1M30S).");
        return line;
    }

    /**
     * Parses a command line without running it, for tests of the model.
     *
     * @param args the command line
     * @return the parsed command, {@link Invocation#HELP} when help was asked for
     * @throws UsageException when picocli rejects the command line or no command is given
     */
    static Invocation parse(String... args) {
        CommandLine line = commandLine(invocation -> ExitCodes.OK);
        try {
            ParseResult result = line.parseArgs(args);
            while (true) {
                if (result.isUsageHelpRequested() || result.isVersionHelpRequested()) {
                    return Invocation.HELP;
                }
                if (!result.hasSubcommand()) {
                    break;
                }
                result = result.subcommand();
            }
            Object command = result.commandSpec().userObject();
            if (command instanceof Subcommand subcommand) {
                return subcommand.invocation();
            }
            if (command instanceof CommandLine.HelpCommand) {
                return Invocation.HELP;
            }
            throw new UsageException("no command given");
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A subcommand that runs as an {@link Invocation}. */
    private abstract static class Subcommand implements Callable<Integer> {

        @Mixin
        CommonOptions common = new CommonOptions();

        @Spec
        CommandSpec spec = CommandSpec.create();

        final CommonOptions global;
        private final Action action;

        Subcommand(CommonOptions global, Action action) {
            this.global = global;
            this.action = action;
        }

        /** Returns what was parsed; throws {@link ParameterException} for combinations picocli allows. */
        abstract Invocation invocation();

        @Override
        public final Integer call() {
            return action.run(invocation());
        }
    }

    /** The root: common options, help and version; without a command it is a usage error. */
    @Command(name = "fastshare", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Lists, inspects and cleans up the blocks in a fastshare block directory.",
            synopsisSubcommandLabel = "COMMAND", commandListHeading = "%nCommands:%n",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:done (also: list or cleanup of a directory that does not exist)",
                "1:cleanup could not reclaim some blocks or leases",
                "2:usage error",
                "3:inspect: block (or block directory) not found",
                "4:block directory unreadable"})
    static final class Root implements Callable<Integer> {

        @Mixin
        CommonOptions common = new CommonOptions();

        @Spec
        CommandSpec spec = CommandSpec.create();

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "no command given");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "List every block with state, size, age, expiry and owner.")
    static final class ListCommand extends Subcommand {

        ListCommand(CommonOptions global, Action action) {
            super(global, action);
        }

        @Override
        Invocation invocation() {
            return new Invocation("list", List.of(), common.dir(global), common.json(global), false, false, false,
                    null);
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Header fields, state and buffer table of one block.")
    static final class InspectCommand extends Subcommand {

        @Parameters(arity = "1", paramLabel = "<token|name>",
                description = "A block name (FSHR_<32 hex>), a shared-memory token (FSHR:shm:FSHR_<32 hex>), or a "
                        + "pooled block's token or key (FSHR:pool:FSHP_<32 hex>.<slot>.<generation>).")
        String block = "";

        InspectCommand(CommonOptions global, Action action) {
            super(global, action);
        }

        @Override
        Invocation invocation() {
            return new Invocation("inspect", List.of(block), common.dir(global), common.json(global), false, false,
                    false, null);
        }
    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "Reclaim expired blocks, blocks of dead owners after the grace period, corrupt files "
                    + "and stale leases. Blocks of live processes are never touched.")
    static final class CleanupCommand extends Subcommand {

        @Option(names = {"-n", "--dry-run"}, description = "Report what would be reclaimed, delete nothing.")
        boolean dryRun;

        @Option(names = {"-v", "--verbose"}, description = "List every reclaimed and skipped block.")
        boolean verbose;

        @Option(names = {"-q", "--quiet"}, description = "Print nothing unless something failed.")
        boolean quiet;

        @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long blocks of dead owners stay readable after the owner is first seen dead "
                        + "(default 1m); below 5s warns: it can delete a block being created.")
        @Nullable Duration grace;

        CleanupCommand(CommonOptions global, Action action) {
            super(global, action);
        }

        @Override
        Invocation invocation() {
            if (verbose && quiet) {
                throw new ParameterException(spec.commandLine(), "--verbose and --quiet exclude each other");
            }
            return new Invocation("cleanup", List.of(), common.dir(global), common.json(global), dryRun, verbose,
                    quiet, grace);
        }
    }

    /** Converts {@code --grace} values with {@link Durations#parse(String)}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (UsageException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The version of the CLI, from a resource the build fills in. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            Properties properties = new Properties();
            try (InputStream in = Commands.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"fastshare " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
