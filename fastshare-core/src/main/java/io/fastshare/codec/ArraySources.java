package io.fastshare.codec;

import java.nio.ByteBuffer;

/**
 * {@link BufferSource}s over Java arrays and byte buffers. Each copies with the bulk operations of
 * {@code java.nio}, which the JIT turns into memory copies.
 *
 * <p>The sources read the caller's array while the block is written; the array must not change until
 * {@code write} returns. Stateless and thread-safe.
 */
public final class ArraySources {

    private ArraySources() {
    }

    /**
     * Returns a source over a primitive array ({@code byte[] short[] char[] int[] long[] float[]
     * double[]}) or a {@code ByteBuffer}, chosen by the value's runtime type.
     *
     * @param value the array or buffer
     * @return the source
     * @throws IllegalArgumentException for any other type
     */
    public static BufferSource ofArray(Object value) {
        if (value instanceof byte[] a) {
            return of(a);
        } else if (value instanceof ByteBuffer b) {
            return of(b);
        } else if (value instanceof short[] a) {
            return of(a);
        } else if (value instanceof char[] a) {
            return of(a);
        } else if (value instanceof int[] a) {
            return of(a);
        } else if (value instanceof long[] a) {
            return of(a);
        } else if (value instanceof float[] a) {
            return of(a);
        } else if (value instanceof double[] a) {
            return of(a);
        }
        throw new IllegalArgumentException("not a primitive array or ByteBuffer: " + value.getClass().getName());
    }

    /**
     * Returns a source over a byte array.
     *
     * @param array the bytes
     * @return the source
     */
    public static BufferSource of(byte[] array) {
        return new Source(array.length) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                target.put(array, (int) offset, target.remaining());
            }
        };
    }

    /**
     * Returns a source over the remaining bytes of a buffer (heap or direct); the buffer's position
     * is not changed.
     *
     * @param buffer the bytes
     * @return the source
     */
    public static BufferSource of(ByteBuffer buffer) {
        ByteBuffer content = buffer.slice();
        return new Source(content.remaining()) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int start = (int) offset;
                target.put(content.duplicate().position(start).limit(start + target.remaining()));
            }
        };
    }

    /**
     * Returns a source over a short array.
     *
     * @param array the elements
     * @return the source
     */
    public static BufferSource of(short[] array) {
        return new Source(array.length * 2L) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int count = target.remaining() / 2;
                target.asShortBuffer().put(array, (int) (offset / 2), count);
                advance(target, count * 2);
            }
        };
    }

    /**
     * Returns a source over a char array.
     *
     * @param array the elements
     * @return the source
     */
    public static BufferSource of(char[] array) {
        return new Source(array.length * 2L) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int count = target.remaining() / 2;
                target.asCharBuffer().put(array, (int) (offset / 2), count);
                advance(target, count * 2);
            }
        };
    }

    /**
     * Returns a source over an int array.
     *
     * @param array the elements
     * @return the source
     */
    public static BufferSource of(int[] array) {
        return new Source(array.length * 4L) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int count = target.remaining() / 4;
                target.asIntBuffer().put(array, (int) (offset / 4), count);
                advance(target, count * 4);
            }
        };
    }

    /**
     * Returns a source over a long array.
     *
     * @param array the elements
     * @return the source
     */
    public static BufferSource of(long[] array) {
        return new Source(array.length * 8L) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int count = target.remaining() / 8;
                target.asLongBuffer().put(array, (int) (offset / 8), count);
                advance(target, count * 8);
            }
        };
    }

    /**
     * Returns a source over a float array.
     *
     * @param array the elements
     * @return the source
     */
    public static BufferSource of(float[] array) {
        return new Source(array.length * 4L) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int count = target.remaining() / 4;
                target.asFloatBuffer().put(array, (int) (offset / 4), count);
                advance(target, count * 4);
            }
        };
    }

    /**
     * Returns a source over a double array.
     *
     * @param array the elements
     * @return the source
     */
    public static BufferSource of(double[] array) {
        return new Source(array.length * 8L) {
            @Override
            public void copyTo(long offset, ByteBuffer target) {
                int count = target.remaining() / 8;
                target.asDoubleBuffer().put(array, (int) (offset / 8), count);
                advance(target, count * 8);
            }
        };
    }

    private static void advance(ByteBuffer target, int bytes) {
        target.position(target.position() + bytes);
    }

    private abstract static class Source implements BufferSource {
        private final long length;

        Source(long length) {
            this.length = length;
        }

        @Override
        public long byteLength() {
            return length;
        }
    }
}
