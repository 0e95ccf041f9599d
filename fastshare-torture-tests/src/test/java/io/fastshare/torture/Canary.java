package io.fastshare.torture;

import io.fastshare.TestDirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Files planted next to the block directory, named like blocks and like common targets, so a test can
 * prove that no input made the library touch anything outside the directory: their names, sizes,
 * contents and modification times must be exactly as planted at the end.
 *
 * <p>Not thread-safe.
 */
final class Canary implements AutoCloseable {

    /** Block-like names planted in the canary directory. */
    static final String BLOCK_NAME = "FSHR_0123456789abcdef0123456789abcdef";

    private final Path dir;
    private final Map<String, String> planted;

    private Canary(Path dir) {
        this.dir = dir;
        this.planted = snapshot(dir);
    }

    /**
     * Plants the canary directory beside a block directory.
     *
     * @param blockDir the block directory
     * @return the canary
     */
    static Canary beside(Path blockDir) {
        Path dir = blockDir.resolveSibling(blockDir.getFileName() + "-canary");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(BLOCK_NAME), "canary block, must never be read, taken or released\n");
            Files.writeString(dir.resolve("passwd"), "root:x:0:0\n");
            Files.writeString(dir.resolve("FSHR_"), "prefix only\n");
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub").resolve(BLOCK_NAME), "nested canary\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Canary(dir);
    }

    /**
     * Returns the canary directory.
     *
     * @return its path
     */
    Path dir() {
        return dir;
    }

    /**
     * Tells what changed since planting.
     *
     * @return null when nothing changed, else a description
     */
    String changes() {
        Map<String, String> now = snapshot(dir);
        return now.equals(planted) ? null : "canary directory changed: before " + planted + ", after " + now;
    }

    private static Map<String, String> snapshot(Path dir) {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                String content = attributes.isRegularFile() ? Integer.toHexString(
                        java.util.Arrays.hashCode(Files.readAllBytes(path))) : "-";
                state.put(dir.relativize(path).toString(), attributes.size() + "/"
                        + attributes.lastModifiedTime().toMillis() + "/" + content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    @Override
    public void close() {
        TestDirs.deleteTree(dir);
    }
}
