package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.MemoryHeadroom;

import java.util.Optional;

/**
 * The memory-cgroup check of block writes: a write that would push the writer's cgroup past a share of
 * its memory limit is refused like a full {@code /dev/shm} (an {@link AllocationException} naming the
 * limit, which the template turns into its configured fallback), instead of the kernel OOM-killing
 * the writer for the tmpfs pages charged to it. See {@link MemoryHeadroom}.
 *
 * <p>Immutable and thread-safe; every check reads the cgroup files afresh (a few small reads per
 * shared-memory write).
 */
public final class MemoryBudget {

    /** Default share of the cgroup memory limit that writes may fill. */
    public static final double DEFAULT_SHARE = 0.9;

    private final MemoryCgroup cgroup;
    private final double share;

    private MemoryBudget(MemoryCgroup cgroup, double share) {
        this.cgroup = cgroup;
        this.share = share;
    }

    /**
     * Creates the budget of this process.
     *
     * @param cgroup the process's memory cgroup, or null where there is none (no check is made then)
     * @param share the share of the limit writes may fill, in (0, 1]
     * @return the budget
     * @throws IllegalArgumentException when the share is out of range
     */
    public static MemoryBudget of(MemoryCgroup cgroup, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("memory limit share must be in (0, 1]: " + share);
        }
        return new MemoryBudget(cgroup, share);
    }

    /**
     * Returns the headroom now.
     *
     * @return the headroom, or empty when the process has no memory limit (or it cannot be read)
     */
    public Optional<MemoryHeadroom> headroom() {
        return cgroup == null ? Optional.empty() : cgroup.headroom(share);
    }

    /**
     * Checks that a block of {@code bytes} fits below the share of the memory limit.
     *
     * @param bytes the block's size
     * @param directory the block directory, for the message
     * @throws AllocationException when it does not fit
     */
    public void check(long bytes, Object directory) {
        Optional<MemoryHeadroom> headroom = headroom();
        if (headroom.isPresent() && bytes > headroom.get().headroomBytes()) {
            throw new AllocationException("shared memory is limited by the writer's memory cgroup: a " + bytes
                    + "-byte block in " + directory + " would exceed the " + headroom.get().describe()
                    + " (tmpfs pages count against the limit of the process that writes them; past it the kernel "
                    + "kills the process); release blocks, raise the container's memory limit, or raise "
                    + "fastshare.memory-limit-share");
        }
    }
}
