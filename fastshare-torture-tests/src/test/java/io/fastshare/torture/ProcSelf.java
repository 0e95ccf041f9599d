package io.fastshare.torture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Counts this process's open file descriptors and memory mappings that point into a directory, from
 * {@code /proc/self/fd} and {@code /proc/self/maps}: what a leak of block files or mappings would
 * raise.
 *
 * <p>Stateless and thread-safe. Linux only; returns -1 elsewhere.
 */
final class ProcSelf {

    private ProcSelf() {
    }

    /**
     * Counts open file descriptors on files under a directory.
     *
     * @param dir the directory
     * @return the count, -1 without /proc
     */
    static int openFiles(Path dir) {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        String prefix = dir.toAbsolutePath().normalize() + "/";
        int count = 0;
        try (Stream<Path> entries = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) entries::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith(prefix)) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    /**
     * Counts memory mappings of files under a directory.
     *
     * @param dir the directory
     * @return the count, -1 without /proc
     */
    static int mappings(Path dir) {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.exists(maps)) {
            return -1;
        }
        String prefix = dir.toAbsolutePath().normalize() + "/";
        try {
            List<String> lines = Files.readAllLines(maps);
            return (int) lines.stream().filter(line -> line.contains(prefix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
