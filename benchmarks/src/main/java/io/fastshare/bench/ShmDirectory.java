package io.fastshare.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A unique, private temporary directory under {@code /dev/shm} (or under {@code $FASTSHARE_BENCH_PARENT},
 * or the system temp directory where there is no {@code /dev/shm}) for the blocks of one benchmark run; deleted with everything in it on close and at
 * JVM exit, so a run leaves no RAM-backed files behind.
 *
 * <p>Thread-safe.
 */
public final class ShmDirectory implements AutoCloseable {

    /**
     * Environment variable naming the directory under which benchmark block directories are created
     * (default {@code /dev/shm}); {@code run.sh --huge-tmpfs} points it at a huge-page tmpfs.
     */
    public static final String PARENT_ENV = "FASTSHARE_BENCH_PARENT";

    private final Path path;

    private ShmDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates a fresh directory.
     *
     * @return the directory
     * @throws UncheckedIOException when it cannot be created
     */
    public static ShmDirectory create() {
        Path shm = Path.of("/dev/shm");
        String chosen = System.getenv(PARENT_ENV);
        // An environment variable rather than a system property: JMH forks and the cross-process peers
        // inherit the environment, so every JVM of a run uses the same filesystem.
        Path parent = chosen != null && !chosen.isBlank() ? Path.of(chosen)
                : Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path dir = Files.createTempDirectory(parent, "fastshare-bench-");
            ShmDirectory created = new ShmDirectory(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(created::close, "fastshare-bench-cleanup"));
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a benchmark directory under " + parent, e);
        }
    }

    /**
     * Returns the directory.
     *
     * @return absolute path
     */
    public Path path() {
        return path;
    }

    /**
     * Returns a path inside the directory, for blocks or scratch files.
     *
     * @param name file name
     * @return the path
     */
    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes the directory and everything in it. Idempotent; errors are ignored. */
    @Override
    public void close() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: another cleanup got there first
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
