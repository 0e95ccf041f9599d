package io.fastshare.store.pool;

import io.fastshare.AnotherCopyException;
import io.fastshare.FastShareException;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.format.BlockLayout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reclaims what processes left in the pool directory, from any process, with no daemon:
 * <ul>
 *   <li>a CLAIMED slot nobody pins: its taker died before freeing it (takers pin until they free);</li>
 *   <li>a WRITING slot nobody holds: its writer died mid-write;</li>
 *   <li>a PUBLISHED slot whose block's TTL has passed;</li>
 *   <li>the whole segment of a dead owner (its owner byte is unlocked) once its last block is older
 *       than the grace period and nobody pins a slot: it is retired and its file deleted;</li>
 *   <li>a segment file that never became valid (creator died while creating it), after the grace period.</li>
 * </ul>
 *
 * <p>Thread-safe; stateless.
 */
public final class PoolJanitor {

    private static final Logger log = LoggerFactory.getLogger(PoolJanitor.class);
    /** The only names segments get; other files in the pool directory are not the library's. */
    private static final java.util.regex.Pattern SEGMENT_NAME = java.util.regex.Pattern.compile(
            PoolLayout.SEGMENT_PREFIX + "[0-9a-f]{32}");

    private PoolJanitor() {
    }

    /**
     * What one sweep did.
     *
     * @param reclaimed every freed slot (key, why, block length) and deleted segment (file name, size)
     * @param slotsFreed slots freed (dead takers, dead writers, expired blocks)
     * @param segmentsRemoved segment files deleted
     * @param bytesRemoved bytes of those files
     */
    public record Sweep(List<CleanupResult.Reclaimed> reclaimed, int slotsFreed, int segmentsRemoved,
            long bytesRemoved) {

        /**
         * Copies the list.
         *
         * @param reclaimed every freed slot and deleted segment
         * @param slotsFreed slots freed (dead takers, dead writers, expired blocks)
         * @param segmentsRemoved segment files deleted
         * @param bytesRemoved bytes of those files
         */
        public Sweep {
            reclaimed = List.copyOf(reclaimed);
        }

        /**
         * Returns the sweep as a janitor result.
         *
         * @return reclaimed entries and the bytes of deleted segments
         */
        public CleanupResult toResult() {
            return toResult(false);
        }

        /**
         * Returns the sweep as a janitor result.
         *
         * @param dryRun whether the sweep only reported what it would reclaim
         * @return reclaimed (or reclaimable) entries and the bytes of (would-be) deleted segments
         */
        public CleanupResult toResult(boolean dryRun) {
            return new CleanupResult(reclaimed, List.of(), List.of(), bytesRemoved, dryRun);
        }
    }

    /**
     * Sweeps a pool directory once.
     *
     * @param directory the pool directory; a missing one is an empty sweep
     * @param grace how long blocks of a dead owner (and half-created segments) stay
     * @param clock time source
     * @return what was reclaimed
     * @throws FastShareException when the directory cannot be listed
     */
    public static Sweep sweep(Path directory, Duration grace, Clock clock) {
        return sweep(directory, grace, clock, false);
    }

    /**
     * Sweeps a pool directory once, or only reports what a sweep would reclaim.
     *
     * @param directory the pool directory; a missing one is an empty sweep
     * @param grace how long blocks of a dead owner (and half-created segments) stay
     * @param clock time source
     * @param dryRun true to change nothing: the result lists what a real sweep would reclaim now
     * @return what was (or would be) reclaimed
     * @throws FastShareException when the directory cannot be listed
     */
    public static Sweep sweep(Path directory, Duration grace, Clock clock, boolean dryRun) {
        Path dir = directory.toAbsolutePath().normalize();
        long now = clock.millis();
        long cutoff = now - grace.toMillis();
        List<CleanupResult.Reclaimed> reclaimed = new ArrayList<>();
        int freed = 0;
        int removed = 0;
        long bytes = 0;
        for (Path file : segmentFiles(dir)) {
            if (SegmentRegistry.isCreating(file)) {
                continue;
            }
            Segment segment;
            try {
                segment = SegmentRegistry.use(file);
            } catch (AnotherCopyException e) {
                continue; // another class loader's copy maps it and sweeps it itself
            } catch (FastShareException e) {
                long size = removeInvalid(file, cutoff, dryRun);
                if (size >= 0) {
                    removed++;
                    bytes += size;
                    reclaimed.add(new CleanupResult.Reclaimed(file.getFileName().toString(), BlockState.INCOMPLETE, size));
                }
                continue;
            }
            try {
                if (!SegmentFileCheck.intact(segment)) {
                    // Cut short by a peer: touching its pages would fault. A process that never mapped it
                    // finds it invalid and removes it (below) once its owner is gone.
                    log.debug("pool segment {} is shorter than its mapping; skipped", segment.file());
                } else if (segment.ownerAlive()) {
                    freed += freeAbandoned(segment, now, reclaimed, dryRun);
                } else if (retireDead(segment, cutoff, dryRun)) {
                    removed++;
                    long size = PoolLayout.DATA_OFFSET + segment.slotSize() * segment.slotCount();
                    bytes += size;
                    reclaimed.add(new CleanupResult.Reclaimed(segment.name(), BlockState.ORPHANED, size));
                }
            } finally {
                // Read before done(): once this use ends, the owner may give the segment back and unmap it.
                boolean given = segment.segmentState() != PoolLayout.SEGMENT_ACTIVE;
                SegmentRegistry.done(segment);
                if (given) {
                    SegmentRegistry.closeIfUnused(segment);
                }
            }
        }
        return new Sweep(reclaimed, freed, removed, bytes);
    }

    /**
     * Lists every slot of every valid segment in a pool directory.
     *
     * @param directory the pool directory; a missing one lists nothing
     * @return one entry per slot
     * @throws FastShareException when the directory cannot be listed
     */
    public static List<PooledSlotInfo> list(Path directory) {
        List<PooledSlotInfo> slots = new ArrayList<>();
        for (Path file : segmentFiles(directory.toAbsolutePath().normalize())) {
            if (SegmentRegistry.isCreating(file)) {
                continue;
            }
            Segment segment;
            try {
                segment = SegmentRegistry.use(file);
            } catch (FastShareException e) {
                continue;
            }
            try {
                if (!SegmentFileCheck.intact(segment)) {
                    continue; // cut short by a peer: touching its pages would fault
                }
                boolean alive = segment.ownerAlive();
                for (int slot = 0; slot < segment.slotCount(); slot++) {
                    int state = segment.state(slot);
                    long generation = segment.generation(slot);
                    if (generation <= 0) {
                        continue; // never used
                    }
                    long length = state == PoolLayout.FREE ? 0 : segment.blockLength(slot);
                    ByteBuffer header = readableHeader(segment, slot, state, length);
                    slots.add(new PooledSlotInfo(new SlotRef(segment.name(), slot, generation),
                            PoolLayout.slotStateName(state), length, segment.slotSize(), segment.owner(), alive,
                            segment.stateMillis(slot),
                            header == null ? 0 : Math.max(0, header.getLong(BlockLayout.CREATED_OFFSET)),
                            header == null ? 0 : Math.max(0, header.getLong(BlockLayout.EXPIRES_OFFSET)),
                            header == null ? -1 : header.getLong(BlockLayout.PID_OFFSET)));
                }
            } finally {
                SegmentRegistry.done(segment);
            }
        }
        return slots;
    }

    /** The block header of a published or claimed slot, or null; a racing writer can only make it stale. */
    private static @Nullable ByteBuffer readableHeader(Segment segment, int slot, int state, long length) {
        if ((state != PoolLayout.PUBLISHED && state != PoolLayout.CLAIMED) || length < BlockLayout.HEADER_LENGTH
                || length > segment.slotSize()) {
            return null;
        }
        ByteBuffer header = segment.blockBuffer(slot, BlockLayout.HEADER_LENGTH);
        return header.getInt(BlockLayout.MAGIC_OFFSET) == BlockLayout.MAGIC ? header : null;
    }

    /**
     * Tells whether a reference still names a published block (for usage bookkeeping; no pin taken).
     *
     * @param directory the pool directory
     * @param ref the reference
     * @return true while that slot is PUBLISHED with that generation
     */
    public static boolean isPublished(Path directory, SlotRef ref) {
        Path file = directory.toAbsolutePath().normalize().resolve(ref.segment());
        Segment segment = SegmentRegistry.useIfMapped(file);
        if (segment == null) {
            return false;
        }
        try {
            return ref.slot() < segment.slotCount() && segment.state(ref.slot()) == PoolLayout.PUBLISHED
                    && segment.generation(ref.slot()) == ref.generation();
        } finally {
            SegmentRegistry.done(segment);
        }
    }

    private static int freeAbandoned(Segment segment, long now, List<CleanupResult.Reclaimed> reclaimed, boolean dryRun) {
        int freed = 0;
        for (int slot = 0; slot < segment.slotCount(); slot++) {
            int seen = segment.state(slot);
            if (seen == PoolLayout.FREE) {
                continue;
            }
            int index = slot;
            BlockState[] why = new BlockState[1];
            long[] length = new long[1];
            boolean done = segment.underStateLock(slot, () -> {
                int state = segment.state(index);
                long generation = segment.generation(index);
                length[0] = segment.blockLength(index);
                why[0] = state == PoolLayout.PUBLISHED ? BlockState.EXPIRED : BlockState.INCOMPLETE;
                if (state == PoolLayout.PUBLISHED) {
                    if (!expired(segment, index, now)) {
                        return false;
                    }
                } else if (state == PoolLayout.WRITING || state == PoolLayout.CLAIMED || isInvalid(state)) {
                    // Writers and takers hold the pin byte until they are done: free means they are gone.
                    if (!segment.tryExclusive(index)) {
                        return false;
                    }
                    segment.releaseExclusive(index);
                } else {
                    return false;
                }
                if (!dryRun) {
                    segment.writeEntry(index, PoolLayout.FREE, generation, 0, now);
                }
                return true;
            });
            if (done) {
                freed++;
                reclaimed.add(new CleanupResult.Reclaimed(
                        new SlotRef(segment.name(), slot, Math.max(1, segment.generation(slot))).key(), why[0], length[0]));
            }
        }
        return freed;
    }

    private static boolean isInvalid(int state) {
        return state < PoolLayout.FREE || state > PoolLayout.CLAIMED;
    }

    private static boolean expired(Segment segment, int slot, long now) {
        long length = segment.blockLength(slot);
        if (length < BlockLayout.HEADER_LENGTH || length > segment.slotSize()) {
            return false;
        }
        long expires = segment.blockBuffer(slot, BlockLayout.HEADER_LENGTH).getLong(BlockLayout.EXPIRES_OFFSET);
        return expires > 0 && expires <= now;
    }

    private static boolean retireDead(Segment segment, long cutoff, boolean dryRun) {
        int count = segment.slotCount();
        for (int slot = 0; slot < count; slot++) {
            if (segment.state(slot) == PoolLayout.PUBLISHED && segment.stateMillis(slot) > cutoff) {
                return false;
            }
        }
        if (!segment.tryExclusiveAll()) {
            return false;
        }
        try {
            if (dryRun) {
                return true;
            }
            segment.retire();
            Files.deleteIfExists(segment.file());
            return true;
        } catch (IOException e) {
            log.debug("cannot delete pool segment {}", segment.file(), e);
            return true;
        } finally {
            segment.releaseAllExclusive();
        }
    }

    /**
     * Deletes a segment file that cannot be attached (half-created, retired, corrupt) when its owner
     * byte is unlocked and the file is older than the cutoff. Safe to open a channel here: the file is
     * claimed for the channel's lifetime in the JVM-wide registry, so no copy of the library in this JVM
     * maps it or holds a lock on it that closing the channel could drop.
     *
     * @return the deleted size (in a dry run: the size it would delete), or -1 when kept
     */
    private static long removeInvalid(Path file, long cutoff, boolean dryRun) {
        try {
            // Old files only: a segment being created by another process is fresh, and one that turns
            // valid later would be attached (and locked) by this JVM, which the channel below must not see.
            if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() > cutoff) {
                return -1;
            }
        } catch (IOException e) {
            return -1;
        }
        return SegmentRegistry.whileUnmapped(file, () -> removeUnmapped(file, dryRun), -1);
    }

    private static long removeUnmapped(Path file, boolean dryRun) {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS))) {
            FileLock probe = channel.tryLock(PoolLayout.OWNER_LOCK, 1, true);
            if (probe == null) {
                return -1;
            }
            long size = channel.size();
            if (!dryRun) {
                Files.deleteIfExists(file);
            }
            return size;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | RuntimeException e) {
            log.debug("cannot inspect pool segment {}", file, e);
            return -1;
        }
    }

    private static List<Path> segmentFiles(Path directory) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, PoolLayout.SEGMENT_PREFIX + "*")) {
            for (Path file : stream) {
                // A file under another name (a copy, a backup) is not a segment: it has no token and no
                // owner the janitor may judge, and listing it would need a slot reference it cannot have.
                if (SEGMENT_NAME.matcher(file.getFileName().toString()).matches()) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new FastShareException("cannot list pool directory " + directory + ": " + e, e);
        }
        return files;
    }
}
