package io.fastshare.cleanup;

import java.time.Duration;
import java.time.Instant;

/**
 * One block in the block directory, as a janitor sees it at the moment of a scan.
 *
 * @param name the block's file name, {@code FSHR_} and 32 hex digits
 * @param size the file size in bytes
 * @param ownerId hex id of the writer's owner, {@code null} when the header cannot be read
 * @param writerPid the writer's process id as recorded in the header, -1 if unknown; diagnostic only
 *     (meaningless across PID namespaces)
 * @param created creation time from the header, {@code null} when the header cannot be read
 * @param expires expiry time from the header, {@code null} when the block has no TTL or no readable header
 * @param age time since creation (since the file's last modification when there is no readable header),
 *     never negative
 * @param state the block's state
 * @param ownedByThisProcess whether the owner is a lease held by this JVM
 */
public record BlockInfo(String name, long size, String ownerId, long writerPid, Instant created, Instant expires,
        Duration age, BlockState state, boolean ownedByThisProcess) {
}
