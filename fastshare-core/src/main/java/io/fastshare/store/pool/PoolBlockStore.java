package io.fastshare.store.pool;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockPreamble;
import io.fastshare.store.BlockHandle;
import io.fastshare.store.BlockStore;
import io.fastshare.store.HeldLeases;
import io.fastshare.store.MemoryBudget;
import io.fastshare.store.StoreContext;
import io.fastshare.store.StoreUsage;
import io.fastshare.store.StoredBlock;
import org.jspecify.annotations.Nullable;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pooled store, token kind {@code pool}: blocks in reused slots of shared-memory segments
 * ({@code <block directory>/.pool/}), so a handoff costs one copy into already-faulted pages and a
 * reader's {@code open()} is a pin and a view with no mapping call. The slot protocol is in
 * {@code docs/block-format.md} ("Pooled blocks").
 *
 * <p>With a pool size of 0 the store takes no writes ({@link #write} throws
 * {@link AllocationException}) but still reads, claims and releases pooled blocks of other processes.
 * A full pool also throws {@link AllocationException}, so the template falls through to a file block.
 *
 * <p>Thread-safe.
 */
public final class PoolBlockStore implements BlockStore {

    /** Token kind of pooled blocks: {@code FSHR:pool:FSHP_<32 hex>.<slot>.<generation>}. */
    public static final String KIND = "pool";

    /** Year 9999: anything later in a header is garbage, not a time. */
    private static final long MAX_MILLIS = 253_402_300_799_000L;

    private final Path directory;
    private final Clock clock;
    private final Duration idleTimeout;
    private final @Nullable BlockPool pool;
    private final PoolReader reader;
    private final Map<SlotRef, Long> owned = new ConcurrentHashMap<>();
    private final PoolDecay decay;

    /**
     * Creates the store. Idle segments (this template's, and other processes' segments mapped for
     * reading) are given back by {@link #cleanup} and also without any cleanup run: on the next pool
     * operation once the idle timeout has passed, and by a delayed check (on the JDK's shared delay
     * scheduler, no thread of the library's own) while the pool holds segments.
     *
     * @param context the template's directory, owner, clock and randomness
     * @param poolSize most bytes of segments this template's pool holds; 0 for a read-only store
     * @param idleTimeout how long segments without blocks stay before they are given back
     * @throws FastShareException when the pool directory cannot be created
     */
    public PoolBlockStore(StoreContext context, long poolSize, Duration idleTimeout) {
        this(context, poolSize, idleTimeout, MemoryBudget.of(null, MemoryBudget.DEFAULT_SHARE));
    }

    /**
     * Creates the store with a pool that grows only within the writer's memory cgroup budget (the one
     * block file writes check) and the pool filesystem's free space. Idle segments are given back as
     * for {@link #PoolBlockStore(StoreContext, long, Duration)}.
     *
     * @param context the template's directory, owner, clock and randomness
     * @param poolSize most bytes of segments this template's pool holds; 0 for a read-only store
     * @param idleTimeout how long segments without blocks stay before they are given back
     * @param memory the writer's memory cgroup budget
     * @throws FastShareException when the pool directory cannot be created
     */
    public PoolBlockStore(StoreContext context, long poolSize, Duration idleTimeout, MemoryBudget memory) {
        this(context, poolSize, idleTimeout, memory, PoolDecay.Scheduler.JDK);
    }

    PoolBlockStore(StoreContext context, long poolSize, Duration idleTimeout, PoolDecay.Scheduler decayScheduler) {
        this(context, poolSize, idleTimeout, MemoryBudget.of(null, MemoryBudget.DEFAULT_SHARE), decayScheduler);
    }

    private PoolBlockStore(StoreContext context, long poolSize, Duration idleTimeout, MemoryBudget memory,
            PoolDecay.Scheduler decayScheduler) {
        this.directory = context.directory().path().resolve(PoolLayout.DIRECTORY).toAbsolutePath().normalize();
        this.clock = context.clock();
        this.idleTimeout = idleTimeout;
        this.pool = poolSize > 0 ? new BlockPool(directory, context.directory().filePermissions(), context.owner(),
                poolSize, idleTimeout, clock, context.random(), memory) : null;
        this.reader = new PoolReader(directory, clock);
        this.decay = new PoolDecay(clock, idleTimeout, this::trim,
                () -> (pool != null && pool.segmentCount() > 0) || SegmentRegistry.mappedCount() > 0, decayScheduler);
    }

    /** Gives back this pool's idle segments and unmaps segments this process no longer reads. */
    private void trim() {
        if (pool != null) {
            pool.trim();
        }
        PoolReader.trim(idleTimeout);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean isValidKey(String key) {
        try {
            SlotRef.parse(key);
            return true;
        } catch (FastShareException e) {
            return false;
        }
    }

    /**
     * Returns the pool of this template, if it has one.
     *
     * @return the pool, or empty when the pool size is 0
     */
    public Optional<BlockPool> pool() {
        return Optional.ofNullable(pool);
    }

    @Override
    public StoredBlock write(BlockPreamble preamble, List<PayloadBuffer> buffers) {
        long size = preamble.header().totalLength();
        SlotWrite slot = allocate(size);
        boolean published = false;
        try {
            SlotBlockWriter.write(slot, preamble, buffers);
            SlotRef ref = slot.publish(size);
            published = true;
            owned.put(ref, size);
            return new StoredBlock(KIND, ref.key(), size);
        } finally {
            if (!published) {
                slot.abandon();
            }
        }
    }

    /**
     * Allocates a slot for a block the caller writes itself (a loan).
     *
     * @param blockLength the block's total length
     * @return the slot; publish it with {@link #published} bookkeeping, or abandon it
     * @throws AllocationException when the pool is off, full, or the block too large for it
     */
    public SlotWrite allocate(long blockLength) {
        if (pool == null) {
            throw new AllocationException("the pool is off (pool size 0)");
        }
        SlotWrite slot;
        String[] why = {"the pool cannot take it"};
        try {
            slot = pool.allocate(blockLength, reason -> why[0] = reason);
        } finally {
            decay.onActivity();
        }
        if (slot == null) {
            throw new AllocationException("the pool cannot take a " + blockLength + "-byte block: " + why[0]);
        }
        return slot;
    }

    /**
     * Records a block published through a slot from {@link #allocate}, for release on close and usage.
     *
     * @param ref the published reference
     * @param size the block's size
     * @return the stored block
     */
    public StoredBlock published(SlotRef ref, long size) {
        owned.put(ref, size);
        return new StoredBlock(KIND, ref.key(), size);
    }

    @Override
    public BlockHandle open(String key) {
        SlotRef ref = SlotRef.parse(key);
        PinnedSlot pinned;
        try {
            pinned = reader.open(ref);
        } finally {
            decay.onActivity();
        }
        try {
            PinnedBlockContent content = new PinnedBlockContent(pinned);
            return new PoolHandle(ref, pinned, content, preamble(pinned, content, key));
        } catch (RuntimeException e) {
            pinned.close();
            throw e;
        }
    }

    /** Decodes a pinned block's preamble, after the checks that make reading its memory safe. */
    private static BlockPreamble preamble(PinnedSlot pinned, PinnedBlockContent content, String key) {
        if (pinned.length() == 0) {
            // A published block is never empty: a release (any process, any language) was changing the
            // entry as it was read; releasers zero the length before they store the state word.
            throw new BlockNotFoundException("pooled block " + key + " not found: it was released as it was opened");
        }
        if (!pinned.inFile()) {
            throw new CorruptBlockException("pooled block " + key + " is unreadable: its segment file was cut "
                    + "short by another process");
        }
        try {
            ByteBuffer all = content.all();
            BlockHeader header = BlockDecoder.decodeHeader(all, pinned.length(), key);
            return BlockDecoder.decodePreamble(header, all.slice(0, Math.toIntExact(header.preambleLength())), key);
        } catch (InternalError e) {
            // A peer cut the segment file between the check above and the decoding (SIGBUS).
            throw new CorruptBlockException("pooled block " + key + " became unreadable: its segment file was "
                    + "truncated by another process", e);
        }
    }

    /**
     * Describes one pooled block without a template, for the CLI's {@code inspect}: its listing entry and,
     * while it is published, its header and preamble, read under a pin so the slot cannot be reused meanwhile.
     *
     * @param poolDirectory {@code <block directory>/.pool}
     * @param key the block key, {@code FSHP_<32 hex>.<slot>.<generation>}
     * @param clock the time ages and expiry are judged at
     * @return the details, with a problem instead of header and preamble when the block cannot be read now
     *     (being written, claimed, released meanwhile, corrupt); empty when no such block exists
     * @throws io.fastshare.InvalidTokenException when the key is not a pool key
     */
    public static Optional<io.fastshare.cleanup.BlockDetails> describe(Path poolDirectory, String key, Clock clock) {
        SlotRef ref = SlotRef.parse(key);
        Path directory = poolDirectory.toAbsolutePath().normalize();
        Optional<BlockInfo> info = find(directory, ref, clock.instant());
        if (info.isEmpty()) {
            return Optional.empty();
        }
        PinnedSlot pinned;
        try {
            pinned = new PoolReader(directory, clock).open(ref);
        } catch (FastShareException e) {
            return Optional.of(new io.fastshare.cleanup.BlockDetails(info.get(), null, null, e.getMessage()));
        }
        try (PinnedBlockContent content = new PinnedBlockContent(pinned)) {
            BlockPreamble preamble = preamble(pinned, content, key);
            io.fastshare.format.HeaderPeek header = io.fastshare.format.HeaderPeek.read(content.all(), pinned.length(),
                    key);
            return Optional.of(new io.fastshare.cleanup.BlockDetails(info.get(), header, preamble, null));
        } catch (FastShareException e) {
            return Optional.of(new io.fastshare.cleanup.BlockDetails(info.get(), null, null, e.getMessage()));
        }
    }

    @Override
    public boolean release(String key) {
        SlotRef ref = SlotRef.parse(key);
        owned.remove(ref);
        try {
            return reader.release(ref);
        } finally {
            decay.onActivity();
        }
    }

    @Override
    public int releaseOwned() {
        int released = 0;
        for (SlotRef ref : List.copyOf(owned.keySet())) {
            if (release(ref.key())) {
                released++;
            }
        }
        return released;
    }

    @Override
    public StoreUsage usage() {
        owned.keySet().removeIf(ref -> !stillPublished(ref));
        long bytes = owned.values().stream().mapToLong(Long::longValue).sum();
        if (pool == null) {
            return new StoreUsage(KIND, owned.size(), bytes, 0, 0);
        }
        return new StoreUsage(KIND, owned.size(), bytes, pool.limit(), pool.limit() - pool.bytesInUse());
    }

    private boolean stillPublished(SlotRef ref) {
        return PoolJanitor.isPublished(directory, ref);
    }

    @Override
    public List<BlockInfo> blocks() {
        return list(directory, clock.instant());
    }

    /**
     * Lists the pooled blocks of a pool directory (every slot that is not free), without a template:
     * for the CLI.
     *
     * @param poolDirectory {@code <block directory>/.pool}; a missing one lists nothing
     * @param now the time ages and expiry are judged at
     * @return the blocks, sorted by key
     * @throws FastShareException when the directory cannot be listed
     */
    public static List<BlockInfo> list(Path poolDirectory, Instant now) {
        List<BlockInfo> blocks = new ArrayList<>();
        for (PooledSlotInfo slot : PoolJanitor.list(poolDirectory)) {
            if (!slot.state().equals("FREE")) {
                blocks.add(info(slot, now));
            }
        }
        blocks.sort(Comparator.comparing(BlockInfo::name));
        return blocks;
    }

    @Override
    public Optional<BlockInfo> block(String key) {
        return find(directory, SlotRef.parse(key), clock.instant());
    }

    /** The listing entry of one pooled block: its slot, if it holds that block and is not free. */
    private static Optional<BlockInfo> find(Path poolDirectory, SlotRef ref, Instant now) {
        return PoolJanitor.list(poolDirectory).stream()
                .filter(slot -> slot.ref().equals(ref) && !slot.state().equals("FREE"))
                .map(slot -> info(slot, now))
                .findFirst();
    }

    private static BlockInfo info(PooledSlotInfo slot, Instant now) {
        Instant created = instant(slot.createdMillis());
        Instant expires = instant(slot.expiresMillis());
        BlockState state;
        if (slot.state().equals("WRITING")) {
            state = BlockState.INCOMPLETE;
        } else if (!slot.ownerAlive()) {
            state = BlockState.ORPHANED;
        } else if (expires != null && !expires.isAfter(now)) {
            state = BlockState.EXPIRED;
        } else {
            state = BlockState.LIVE;
        }
        Duration age = created == null ? Duration.ZERO : Duration.between(created, now);
        return new BlockInfo(slot.ref().key(), slot.blockLength(), slot.owner().toHex(), slot.writerPid(), created,
                expires, age.isNegative() ? Duration.ZERO : age, state,
                HeldLeases.contains(slot.owner()), KIND);
    }

    /** A time from a slot's block header, which a racing writer may have changed under the listing. */
    private static @Nullable Instant instant(long millis) {
        return millis > 0 && millis < MAX_MILLIS ? Instant.ofEpochMilli(millis) : null;
    }

    @Override
    public CleanupResult cleanup(CleanupOptions options) {
        if (options.dryRun()) {
            return PoolJanitor.sweep(directory, options.grace(), clock, true).toResult(true);
        }
        PoolJanitor.Sweep sweep = PoolJanitor.sweep(directory, options.grace(), clock);
        trim();
        return sweep.toResult();
    }

    @Override
    public void close() {
        decay.close();
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "pool store " + directory;
    }

    /** A pinned pooled block: the pin keeps its bytes until the handle (or its view) closes. */
    private final class PoolHandle implements BlockHandle {

        private final SlotRef ref;
        private final PinnedSlot pinned;
        private final BlockContent content;
        private final BlockPreamble preamble;

        PoolHandle(SlotRef ref, PinnedSlot pinned, BlockContent content, BlockPreamble preamble) {
            this.ref = ref;
            this.pinned = pinned;
            this.content = content;
            this.preamble = preamble;
        }

        @Override
        public String key() {
            return ref.key();
        }

        @Override
        public BlockPreamble preamble() {
            return preamble;
        }

        @Override
        public BlockContent content() {
            return content;
        }

        @Override
        public BlockContent view() {
            return new PinnedBlockContent(pinned.share());
        }

        @Override
        public void claim() {
            try {
                pinned.claim();
            } finally {
                owned.remove(ref);
            }
        }

        @Override
        public void close() {
            content.close();
        }
    }
}
