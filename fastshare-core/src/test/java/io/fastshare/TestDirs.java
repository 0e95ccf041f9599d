package io.fastshare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Block directories for tests: on /dev/shm where it exists (the real thing), removed after each test. */
public final class TestDirs {

    private TestDirs() {
    }

    /**
     * Returns a fresh block directory path for a test. Uses a unique directory under /dev/shm so tests
     * exercise tmpfs, and registers it for deletion; falls back to the JUnit temp dir elsewhere.
     *
     * @param tempDir the JUnit temporary directory
     * @return a directory path that does not exist yet
     */
    public static Path blockDir(Path tempDir) {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            Path dir = shm.resolve("fastshare-test-" + UUID.randomUUID());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            CLEANUP.get().add(dir);
            return dir;
        }
        return tempDir.resolve("blocks");
    }

    private static final ThreadLocal<java.util.List<Path>> CLEANUP = ThreadLocal.withInitial(java.util.ArrayList::new);

    /**
     * Asserts that a block directory holds no block file, then deletes it.
     *
     * @param dir the block directory
     */
    public static void assertNoBlocks(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_"))).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Deletes a directory tree, ignoring what is already gone.
     *
     * @param dir the root
     */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
