package io.fastshare.store;

import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.codec.ScratchBuffers;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Block content read with positional {@code FileChannel.read}: the copying read path. No mapping is
 * involved, so a peer truncating the file yields a short read (a {@link CorruptBlockException}),
 * never SIGBUS.
 *
 * <p>Not thread-safe. Does not own the channel.
 */
final class FileBlockContent implements BlockContent {

    private final FileChannel channel;
    private final String name;

    FileBlockContent(FileChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    @Override
    public void read(long position, ByteBuffer target) {
        if (target.isDirect() || target.remaining() <= ScratchBuffers.SMALL) {
            readFully(position, target);
            return;
        }
        // A large heap target would make the JDK allocate (and cache per thread) a temporary direct
        // buffer of its full size: go through a bounded scratch buffer instead.
        ByteBuffer chunk = ScratchBuffers.take(target.remaining());
        try {
            long at = position;
            while (target.hasRemaining()) {
                chunk.clear().limit(Math.min(chunk.capacity(), target.remaining()));
                readFully(at, chunk);
                at += chunk.position();
                target.put(chunk.flip());
            }
        } finally {
            ScratchBuffers.give(chunk);
        }
    }

    private void readFully(long position, ByteBuffer target) {
        long at = position;
        try {
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    throw new CorruptBlockException("block " + name + " ended early at byte " + at
                            + ": it was truncated while being read");
                }
                at += n;
            }
        } catch (IOException e) {
            // An I/O error (an interruption above all) says nothing about the block's bytes: not corrupt.
            throw new FastShareException("cannot read block " + name + ": " + e, e);
        }
    }

    @Override
    public ByteBuffer view(BufferDescriptor buffer) {
        if (buffer.length() > Integer.MAX_VALUE - 8) {
            throw new io.fastshare.CodecException("buffer of " + buffer.length()
                    + " bytes does not fit one ByteBuffer; read it as an array instead");
        }
        ByteBuffer copy;
        try {
            copy = ByteBuffer.allocate((int) buffer.length());
        } catch (OutOfMemoryError e) {
            throw new io.fastshare.FastShareException("not enough heap for a " + buffer.length()
                    + "-byte copy of a buffer of block " + name + "; raise -Xmx or use open() for a zero-copy view", e);
        }
        read(buffer.offset(), copy);
        return copy.flip().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public boolean viewsAreCheap() {
        return false;
    }

    @Override
    public void close() {
        // the channel belongs to the BlockFile
    }
}
