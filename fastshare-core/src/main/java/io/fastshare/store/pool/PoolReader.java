package io.fastshare.store.pool;

import io.fastshare.BlockNotFoundException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Resolves pool references: pins a slot, then checks its state and generation, so a stale reference
 * never yields another block's bytes. Segments are mapped once per JVM (see {@link SegmentRegistry})
 * and stay mapped, so opening a block is a few lock calls and no mapping call.
 *
 * <p>Thread-safe.
 */
public final class PoolReader {

    private final Path directory;
    private final Clock clock;

    /**
     * Creates a reader of a pool directory.
     *
     * @param directory the pool directory, {@code <block directory>/.pool}
     * @param clock time source for state-change stamps
     */
    public PoolReader(Path directory, Clock clock) {
        this.directory = directory.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /**
     * Pins a published block for reading.
     *
     * @param ref the reference from a token
     * @return the pinned block; close it when done
     * @throws BlockNotFoundException when the block was released, taken, reclaimed or its slot reused
     * @throws io.fastshare.CorruptBlockException when the segment file is not a valid segment
     */
    public PinnedSlot open(SlotRef ref) {
        return pin(ref, false);
    }

    /**
     * Claims a published block: exactly one caller, across all processes, succeeds. The returned pin
     * frees the slot when closed; if this process dies first, the slot is reclaimed as soon as its
     * pin is gone.
     *
     * @param ref the reference from a token
     * @return the claimed block; close it when done
     * @throws BlockNotFoundException when the block was released, taken, reclaimed or its slot reused
     * @throws io.fastshare.CorruptBlockException when the segment file is not a valid segment
     */
    public PinnedSlot claim(SlotRef ref) {
        return pin(ref, true);
    }

    /**
     * Releases a published block: its slot becomes free and is reused once no reader pins it.
     * Idempotent.
     *
     * @param ref the reference from a token
     * @return true when this call released it; false when it was gone already
     * @throws io.fastshare.CorruptBlockException when the segment file is not a valid segment
     */
    public boolean release(SlotRef ref) {
        Segment segment;
        try {
            segment = SegmentRegistry.use(file(ref));
        } catch (BlockNotFoundException e) {
            return false;
        }
        try {
            return ref.slot() < segment.slotCount() && freePublished(segment, ref);
        } finally {
            SegmentRegistry.done(segment);
        }
    }

    /** Sets a PUBLISHED slot of the reference's generation FREE; false when it is not that any more. */
    boolean freePublished(Segment segment, SlotRef ref) {
        long now = clock.millis();
        return segment.underStateLock(ref.slot(), () -> {
            if (segment.state(ref.slot()) != PoolLayout.PUBLISHED || segment.generation(ref.slot()) != ref.generation()) {
                return false;
            }
            segment.writeEntry(ref.slot(), PoolLayout.FREE, ref.generation(), 0, now);
            return true;
        });
    }

    /**
     * Unmaps segments this JVM no longer needs: those given back, those whose file is gone and those
     * unused for the idle time. Segments in use are never unmapped.
     *
     * @param idle how long an unused segment stays mapped
     * @return how many segments were unmapped
     */
    public static int trim(Duration idle) {
        long cutoff = System.nanoTime() - idle.toNanos();
        return SegmentRegistry.closeUnused(segment -> !segment.ownedHere()
                && (segment.segmentState() != PoolLayout.SEGMENT_ACTIVE || !Files.exists(segment.file())
                        || segment.lastUsedNanos() - cutoff < 0));
    }

    private PinnedSlot pin(SlotRef ref, boolean claim) {
        Segment segment = SegmentRegistry.use(file(ref));
        boolean pinned = false;
        try {
            int slot = ref.slot();
            if (slot >= segment.slotCount()) {
                throw notFound(ref, "the segment has no such slot");
            }
            if (!segment.pin(slot)) {
                throw notFound(ref, "its slot is being written again (released and reused)");
            }
            pinned = true;
            if (segment.segmentState() != PoolLayout.SEGMENT_ACTIVE) {
                throw notFound(ref, "its segment was given back");
            }
            long length = segment.blockLength(slot);
            if (claim) {
                long now = clock.millis();
                boolean won = segment.underStateLock(slot, () -> {
                    if (segment.state(slot) != PoolLayout.PUBLISHED || segment.generation(slot) != ref.generation()) {
                        return false;
                    }
                    segment.writeEntry(slot, PoolLayout.CLAIMED, ref.generation(), length, now);
                    return true;
                });
                if (!won) {
                    throw notFound(ref, "it was released, taken by another reader, or its slot reused");
                }
            } else if (segment.state(slot) != PoolLayout.PUBLISHED || segment.generation(slot) != ref.generation()) {
                throw notFound(ref, "it was released, taken by another reader, or its slot reused");
            }
            if (length < 0 || length > segment.slotSize()) {
                throw new io.fastshare.CorruptBlockException("pooled block " + ref + " has an invalid length " + length);
            }
            return new PinnedSlot(this, segment, ref, length, claim);
        } catch (RuntimeException | Error e) {
            // An Error too (an OutOfMemoryError building the pin, say): a pin left held would block the slot for good.
            if (pinned) {
                segment.unpin(ref.slot());
            }
            SegmentRegistry.done(segment);
            throw e;
        }
    }

    /** Frees a slot claimed by this JVM; called by {@link PinnedSlot#close()} before unpinning. */
    void free(Segment segment, SlotRef ref) {
        long now = clock.millis();
        segment.underStateLock(ref.slot(), () -> {
            if (segment.state(ref.slot()) == PoolLayout.CLAIMED && segment.generation(ref.slot()) == ref.generation()) {
                segment.writeEntry(ref.slot(), PoolLayout.FREE, ref.generation(), 0, now);
            }
            return null;
        });
    }

    private Path file(SlotRef ref) {
        return directory.resolve(ref.segment());
    }

    private static BlockNotFoundException notFound(SlotRef ref, String why) {
        return new BlockNotFoundException("pooled block " + ref + " not found: " + why);
    }
}
