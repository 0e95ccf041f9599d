package io.fastshare.spring.boot.health;

import io.fastshare.MemoryHeadroom;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.cleanup.BlockScan;
import io.fastshare.store.FileBlockStore;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reports whether fastshare can place blocks: DOWN when the block directory is missing or not writable,
 * OUT_OF_SERVICE when its filesystem has less free space than {@code fastshare.health.min-free-space},
 * UP otherwise. Details: directory, free and total bytes, the floor, the blocks and bytes this process
 * owns, where the process has a memory cgroup limit that limit, the usage and the headroom left for
 * shared-memory writes ({@link SharedMemoryTemplate#memoryHeadroom()}), and from the latest directory
 * scan the orphan blocks (orphaned, incomplete, expired) of any process and when that scan ran. The check itself never scans the directory: probes stay cheap.
 *
 * <p>Thread-safe: each check reads the filesystem afresh.
 */
public class FastShareHealthIndicator extends AbstractHealthIndicator {

    /** Default free-space floor: 16 MiB, room for a few payloads of the default threshold. */
    public static final long DEFAULT_MIN_FREE_BYTES = 16L * 1024 * 1024;

    private final SharedMemoryTemplate template;
    private final long minFreeBytes;
    private final Supplier<Optional<BlockScan>> lastScan;
    private final Supplier<Optional<MemoryHeadroom>> memoryHeadroom;

    /**
     * Creates the indicator.
     *
     * @param template the template whose directory is checked
     * @param minFreeBytes free-space floor in bytes; 0 turns the free-space check off
     * @param lastScan supplies the latest directory scan, empty when there was none
     */
    public FastShareHealthIndicator(SharedMemoryTemplate template, long minFreeBytes,
            Supplier<Optional<BlockScan>> lastScan) {
        this(template, minFreeBytes, lastScan, template::memoryHeadroom);
    }

    /**
     * Creates the indicator with the source of the memory cgroup headroom (tests pass a fixed one).
     *
     * @param template the template whose directory is checked
     * @param minFreeBytes free-space floor in bytes; 0 turns the free-space check off
     * @param lastScan supplies the latest directory scan, empty when there was none
     * @param memoryHeadroom supplies the memory cgroup headroom, empty without a limit
     */
    FastShareHealthIndicator(SharedMemoryTemplate template, long minFreeBytes, Supplier<Optional<BlockScan>> lastScan,
            Supplier<Optional<MemoryHeadroom>> memoryHeadroom) {
        super("fastshare health check failed");
        this.template = template;
        this.minFreeBytes = minFreeBytes;
        this.lastScan = lastScan;
        this.memoryHeadroom = memoryHeadroom;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Path directory = template.directory();
        builder.withDetail("directory", directory.toString());
        if (!Files.isDirectory(directory) || !Files.isWritable(directory)) {
            builder.down().withDetail("error", "block directory " + directory + " is missing or not writable; "
                    + "check the volume mount and its permissions");
            return;
        }
        long free = template.usableSpace();
        long total = template.usage(FileBlockStore.KIND).capacity();
        builder.withDetail("free", free)
                .withDetail("total", total)
                .withDetail("minFree", minFreeBytes)
                .withDetail("threshold", template.threshold())
                .withDetail("ownedBlocks", template.ownedBlockCount())
                .withDetail("ownedBytes", template.ownedBytes());
        memoryHeadroom.get().ifPresent(memory -> builder.withDetail("memoryLimit", memory.limitBytes())
                .withDetail("memoryUsage", memory.usageBytes())
                .withDetail("memoryHeadroom", memory.headroomBytes()));
        lastScan.get().ifPresent(scan -> builder.withDetail("orphans", scan.orphans())
                .withDetail("orphanBytes", scan.orphanBytes())
                .withDetail("lastScan", scan.at().toString()));
        if (free >= 0 && free < minFreeBytes) {
            builder.outOfService().withDetail("error", "only " + free + " bytes free in " + directory
                    + ", below the floor of " + minFreeBytes + " bytes (fastshare.health.min-free-space); release "
                    + "blocks, run cleanup, or enlarge the filesystem");
            return;
        }
        builder.up();
    }
}
