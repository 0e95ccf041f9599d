package io.fastshare.bench.cross;

import io.fastshare.bench.ShmDirectory;
import io.fastshare.bench.Sizes;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The prototype behind a design decision, kept so anyone can rerun it: does overlapping the writer's
 * copy into shared memory with the reader's copy out of it (the reader copying the first megabytes
 * while the writer still writes the rest, as a socket stream overlaps its two copies) make a heap-copy
 * handoff faster? No fastshare code: one already-faulted shared mapping (a progress word, then the
 * floats), the token over a Unix domain socket, a second JVM that copies into a new {@code float[]}.
 * <ul>
 *   <li><b>sequential</b>: the writer copies everything, publishes the progress word, sends the token;
 *       the reader copies everything (what the pooled store does).</li>
 *   <li><b>overlapped</b>: the writer sends the token first, then copies chunk by chunk, publishing the
 *       progress word after each chunk; the reader spins on the word and copies each chunk as it is
 *       ready.</li>
 * </ul>
 * Prints the median and minimum of each mode, twice, interleaved. Not thread-safe.
 */
public final class OverlapPrototype {

    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Floats start one page in; the first 8 bytes are the progress word (floats written so far). */
    private static final int DATA = 4096;
    private static final long QUIT = -2;
    private static final int PAGE = 4096;

    private OverlapPrototype() {
    }

    /**
     * Runs the comparison.
     *
     * @param bytes payload size
     * @param chunkBytes the overlapped writer's chunk
     * @param rounds timed rounds per mode and pass
     * @throws IOException when the mapping or the socket fails
     */
    public static void run(long bytes, int chunkBytes, int rounds) throws IOException {
        int floats = Math.toIntExact(bytes / 4);
        int chunk = Math.max(1, chunkBytes / 4);
        try (ShmDirectory directory = ShmDirectory.create()) {
            Path file = directory.resolve("segment");
            Path socket = directory.resolve("overlap.sock");
            MappedByteBuffer map = map(file, DATA + 4L * floats, true);
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                try (PeerProcess peer = PeerProcess.start(List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"),
                        OverlapPrototype.class, file.toString(), socket.toString(), Integer.toString(floats));
                        SocketChannel channel = server.accept()) {
                    float[] payload = new float[floats];
                    for (int i = 0; i < floats; i++) {
                        payload[i] = i;
                    }
                    FloatBuffer data = map.slice(DATA, 4 * floats).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                    ByteBuffer word = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
                    for (String mode : List.of("sequential", "overlapped", "sequential", "overlapped")) {
                        long[] samples = new long[rounds];
                        for (int round = -3; round < rounds; round++) {
                            LONG.setVolatile(map, 0, -1L);
                            long start = System.nanoTime();
                            if (mode.equals("sequential")) {
                                data.put(0, payload, 0, floats);
                                LONG.setRelease(map, 0, (long) floats);
                                send(channel, word, 0);
                            } else {
                                send(channel, word, 0);
                                for (int at = 0; at < floats; at += chunk) {
                                    int n = Math.min(chunk, floats - at);
                                    data.put(at, payload, at, n);
                                    LONG.setRelease(map, 0, (long) (at + n));
                                }
                            }
                            long held = receive(channel, word);
                            if (round >= 0) {
                                samples[round] = held - start;
                            }
                        }
                        Arrays.sort(samples);
                        System.out.printf("%-10s %s float[], chunk %s: median %s, min %s%n", mode, Sizes.label(bytes),
                                Sizes.label(4L * chunk), Sizes.time(samples[rounds / 2]), Sizes.time(samples[0]));
                    }
                    send(channel, word, QUIT);
                }
            } finally {
                io.fastshare.store.Unmapper.unmap(map);
            }
        }
    }

    /**
     * The reader JVM: maps the segment, then for each token copies the floats into a new array as the
     * progress word allows and answers with {@code System.nanoTime()}.
     *
     * @param args segment file, socket path, float count
     * @throws IOException when the mapping or the socket fails
     */
    public static void main(String[] args) throws IOException {
        int floats = Integer.parseInt(args[2]);
        MappedByteBuffer map = map(Path.of(args[0]), DATA + 4L * floats, false);
        FloatBuffer data = map.slice(DATA, 4 * floats).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        System.out.println("READY");
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(args[1])))) {
            ByteBuffer word = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
            while (receive(channel, word) != QUIT) {
                float[] copy = new float[floats];
                int at = 0;
                while (at < floats) {
                    long ready = (long) LONG.getAcquire(map, 0);
                    if (ready <= at) {
                        Thread.onSpinWait();
                        continue;
                    }
                    data.get(at, copy, at, (int) ready - at);
                    at = (int) ready;
                }
                long held = System.nanoTime();
                if (copy[floats - 1] != floats - 1) {
                    throw new IllegalStateException("the copy differs from the payload");
                }
                send(channel, word, held);
            }
        }
    }

    private static MappedByteBuffer map(Path file, long size, boolean create) throws IOException {
        try (FileChannel channel = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (create) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long at = 0; at < size; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                    at += channel.write(zeros, at);
                }
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < size; at += PAGE) {
                map.put(at, map.get(at));
            }
            return map;
        }
    }

    private static void send(SocketChannel channel, ByteBuffer word, long value) throws IOException {
        word.clear().putLong(0, value);
        while (word.hasRemaining()) {
            channel.write(word);
        }
    }

    private static long receive(SocketChannel channel, ByteBuffer word) throws IOException {
        word.clear();
        while (word.hasRemaining()) {
            if (channel.read(word) < 0) {
                return QUIT;
            }
        }
        return word.getLong(0);
    }
}
