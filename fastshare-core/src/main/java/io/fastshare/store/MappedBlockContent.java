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

    private final String name;
    private final List<BufferDescriptor> buffers;
    private final BufferMapping[] mappings;
    private volatile boolean closed;

    MappedBlockContent(FileChannel channel, String name, List<BufferDescriptor> buffers) throws IOException {
        this.name = name;
        this.buffers = buffers;
        this.mappings = new BufferMapping[buffers.size()];
        try {
            for (int i = 0; i < mappings.length; i++) {
                BufferDescriptor buffer = buffers.get(i);
                if (buffer.length() > 0 && buffer.length() <= Integer.MAX_VALUE) {
                    mappings[i] = BufferMapping.map(channel, buffer.offset(), buffer.length());
                }
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void read(long position, ByteBuffer target) {
        for (int i = 0; i < mappings.length; i++) {
            BufferDescriptor buffer = buffers.get(i);
            if (position >= buffer.offset() && position + target.remaining() <= buffer.offset() + buffer.length()) {
                int start = (int) (position - buffer.offset());
                try {
                    target.put(mapping(i).position(start).limit(start + target.remaining()));
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
        return mapping(index).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private ByteBuffer mapping(int index) {
        if (closed) {
            throw new io.fastshare.FastShareException("payload handle for block " + name + " is closed");
        }
        return mappings[index].buffer().duplicate();
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
                mappings[i].close();
                mappings[i] = null;
            }
        }
    }
}
