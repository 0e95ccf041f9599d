package io.fastshare.cleanup;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.time.Instant;

/**
 * One block of a store, as a janitor sees it at the moment of a scan.
 *
 * @param name the block's key in its store; for the file store the file name, {@code FSHR_} and 32 hex digits
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
 * @param kind the token kind of the block's store ({@code shm} for block files): the block's token is
 *     {@code FSHR:<kind>:<name>}
 */
public record BlockInfo(String name, long size, @Nullable String ownerId, long writerPid, @Nullable Instant created,
        @Nullable Instant expires,
        Duration age, BlockState state, boolean ownedByThisProcess, String kind) {

    /** Kind of file blocks, the default. */
    private static final String FILE_KIND = "shm";

    /**
     * Describes a block file (kind {@code shm}).
     *
     * @param name the block's file name
     * @param size the file size in bytes
     * @param ownerId hex id of the writer's owner, {@code null} when the header cannot be read
     * @param writerPid the writer's process id as recorded in the header, -1 if unknown
     * @param created creation time from the header, {@code null} when the header cannot be read
     * @param expires expiry time, {@code null} when none or unknown
     * @param age time since creation, never negative
     * @param state the block's state
     * @param ownedByThisProcess whether the owner is a lease held by this JVM
     */
    public BlockInfo(String name, long size, String ownerId, long writerPid, Instant created, Instant expires,
            Duration age, BlockState state, boolean ownedByThisProcess) {
        this(name, size, ownerId, writerPid, created, expires, age, state, ownedByThisProcess, FILE_KIND);
    }

    /**
     * Returns the block's token, {@code FSHR:<kind>:<name>}.
     *
     * @return the token
     */
    public String token() {
        return "FSHR:" + kind + ":" + name;
    }
}
