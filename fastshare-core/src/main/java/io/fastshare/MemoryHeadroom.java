package io.fastshare;

/**
 * How much more shared memory this process may write before it nears the limit of its memory cgroup.
 * tmpfs pages are charged to the memory cgroup of the process that first touches them, so a writer in
 * a container with a memory limit (Kubernetes {@code limits.memory}, Docker {@code --memory}) that
 * writes past the limit is OOM-killed by the kernel, whatever space {@code /dev/shm} reports. fastshare
 * treats a write that would push the usage past {@code share} of the limit like a full {@code /dev/shm}.
 *
 * <p>Usage is the cgroup's working set, as Kubernetes counts it: {@code memory.current} (v2) or
 * {@code memory.usage_in_bytes} (v1) minus the inactive file cache, which the kernel reclaims before it
 * kills. Where the cgroup and its ancestors have several limits, the one with the least room counts.
 *
 * @param limitBytes the memory limit of the cgroup
 * @param usageBytes the cgroup's working set when it was read
 * @param share the share of the limit fastshare lets usage reach, in (0, 1]
 * @param limitFile the file the limit was read from, for messages
 */
public record MemoryHeadroom(long limitBytes, long usageBytes, double share, String limitFile) {

    /**
     * Returns the bytes that can still be written before usage reaches {@code share} of the limit.
     *
     * @return bytes, zero when usage is already past that
     */
    public long headroomBytes() {
        return Math.max(0, allowedBytes() - usageBytes);
    }

    /**
     * Returns the usage fastshare lets the cgroup reach: {@code share} of the limit.
     *
     * @return bytes
     */
    public long allowedBytes() {
        return (long) Math.floor(limitBytes * share);
    }

    /**
     * Describes the limit for messages, such as {@code "memory cgroup limit 512 MiB
     * (/sys/fs/cgroup/memory.max), 430 MiB in use, 90% allowed"}.
     *
     * @return a human-readable description
     */
    public String describe() {
        return "memory cgroup limit of " + limitBytes + " bytes (" + limitFile + "), " + usageBytes
                + " bytes in use, writes allowed up to " + Math.round(share * 100) + "% of the limit";
    }
}
