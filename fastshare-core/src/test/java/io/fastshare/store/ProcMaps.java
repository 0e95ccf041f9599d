package io.fastshare.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Counts this process's memory mappings from {@code /proc/self/maps}. */
public final class ProcMaps {

    private ProcMaps() {
    }

    /**
     * Counts the mappings of files under a directory.
     *
     * @param directory a block directory
     * @return the number of lines of {@code /proc/self/maps} naming a file in it
     */
    public static long mappingsUnder(Path directory) {
        String prefix = directory.toAbsolutePath() + "/";
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.contains(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Tells whether {@code /proc/self/maps} exists (Linux).
     *
     * @return true on Linux
     */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/maps"));
    }
}
