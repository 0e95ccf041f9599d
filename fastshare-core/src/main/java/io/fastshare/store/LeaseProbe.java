package io.fastshare.store;

import io.fastshare.format.OwnerId;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the kernel whether an owner is alive: an owner is dead exactly when its lease file is missing or
 * this process can lock it. The probe takes a <em>shared</em> lock on a read-only channel: it conflicts
 * with the owner's exclusive lock but not with other janitors probing at the same moment, and it needs
 * only read access to the lease file.
 *
 * <p>Leases held by this JVM, through any class loader, are never opened (see {@link HeldLeases}): a
 * second channel on a locked file, once closed, drops the owner's lock. Probes are serialised JVM-wide
 * so two janitors never hit {@link OverlappingFileLockException} on each other, and a channel that hits
 * it anyway (a lock this JVM holds that no registry knows) is kept open rather than closed.
 *
 * <p>Thread-safe.
 */
public final class LeaseProbe {

    /** What a probe found out about an owner. */
    public enum Outcome {
        /** The lease is locked: the owner is alive (or this JVM holds it). */
        HELD,
        /** The lease file exists and nobody holds its lock: the owner is dead. */
        DEAD,
        /** There is no lease file (or it is not a regular file): the owner is dead. */
        MISSING,
        /** The dead owner's lease file was deleted by this probe. */
        DELETED,
        /** The lease could not be probed (no permission, I/O error); callers treat the owner as alive. */
        UNKNOWN;

        /**
         * Tells whether the owner must be treated as alive.
         *
         * @return true for {@link #HELD} and {@link #UNKNOWN}
         */
        public boolean alive() {
            return this == HELD || this == UNKNOWN;
        }
    }

    /**
     * Channels opened on a lease that this JVM started holding while the probe ran. Closing them would
     * drop that lease's lock, so they are deliberately kept open; this happens only in a microsecond
     * race with a lease being created.
     */
    private static final List<FileChannel> KEPT_OPEN = new ArrayList<>();

    private LeaseProbe() {
    }

    /**
     * Probes an owner's lease.
     *
     * @param directory the block directory
     * @param owner the owner
     * @return the outcome, never {@link Outcome#DELETED}
     */
    public static Outcome probe(BlockDirectory directory, OwnerId owner) {
        return probe(directory, owner, false);
    }

    /**
     * Deletes an owner's lease file if, and only if, the owner is dead. The file is deleted while this
     * probe holds its lock, so a live owner's lease is never deleted.
     *
     * @param directory the block directory
     * @param owner the owner
     * @return {@link Outcome#DELETED} when this call deleted it, {@link Outcome#MISSING} when it was
     *     already gone, or what prevented the deletion
     * @throws IOException when the dead owner's file cannot be deleted
     */
    public static Outcome deleteIfDead(BlockDirectory directory, OwnerId owner) throws IOException {
        try {
            return probe(directory, owner, true);
        } catch (UncheckedDeleteFailure e) {
            throw e.getCause();
        }
    }

    private static Outcome probe(BlockDirectory directory, OwnerId owner, boolean delete) {
        if (OwnerLease.isHeldByThisJvm(owner)) {
            return Outcome.HELD;
        }
        Path file = OwnerLease.leasePath(directory, owner);
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                // Never open a FIFO (open would hang) or follow a link; no lease file means no live owner.
                return Outcome.MISSING;
            }
        } catch (NoSuchFileException e) {
            return Outcome.MISSING;
        } catch (IOException e) {
            return Outcome.UNKNOWN;
        }
        synchronized (HeldLeases.PROBE_MONITOR) {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Outcome.MISSING;
            } catch (IOException | UnsupportedOperationException e) {
                return Outcome.UNKNOWN;
            }
            if (OwnerLease.isHeldByThisJvm(owner)) {
                keepOpen(channel);
                return Outcome.HELD;
            }
            FileLock lock;
            try {
                lock = channel.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                // Something in this JVM holds a lock on this file that no registry told us about (a copy of
                // fastshare that predates the JVM-wide registry): closing our channel would drop it.
                keepOpen(channel);
                return Outcome.HELD;
            } catch (IOException e) {
                closeQuietly(channel);
                return Outcome.UNKNOWN;
            }
            try (channel) {
                return lock == null ? Outcome.HELD : maybeDelete(lock, file, delete);
            } catch (IOException e) {
                return Outcome.UNKNOWN;
            }
        }
    }

    private static Outcome maybeDelete(FileLock lock, Path file, boolean delete) throws IOException {
        try {
            if (!delete) {
                return Outcome.DEAD;
            }
            try {
                return Files.deleteIfExists(file) ? Outcome.DELETED : Outcome.MISSING;
            } catch (IOException e) {
                throw new UncheckedDeleteFailure(e);
            }
        } finally {
            lock.release();
        }
    }

    /**
     * Keeps a channel on a lease file this JVM holds open for the life of the JVM: closing it would drop
     * the holder's POSIX lock. Happens only in a race with a lease being created, or with a foreign copy
     * of the library, so the file descriptors kept are few.
     */
    private static void keepOpen(FileChannel channel) {
        synchronized (KEPT_OPEN) {
            KEPT_OPEN.add(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel that holds no lock
        }
    }

    /** Carries a deletion failure past the probe's own I/O handling. */
    private static final class UncheckedDeleteFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedDeleteFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }
}
