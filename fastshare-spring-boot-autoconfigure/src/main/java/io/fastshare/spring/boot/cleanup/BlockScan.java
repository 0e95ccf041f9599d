package io.fastshare.spring.boot.cleanup;

import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summary of one scan of the block directory: how many blocks and bytes in each state. Orphans are the
 * blocks nobody will release: {@link BlockState#ORPHANED}, {@link BlockState#INCOMPLETE} and
 * {@link BlockState#EXPIRED}.
 *
 * @param at when the scan ran
 * @param counts blocks per state, every state present
 * @param bytes bytes per state, every state present
 */
public record BlockScan(Instant at, Map<BlockState, Integer> counts, Map<BlockState, Long> bytes) {

    /** The states of blocks that nobody will release and cleanup will reclaim. */
    public static final Set<BlockState> ORPHAN_STATES = Collections.unmodifiableSet(
            EnumSet.of(BlockState.ORPHANED, BlockState.INCOMPLETE, BlockState.EXPIRED));

    /**
     * Copies the maps so the record is immutable.
     *
     * @param at when the scan ran
     * @param counts blocks per state
     * @param bytes bytes per state
     */
    public BlockScan {
        counts = Collections.unmodifiableMap(new EnumMap<>(counts));
        bytes = Collections.unmodifiableMap(new EnumMap<>(bytes));
    }

    /**
     * Summarises a list of blocks.
     *
     * @param at when the scan ran
     * @param blocks the blocks found
     * @return the summary
     */
    public static BlockScan of(Instant at, List<BlockInfo> blocks) {
        Map<BlockState, Integer> counts = new EnumMap<>(BlockState.class);
        Map<BlockState, Long> bytes = new EnumMap<>(BlockState.class);
        for (BlockState state : BlockState.values()) {
            counts.put(state, 0);
            bytes.put(state, 0L);
        }
        for (BlockInfo block : blocks) {
            counts.merge(block.state(), 1, Integer::sum);
            bytes.merge(block.state(), block.size(), Long::sum);
        }
        return new BlockScan(at, counts, bytes);
    }

    /**
     * Tells whether a block is an orphan.
     *
     * @param block a block
     * @return true for ORPHANED, INCOMPLETE and EXPIRED blocks
     */
    public static boolean isOrphan(BlockInfo block) {
        return ORPHAN_STATES.contains(block.state());
    }

    /**
     * Returns the number of orphan blocks.
     *
     * @return ORPHANED + INCOMPLETE + EXPIRED blocks
     */
    public int orphans() {
        return ORPHAN_STATES.stream().mapToInt(counts::get).sum();
    }

    /**
     * Returns the bytes of orphan blocks.
     *
     * @return bytes of ORPHANED, INCOMPLETE and EXPIRED blocks
     */
    public long orphanBytes() {
        return ORPHAN_STATES.stream().mapToLong(bytes::get).sum();
    }

    /**
     * Returns the number of blocks in every state.
     *
     * @return total blocks
     */
    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Returns the bytes of blocks in every state.
     *
     * @return total bytes
     */
    public long totalBytes() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }
}
