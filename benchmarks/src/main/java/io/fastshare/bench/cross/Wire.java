package io.fastshare.bench.cross;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The framing the socket benchmarks use on a stream (TCP or Unix domain socket): a 12-byte header
 * (kind, length) followed by the payload, streamed through one 1 MiB direct buffer, as an efficient
 * hand-written socket transfer would do; the reader answers with the 8-byte {@link System#nanoTime()}
 * at which it held the data. Not thread-safe: one instance per connection and thread.
 */
public final class Wire {

    /** Ends the peer's connection loop. */
    public static final int QUIT = 0;
    /** A {@code byte[]} streamed raw. */
    public static final int BYTES = 1;
    /** A {@code float[]} streamed as little-endian bytes. */
    public static final int FLOATS = 2;
    /** A fastshare token; the peer reads a heap copy. */
    public static final int TOKEN_READ = 3;
    /** A fastshare token; the peer opens a zero-copy view. */
    public static final int TOKEN_OPEN = 4;
    /** A token-sized string the peer answers at once, without touching shared memory. */
    public static final int PING = 5;

    private static final int CHUNK = 1 << 20;

    private final SocketChannel channel;
    private final ByteBuffer header = ByteBuffer.allocateDirect(12).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer stamp = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * Wraps a connected, blocking channel.
     *
     * @param channel the connection
     */
    public Wire(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Sends a frame header.
     *
     * @param kind message kind
     * @param length payload length in bytes
     * @throws IOException when the connection fails
     */
    public void writeHeader(int kind, long length) throws IOException {
        header.clear();
        header.putInt(0, kind).putLong(4, length);
        writeFully(header);
    }

    /**
     * Reads a frame header.
     *
     * @return {kind, length}
     * @throws IOException when the connection fails or closes
     */
    public long[] readHeader() throws IOException {
        header.clear();
        readFully(header);
        return new long[] {header.getInt(0), header.getLong(4)};
    }

    /**
     * Sends an array's content.
     *
     * @param payload a {@code byte[]} or {@code float[]}
     * @throws IOException when the connection fails
     */
    public void writePayload(Object payload) throws IOException {
        if (payload instanceof byte[] bytes) {
            for (int at = 0; at < bytes.length; at += CHUNK) {
                int length = Math.min(CHUNK, bytes.length - at);
                chunk.clear();
                chunk.put(bytes, at, length).flip();
                writeFully(chunk);
            }
        } else {
            float[] floats = (float[]) payload;
            int perChunk = CHUNK / 4;
            for (int at = 0; at < floats.length; at += perChunk) {
                int count = Math.min(perChunk, floats.length - at);
                chunk.clear();
                chunk.asFloatBuffer().put(floats, at, count);
                chunk.limit(count * 4);
                writeFully(chunk);
            }
        }
    }

    /**
     * Reads an array's content into a new array.
     *
     * @param kind {@link #BYTES} or {@link #FLOATS}
     * @param length content length in bytes
     * @return the array
     * @throws IOException when the connection fails or closes
     */
    public Object readPayload(int kind, long length) throws IOException {
        if (kind == BYTES) {
            byte[] bytes = new byte[Math.toIntExact(length)];
            for (int at = 0; at < bytes.length; at += CHUNK) {
                int part = Math.min(CHUNK, bytes.length - at);
                chunk.clear().limit(part);
                readFully(chunk);
                chunk.flip().get(bytes, at, part);
            }
            return bytes;
        }
        float[] floats = new float[Math.toIntExact(length / 4)];
        int perChunk = CHUNK / 4;
        for (int at = 0; at < floats.length; at += perChunk) {
            int count = Math.min(perChunk, floats.length - at);
            chunk.clear().limit(count * 4);
            readFully(chunk);
            chunk.flip();
            chunk.asFloatBuffer().get(floats, at, count);
        }
        return floats;
    }

    /**
     * Sends a token frame.
     *
     * @param kind {@link #TOKEN_READ} or {@link #TOKEN_OPEN}
     * @param token the token
     * @throws IOException when the connection fails
     */
    public void writeToken(int kind, String token) throws IOException {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        writeHeader(kind, bytes.length);
        writeFully(ByteBuffer.wrap(bytes));
    }

    /**
     * Reads a token of the given length after its header.
     *
     * @param length token length
     * @return the token
     * @throws IOException when the connection fails or closes
     */
    public String readToken(long length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(length));
        readFully(bytes);
        return new String(bytes.array(), StandardCharsets.US_ASCII);
    }

    /**
     * Sends the reader's time stamp.
     *
     * @param nanos {@link System#nanoTime()} at which the reader held the data
     * @throws IOException when the connection fails
     */
    public void writeStamp(long nanos) throws IOException {
        stamp.clear();
        stamp.putLong(0, nanos);
        writeFully(stamp);
    }

    /**
     * Reads the reader's time stamp.
     *
     * @return nanoTime of the reader
     * @throws IOException when the connection fails or closes
     */
    public long readStamp() throws IOException {
        stamp.clear();
        readFully(stamp);
        return stamp.getLong(0);
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("peer closed the connection");
            }
        }
    }
}
