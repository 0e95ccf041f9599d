package io.fastshare.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The buffers that block writes and copying reads stream through, bounded per process, not per
 * thread: a thousand virtual threads reading at once must not need a thousand MiB of direct memory.
 *
 * <ul>
 *   <li>A transfer of at most {@link #SMALL} bytes gets a heap buffer of its own size: a 1 KiB read
 *       needs 1 KiB, not 1 MiB.</li>
 *   <li>A larger transfer borrows one of at most {@link #POOL_SIZE} direct buffers of {@link #SIZE}
 *       bytes, shared by all threads (allocated on first use, kept for reuse: allocating a fresh direct
 *       buffer per call costs a {@code malloc}, zeroing 1 MiB and, near the direct-memory limit, an
 *       explicit {@code System.gc()} inside the JDK). When all are lent out it waits briefly for one,
 *       then makes do with a {@link #SMALL} heap buffer; so does a nested take on a thread that already
 *       holds one (a codec's buffer source writing another payload), so a thread never waits for
 *       itself.</li>
 * </ul>
 * Callers loop over {@code capacity()}-sized chunks, so any buffer size works. Take a buffer, use it,
 * give it back in a {@code finally} on the same thread. Thread-safe.
 */
public final class ScratchBuffers {

    /** Capacity of a pooled direct buffer. */
    public static final int SIZE = 1 << 20;

    /** Largest transfer served by a heap buffer of its own size; also the fallback chunk size. */
    public static final int SMALL = 64 * 1024;

    /** Most direct buffers the process keeps: twice the processors, between 4 and 16. */
    public static final int POOL_SIZE = Math.min(16, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

    private static final long WAIT_MILLIS = 50;
    private static final Semaphore PERMITS = new Semaphore(POOL_SIZE);
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<Boolean> HOLDING = new ThreadLocal<>();

    private ScratchBuffers() {
    }

    /**
     * Takes a buffer for a transfer of unknown or large size: {@code take(SIZE)}.
     *
     * @return a cleared little-endian buffer, owned by the caller until given back
     */
    public static ByteBuffer take() {
        return take(SIZE);
    }

    /**
     * Takes a buffer for a transfer of up to {@code needed} bytes.
     *
     * @param needed bytes the caller will move through the buffer in total
     * @return a cleared little-endian buffer of at least one byte and at most {@link #SIZE}, owned by
     *     the caller until given back; the caller moves its data in chunks of its capacity
     */
    public static ByteBuffer take(long needed) {
        if (needed <= SMALL) {
            return heap((int) Math.max(1, needed));
        }
        if (HOLDING.get() != null) {
            return heap(SMALL);
        }
        try {
            if (!PERMITS.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return heap(SMALL);
            }
        } catch (InterruptedException e) {
            // The transfer itself reports the interruption; here it only costs the pooled buffer.
            Thread.currentThread().interrupt();
            return heap(SMALL);
        }
        ByteBuffer buffer = FREE.poll();
        if (buffer == null) {
            try {
                buffer = ByteBuffer.allocateDirect(SIZE);
            } catch (OutOfMemoryError e) {
                PERMITS.release();
                return heap(SMALL);
            }
        }
        HOLDING.set(Boolean.TRUE);
        return buffer.clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer heap(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Gives a buffer from {@link #take(long)} back. The caller must not use it afterwards.
     *
     * @param buffer the buffer, or null; heap buffers are simply dropped
     */
    public static void give(ByteBuffer buffer) {
        if (buffer != null && buffer.isDirect() && buffer.capacity() == SIZE) {
            HOLDING.remove();
            FREE.offer(buffer);
            PERMITS.release();
        }
    }

    /**
     * Returns the number of direct buffers not lent out right now, for tests and diagnostics.
     *
     * @return available permits
     */
    static int available() {
        return PERMITS.availablePermits();
    }
}
