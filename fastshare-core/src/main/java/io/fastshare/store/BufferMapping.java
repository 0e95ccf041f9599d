package io.fastshare.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One read-only mapping of a file region and the way to unmap it deterministically. Two strategies,
 * picked once per JVM, the same split Lucene's MMapDirectory made:
 * <ul>
 *   <li><b>arena</b> (JDK 22 and later): the region is mapped into a shared {@code Arena} with
 *       {@code FileChannel.map(mode, position, size, arena)} and unmapped by closing the arena. A view
 *       touched after that throws {@code IllegalStateException} instead of crashing the JVM.</li>
 *   <li><b>invoke-cleaner</b> (JDK 17 to 21): a classic {@code MappedByteBuffer} unmapped through
 *       {@link Unmapper}; a view touched after unmapping can crash the JVM, so the handle's
 *       documentation forbids it.</li>
 * </ul>
 * The arena API is reached through method handles on public JDK API, so the library still compiles
 * for and runs on Java 17 and needs no {@code --add-opens}.
 *
 * <p>Not thread-safe: close once, after all access.
 */
public final class BufferMapping implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BufferMapping.class);
    private static final ArenaApi ARENA = ArenaApi.lookup();

    private final ByteBuffer buffer;
    private final AutoCloseable arena;

    private BufferMapping(ByteBuffer buffer, AutoCloseable arena) {
        this.buffer = buffer;
        this.arena = arena;
    }

    /**
     * Maps a region read-only.
     *
     * @param channel an open channel
     * @param position start of the region
     * @param length length of the region, at most {@code Integer.MAX_VALUE}
     * @return the mapping
     * @throws IOException when the mapping fails
     */
    static BufferMapping map(FileChannel channel, long position, long length) throws IOException {
        return map(channel, FileChannel.MapMode.READ_ONLY, position, length);
    }

    /**
     * Maps a region for reading and writing (pool segments, whose slot entries every process updates).
     *
     * @param channel a channel open for reading and writing
     * @param position start of the region
     * @param length length of the region, at most {@code Integer.MAX_VALUE}
     * @return the mapping
     * @throws IOException when the mapping fails
     */
    public static BufferMapping mapReadWrite(FileChannel channel, long position, long length) throws IOException {
        return map(channel, FileChannel.MapMode.READ_WRITE, position, length);
    }

    private static BufferMapping map(FileChannel channel, FileChannel.MapMode mode, long position, long length)
            throws IOException {
        if (ARENA != null) {
            return ARENA.map(channel, mode, position, length);
        }
        return new BufferMapping(channel.map(mode, position, length), null);
    }

    /**
     * Names the unmapping strategy in use, for diagnostics and tests.
     *
     * @return {@code arena}, {@code invoke-cleaner} or {@code gc}
     */
    static String strategy() {
        return ARENA != null ? "arena" : Unmapper.isSupported() ? "invoke-cleaner" : "gc";
    }

    /**
     * Returns the mapped bytes (read-only for {@link #map}, writable for {@link #mapReadWrite}).
     *
     * @return the buffer over the whole region
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Returns the arena that owns the mapping on JDK 22+, so that it can be closed without holding the
     * buffer (a leak cleaner must not keep the memory reachable).
     *
     * @return the arena, or null when the mapping is a classic {@code MappedByteBuffer}
     */
    AutoCloseable arena() {
        return arena;
    }

    /**
     * Unmaps the region. The buffer and all its views must not be used afterwards.
     */
    @Override
    public void close() {
        if (arena == null) {
            Unmapper.unmap(buffer);
            return;
        }
        try {
            arena.close();
        } catch (Exception e) {
            log.debug("closing a mapping arena failed; the mapping is released when the arena is collected", e);
        }
    }

    /** Method handles on the JDK 22+ foreign memory API, or nothing on older JDKs. */
    private static final class ArenaApi {
        private final MethodHandle ofShared;
        private final MethodHandle map;
        private final MethodHandle asByteBuffer;

        private ArenaApi(MethodHandle ofShared, MethodHandle map, MethodHandle asByteBuffer) {
            this.ofShared = ofShared;
            this.map = map;
            this.asByteBuffer = asByteBuffer;
        }

        static ArenaApi lookup() {
            if (Runtime.version().feature() < 22 || Boolean.getBoolean("fastshare.mapping.legacy")) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                MethodHandle ofShared = lookup.findStatic(arena, "ofShared", MethodType.methodType(arena));
                MethodHandle map = lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena));
                MethodHandle asByteBuffer = lookup.findVirtual(segment, "asByteBuffer",
                        MethodType.methodType(ByteBuffer.class));
                return new ArenaApi(ofShared, map, asByteBuffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.info("fastshare uses legacy unmapping on this JVM: {}", e.toString());
                return null;
            }
        }

        BufferMapping map(FileChannel channel, FileChannel.MapMode mode, long position, long length)
                throws IOException {
            AutoCloseable arena;
            try {
                arena = (AutoCloseable) ofShared.invoke();
            } catch (Throwable e) {
                throw new IOException("cannot create a mapping arena: " + e, e);
            }
            try {
                Object segment = map.invoke(channel, mode, position, length, arena);
                return new BufferMapping((ByteBuffer) asByteBuffer.invoke(segment), arena);
            } catch (IOException | RuntimeException | Error e) {
                closeQuietly(arena);
                throw e;
            } catch (Throwable e) {
                closeQuietly(arena);
                throw new IOException("cannot map: " + e, e);
            }
        }

        private static void closeQuietly(AutoCloseable arena) {
            try {
                arena.close();
            } catch (Exception ignored) {
                // nothing was mapped
            }
        }
    }
}
