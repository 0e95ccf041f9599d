package io.fastshare.cleanup;

import java.util.List;

/**
 * What one cleanup did (or, in a dry run, would do).
 *
 * @param cleaned blocks this cleanup reclaimed (would reclaim); a block another process reclaimed first
 *     is not in here but in {@code skipped}
 * @param failed blocks or leases that should have been reclaimed but could not be
 * @param skipped reclaimable-looking files left alone, with the reason (within the grace period, not a
 *     regular file, already gone)
 * @param bytesReclaimed total size of {@code cleaned}
 * @param dryRun whether nothing was deleted
 * @param leasesReclaimed owner ids whose stale lease files this cleanup deleted (would delete)
 */
public record CleanupResult(List<Reclaimed> cleaned, List<Failure> failed, List<Skipped> skipped, long bytesReclaimed,
        boolean dryRun, List<String> leasesReclaimed) {

    /**
     * Copies the lists.
     *
     * @param cleaned blocks and leases reclaimed (or that would be, in a dry run)
     * @param failed blocks or leases that should have been reclaimed but could not be
     * @param skipped reclaimable-looking files left alone, with the reason
     * @param bytesReclaimed total size of {@code cleaned}
     * @param dryRun whether nothing was deleted
     * @param leasesReclaimed owner ids whose stale lease files this cleanup deleted (would delete)
     */
    public CleanupResult {
        cleaned = List.copyOf(cleaned);
        failed = List.copyOf(failed);
        skipped = List.copyOf(skipped);
        leasesReclaimed = List.copyOf(leasesReclaimed);
    }

    /**
     * Creates a result without lease information.
     *
     * @param cleaned reclaimed blocks
     * @param failed failures
     * @param skipped skipped files
     * @param bytesReclaimed total size of {@code cleaned}
     * @param dryRun whether nothing was deleted
     */
    public CleanupResult(List<Reclaimed> cleaned, List<Failure> failed, List<Skipped> skipped, long bytesReclaimed,
            boolean dryRun) {
        this(cleaned, failed, skipped, bytesReclaimed, dryRun, List.of());
    }

    /**
     * Tells whether everything that should have been reclaimed was.
     *
     * @return true when {@link #failed()} is empty
     */
    public boolean succeeded() {
        return failed.isEmpty();
    }

    /**
     * A reclaimed block.
     *
     * @param name block name
     * @param state the state that made it reclaimable
     * @param size bytes freed
     */
    public record Reclaimed(String name, BlockState state, long size) {
    }

    /**
     * A block or lease that could not be reclaimed.
     *
     * @param name block name, or {@code .owners/<id>.lease} for a lease
     * @param reason what went wrong
     */
    public record Failure(String name, String reason) {
    }

    /**
     * A file the cleanup left alone on purpose.
     *
     * @param name file name
     * @param reason why
     */
    public record Skipped(String name, String reason) {
    }
}
