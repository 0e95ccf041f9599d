package io.fastshare.store;

import io.fastshare.FastShareException;
import io.fastshare.format.OwnerId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Set;

/**
 * Proof that an owner is alive: the file {@code .owners/<ownerId>.lease}, exclusively locked with a
 * kernel file lock for the owner's whole life. Another process can take the lock exactly when the
 * owner is dead; the kernel releases it on any exit, {@code kill -9} included, and the lock works
 * across PID and mount namespaces, which process ids do not.
 *
 * <p>Keep exactly one channel per lease file in a JVM: opening and closing a second channel on the
 * same file drops the lock silently (POSIX record-lock semantics, per process, whatever the class
 * loader), which is why this class never reopens its own file and registers every held lease in the
 * JVM-wide {@link HeldLeases}, which probes consult before opening a lease file.
 *
 * <p>Thread-safe.
 */
public final class OwnerLease implements AutoCloseable {

    /** Suffix of lease file names. */
    public static final String SUFFIX = ".lease";

    private final OwnerId owner;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private OwnerLease(OwnerId owner, Path file, FileChannel channel, FileLock lock) {
        this.owner = owner;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates and locks a lease with a fresh owner id.
     *
     * @param directory the block directory
     * @param random source of the owner id
     * @return the held lease
     * @throws FastShareException when the lease file cannot be created or locked
     */
    public static OwnerLease acquire(BlockDirectory directory, SecureRandom random) {
        OwnerId owner = OwnerId.random(random);
        Path file = leasePath(directory, owner);
        FileChannel channel = null;
        // Registered JVM-wide (every class loader) before the file exists and removed only after the
        // channel is closed: nothing in this JVM may open a lease file it holds.
        HeldLeases.register(owner, file.toString());
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(directory.filePermissions()));
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new FastShareException("lease file " + file + " is locked by another process");
            }
            String info = "owner=" + owner.toHex() + "\npid=" + ProcessHandle.current().pid() + "\nstarted="
                    + Instant.now() + "\n";
            channel.write(ByteBuffer.wrap(info.getBytes(StandardCharsets.UTF_8)), 0);
            return new OwnerLease(owner, file, channel, lock);
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            deleteQuietly(file);
            HeldLeases.unregister(owner);
            throw new FastShareException("cannot create owner lease " + file + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            deleteQuietly(file);
            HeldLeases.unregister(owner);
            throw e;
        }
    }

    /**
     * Tells whether this JVM holds (or is acquiring) the lease of an owner, through this copy of
     * fastshare or any other one loaded by another class loader (see {@link HeldLeases}). Such an owner
     * is alive, and its lease file must not be opened by anything in this JVM.
     *
     * @param owner the owner id
     * @return true when a lease of this JVM carries that id
     */
    public static boolean isHeldByThisJvm(OwnerId owner) {
        return HeldLeases.contains(owner);
    }

    /**
     * Returns the lease file path of an owner.
     *
     * @param directory the block directory
     * @param owner the owner
     * @return {@code <directory>/.owners/<owner>.lease}
     */
    public static Path leasePath(BlockDirectory directory, OwnerId owner) {
        return directory.ownersPath().resolve(owner.toHex() + SUFFIX);
    }

    /**
     * Returns the owner id this lease proves alive.
     *
     * @return owner id
     */
    public OwnerId owner() {
        return owner;
    }

    /**
     * Returns the lease file.
     *
     * @return path of the lease file
     */
    public Path file() {
        return file;
    }

    /**
     * Tells whether the lease is still held.
     *
     * @return false after {@link #close()}
     */
    public synchronized boolean isHeld() {
        return !closed && lock.isValid();
    }

    /**
     * Deletes the lease file and releases the lock. Idempotent. Blocks of this owner left in the
     * directory then count as orphaned for other processes' janitors.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        deleteQuietly(file);
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it anyway
        }
        closeQuietly(channel);
        HeldLeases.unregister(owner);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stale lease is reclaimed by any janitor
        }
    }
}
