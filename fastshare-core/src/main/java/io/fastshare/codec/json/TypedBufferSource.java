package io.fastshare.codec.json;

import io.fastshare.codec.BufferSource;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * A {@link BufferSource} over the remaining elements of a typed NIO buffer ({@code FloatBuffer}, ...),
 * heap or direct, in any byte order. Elements are converted to little-endian as they are copied;
 * the buffer's position is not changed.
 *
 * <p>Reads the caller's buffer while the block is written; not thread-safe.
 */
final class TypedBufferSource implements BufferSource {

    private final Buffer content;
    private final OutOfBandKind kind;
    private final int elementSize;

    TypedBufferSource(Buffer buffer, OutOfBandKind kind) {
        this.content = buffer.slice();
        this.kind = kind;
        this.elementSize = kind.elementType.size();
    }

    @Override
    public long byteLength() {
        return (long) content.remaining() * elementSize;
    }

    @Override
    public void copyTo(long sourceOffset, ByteBuffer target) {
        int from = (int) (sourceOffset / elementSize);
        int count = target.remaining() / elementSize;
        Buffer range = content.duplicate().position(from).limit(from + count);
        switch (kind) {
            case SHORT_BUFFER -> target.asShortBuffer().put((ShortBuffer) range);
            case CHAR_BUFFER -> target.asCharBuffer().put((CharBuffer) range);
            case INT_BUFFER -> target.asIntBuffer().put((IntBuffer) range);
            case LONG_BUFFER -> target.asLongBuffer().put((LongBuffer) range);
            case FLOAT_BUFFER -> target.asFloatBuffer().put((FloatBuffer) range);
            case DOUBLE_BUFFER -> target.asDoubleBuffer().put((DoubleBuffer) range);
            default -> throw new IllegalStateException(kind + " is not a typed buffer");
        }
        target.position(target.position() + count * elementSize);
    }
}
