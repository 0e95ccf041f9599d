package io.fastshare.store;

import io.fastshare.format.BlockName;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The blocks this process wrote and has not released, with their sizes: the ledger behind the
 * live-bytes quota, the live-block metrics and release on close. A block released by another process
 * (a reader's {@code take}) stays in the ledger until {@link #reconcile} notices its file is gone.
 *
 * <p>Thread-safe.
 */
public final class OwnedBlocks {

    private final Map<BlockName, Long> sizes = new LinkedHashMap<>();
    /** Blocks recorded before their file exists: {@link #reconcile} must not forget them. */
    private final Set<BlockName> writing = new HashSet<>();
    private long bytes;

    /**
     * Records a new block if it fits in the quota, as being written until {@link #written} (before its
     * file exists, so {@link #reconcile} leaves it alone).
     *
     * @param name block name
     * @param size block size in bytes
     * @param maxLiveBytes the quota, {@code Long.MAX_VALUE} for none
     * @return true when recorded, false when the quota would be exceeded
     */
    public synchronized boolean tryAdd(BlockName name, long size, long maxLiveBytes) {
        if (bytes + size > maxLiveBytes || bytes + size < 0) {
            return false;
        }
        sizes.put(name, size);
        writing.add(name);
        bytes += size;
        return true;
    }

    /**
     * Marks a recorded block as written: its file exists from now on, until someone deletes it.
     *
     * @param name block name
     */
    public synchronized void written(BlockName name) {
        writing.remove(name);
    }

    /**
     * Forgets a block.
     *
     * @param name block name
     * @return true when the block was recorded
     */
    public synchronized boolean remove(BlockName name) {
        writing.remove(name);
        Long size = sizes.remove(name);
        if (size != null) {
            bytes -= size;
            return true;
        }
        return false;
    }

    /**
     * Tells whether a block is recorded.
     *
     * @param name block name
     * @return true when this process owns it
     */
    public synchronized boolean contains(BlockName name) {
        return sizes.containsKey(name);
    }

    /**
     * Forgets blocks whose files no longer exist (taken by a reader or reclaimed by a janitor). Blocks
     * still being written are kept: forgetting one there (its file not created yet) would leave it
     * behind on release on close.
     *
     * @param directory the block directory
     */
    public void reconcile(BlockDirectory directory) {
        for (BlockName name : settledNames()) {
            if (!Files.exists(directory.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                remove(name);
            }
        }
    }

    /**
     * Returns the recorded block names.
     *
     * @return a snapshot
     */
    public synchronized List<BlockName> names() {
        return List.copyOf(sizes.keySet());
    }

    /** The recorded blocks whose writes have finished: a block still being written has no file yet. */
    private synchronized List<BlockName> settledNames() {
        return sizes.keySet().stream().filter(name -> !writing.contains(name)).toList();
    }

    /**
     * Returns the number of recorded blocks.
     *
     * @return block count
     */
    public synchronized int count() {
        return sizes.size();
    }

    /**
     * Returns the total size of recorded blocks.
     *
     * @return bytes
     */
    public synchronized long bytes() {
        return bytes;
    }
}
