package io.fastshare.store;

import io.fastshare.CodecException;
import io.fastshare.CorruptBlockException;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.List;

/**
 * Block content mapped read-only, one mapping per buffer: the zero-copy path behind
 * {@code SharedMemoryTemplate.open}. Mapping costs a system call and no page faults, so opening a
 * 1 GiB block is as cheap as opening 1 KiB; pages fault in as the reader touches them.
 *
 * <p>Unmapping follows {@link BufferMapping}: safe arenas on JDK 22+, {@code invokeCleaner} before.
 *
 * <p>The mappings outlive the file: a janitor or writer deleting the block does not disturb a reader
 * that has it mapped (the memory is freed at unmap). {@link #close()} unmaps at once; every view
 * handed out is invalid from then on.
 *
 * <p>Thread-safe for reads; {@link #close()} must not race with access to its views.
 */
final class MappedBlockContent implements BlockContent {

    /** Size of the mapping segments of a buffer too large for one {@code ByteBuffer}. */
    static final long SEGMENT = 1L << 30;

    private final String name;
    private final List<BufferDescriptor> buffers;
    /** Per buffer: one mapping, or 1 GiB segments for a buffer over 2 GiB, or none for an empty one. */
    private final BufferMapping[][] mappings;
    private volatile boolean closed;

    MappedBlockContent(FileChannel channel, String name, List<BufferDescriptor> buffers) throws IOException {
        this.name = name;
        this.buffers = buffers;
        this.mappings = new BufferMapping[buffers.size()][];
        try {
            for (int i = 0; i < mappings.length; i++) {
                mappings[i] = map(channel, buffers.get(i));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private static BufferMapping[] map(FileChannel channel, BufferDescriptor buffer) throws IOException {
        long segment = segmentLength(buffer);
        BufferMapping[] segments = new BufferMapping[(int) ((buffer.length() + segment - 1) / segment)];
        for (int s = 0; s < segments.length; s++) {
            long start = s * segment;
            segments[s] = BufferMapping.map(channel, buffer.offset() + start, Math.min(segment, buffer.length() - start));
        }
        return segments;
    }

    /** Segments of a buffer are equally long, so the segment of any position is a division away. */
    private static long segmentLength(BufferDescriptor buffer) {
        return buffer.length() <= Integer.MAX_VALUE ? Math.max(1, buffer.length()) : SEGMENT;
    }

    @Override
    public void read(long position, ByteBuffer target) {
        for (int i = 0; i < mappings.length; i++) {
            BufferDescriptor buffer = buffers.get(i);
            if (position >= buffer.offset() && position + target.remaining() <= buffer.offset() + buffer.length()) {
                long segment = segmentLength(buffer);
                long at = position - buffer.offset();
                try {
                    while (target.hasRemaining()) {
                        int start = (int) (at % segment);
                        int length = (int) Math.min(target.remaining(), segment - start);
                        target.put(mapping(i, (int) (at / segment)).position(start).limit(start + length));
                        at += length;
                    }
                } catch (InternalError e) {
                    throw new CorruptBlockException("block " + name + " was truncated by another process while mapped", e);
                } catch (IllegalStateException e) {
                    throw new io.fastshare.FastShareException("payload handle for block " + name + " is closed", e);
                }
                return;
            }
        }
        throw new CorruptBlockException("block " + name + ": range at " + position + " lies outside every buffer");
    }

    @Override
    public ByteBuffer view(BufferDescriptor buffer) {
        int index = buffers.indexOf(buffer);
        if (index < 0) {
            throw new CodecException("buffer is not part of block " + name);
        }
        if (buffer.length() == 0) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        if (buffer.length() > Integer.MAX_VALUE) {
            throw new CodecException("buffer of " + buffer.length() + " bytes in block " + name
                    + " is over 2 GiB, more than one ByteBuffer view can address; split the payload");
        }
        return mapping(index, 0).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer mapping(int index, int segment) {
        if (closed) {
            throw new io.fastshare.FastShareException("payload handle for block " + name + " is closed");
        }
        return mappings[index][segment].buffer().duplicate();
    }

    @Override
    public boolean viewsAreCheap() {
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < mappings.length; i++) {
            if (mappings[i] != null) {
                for (BufferMapping segment : mappings[i]) {
                    if (segment != null) {
                        segment.close();
                    }
                }
                mappings[i] = null;
            }
        }
    }
}
