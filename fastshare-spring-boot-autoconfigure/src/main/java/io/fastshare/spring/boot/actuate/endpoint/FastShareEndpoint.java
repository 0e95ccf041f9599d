package io.fastshare.spring.boot.actuate.endpoint;

import io.fastshare.InvalidTokenException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.spring.boot.cleanup.BlockScan;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.store.FileBlockStore;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Actuator endpoint {@code fastshare}: the blocks in the block directory, of every process, and
 * on-demand cleanup.
 * <ul>
 *   <li>{@code GET /actuator/fastshare}: summary (directory, free space, counts and bytes by state) and
 *       every block with its state;</li>
 *   <li>{@code GET /actuator/fastshare/orphans}: only the orphan blocks (orphaned, incomplete, expired);</li>
 *   <li>{@code GET /actuator/fastshare/{name}}: one block by name ({@code FSHR_...}), 404 when absent;</li>
 *   <li>{@code DELETE /actuator/fastshare}: reclaims what cleanup may reclaim now (orphans past the
 *       grace period, expired and corrupt blocks) and returns the {@link CleanupResult}. Only available
 *       when write access is granted: {@code management.endpoint.fastshare.access=unrestricted}.</li>
 * </ul>
 * Read-only by default; like every endpoint but health, it must be exposed explicitly.
 *
 * <p>Thread-safe: every request scans the directory afresh.
 */
@Endpoint(id = "fastshare", defaultAccess = Access.READ_ONLY)
public class FastShareEndpoint {

    /** Selector that lists the orphan blocks instead of naming one block. */
    public static final String ORPHANS = "orphans";

    private final FastShareCleanup cleanup;

    /**
     * Creates the endpoint.
     *
     * @param cleanup the application's cleanup, which knows the template and the grace period
     */
    public FastShareEndpoint(FastShareCleanup cleanup) {
        this.cleanup = cleanup;
    }

    /**
     * Lists every block with a summary.
     *
     * @return summary and blocks
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    @ReadOperation
    public BlocksDescriptor blocks() {
        List<BlockInfo> blocks = cleanup.scan();
        return new BlocksDescriptor(summary(blocks), blocks);
    }

    /**
     * Lists the orphan blocks ({@code orphans}), or describes one block by name.
     *
     * @param name {@code orphans}, or a block name such as {@code FSHR_...}
     * @return an {@link OrphansDescriptor}, a {@link BlockInfo}, or null (404) when no such block exists
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    @ReadOperation
    public Object block(@Selector String name) {
        if (ORPHANS.equals(name)) {
            return orphans();
        }
        try {
            return cleanup.template().block(name).orElse(null);
        } catch (InvalidTokenException e) {
            return null; // not a block name: no such block
        }
    }

    /**
     * Lists the orphan blocks: orphaned, incomplete and expired.
     *
     * @return the orphans
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    public OrphansDescriptor orphans() {
        List<BlockInfo> orphans = cleanup.scan().stream().filter(BlockScan::isOrphan).toList();
        return new OrphansDescriptor(orphans.size(), orphans.stream().mapToLong(BlockInfo::size).sum(),
                cleanup.grace(), orphans);
    }

    /**
     * Reclaims what cleanup may reclaim now.
     *
     * @return what was reclaimed, skipped and failed
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    @DeleteOperation
    public CleanupResult reclaim() {
        return cleanup.reclaim();
    }

    private Summary summary(List<BlockInfo> blocks) {
        BlockScan scan = BlockScan.of(Instant.now(), blocks);
        SharedMemoryTemplate template = cleanup.template();
        return new Summary(template.directory().toString(), template.usableSpace(),
                template.usage(FileBlockStore.KIND).capacity(), template.threshold(), scan.total(), scan.totalBytes(),
                scan.counts(), scan.bytes(), scan.orphans(), scan.orphanBytes(), template.ownedBlockCount(),
                template.ownedBytes(), scan.at());
    }

    /**
     * Response of {@code GET /actuator/fastshare}.
     *
     * @param summary totals
     * @param blocks every block, sorted by name
     */
    public record BlocksDescriptor(Summary summary, List<BlockInfo> blocks) implements OperationResponseBody {
    }

    /**
     * Totals of the block directory.
     *
     * @param directory the block directory
     * @param freeBytes bytes free in its filesystem (-1 when unknown)
     * @param totalBytes size of its filesystem (-1 when unknown)
     * @param threshold the inline threshold in bytes
     * @param blocks blocks of every process
     * @param bytes bytes of those blocks
     * @param counts blocks per state
     * @param bytesByState bytes per state
     * @param orphans orphan blocks (orphaned, incomplete, expired)
     * @param orphanBytes bytes of orphan blocks
     * @param ownedBlocks blocks this process owns
     * @param ownedBytes bytes of blocks this process owns
     * @param scannedAt when the directory was scanned
     */
    public record Summary(String directory, long freeBytes, long totalBytes, long threshold, int blocks, long bytes,
            Map<BlockState, Integer> counts, Map<BlockState, Long> bytesByState, int orphans, long orphanBytes,
            int ownedBlocks, long ownedBytes, Instant scannedAt) {
    }

    /**
     * Response of {@code GET /actuator/fastshare/orphans}.
     *
     * @param count orphan blocks
     * @param bytes their bytes
     * @param grace how long cleanup leaves orphans of dead owners alone
     * @param blocks the orphans, sorted by name
     */
    public record OrphansDescriptor(int count, long bytes, Duration grace, List<BlockInfo> blocks)
            implements OperationResponseBody {
    }
}
