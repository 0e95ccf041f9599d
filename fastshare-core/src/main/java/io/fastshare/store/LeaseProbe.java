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
 * <p>Leases held by this JVM are never opened (see {@link OwnerLease#isHeldByThisJvm}): a second channel
 * on a locked file, once closed, drops the owner's lock. Probes in this JVM are serialised so two
 * janitors never hit {@link OverlappingFileLockException} on each other.
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

    private static final Object PROBE_LOCK = new Object();
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
        synchronized (PROBE_LOCK) {
            FileChannel channel;
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Outcome.MISSING;
            } catch (IOException | UnsupportedOperationException e) {
                return Outcome.UNKNOWN;
            }
            if (OwnerLease.isHeldByThisJvm(owner)) {
                KEPT_OPEN.add(channel);
                return Outcome.HELD;
            }
            try (channel) {
                return lockAndMaybeDelete(channel, file, delete);
            } catch (IOException e) {
                return Outcome.UNKNOWN;
            }
        }
    }

    private static Outcome lockAndMaybeDelete(FileChannel channel, Path file, boolean delete) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, true);
        } catch (OverlappingFileLockException e) {
            return Outcome.UNKNOWN;
        }
        if (lock == null) {
            return Outcome.HELD;
        }
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
