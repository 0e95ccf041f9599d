package io.fastshare.store.pool;

import io.fastshare.AnotherCopyException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.format.OwnerId;
import io.fastshare.store.BufferMapping;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One pool segment file, mapped once into this JVM and kept mapped, with the one channel this JVM
 * keeps open on it. All kernel locks of this JVM on the file go through this object, because POSIX
 * record locks belong to the process: a second channel closed anywhere in the JVM would drop them
 * all, and overlapping locks within one JVM throw. Reader pins are therefore counted per slot here,
 * and only the first pin takes the kernel lock (the last one releases it).
 *
 * <p>Only the calls used after creation ({@code tryLock}, lock release, mapped memory access) are
 * made on the channel, and none of them closes it when the calling thread is interrupted.
 *
 * <p>Thread-safe. Instances are shared JVM-wide through {@link SegmentRegistry}.
 */
final class Segment {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long STATE_LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int PAGE = 4096;

    private final Path file;
    private final String name;
    private final FileChannel channel;
    private final BufferMapping mapping;
    private final ByteBuffer map;
    private final int slotCount;
    private final long slotSize;
    private final OwnerId owner;
    private final SlotGuard[] guards;
    private @Nullable FileLock ownerLock;
    private final Object ownerProbe = new Object();
    /** Users of this mapping in the JVM (see {@link SegmentRegistry}); guarded by the registry. */
    int users;
    /** When {@link SegmentRegistry#use} last returned this segment ({@code System.nanoTime()}). */
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile boolean closed;

    private Segment(Path file, FileChannel channel, BufferMapping mapping, @Nullable FileLock ownerLock) {
        this.file = file;
        this.name = file.getFileName().toString();
        this.channel = channel;
        this.mapping = mapping;
        this.map = mapping.buffer().order(ByteOrder.LITTLE_ENDIAN);
        this.ownerLock = ownerLock;
        this.slotCount = map.getInt(PoolLayout.SLOT_COUNT_OFFSET);
        this.slotSize = map.getLong(PoolLayout.SLOT_SIZE_OFFSET);
        this.owner = new OwnerId(map.order(ByteOrder.BIG_ENDIAN).getLong(PoolLayout.OWNER_OFFSET),
                map.getLong(PoolLayout.OWNER_OFFSET + 8));
        map.order(ByteOrder.LITTLE_ENDIAN);
        this.guards = new SlotGuard[slotCount];
        for (int i = 0; i < slotCount; i++) {
            guards[i] = new SlotGuard();
        }
    }

    /**
     * Creates, pre-allocates and pre-faults a new segment owned by this process, and takes its owner
     * lock. The file's pages are allocated with positional writes first, so a full filesystem fails
     * here with {@code ENOSPC} instead of a SIGBUS on a later store into the mapping.
     *
     * @throws IOException when the file cannot be created, filled or mapped (the file is deleted)
     */
    static Segment create(Path file, Set<java.nio.file.attribute.PosixFilePermission> permissions, SizeClass sizeClass,
            OwnerId owner, long nowMillis) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(permissions));
        BufferMapping mapping = null;
        try {
            if (!permissions.equals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))) {
                Files.setPosixFilePermissions(file, permissions);
            }
            FileLock ownerLock = channel.tryLock(PoolLayout.OWNER_LOCK, 1, false);
            if (ownerLock == null) {
                throw new IOException("new segment " + file + " is locked by another process");
            }
            long size = sizeClass.segmentSize();
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            for (long position = 0; position < size; ) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
            }
            mapping = BufferMapping.mapReadWrite(channel, 0, size);
            ByteBuffer map = mapping.buffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int page = 0; page < size; page += PAGE) {
                map.put(page, (byte) 0);
            }
            map.putInt(PoolLayout.MAGIC_OFFSET, PoolLayout.MAGIC);
            map.putShort(PoolLayout.VERSION_OFFSET, (short) PoolLayout.VERSION);
            map.putShort(PoolLayout.HEADER_LENGTH_OFFSET, (short) PoolLayout.DATA_OFFSET);
            map.putInt(PoolLayout.SLOT_COUNT_OFFSET, sizeClass.slotCount());
            map.putLong(PoolLayout.SLOT_SIZE_OFFSET, sizeClass.slotSize());
            map.putLong(PoolLayout.SLOT_DATA_OFFSET, PoolLayout.DATA_OFFSET);
            map.order(ByteOrder.BIG_ENDIAN).putLong(PoolLayout.OWNER_OFFSET, owner.high())
                    .putLong(PoolLayout.OWNER_OFFSET + 8, owner.low()).order(ByteOrder.LITTLE_ENDIAN);
            map.putLong(PoolLayout.CREATED_OFFSET, nowMillis);
            map.putLong(PoolLayout.PID_OFFSET, ProcessHandle.current().pid());
            INT.setVolatile(map, PoolLayout.SEGMENT_STATE_OFFSET, PoolLayout.SEGMENT_ACTIVE);
            return new Segment(file, channel, mapping, ownerLock);
        } catch (IOException | RuntimeException e) {
            if (mapping != null) {
                mapping.close();
            }
            closeQuietly(channel);
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Maps an existing segment of another process (or of a template of this JVM that is gone) after
     * validating its header against the real file size.
     *
     * @throws BlockNotFoundException when the file does not exist, or is not ready or retired
     * @throws CorruptBlockException when it is not a valid segment
     */
    static Segment attach(Path file) {
        String name = file.getFileName().toString();
        FileChannel channel;
        long size;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new CorruptBlockException("pool segment " + name + " is not a regular file");
            }
            channel = FileChannel.open(file, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS));
            size = channel.size();
        } catch (NoSuchFileException e) {
            throw new BlockNotFoundException("pool segment " + name + " does not exist: its blocks were released "
                    + "and the segment given back, or it lives in another host's or IPC namespace's shared memory", e);
        } catch (IOException e) {
            throw new FastShareException("cannot open pool segment " + name + ": " + e, e);
        }
        BufferMapping mapping = null;
        try {
            if (size < PoolLayout.DATA_OFFSET || size > Integer.MAX_VALUE) {
                throw new CorruptBlockException("pool segment " + name + " has an impossible size " + size);
            }
            mapping = BufferMapping.mapReadWrite(channel, 0, size);
            ByteBuffer map = mapping.buffer().order(ByteOrder.LITTLE_ENDIAN);
            validate(map, size, name);
            for (int page = 0; page < size; page += PAGE) {
                map.get(page);
            }
            return new Segment(file, channel, mapping, null);
        } catch (IOException e) {
            unmapAndClose(mapping, channel);
            throw new FastShareException("cannot map pool segment " + name + ": " + e, e);
        } catch (RuntimeException e) {
            unmapAndClose(mapping, channel);
            throw e;
        }
    }

    private static void validate(ByteBuffer map, long size, String name) {
        int state = (int) INT.getVolatile(map, PoolLayout.SEGMENT_STATE_OFFSET);
        if (state == PoolLayout.SEGMENT_CREATING) {
            throw new BlockNotFoundException("pool segment " + name + " is still being created");
        }
        if (state == PoolLayout.SEGMENT_RETIRED) {
            throw new BlockNotFoundException("pool segment " + name + " was given back");
        }
        if (map.getInt(PoolLayout.MAGIC_OFFSET) != PoolLayout.MAGIC
                || map.getShort(PoolLayout.VERSION_OFFSET) != PoolLayout.VERSION
                || map.getShort(PoolLayout.HEADER_LENGTH_OFFSET) != PoolLayout.DATA_OFFSET
                || state != PoolLayout.SEGMENT_ACTIVE) {
            throw new CorruptBlockException("pool segment " + name + " has an invalid header");
        }
        int slotCount = map.getInt(PoolLayout.SLOT_COUNT_OFFSET);
        long slotSize = map.getLong(PoolLayout.SLOT_SIZE_OFFSET);
        if (slotCount < 1 || slotCount > PoolLayout.MAX_SLOTS || slotSize < PAGE || slotSize % PAGE != 0
                || slotSize > Integer.MAX_VALUE || map.getLong(PoolLayout.SLOT_DATA_OFFSET) != PoolLayout.DATA_OFFSET
                || PoolLayout.DATA_OFFSET + slotSize * slotCount != size) {
            throw new CorruptBlockException("pool segment " + name + " has an invalid slot table geometry");
        }
    }

    /** Returns the file. */
    Path file() {
        return file;
    }

    /** Returns the file name, {@code FSHP_<hex>}. */
    String name() {
        return name;
    }

    int slotCount() {
        return slotCount;
    }

    long slotSize() {
        return slotSize;
    }

    OwnerId owner() {
        return owner;
    }

    long createdMillis() {
        return map.getLong(PoolLayout.CREATED_OFFSET);
    }

    /** Tells whether this JVM created the segment and still holds its owner lock. */
    boolean ownedHere() {
        synchronized (ownerProbe) {
            return ownerLock != null;
        }
    }

    // ---- header fields (single aligned loads and stores) ----

    int segmentState() {
        return (int) INT.getVolatile(map, PoolLayout.SEGMENT_STATE_OFFSET);
    }

    void retire() {
        INT.setVolatile(map, PoolLayout.SEGMENT_STATE_OFFSET, PoolLayout.SEGMENT_RETIRED);
    }

    int state(int slot) {
        return (int) INT.getVolatile(map, (int) PoolLayout.entryOffset(slot) + PoolLayout.SLOT_STATE);
    }

    long generation(int slot) {
        return (long) LONG.getVolatile(map, (int) PoolLayout.entryOffset(slot) + PoolLayout.SLOT_GENERATION);
    }

    long blockLength(int slot) {
        return (long) LONG.getVolatile(map, (int) PoolLayout.entryOffset(slot) + PoolLayout.SLOT_BLOCK_LENGTH);
    }

    long stateMillis(int slot) {
        return (long) LONG.getVolatile(map, (int) PoolLayout.entryOffset(slot) + PoolLayout.SLOT_STATE_MILLIS);
    }

    /**
     * Writes a slot entry; the state word last, so a reader that sees the new state sees the rest.
     * Call only under the slot's state lock.
     */
    void writeEntry(int slot, int state, long generation, long blockLength, long millis) {
        int entry = (int) PoolLayout.entryOffset(slot);
        LONG.setVolatile(map, entry + PoolLayout.SLOT_GENERATION, generation);
        LONG.setVolatile(map, entry + PoolLayout.SLOT_BLOCK_LENGTH, blockLength);
        LONG.setVolatile(map, entry + PoolLayout.SLOT_STATE_MILLIS, millis);
        INT.setVolatile(map, entry + PoolLayout.SLOT_STATE, state);
    }

    /**
     * Returns the whole slot, writable, little-endian: where a writer puts the block.
     *
     * @param slot slot index
     * @return a buffer of {@link #slotSize()} bytes over the shared memory itself
     */
    ByteBuffer slotBuffer(int slot) {
        return map.slice(dataOffset(slot), (int) slotSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Returns the first bytes of a slot, read-only, little-endian: the block a reader decodes.
     *
     * @param slot slot index
     * @param length block length, at most {@link #slotSize()}
     * @return a read-only buffer over the shared memory itself
     */
    ByteBuffer blockBuffer(int slot, long length) {
        return map.slice(dataOffset(slot), (int) length).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Returns the segment header and slot table, writable; for tests that corrupt them. */
    ByteBuffer headerBuffer() {
        return map.slice(0, PoolLayout.DATA_OFFSET);
    }

    private int dataOffset(int slot) {
        return (int) (PoolLayout.DATA_OFFSET + slotSize * slot);
    }

    // ---- locks ----

    /**
     * Pins a slot for reading: the first pin in this JVM takes the kernel lock on the slot's pin byte
     * shared. Fails when a writer or reclaimer holds it exclusively (here or in another process).
     *
     * @param slot slot index
     * @return true when pinned; then {@link #unpin} must follow
     */
    boolean pin(int slot) {
        SlotGuard guard = guards[slot];
        synchronized (guard) {
            if (guard.exclusive != null) {
                return false;
            }
            if (guard.pins == 0) {
                FileLock lock = tryLock(PoolLayout.pinLock(slot), true);
                if (lock == null) {
                    return false;
                }
                guard.shared = lock;
            }
            guard.pins++;
            return true;
        }
    }

    /**
     * Drops one pin; the last one releases the kernel lock.
     *
     * @param slot slot index
     */
    void unpin(int slot) {
        SlotGuard guard = guards[slot];
        synchronized (guard) {
            if (guard.pins <= 0) {
                throw new IllegalStateException("slot " + slot + " of " + name + " is not pinned");
            }
            if (--guard.pins == 0) {
                releaseQuietly(guard.shared);
                guard.shared = null;
            }
        }
    }

    /**
     * Takes a slot's pin byte exclusively: proof that no reader anywhere reads or maps the slot and no
     * writer writes it. Fails at once when anyone holds it.
     *
     * @param slot slot index
     * @return true when held; then {@link #releaseExclusive} must follow
     */
    boolean tryExclusive(int slot) {
        SlotGuard guard = guards[slot];
        synchronized (guard) {
            if (guard.exclusive != null || guard.pins > 0) {
                return false;
            }
            FileLock lock = tryLock(PoolLayout.pinLock(slot), false);
            if (lock == null) {
                return false;
            }
            guard.exclusive = lock;
            return true;
        }
    }

    /**
     * Releases an exclusive hold taken with {@link #tryExclusive}.
     *
     * @param slot slot index
     */
    void releaseExclusive(int slot) {
        SlotGuard guard = guards[slot];
        synchronized (guard) {
            releaseQuietly(guard.exclusive);
            guard.exclusive = null;
        }
    }

    /**
     * Takes every slot's pin byte exclusively, or none of them: holding them all, nobody in any process
     * reads the segment, and only its owner could publish into it. Release with {@link #releaseAllExclusive}.
     *
     * @return true when every pin byte is held; false (holding none) when some slot is pinned or held
     */
    boolean tryExclusiveAll() {
        int held = 0;
        while (held < slotCount && tryExclusive(held)) {
            held++;
        }
        if (held == slotCount) {
            return true;
        }
        for (int slot = 0; slot < held; slot++) {
            releaseExclusive(slot);
        }
        return false;
    }

    /** Releases what {@link #tryExclusiveAll} took. */
    void releaseAllExclusive() {
        for (int slot = 0; slot < slotCount; slot++) {
            releaseExclusive(slot);
        }
    }

    /** Tells whether anything in this JVM pins or holds a slot of this segment. */
    boolean hasLocalHolds() {
        for (SlotGuard guard : guards) {
            synchronized (guard) {
                if (guard.pins > 0 || guard.exclusive != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Runs an action under the slot's state lock: the kernel lock on the slot's state byte, held
     * exclusively for the few microseconds a state change takes.
     *
     * @param slot slot index
     * @param action reads and writes the slot entry
     * @param <T> result type
     * @return what the action returns
     * @throws FastShareException when the lock stays held by another process for over 10 s
     */
    <T> T underStateLock(int slot, java.util.function.Supplier<T> action) {
        ReentrantLock local = guards[slot].state;
        local.lock();
        try {
            long deadline = System.nanoTime() + STATE_LOCK_TIMEOUT_NANOS;
            FileLock lock;
            int spins = 0;
            while ((lock = tryLock(PoolLayout.stateLock(slot), false)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new FastShareException("state lock of slot " + slot + " of pool segment " + name
                            + " held by another process for over 10 s");
                }
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
            try {
                return action.get();
            } finally {
                releaseQuietly(lock);
            }
        } finally {
            local.unlock();
        }
    }

    /**
     * Tells whether the segment's owner process is alive: this JVM holds the owner lock, or another
     * process does (a shared probe of the owner byte fails).
     *
     * @return true while the owner lives
     */
    boolean ownerAlive() {
        synchronized (ownerProbe) {
            if (ownerLock != null) {
                return true;
            }
            FileLock probe = tryLock(PoolLayout.OWNER_LOCK, true);
            if (probe == null) {
                return true;
            }
            releaseQuietly(probe);
            return false;
        }
    }

    private @Nullable FileLock tryLock(long position, boolean shared) {
        try {
            return channel.tryLock(position, 1, shared);
        } catch (IOException e) {
            throw new FastShareException("cannot lock pool segment " + name + ": " + e, e);
        } catch (OverlappingFileLockException e) {
            // The JDK's lock table is JVM-wide: only a channel outside this segment (another copy of the
            // library in another class loader, or foreign code) can hold an overlapping lock.
            throw new AnotherCopyException("pool segment " + name + " is locked through another channel in this "
                    + "JVM (another copy of fastshare in another class loader?); load fastshare once per JVM", e);
        }
    }

    /**
     * Releases the owner lock, unmaps and closes. Only the registry calls this, when nothing in the
     * JVM uses the segment any more.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (ownerProbe) {
            releaseQuietly(ownerLock);
            ownerLock = null;
        }
        unmapAndClose(mapping, channel);
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    void touch() {
        lastUsedNanos = System.nanoTime();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Gives up ownership without unmapping: the owner lock is released, so other processes' janitors
     * see the owner as gone and reclaim what is left in the segment after their grace period.
     */
    void releaseOwnership() {
        synchronized (ownerProbe) {
            releaseQuietly(ownerLock);
            ownerLock = null;
        }
    }

    private static void unmapAndClose(@Nullable BufferMapping mapping, FileChannel channel) {
        if (mapping != null) {
            mapping.close();
        }
        closeQuietly(channel);
    }

    private static void releaseQuietly(@Nullable FileLock lock) {
        if (lock != null) {
            try {
                lock.release();
            } catch (IOException ignored) {
                // the channel is closing; the kernel drops the lock with it
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to flush
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Per-slot state of this JVM's locks. */
    private static final class SlotGuard {
        final ReentrantLock state = new ReentrantLock();
        int pins;
        @Nullable FileLock shared;
        @Nullable FileLock exclusive;
    }
}
