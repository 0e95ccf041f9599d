package io.fastshare.sample.payload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves a {@code float[]} through a byte stream as little-endian IEEE 754 values, in 1 MiB chunks, so
 * neither side needs a second full-size copy of the payload. This is the "usual way" of the demo
 * done well: an HTTP octet-stream body, with no base64 and no intermediate {@code byte[]} of the
 * whole payload. Stateless and thread-safe.
 */
public final class FloatStreams {

    private static final int CHUNK_FLOATS = 256 * 1024;

    private FloatStreams() {
    }

    /**
     * Writes all floats to a stream.
     *
     * @param values the floats
     * @param out the stream; not closed
     * @throws IOException when the stream fails
     */
    public static void write(float[] values, OutputStream out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0; offset < values.length; offset += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - offset);
            chunk.clear();
            chunk.asFloatBuffer().put(values, offset, n);
            out.write(chunk.array(), 0, n * 4);
        }
    }

    /**
     * Reads exactly {@code count} floats from a stream.
     *
     * @param in the stream; not closed
     * @param count how many floats to expect
     * @return the floats
     * @throws IOException when the stream fails, ends early, or holds more than {@code count} floats
     */
    public static float[] read(InputStream in, int count) throws IOException {
        float[] values = new float[count];
        byte[] chunk = new byte[CHUNK_FLOATS * 4];
        ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0; offset < count; offset += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, count - offset);
            int got = in.readNBytes(chunk, 0, n * 4);
            if (got != n * 4) {
                throw new IOException("stream ended after " + (4L * offset + got) + " bytes; expected "
                        + 4L * count);
            }
            view.clear();
            view.asFloatBuffer().get(values, offset, n);
        }
        if (in.read() != -1) {
            throw new IOException("stream holds more than the expected " + 4L * count + " bytes");
        }
        return values;
    }
}
