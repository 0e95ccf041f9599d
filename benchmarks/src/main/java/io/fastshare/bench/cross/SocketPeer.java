package io.fastshare.bench.cross;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.bench.Sink;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The receiving process of the cross-process socket and fastshare benchmarks. Listens on a loopback
 * TCP port and on a Unix domain socket, prints {@code READY <tcpPort> <socketPath>}, and serves each
 * connection on its own thread: payload frames are read into a new array, token frames are resolved
 * through a {@link SharedMemoryTemplate} on the shared block directory (untyped reads allowed for
 * the benchmark's own {@code Embeddings}); every frame is answered with
 * the {@code System.nanoTime()} at which this process held the data. On Linux {@code nanoTime} reads
 * {@code CLOCK_MONOTONIC}, one clock for all processes, so the sender subtracts its own start time.
 *
 * <p>Arguments: block directory, Unix socket path. Exits when stdin closes (its parent is gone).
 */
public final class SocketPeer {

    private SocketPeer() {
    }

    /**
     * Runs the peer.
     *
     * @param args block directory, Unix socket path
     * @throws IOException when it cannot listen
     */
    public static void main(String[] args) throws IOException {
        Path blocks = Path.of(args[0]);
        Path socketPath = Path.of(args[1]);
        SharedMemoryTemplate.Builder builder = SharedMemoryTemplate.builder().directory(blocks)
                .allowedTypes("io.fastshare.bench.*");
        // Reads the "fastshare via Redis" tokens too, when a Redis answers.
        org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory redis = BenchRedis.connectIfAnswering();
        if (redis != null) {
            builder.readStore(BenchRedis.store(redis));
        }
        SharedMemoryTemplate template = builder.build();
        ServerSocketChannel tcp = ServerSocketChannel.open();
        tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Files.deleteIfExists(socketPath);
        ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        unix.bind(UnixDomainSocketAddress.of(socketPath));
        accept(tcp, template, "tcp");
        accept(unix, template, "unix");
        System.out.println("READY " + ((InetSocketAddress) tcp.getLocalAddress()).getPort() + " " + socketPath);
        System.out.flush();
        // Lives as long as the parent: when the parent's end of stdin closes, read() returns -1.
        while (System.in.read() >= 0) {
            Thread.onSpinWait();
        }
        template.close();
        if (redis != null) {
            redis.destroy();
        }
        Files.deleteIfExists(socketPath);
        System.exit(0);
    }

    private static void accept(ServerSocketChannel server, SharedMemoryTemplate template, String name) {
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    SocketChannel channel = server.accept();
                    Thread worker = new Thread(() -> serve(channel, template), "peer-" + name);
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "accept-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void serve(SocketChannel channel, SharedMemoryTemplate template) {
        Wire wire = new Wire(channel);
        try (channel) {
            while (true) {
                long[] header = wire.readHeader();
                int kind = (int) header[0];
                long length = header[1];
                switch (kind) {
                    case Wire.QUIT -> {
                        return;
                    }
                    case Wire.BYTES, Wire.FLOATS -> {
                        Object payload = wire.readPayload(kind, length);
                        long held = System.nanoTime();
                        Sink.consume(payload);
                        wire.writeStamp(held);
                    }
                    case Wire.PING -> {
                        Sink.consume(wire.readToken(length));
                        wire.writeStamp(System.nanoTime());
                    }
                    case Wire.TOKEN_READ -> {
                        String token = wire.readToken(length);
                        Object payload = template.read(token);
                        long held = System.nanoTime();
                        Sink.consume(payload);
                        template.release(token);
                        wire.writeStamp(held);
                    }
                    case Wire.TOKEN_OPEN -> {
                        String token = wire.readToken(length);
                        long held;
                        try (SharedPayload handle = template.open(token)) {
                            // Small Embeddings keep their vectors in the JSON: no buffer to view.
                            Sink.consume(handle.buffers().isEmpty() ? handle.value(Object.class) : handle.view(0));
                            held = System.nanoTime();
                        }
                        template.release(token);
                        wire.writeStamp(held);
                    }
                    default -> throw new IOException("unknown frame kind " + kind);
                }
            }
        } catch (EOFException e) {
            // the harness closed the connection
        } catch (IOException | RuntimeException e) {
            System.err.println("peer connection failed: " + e);
            e.printStackTrace();
        }
    }
}
