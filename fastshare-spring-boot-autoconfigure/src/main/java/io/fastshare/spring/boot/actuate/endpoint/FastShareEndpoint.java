package io.fastshare.spring.boot.actuate.endpoint;

import io.fastshare.InvalidTokenException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.HumanDuration;
import io.fastshare.spring.boot.cleanup.BlockScan;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import org.jspecify.annotations.Nullable;
import io.fastshare.store.FileBlockStore;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Actuator endpoint {@code fastshare}: the blocks in the block directory, of every process, and
 * on-demand cleanup. Over HTTP ({@link FastShareEndpointWebExtension} adds the paths below the root):
 * <ul>
 *   <li>{@code GET /actuator/fastshare}: summary (directory, free space, counts and bytes by state) and
 *       every block with its state;</li>
 *   <li>{@code GET /actuator/fastshare/orphans}: only the orphan blocks (orphaned, incomplete, expired);</li>
 *   <li>{@code GET /actuator/fastshare/blocks/{name}}: one block by name ({@code FSHR_...}) or token; 404
 *       when there is no such block, 400 when the name is not a block name;</li>
 *   <li>{@code DELETE /actuator/fastshare}: reclaims what cleanup may reclaim now (orphans past the
 *       grace period, expired and corrupt blocks). Only with write access:
 *       {@code management.endpoint.fastshare.access=unrestricted}.</li>
 * </ul>
 * Durations appear twice, as text and as exact milliseconds ({@code "age": "3m12s", "ageMillis":
 * 192345}), as in the CLI's JSON. Read-only by default; like every endpoint but health, it must be
 * exposed explicitly.
 *
 * <p>Thread-safe: every request scans the directory afresh.
 */
@Endpoint(id = "fastshare", defaultAccess = Access.READ_ONLY)
public class FastShareEndpoint {

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
        return new BlocksDescriptor(summary(blocks), BlockDescriptor.of(blocks));
    }

    /**
     * Lists the orphan blocks: orphaned, incomplete and expired.
     *
     * @return the orphans
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    public OrphansDescriptor orphans() {
        List<BlockInfo> orphans = cleanup.scan().stream().filter(BlockScan::isOrphan).toList();
        Duration grace = cleanup.grace();
        return new OrphansDescriptor(orphans.size(), orphans.stream().mapToLong(BlockInfo::size).sum(),
                HumanDuration.format(grace), grace.toMillis(), BlockDescriptor.of(orphans));
    }

    /**
     * Describes one block.
     *
     * @param name a block name such as {@code FSHR_...}, or a shared-memory token
     * @return the block, or null when no such block exists
     * @throws InvalidTokenException when the name is neither a block name nor a token
     * @throws io.fastshare.FastShareException when the block cannot be examined
     */
    public @Nullable BlockDescriptor block(String name) {
        return cleanup.template().block(name).map(BlockDescriptor::of).orElse(null);
    }

    /**
     * Reclaims what cleanup may reclaim now.
     *
     * @return what was reclaimed, skipped and failed
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    @DeleteOperation
    public CleanupDescriptor reclaim() {
        return CleanupDescriptor.of(cleanup.reclaim(), cleanup.grace());
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
    public record BlocksDescriptor(Summary summary, List<BlockDescriptor> blocks) implements OperationResponseBody {
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
     * One block.
     *
     * @param name the block's file name
     * @param state its state
     * @param size the file size in bytes
     * @param ownerId hex id of the writer's owner, null when the header cannot be read
     * @param writerPid the writer's process id, -1 if unknown; diagnostic only
     * @param created creation time, null when the header cannot be read
     * @param expires expiry time, null without TTL or readable header
     * @param age time since creation, for people ({@code 3m12s})
     * @param ageMillis time since creation in milliseconds, for programs
     * @param ownedByThisProcess whether the application serving the endpoint wrote it and still owns it
     * @param kind the token kind of the block's store: {@code shm} for block files, {@code rds} for this
     *     service's blocks in Redis
     * @param token the block's token, {@code FSHR:<kind>:<name>}
     */
    public record BlockDescriptor(String name, BlockState state, long size, @Nullable String ownerId, long writerPid,
            @Nullable Instant created, @Nullable Instant expires, String age, long ageMillis,
            boolean ownedByThisProcess, String kind, String token) implements OperationResponseBody {

        static BlockDescriptor of(BlockInfo block) {
            return new BlockDescriptor(block.name(), block.state(), block.size(), block.ownerId(), block.writerPid(),
                    block.created(), block.expires(), HumanDuration.format(block.age()), block.age().toMillis(),
                    block.ownedByThisProcess(), block.kind(), block.token());
        }

        static List<BlockDescriptor> of(List<BlockInfo> blocks) {
            return blocks.stream().map(BlockDescriptor::of).toList();
        }
    }

    /**
     * Response of {@code GET /actuator/fastshare/orphans}.
     *
     * @param count orphan blocks
     * @param bytes their bytes
     * @param grace how long cleanup leaves orphans of dead owners alone, for people ({@code 1m})
     * @param graceMillis the same in milliseconds, for programs
     * @param blocks the orphans, sorted by name
     */
    public record OrphansDescriptor(int count, long bytes, String grace, long graceMillis,
            List<BlockDescriptor> blocks) implements OperationResponseBody {
    }

    /**
     * Response of {@code DELETE /actuator/fastshare}.
     *
     * @param dryRun always false here
     * @param grace the grace period the run used, for people
     * @param graceMillis the same in milliseconds
     * @param bytesReclaimed bytes of the reclaimed blocks
     * @param cleaned the reclaimed blocks
     * @param skipped blocks left alone, with the reason
     * @param failed blocks that could not be reclaimed, with the reason
     * @param leasesReclaimed owner ids whose stale lease files were deleted
     */
    public record CleanupDescriptor(boolean dryRun, String grace, long graceMillis, long bytesReclaimed,
            List<CleanupResult.Reclaimed> cleaned, List<CleanupResult.Skipped> skipped,
            List<CleanupResult.Failure> failed, List<String> leasesReclaimed) implements OperationResponseBody {

        static CleanupDescriptor of(CleanupResult result, Duration grace) {
            return new CleanupDescriptor(result.dryRun(), HumanDuration.format(grace), grace.toMillis(),
                    result.bytesReclaimed(), result.cleaned(), result.skipped(), result.failed(),
                    result.leasesReclaimed());
        }
    }
}
