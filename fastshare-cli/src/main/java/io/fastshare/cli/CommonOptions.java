package io.fastshare.cli;

import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;

/**
 * The options every command takes ({@code --dir}, {@code --json}), mixed into the root command and into each
 * subcommand so that they may come before or after the command name.
 *
 * <p>Not thread-safe: picocli fills the fields while parsing one command line.
 */
final class CommonOptions {

    @Option(names = "--dir", paramLabel = "DIR", converter = DirConverter.class,
            description = "Block directory (default: /dev/shm/fastshare, or <java.io.tmpdir>/fastshare where "
                    + "/dev/shm does not exist).")
    @Nullable Path dir;

    @Option(names = "--json", description = "Print JSON instead of tables.")
    boolean json;

    /**
     * Returns the block directory given after the command, else the one given before it.
     *
     * @param global the options given before the command name
     * @return the directory, {@code null} for the default
     */
    @Nullable Path dir(CommonOptions global) {
        return dir != null ? dir : global.dir;
    }

    /**
     * Returns whether JSON was asked for before or after the command name.
     *
     * @param global the options given before the command name
     * @return {@code true} for JSON output
     */
    boolean json(CommonOptions global) {
        return json || global.json;
    }

    /** Rejects an empty directory ({@code --dir=}), which would silently mean the working directory. */
    static final class DirConverter implements ITypeConverter<Path> {

        @Override
        public Path convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("--dir needs a value");
            }
            return Path.of(value);
        }
    }
}
