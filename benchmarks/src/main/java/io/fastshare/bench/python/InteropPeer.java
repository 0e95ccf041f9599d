package io.fastshare.bench.python;

import io.fastshare.SharedMemoryTemplate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Java peer of the Python interop benchmark. Started by the Python driver with the block directory and
 * the payload size (float32 elements); answers one line per command on standard output:
 *
 * <pre>
 * take TOKEN      take a block Python wrote as float[] (a heap copy, block deleted): "OK &lt;last element&gt;"
 * write           write the float[] payload to shared memory: "TOKEN &lt;token&gt;"
 * uds-recv PATH   connect to PATH, read one payload into a float[] (the receiver's end state), "OK ..."
 * uds-send PATH   connect to PATH and send the float[] payload as little-endian bytes: "SENT"
 * quit            exit
 * </pre>
 *
 * Not thread-safe: one command at a time, as the driver sends them.
 */
public final class InteropPeer {

    private InteropPeer() {
    }

    /**
     * Runs the peer until {@code quit} or the end of standard input.
     *
     * @param args block directory and payload size in float32 elements
     * @throws IOException when standard input or a socket fails
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        int elements = Integer.parseInt(args[1]);
        float[] payload = new float[elements];
        for (int i = 0; i < elements; i++) {
            payload[i] = i % 1000;
        }
        // the socket path's buffer: allocated and touched once, as a long-running receiver would have it
        ByteBuffer wire = ByteBuffer.allocateDirect(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(directory).threshold(0).build();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("READY");
            String line;
            while ((line = in.readLine()) != null) {
                String[] command = line.split(" ", 2);
                switch (command[0]) {
                    case "take" -> {
                        float[] taken = template.take(command[1], float[].class);
                        out.println("OK " + taken[taken.length - 1]);
                    }
                    case "write" -> out.println("TOKEN " + template.write(payload));
                    case "uds-recv" -> {
                        float[] received = receive(Path.of(command[1]), wire, elements);
                        out.println("OK " + received[received.length - 1]);
                    }
                    case "uds-send" -> {
                        send(Path.of(command[1]), wire, payload);
                        out.println("SENT");
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> out.println("ERROR unknown command " + command[0]);
                }
            }
        }
    }

    private static float[] receive(Path socket, ByteBuffer wire, int elements) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            wire.clear();
            while (wire.hasRemaining()) {
                if (channel.read(wire) < 0) {
                    throw new IOException("stream ended after " + wire.position() + " bytes");
                }
            }
            float[] received = new float[elements];
            wire.flip().asFloatBuffer().get(received);
            return received;
        }
    }

    private static void send(Path socket, ByteBuffer wire, float[] payload) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            wire.clear();
            wire.asFloatBuffer().put(payload);
            while (wire.hasRemaining()) {
                channel.write(wire);
            }
        }
    }
}
