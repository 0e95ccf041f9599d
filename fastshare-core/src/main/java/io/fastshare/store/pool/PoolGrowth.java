package io.fastshare.store.pool;

import io.fastshare.MemoryHeadroom;
import io.fastshare.store.MemoryBudget;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides whether a pool may grow by one more segment, before a single zero is written into it: the
 * pool's byte limit, the free space of the pool directory's filesystem, and the writer's memory cgroup
 * budget (tmpfs pages count against the cgroup of the process that faults them in, as for block files,
 * see {@link MemoryBudget}). A refusal by free space or memory budget, and a failed creation, stick to
 * the size class for {@link #RETRY} or until the pool gives a segment back, so a full tmpfs is not
 * probed (or filled with zeros and emptied again) on every write.
 *
 * <p>Thread-safe.
 */
final class PoolGrowth {

    /** How long a refusal by free space, memory budget or a failed creation sticks to a size class. */
    static final Duration RETRY = Duration.ofMinutes(1);

    private final long limit;
    private final MemoryBudget memory;
    private final LongSupplier usableSpace;
    private final Clock clock;
    private final Map<SizeClass, Refusal> sticky = new ConcurrentHashMap<>();

    /**
     * Creates the growth policy of one pool.
     *
     * @param limit the pool's byte limit
     * @param memory the writer's memory cgroup budget
     * @param usableSpace the free bytes of the pool directory's filesystem, -1 when unknown
     * @param clock time source of the sticky refusals
     */
    PoolGrowth(long limit, MemoryBudget memory, LongSupplier usableSpace, Clock clock) {
        this.limit = limit;
        this.memory = memory;
        this.usableSpace = usableSpace;
        this.clock = clock;
    }

    /** The free bytes of a directory's filesystem, -1 when they cannot be read. */
    static LongSupplier usableSpaceOf(Path directory) {
        return () -> {
            try {
                return Files.getFileStore(directory).getUsableSpace();
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        };
    }

    /**
     * Tells why the pool may not grow by a segment of a class now.
     *
     * @param sizeClass the class of the segment
     * @param capacity the bytes of segments the pool holds now
     * @return null when it may grow, else which limit refuses it (for messages)
     */
    @Nullable String refusal(SizeClass sizeClass, long capacity) {
        long size = sizeClass.segmentSize();
        if (size > limit) {
            return "a segment of this block's size class takes " + size + " bytes, more than the pool's limit of "
                    + limit + " bytes (the pool size, capped by the live-bytes quota)";
        }
        if (capacity + size > limit) {
            return "the pool is full (" + capacity + " of " + limit + " bytes in segments, every fitting slot in use "
                    + "or still read)";
        }
        Refusal refused = sticky.get(sizeClass);
        if (refused != null) {
            if (clock.millis() < refused.untilMillis()) {
                return refused.reason();
            }
            sticky.remove(sizeClass, refused);
        }
        long usable = usableSpace.getAsLong();
        if (usable >= 0 && usable < size) {
            return remember(sizeClass, "the pool's filesystem has " + usable + " bytes free, too few for a " + size
                    + "-byte segment");
        }
        Optional<MemoryHeadroom> headroom = memory.headroom();
        if (headroom.isPresent() && size > headroom.get().headroomBytes()) {
            return remember(sizeClass, "a " + size + "-byte segment would exceed the " + headroom.get().describe()
                    + " (tmpfs pages count against the writer's memory cgroup)");
        }
        return null;
    }

    /**
     * Records that creating a segment of a class failed, so it is not tried again for a while.
     *
     * @param sizeClass the class
     * @param failure why creation failed
     * @return the reason, for messages
     */
    String failed(SizeClass sizeClass, Exception failure) {
        return remember(sizeClass, "creating a " + sizeClass.segmentSize() + "-byte segment failed (" + failure + ")");
    }

    /** Forgets every sticky refusal: a segment given back freed memory and space. */
    void segmentGivenBack() {
        sticky.clear();
    }

    private String remember(SizeClass sizeClass, String reason) {
        sticky.put(sizeClass, new Refusal(reason, clock.millis() + RETRY.toMillis()));
        return reason;
    }

    /** A refusal that holds until a time. */
    private record Refusal(String reason, long untilMillis) {
    }
}
