package io.fastshare.cli;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One parsed command, as the picocli model ({@link Commands}) hands it to {@link FastShareCli}: the command
 * name with its arguments and the options that apply to it, common options already merged from before and
 * after the command name.
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
record Invocation(String command, List<String> arguments, @Nullable Path dir, boolean json, boolean dryRun,
        boolean verbose, boolean quiet, @Nullable Duration grace) {

    /** The invocation of {@code help} (or of {@code --help} on any command). */
    static final Invocation HELP = new Invocation("help", List.of(), null, false, false, false, false, null);

    Invocation {
        arguments = List.copyOf(arguments);
    }
}
