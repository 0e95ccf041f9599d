package io.fastshare.store;

import io.fastshare.CodecException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
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
 * <p>Copies the library makes itself ({@link #read}: array values, payload checksums) go through
 * positional reads of the block's file channel, which this content owns, not through the mappings: a
 * peer truncating the file then gives a short read and a {@link CorruptBlockException}. Copying from
 * a mapping instead would fault (SIGBUS), which JDK 17 reports late, as an asynchronous
 * {@code InternalError} after the copy has silently returned wrong bytes. Views handed out by
 * {@link #view} cannot be protected that way; their users own that risk.
 *
 * <p>The mappings outlive the file: a janitor or writer deleting the block does not disturb a reader
 * that has it mapped (the memory is freed at unmap). {@link #close()} unmaps at once and closes the
 * channel; every view handed out is invalid from then on.
 *
 * <p>Thread-safe for reads; {@link #close()} must not race with access to its views.
 */
final class MappedBlockContent implements BlockContent {

    private final String name;
    private final List<BufferDescriptor> buffers;
    private final BufferMapping[] mappings;
    private final FileChannel channel;
    private final FileBlockContent copies;
    private volatile boolean closed;

    /**
     * Maps a block's buffers and takes ownership of its channel (closed by {@link #close()}; left open
     * when this constructor throws).
     */
    MappedBlockContent(FileChannel channel, String name, List<BufferDescriptor> buffers) throws IOException {
        this.name = name;
        this.buffers = buffers;
        this.channel = channel;
        this.copies = new FileBlockContent(channel, name);
        this.mappings = new BufferMapping[buffers.size()];
        try {
            for (int i = 0; i < mappings.length; i++) {
                BufferDescriptor buffer = buffers.get(i);
                if (buffer.length() > 0 && buffer.length() <= Integer.MAX_VALUE) {
                    mappings[i] = BufferMapping.map(channel, buffer.offset(), buffer.length());
                }
            }
        } catch (IOException | RuntimeException e) {
            unmapAll();
            throw e;
        }
    }

    @Override
    public void read(long position, ByteBuffer target) {
        checkOpen();
        copies.read(position, target);
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
        checkOpen();
        return mappings[index].buffer().duplicate().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void checkOpen() {
        if (closed) {
            throw new FastShareException("payload handle for block " + name + " is closed");
        }
    }

    /**
     * Tells whether bulk copies may be taken straight from views: no, they go through positional
     * reads so a truncating peer cannot fault them (see the class comment).
     *
     * @return false
     */
    @Override
    public boolean viewsAreCheap() {
        return false;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unmapAll();
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel, nothing to flush
        }
    }

    private void unmapAll() {
        for (int i = 0; i < mappings.length; i++) {
            if (mappings[i] != null) {
                mappings[i].close();
                mappings[i] = null;
            }
        }
    }
}
