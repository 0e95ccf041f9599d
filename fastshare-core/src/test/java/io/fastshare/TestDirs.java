package io.fastshare;

import io.fastshare.cleanup.BlockInfo;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.PoolJanitor;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.SlotRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
     * Asserts that a block directory holds no block file and no pooled block (a pool slot being written,
     * published or being taken), then deletes it.
     *
     * @param dir the block directory
     */
    public static void assertNoBlocks(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_"))).isEmpty();
            assertThat(pooledBlocks(dir)).as("pooled blocks left in %s", dir).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Lists the pooled blocks of a block directory: every pool slot that is not free (being written,
     * published, being taken), as {@code <segment>.<slot>.<generation>} keys.
     *
     * @param dir the block directory
     * @return the keys, sorted; empty without a pool directory
     */
    public static List<String> pooledBlocks(Path dir) {
        return PoolBlockStore.list(dir.resolve(PoolLayout.DIRECTORY), Instant.now()).stream()
                .map(BlockInfo::name).toList();
    }

    /**
     * Tells whether a token's pooled block is still published (readable): the pooled counterpart of
     * "the block file exists".
     *
     * @param dir the block directory
     * @param token a {@code FSHR:pool:} token
     * @return whether its slot holds this block, published
     */
    public static boolean isPublished(Path dir, String token) {
        assertThat(token).startsWith("FSHR:pool:");
        String key = token.substring("FSHR:pool:".length());
        return PoolJanitor.isPublished(dir.resolve(PoolLayout.DIRECTORY), SlotRef.parse(key));
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
