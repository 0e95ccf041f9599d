package io.fastshare.store.pool;

import io.fastshare.FastShareException;
import io.fastshare.format.OwnerId;
import io.fastshare.store.MemoryBudget;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One writer's pool: the segments this process created, grown on demand up to a byte limit and given
 * back when they stay idle (decay). Other processes read, claim and release blocks in these segments
 * through {@link PoolReader}; only the owner allocates slots, so writers never contend across
 * processes.
 *
 * <p>{@link #allocate} returns {@code null} when the pool cannot hold a block (too large, limit
 * reached, filesystem full, memory cgroup budget spent): the caller falls through to a file block.
 * Growth is checked before a new segment is written ({@link PoolGrowth}).
 *
 * <p>Thread-safe.
 */
public final class BlockPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BlockPool.class);

    private final Path directory;
    private final Set<PosixFilePermission> filePermissions;
    private final OwnerId owner;
    private final long limit;
    private final Duration idleTimeout;
    private final Clock clock;
    private final SecureRandom random;
    private final List<Owned> segments = new CopyOnWriteArrayList<>();
    private final AtomicLong capacity = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong fallThroughs = new AtomicLong();
    private final AtomicInteger cursor = new AtomicInteger();
    private final Object growLock = new Object();
    private final PoolGrowth growth;
    /**
     * Read-held by whatever touches this pool's segment mappings without {@link #growLock} (allocation,
     * usage counts), write-held while a segment is given back and unmapped: touching an unmapped
     * segment is a SIGSEGV, the end of the JVM.
     */
    private final ReentrantReadWriteLock mappings = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private volatile boolean growthFailedLogged;

    /**
     * Creates an empty pool; segments are created on first use.
     *
     * @param directory the pool directory (created when missing)
     * @param filePermissions permissions of segment files, as for block files
     * @param owner the owner id of this process's lease, recorded in each segment
     * @param limit most bytes of segments this pool may hold
     * @param idleTimeout how long a segment without blocks stays before {@link #trim} gives it back
     * @param clock time source
     * @param random source of segment names
     * @throws FastShareException when the directory cannot be created
     */
    public BlockPool(Path directory, Set<PosixFilePermission> filePermissions, OwnerId owner, long limit,
            Duration idleTimeout, Clock clock, SecureRandom random) {
        this(directory, filePermissions, owner, limit, idleTimeout, clock, random,
                MemoryBudget.of(null, MemoryBudget.DEFAULT_SHARE));
    }

    /**
     * Creates an empty pool that grows only within the writer's memory cgroup budget and the free space
     * of the pool directory's filesystem; segments are created on first use.
     *
     * @param directory the pool directory (created when missing)
     * @param filePermissions permissions of segment files, as for block files
     * @param owner the owner id of this process's lease, recorded in each segment
     * @param limit most bytes of segments this pool may hold
     * @param idleTimeout how long a segment without blocks stays before {@link #trim} gives it back
     * @param clock time source
     * @param random source of segment names
     * @param memory the memory cgroup budget that block file writes check too
     * @throws FastShareException when the directory cannot be created
     */
    public BlockPool(Path directory, Set<PosixFilePermission> filePermissions, OwnerId owner, long limit,
            Duration idleTimeout, Clock clock, SecureRandom random, MemoryBudget memory) {
        this(directory, filePermissions, owner, limit, idleTimeout, clock, random, memory, null);
    }

    BlockPool(Path directory, Set<PosixFilePermission> filePermissions, OwnerId owner, long limit,
            Duration idleTimeout, Clock clock, SecureRandom random, MemoryBudget memory,
            @Nullable LongSupplier usableSpace) {
        this.directory = directory.toAbsolutePath().normalize();
        this.filePermissions = Set.copyOf(filePermissions);
        this.owner = owner;
        this.limit = limit;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.random = random;
        createDirectory();
        this.growth = new PoolGrowth(limit, memory,
                usableSpace != null ? usableSpace : PoolGrowth.usableSpaceOf(this.directory), clock);
    }

    private void createDirectory() {
        boolean group = filePermissions.contains(PosixFilePermission.GROUP_READ);
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(group ? "rwxrwx---" : "rwx------"));
                if (group) {
                    // setgid keeps the directory's group for every segment, as for the block directory
                    Files.setAttribute(directory, "unix:mode", 02770);
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            if (!Files.isDirectory(directory)) {
                throw new FastShareException("cannot create pool directory " + directory + ": " + e, e);
            }
        }
    }

    /**
     * Allocates a slot for a block, growing the pool when its segments are busy and the limit allows.
     *
     * @param blockLength the block's total length
     * @return the slot to write, or null when the pool cannot take the block (counted as fall-through)
     * @throws FastShareException when the pool is closed
     */
    public @Nullable SlotWrite allocate(long blockLength) {
        return allocate(blockLength, reason -> { });
    }

    /**
     * Allocates a slot for a block, or says why the pool cannot take it.
     *
     * @param blockLength the block's total length
     * @param refused receives the reason when null is returned: which limit refused the block
     * @return the slot to write, or null when the pool cannot take the block (counted as fall-through)
     * @throws FastShareException when the pool is closed
     */
    @Nullable SlotWrite allocate(long blockLength, Consumer<String> refused) {
        if (closed) {
            throw new FastShareException("block pool is closed");
        }
        if (blockLength <= 0 || blockLength > SizeClass.MAX_BLOCK) {
            fallThroughs.incrementAndGet();
            refused.accept("a " + blockLength + "-byte block is larger than the pool's largest slot ("
                    + SizeClass.MAX_BLOCK + ")");
            return null;
        }
        SizeClass sizeClass = SizeClass.forBlock(blockLength);
        SlotWrite write = allocateExisting(sizeClass);
        if (write == null) {
            write = grow(sizeClass, refused);
        }
        (write == null ? fallThroughs : hits).incrementAndGet();
        return write;
    }

    private @Nullable SlotWrite allocateExisting(SizeClass sizeClass) {
        mappings.readLock().lock();
        try {
            for (Owned owned : segments) {
                if (owned.sizeClass.equals(sizeClass) && !owned.retired) {
                    SlotWrite write = allocateIn(owned);
                    if (write != null) {
                        return write;
                    }
                }
            }
            return null;
        } finally {
            mappings.readLock().unlock();
        }
    }

    private @Nullable SlotWrite grow(SizeClass sizeClass, Consumer<String> refused) {
        synchronized (growLock) {
            SlotWrite write = allocateExisting(sizeClass);
            if (write != null || closed) {
                if (write == null) {
                    refused.accept("the pool is closed");
                }
                return write;
            }
            String refusal = growth.refusal(sizeClass, capacity.get());
            if (refusal != null) {
                if (capacity.get() + sizeClass.segmentSize() <= limit) {
                    warnOnce(sizeClass, refusal);
                }
                refused.accept(refusal);
                return null;
            }
            Path file = directory.resolve(PoolLayout.SEGMENT_PREFIX + randomHex());
            SegmentRegistry.creating(file);
            Segment segment = null;
            try {
                segment = Segment.create(file, filePermissions, sizeClass, owner, clock.millis());
            } catch (IOException | RuntimeException e) {
                String reason = growth.failed(sizeClass, e);
                warnOnce(sizeClass, reason);
                refused.accept(reason);
                return null;
            } finally {
                SegmentRegistry.created(file, segment);
            }
            Owned owned = new Owned(segment, sizeClass, clock.millis());
            segments.add(owned);
            capacity.addAndGet(sizeClass.segmentSize());
            return allocateIn(owned);
        }
    }

    private void warnOnce(SizeClass sizeClass, String reason) {
        if (!growthFailedLogged) {
            growthFailedLogged = true;
            log.warn("fastshare pool cannot grow by a {}-byte segment in {}: {}; blocks fall through to block files "
                    + "(retried after {} or when a segment is given back)", sizeClass.segmentSize(), directory, reason,
                    PoolGrowth.RETRY);
        }
    }

    private @Nullable SlotWrite allocateIn(Owned owned) {
        Segment segment = owned.segment;
        int count = segment.slotCount();
        int start = count == 1 ? 0 : Math.floorMod(cursor.getAndIncrement(), count);
        for (int n = 0; n < count; n++) {
            int slot = (start + n) % count;
            int seen = segment.state(slot);
            if (seen != PoolLayout.FREE && seen != PoolLayout.CLAIMED) {
                continue;
            }
            long now = clock.millis();
            SlotWrite write = segment.underStateLock(slot, () -> {
                int state = segment.state(slot);
                // A CLAIMED slot whose pin byte can be taken has lost its claimer: claimers pin until they free.
                if ((state != PoolLayout.FREE && state != PoolLayout.CLAIMED) || !segment.tryExclusive(slot)) {
                    return null;
                }
                long generation = segment.generation(slot) + 1;
                segment.writeEntry(slot, PoolLayout.WRITING, generation, 0, now);
                return new SlotWrite(this, segment, slot, generation);
            });
            if (write != null) {
                owned.lastUsedMillis = now;
                return write;
            }
        }
        return null;
    }

    /**
     * Gives back segments that held no block for the idle timeout (decay), so an idle service keeps
     * no pool memory. A segment is given back only when no slot is pinned anywhere.
     *
     * @return how many segments were given back
     */
    public int trim() {
        long cutoff = clock.millis() - idleTimeout.toMillis();
        int given = 0;
        for (Owned owned : segments) {
            if (owned.lastUsedMillis <= cutoff && retireIfIdle(owned)) {
                given++;
            }
        }
        return given;
    }

    private boolean retireIfIdle(Owned owned) {
        synchronized (growLock) {
            mappings.writeLock().lock();
            try {
                return retireIdleLocked(owned);
            } finally {
                mappings.writeLock().unlock();
            }
        }
    }

    private boolean retireIdleLocked(Owned owned) {
        if (owned.retired) {
            // Given back by a concurrent trim (decay, a cleanup run) since the caller listed it: its
            // mapping may be gone, and touching it would crash the JVM.
            return false;
        }
        Segment segment = owned.segment;
        int count = segment.slotCount();
        for (int slot = 0; slot < count; slot++) {
            int state = segment.state(slot);
            if (state != PoolLayout.FREE && state != PoolLayout.CLAIMED) {
                return false;
            }
        }
        if (!segment.tryExclusiveAll()) {
            return false;
        }
        try {
            for (int slot = 0; slot < count; slot++) {
                if (segment.state(slot) != PoolLayout.FREE && segment.state(slot) != PoolLayout.CLAIMED) {
                    return false;
                }
            }
            segment.retire();
            owned.retired = true;
            segments.remove(owned);
            capacity.addAndGet(-owned.sizeClass.segmentSize());
            deleteQuietly(segment.file());
            growth.segmentGivenBack();
        } finally {
            segment.releaseAllExclusive();
        }
        segment.releaseOwnership();
        SegmentRegistry.done(segment);
        SegmentRegistry.closeIfUnused(segment);
        return true;
    }

    /**
     * Returns the bytes of segments this pool holds now.
     *
     * @return the bytes of segments this pool holds now
     */
    public long capacity() {
        return capacity.get();
    }

    /**
     * Returns the configured limit in bytes.
     *
     * @return the configured limit in bytes
     */
    public long limit() {
        return limit;
    }

    /**
     * Returns the number of segments this pool holds now.
     *
     * @return the number of segments this pool holds now
     */
    public int segmentCount() {
        return segments.size();
    }

    /**
     * Returns how many slots are not free (being written, published or claimed).
     *
     * @return how many slots are not free (being written, published or claimed)
     */
    public int slotsInUse() {
        int inUse = 0;
        mappings.readLock().lock();
        try {
            for (Owned owned : segments) {
                for (int slot = 0; !owned.retired && slot < owned.segment.slotCount(); slot++) {
                    if (owned.segment.state(slot) != PoolLayout.FREE) {
                        inUse++;
                    }
                }
            }
        } finally {
            mappings.readLock().unlock();
        }
        return inUse;
    }

    /**
     * Returns the bytes of slots that are not free.
     *
     * @return the bytes of slots that are not free
     */
    public long bytesInUse() {
        long inUse = 0;
        mappings.readLock().lock();
        try {
            for (Owned owned : segments) {
                for (int slot = 0; !owned.retired && slot < owned.segment.slotCount(); slot++) {
                    if (owned.segment.state(slot) != PoolLayout.FREE) {
                        inUse += owned.segment.slotSize();
                    }
                }
            }
        } finally {
            mappings.readLock().unlock();
        }
        return inUse;
    }

    /**
     * Returns how many allocations the pool served.
     *
     * @return how many allocations the pool served
     */
    public long hits() {
        return hits.get();
    }

    /**
     * Returns how many allocations fell through (block too large, pool full, growth failed).
     *
     * @return how many allocations fell through (block too large, pool full, growth failed)
     */
    public long fallThroughs() {
        return fallThroughs.get();
    }

    /**
     * Returns the pool directory.
     *
     * @return the pool directory
     */
    public Path directory() {
        return directory;
    }

    long nowMillis() {
        return clock.millis();
    }

    /**
     * Gives back every segment without blocks and gives up ownership of the others: their published
     * blocks stay readable until other processes' janitors reclaim them (owner gone, after their grace
     * period). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Owned owned : segments) {
            synchronized (growLock) {
                if (!owned.retired && !retireIfIdle(owned)) {
                    mappings.writeLock().lock();
                    try {
                        owned.retired = true;
                        segments.remove(owned);
                        owned.segment.releaseOwnership();
                        SegmentRegistry.done(owned.segment);
                        SegmentRegistry.closeIfUnused(owned.segment);
                    } finally {
                        mappings.writeLock().unlock();
                    }
                }
            }
        }
        capacity.set(0);
    }

    private String randomHex() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a retired segment left behind is deleted by any janitor
        }
    }

    /** A segment of this pool. */
    private static final class Owned {
        final Segment segment;
        final SizeClass sizeClass;
        volatile long lastUsedMillis;
        volatile boolean retired;

        Owned(Segment segment, SizeClass sizeClass, long now) {
            this.segment = segment;
            this.sizeClass = sizeClass;
            this.lastUsedMillis = now;
        }
    }
}
