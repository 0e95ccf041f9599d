package io.fastshare.torture;

import io.fastshare.TestDirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small tmpfs mounted for one test class, so "shared memory is full" can be reached in
 * milliseconds without touching the host's real /dev/shm. Needs root (CAP_SYS_ADMIN); callers skip
 * with a visible reason where mounting is not permitted.
 *
 * <p>Not thread-safe.
 */
final class TmpfsMount implements AutoCloseable {

    private final Path mountPoint;
    private final String failure;

    private TmpfsMount(Path mountPoint, String failure) {
        this.mountPoint = mountPoint;
        this.failure = failure;
    }

    /**
     * Tries to mount a tmpfs of the given size on a fresh directory.
     *
     * @param megabytes size in MiB
     * @return the mount; check {@link #mounted()}
     */
    static TmpfsMount tryMount(int megabytes) {
        Path dir;
        try {
            dir = Files.createTempDirectory("fastshare-tmpfs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.Result result = Commands.run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700",
                "tmpfs", dir.toString());
        if (!result.ok()) {
            TestDirs.deleteTree(dir);
            return new TmpfsMount(null, "mount -t tmpfs failed (exit " + result.exitCode() + "): " + result.output());
        }
        return new TmpfsMount(dir, null);
    }

    boolean mounted() {
        return mountPoint != null;
    }

    /**
     * Returns why mounting failed.
     *
     * @return the reason, null when mounted
     */
    String failure() {
        return failure;
    }

    Path path() {
        return mountPoint;
    }

    /** Unmounts (lazily if busy) and removes the mount point. */
    @Override
    public void close() {
        if (mountPoint == null) {
            return;
        }
        Commands.Result result = Commands.run("umount", mountPoint.toString());
        if (!result.ok()) {
            Commands.run("umount", "-l", mountPoint.toString());
        }
        TestDirs.deleteTree(mountPoint);
    }
}
