package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.FastShareException;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * {@link PayloadReader} over the content of a validated block. Array reads copy straight from a
 * cheap view when there is one (inline bytes) and otherwise stream the buffer through a bounded
 * scratch buffer ({@link ScratchBuffers}), so reading a 1 GiB array costs the array and at most 1 MiB,
 * never a second full-size copy.
 *
 * <p>Not thread-safe.
 */
public final class ContentPayloadReader implements PayloadReader {

    /** Largest array length the JVM reliably allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final BlockPreamble preamble;
    private final BlockContent content;
    private final boolean zeroCopy;

    /**
     * Creates a reader.
     *
     * @param preamble the validated preamble of the block
     * @param content the block's bytes
     * @param zeroCopy whether {@link #view(int)} should hand out views of shared memory
     */
    public ContentPayloadReader(BlockPreamble preamble, BlockContent content, boolean zeroCopy) {
        this.preamble = preamble;
        this.content = content;
        this.zeroCopy = zeroCopy;
    }

    @Override
    public String codecId() {
        return preamble.header().codecId();
    }

    @Override
    public byte[] metadata() {
        if (preamble.holdsMetadata()) {
            return preamble.metadata();
        }
        // A block file's metadata stays in the file until a codec asks for it (its length was checked
        // against the file and its bytes against the header checksum when the block was opened).
        int length = preamble.header().metadataLength();
        if (length > Runtime.getRuntime().maxMemory() / 2) {
            throw new FastShareException("the block's " + length + " bytes of codec metadata are more than half of "
                    + "this JVM's heap (" + Runtime.getRuntime().maxMemory() + " bytes); raise -Xmx");
        }
        byte[] metadata;
        try {
            metadata = new byte[length];
        } catch (OutOfMemoryError e) {
            throw new FastShareException("not enough heap for the " + length + " bytes of codec metadata of the "
                    + "block; raise -Xmx", e);
        }
        content.read(preamble.header().metadataOffset(), ByteBuffer.wrap(metadata));
        return metadata;
    }

    @Override
    public int metadataLength() {
        return preamble.header().metadataLength();
    }

    @Override
    public int bufferCount() {
        return preamble.buffers().size();
    }

    @Override
    public BufferDescriptor buffer(int index) {
        if (index < 0 || index >= preamble.buffers().size()) {
            throw new CodecException("block has " + preamble.buffers().size() + " buffers, no buffer " + index);
        }
        return preamble.buffers().get(index);
    }

    @Override
    public boolean zeroCopy() {
        return zeroCopy;
    }

    @Override
    public ByteBuffer view(int index) {
        BufferDescriptor buffer = buffer(index);
        if (zeroCopy || !content.viewsAreCheap()) {
            return content.view(buffer);
        }
        ByteBuffer copy = ByteBuffer.wrap(readBytes(index)).order(ByteOrder.LITTLE_ENDIAN);
        return copy.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public byte[] readBytes(int index) {
        return copy(index, 1, byte[]::new, (chunk, array, from, count) -> chunk.get(array, from, count));
    }

    @Override
    public short[] readShorts(int index) {
        return copy(index, 2, short[]::new, (chunk, array, from, count) -> chunk.asShortBuffer().get(array, from, count));
    }

    @Override
    public char[] readChars(int index) {
        return copy(index, 2, char[]::new, (chunk, array, from, count) -> chunk.asCharBuffer().get(array, from, count));
    }

    @Override
    public int[] readInts(int index) {
        return copy(index, 4, int[]::new, (chunk, array, from, count) -> chunk.asIntBuffer().get(array, from, count));
    }

    @Override
    public long[] readLongs(int index) {
        return copy(index, 8, long[]::new, (chunk, array, from, count) -> chunk.asLongBuffer().get(array, from, count));
    }

    @Override
    public float[] readFloats(int index) {
        return copy(index, 4, float[]::new, (chunk, array, from, count) -> chunk.asFloatBuffer().get(array, from, count));
    }

    @Override
    public double[] readDoubles(int index) {
        return copy(index, 8, double[]::new, (chunk, array, from, count) -> chunk.asDoubleBuffer().get(array, from, count));
    }

    /** Copies {@code count} elements from a little-endian chunk into {@code array} at {@code from}. */
    @FunctionalInterface
    private interface ChunkCopier<A> {
        void copy(ByteBuffer chunk, A array, int from, int count);
    }

    private <A> A copy(int index, int elementSize, IntFunction<A> allocator, ChunkCopier<A> copier) {
        BufferDescriptor buffer = buffer(index);
        if (buffer.length() % elementSize != 0) {
            throw new CodecException("buffer " + index + " has " + buffer.length()
                    + " bytes, not a whole number of " + elementSize + "-byte elements");
        }
        long count = buffer.length() / elementSize;
        if (count > MAX_ARRAY) {
            throw new CodecException("buffer " + index + " has " + count
                    + " elements, more than a Java array holds; use open() for a zero-copy view");
        }
        A array = allocate(allocator, (int) count, buffer.length());
        try {
            if (content.viewsAreCheap() && buffer.length() <= Integer.MAX_VALUE) {
                copier.copy(content.view(buffer), array, 0, (int) count);
            } else {
                copyInChunks(buffer, elementSize, array, copier);
            }
        } catch (InternalError e) {
            // A mapped page vanished under us: a peer truncated or removed the file (SIGBUS).
            throw new io.fastshare.CorruptBlockException("block became unreadable while copying buffer " + index
                    + ": it was truncated by another process", e);
        } catch (IllegalStateException e) {
            // JDK 22+: the handle's arena was closed by another thread while we copied.
            throw new FastShareException("payload handle was closed while buffer " + index + " was being copied", e);
        }
        return array;
    }

    private <A> void copyInChunks(BufferDescriptor buffer, int elementSize, A array, ChunkCopier<A> copier) {
        ByteBuffer chunk = ScratchBuffers.take(buffer.length());
        try {
            long done = 0;
            while (done < buffer.length()) {
                int length = (int) Math.min(chunk.capacity(), buffer.length() - done);
                chunk.clear().limit(length);
                content.read(buffer.offset() + done, chunk);
                chunk.flip();
                copier.copy(chunk, array, (int) (done / elementSize), length / elementSize);
                done += length;
            }
        } finally {
            ScratchBuffers.give(chunk);
        }
    }

    private static <A> A allocate(IntFunction<A> allocator, int count, long bytes) {
        try {
            return allocator.apply(count);
        } catch (OutOfMemoryError e) {
            throw new FastShareException("not enough heap for a " + bytes + "-byte copy of the payload; "
                    + "raise -Xmx or use open() for a zero-copy view", e);
        }
    }
}
