package io.fastshare.bench.cross;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.bench.Json;
import io.fastshare.bench.PayloadType;
import io.fastshare.bench.Result;
import io.fastshare.bench.ShmDirectory;
import io.fastshare.bench.Sink;
import io.fastshare.bench.Stats;
import io.fastshare.bench.http.HttpPeerApplication;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Transfers between two JVMs, from the sender starting to the receiver holding the data as a Java
 * array (or, for the fastshare view, an open zero-copy view). This process sends; a
 * {@link SocketPeer} and an {@link HttpPeerApplication} (Spring Boot) started as second JVMs receive
 * and answer with their {@code System.nanoTime()} at that moment. Both processes read the same
 * {@code CLOCK_MONOTONIC}, so the time is the receiver's stamp minus the sender's start; every sample
 * is checked to lie between the sender's start and the arrival of the answer.
 *
 * <p>Connections are opened once and kept (as a real service keeps a connection pool). fastshare
 * passes its token over the Unix domain socket connection; the peer releases the block before it
 * answers, outside the measured time. The structured {@code Embeddings} payload goes only through
 * fastshare and JSON over HTTP (the raw streams and octet-stream carry arrays). Not thread-safe.
 */
public final class CrossProcess implements AutoCloseable {

    /** A transfer of one payload; returns the receiver's time stamp. */
    @FunctionalInterface
    private interface Transfer {
        long send(PayloadType type, Object payload) throws Exception;
    }

    /** One transport, its name in the report, and how large a payload it is asked to carry. */
    private record Transport(String name, long maxBytes, boolean structured, Transfer transfer) {
    }

    /** Row names the report looks up. */
    public static final String FILE_COPY = "fastshare file-block copy (token over Unix socket)";
    /** Row name. */
    public static final String FILE_VIEW = "fastshare file-block view (token over Unix socket)";
    /** Row name. */
    public static final String ONE_COPY_FLOOR = "System.arraycopy floor (one copy, one process)";
    /** Row name. */
    public static final String IDLE_ROUND_TRIP_FLOOR = "token round trip after the loan's fill (floor)";
    /** Row name. */
    public static final String TWO_COPY_FLOOR = "two arraycopies + allocation floor (one process)";

    /** JIT warm-up rounds per transport before the first size, and their time cap. */
    private static final int JIT_WARMUP_ROUNDS = 3000;
    private static final long JIT_WARMUP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    /** As long as a pooled token. */
    private static final String PING_TOKEN = "FSHR:pool:FSHP_00000000000000000000000000000000.0.1";

    private ByteBuffer fillBuffer;
    private final ShmDirectory directory;
    private final SharedMemoryTemplate template;
    private final SharedMemoryTemplate pooled;
    private final java.util.Map<String, Object> floorTargets = new java.util.HashMap<>();
    private final PeerProcess socketPeer;
    private final PeerProcess httpPeer;
    private final SocketChannel tcp;
    private final SocketChannel unix;
    private final Wire tcpWire;
    private final Wire unixWire;
    private final RestClient http;
    private final List<Transport> transports = new ArrayList<>();
    private final LettuceConnectionFactory redis;
    private final SharedMemoryTemplate redisTemplate;
    private final List<Result> results = new ArrayList<>();
    private final long caseBudgetNanos;

    /**
     * Starts both peers and connects to them.
     *
     * @param peerHeap heap of the peers, such as {@code 4g}
     * @param caseBudget seconds after which a case stops adding timed rounds (it keeps at least 3)
     * @param jsonMaxBytes largest payload sent as JSON (JSON of 1 GB does not fit a sane heap)
     * @throws IOException when a connection fails
     */
    public CrossProcess(String peerHeap, int caseBudget, long jsonMaxBytes) throws IOException {
        this.caseBudgetNanos = TimeUnit.SECONDS.toNanos(caseBudget);
        this.directory = ShmDirectory.create();
        Path blocks = directory.resolve("blocks");
        // The file-block rows: the pool off, every block a fresh file (what the first release did).
        this.template = SharedMemoryTemplate.builder().directory(blocks).poolSize(0).build();
        // The pooled rows: a pool large enough for two 1 GB slots, so a handoff never waits for a slot.
        this.pooled = SharedMemoryTemplate.builder().directory(blocks).poolSize(3L << 30).build();
        // Pre-touched heaps: otherwise the first transport measured pays for faulting in the receiver's
        // fresh heap pages (on a VM with free page reporting, host faults), the later ones do not.
        List<String> heap = List.of("-Xms" + peerHeap, "-Xmx" + peerHeap, "-XX:+AlwaysPreTouch");
        this.socketPeer = PeerProcess.start(heap, SocketPeer.class, blocks.toString(),
                directory.resolve("peer.sock").toString());
        String[] ready = socketPeer.readyLine().split(" ");
        this.tcp = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ready[1])));
        this.tcp.socket().setTcpNoDelay(true);
        this.unix = SocketChannel.open(StandardProtocolFamily.UNIX);
        this.unix.connect(UnixDomainSocketAddress.of(ready[2]));
        this.tcpWire = new Wire(tcp);
        this.unixWire = new Wire(unix);
        int port = freePort();
        List<String> httpOptions = new ArrayList<>(heap);
        this.httpPeer = PeerProcess.start(httpOptions, HttpPeerApplication.class, "--server.port=" + port,
                "--server.address=127.0.0.1", "--spring.main.banner-mode=off");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        this.http = RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(client))
                .baseUrl("http://127.0.0.1:" + port).build();

        transports.add(new Transport(FILE_COPY, Long.MAX_VALUE, true, (type, payload) -> {
            unixWire.writeToken(Wire.TOKEN_READ, template.write(payload));
            return unixWire.readStamp();
        }));
        transports.add(new Transport(FILE_VIEW, Long.MAX_VALUE, true, (type, payload) -> {
            unixWire.writeToken(Wire.TOKEN_OPEN, template.write(payload));
            return unixWire.readStamp();
        }));
        transports.add(new Transport("fastshare pool copy (token over Unix socket)", Long.MAX_VALUE, true,
                (type, payload) -> {
                    unixWire.writeToken(Wire.TOKEN_READ, pooled.write(payload));
                    return unixWire.readStamp();
                }));
        transports.add(new Transport("fastshare pool view (token over Unix socket)", Long.MAX_VALUE, true,
                (type, payload) -> {
                    unixWire.writeToken(Wire.TOKEN_OPEN, pooled.write(payload));
                    return unixWire.readStamp();
                }));
        transports.add(new Transport("fastshare loan view, fill excluded (token over Unix socket)", Long.MAX_VALUE, false,
                this::loan));
        transports.add(new Transport(IDLE_ROUND_TRIP_FLOOR, Long.MAX_VALUE, false, this::pingAfterFill));
        transports.add(new Transport(ONE_COPY_FLOOR, Long.MAX_VALUE, false, (type, payload) -> {
            Object target = floorTarget(payload);
            System.arraycopy(payload, 0, target, 0, java.lang.reflect.Array.getLength(payload));
            return System.nanoTime();
        }));
        // What a heap copy through shared memory cannot beat without overlapping its copies: the writer's
        // copy into memory that exists already, then the reader's allocation and copy out of it.
        transports.add(new Transport(TWO_COPY_FLOOR, Long.MAX_VALUE, false, (type, payload) -> {
            Object middle = floorTarget(payload);
            int length = java.lang.reflect.Array.getLength(payload);
            System.arraycopy(payload, 0, middle, 0, length);
            Object copy = newLike(payload);
            System.arraycopy(middle, 0, copy, 0, length);
            Sink.consume(copy);
            return System.nanoTime();
        }));
        // Across hosts: the same token handoff with the block in Redis (Redis on this host here, so
        // the network is loopback; the row shows the cost of the store, not of a network).
        this.redis = BenchRedis.connectIfAnswering();
        if (redis != null) {
            this.redisTemplate = SharedMemoryTemplate.builder().directory(directory.resolve("redis-writer"))
                    .threshold(0).store(BenchRedis.store(redis)).fileStoreWrites(false).build();
            transports.add(new Transport("fastshare via Redis (token over Unix socket)", Long.MAX_VALUE, true,
                    (type, payload) -> {
                        unixWire.writeToken(Wire.TOKEN_READ, redisTemplate.write(payload));
                        return unixWire.readStamp();
                    }));
        } else {
            this.redisTemplate = null;
            System.out.println("skipped: fastshare via Redis: no Redis answers at " + BenchRedis.address()
                    + " (set FASTSHARE_BENCH_REDIS=host:port)");
        }
        transports.add(new Transport("TCP loopback stream", Long.MAX_VALUE, false, (type, payload) -> stream(tcpWire, payload)));
        transports.add(new Transport("Unix domain socket stream", Long.MAX_VALUE, false,
                (type, payload) -> stream(unixWire, payload)));
        transports.add(new Transport("HTTP octet-stream (RestClient to Boot)", Long.MAX_VALUE, false, (type, payload) ->
                Long.parseLong(http.post().uri("/octet/{type}", type.name())
                        .contentType(MediaType.APPLICATION_OCTET_STREAM).body(littleEndianBytes(payload))
                        .retrieve().body(String.class))));
        transports.add(new Transport("HTTP JSON (RestClient to Boot)", jsonMaxBytes, true, (type, payload) ->
                Long.parseLong(http.post().uri("/json/{type}", type.name())
                        .contentType(MediaType.APPLICATION_JSON).body(Json.serialize(payload))
                        .retrieve().body(String.class))));
    }

    /**
     * A loan filled with the payload and handed over: the fill is the producer's own work, so its time is
     * subtracted from the sample (the stamp is moved back by it).
     */
    private long loan(PayloadType type, Object payload) throws IOException {
        long bytes = PayloadType.byteLength(payload);
        long fill;
        String token;
        try (io.fastshare.BlockLoan loan = pooled.loan(bytes)) {
            fill = fill(payload, loan.buffer());
            token = loan.publish();
        }
        unixWire.writeToken(Wire.TOKEN_OPEN, token);
        return unixWire.readStamp() - fill;
    }

    private Object floorTarget(Object payload) {
        return floorTargets.computeIfAbsent(payload.getClass().getName() + java.lang.reflect.Array.getLength(payload),
                n -> newLike(payload));
    }

    /**
     * The loan row without fastshare: the same fill (into a local direct buffer, time excluded), then a
     * token-sized frame the peer answers at once. The peer's thread slept through the fill, as it does in
     * the loan row, so this is what waking it costs on this machine: the floor of any token handoff.
     */
    private long pingAfterFill(PayloadType type, Object payload) throws IOException {
        long bytes = PayloadType.byteLength(payload);
        if (fillBuffer == null || fillBuffer.capacity() < bytes) {
            fillBuffer = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
        }
        long fill = fill(payload, fillBuffer.clear());
        unixWire.writeToken(Wire.PING, PING_TOKEN);
        return unixWire.readStamp() - fill;
    }

    /** The producer's fill of a loan: the payload's bytes into {@code target} from its start; returns its time. */
    private static long fill(Object payload, ByteBuffer target) {
        long start = System.nanoTime();
        if (payload instanceof float[] floats) {
            target.asFloatBuffer().put(floats);
        } else {
            target.put(0, (byte[]) payload);
        }
        return System.nanoTime() - start;
    }

    private static Object newLike(Object payload) {
        return payload instanceof float[] floats ? new float[floats.length] : new byte[((byte[]) payload).length];
    }

    private static long stream(Wire wire, Object payload) throws IOException {
        boolean bytes = payload instanceof byte[];
        wire.writeHeader(bytes ? Wire.BYTES : Wire.FLOATS, PayloadType.byteLength(payload));
        wire.writePayload(payload);
        return wire.readStamp();
    }

    private static byte[] littleEndianBytes(Object payload) {
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        float[] floats = (float[]) payload;
        byte[] bytes = new byte[floats.length * 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(floats);
        return bytes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Measures every transport on one payload.
     *
     * @param type payload type
     * @param bytes payload size
     * @return results so far
     */
    public List<Result> measure(PayloadType type, long bytes) {
        Object payload = type.create(bytes);
        int warmups = bytes <= 100_000 ? 300 : bytes <= 1_000_000 ? 50 : bytes <= 10_000_000 ? 10 : bytes <= 100_000_000 ? 3 : 1;
        int iterations = bytes <= 100_000 ? 300 : bytes <= 1_000_000 ? 50 : bytes <= 10_000_000 ? 20 : bytes <= 100_000_000 ? 10 : 5;
        warmAll(type, payload);
        for (Transport transport : transports) {
            if (type == PayloadType.EMBEDDINGS && !transport.structured()) {
                continue;
            }
            if (bytes > transport.maxBytes()) {
                System.out.println("skipped: " + transport.name() + " " + type.label() + " " + bytes
                        + " bytes (over its limit of " + transport.maxBytes() + ")");
                continue;
            }
            try {
                Stats stats = run(transport, type, payload, warmups, iterations);
                Result result = new Result("cross", transport.name(), type.label(), PayloadType.byteLength(payload), stats);
                results.add(result);
                System.out.println(result.describe());
            } catch (Exception e) {
                System.out.println("failed: " + transport.name() + " " + type.label() + " " + bytes + ": " + e);
            }
        }
        return results;
    }

    /**
     * Collects garbage, outside the time, once the heap is half full: so no measured round pays for a
     * collection of earlier rounds' garbage. Not before every round: a collection just before a round
     * leaves caches and branch predictors cold and penalises the paths that run the most code (a full
     * collection before a pooled handoff made it 10-20x slower than the same handoff warm).
     */
    private static void collectIfHalfFull() {
        Runtime runtime = Runtime.getRuntime();
        if (runtime.totalMemory() - runtime.freeMemory() > runtime.maxMemory() / 2) {
            System.gc();
        }
    }

    /**
     * Warms the JIT of both processes: every transport hands over a 64 KB {@code float[]} up to
     * {@value #JIT_WARMUP_ROUNDS} times (at most 1.5 s each) before the first size is measured, as the
     * code of a service that hands payloads over all day is compiled. Without it, the rounds of large
     * sizes (3 warm-ups) would time fastshare's lock and header code in the interpreter.
     */
    public void warmUpJit() {
        Object payload = PayloadType.FLOATS.create(64_000);
        for (Transport transport : transports) {
            if (transport.maxBytes() != Long.MAX_VALUE) {
                continue; // JSON: its own warm-up per size is enough for a row measured in seconds
            }
            long started = System.nanoTime();
            try {
                for (int i = 0; i < JIT_WARMUP_ROUNDS && System.nanoTime() - started < JIT_WARMUP_NANOS; i++) {
                    once(transport, PayloadType.FLOATS, payload);
                }
            } catch (Exception e) {
                // measured (and reported) per size
            }
        }
    }

    /**
     * One untimed round of every transport before any is measured, so that no transport measured
     * first pays alone for class loading, JIT and socket buffers at this size.
     */
    private void warmAll(PayloadType type, Object payload) {
        long bytes = PayloadType.byteLength(payload);
        for (Transport transport : transports) {
            boolean slowJson = transport.structured() && transport.maxBytes() != Long.MAX_VALUE && bytes > 10_000_000;
            if ((type == PayloadType.EMBEDDINGS && !transport.structured()) || bytes > transport.maxBytes() || slowJson) {
                continue;
            }
            try {
                once(transport, type, payload);
            } catch (Exception e) {
                // measured (and reported) below
            }
        }
    }

    private Stats run(Transport transport, PayloadType type, Object payload, int warmups, int iterations)
            throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < warmups && (i < 1 || System.nanoTime() - started < caseBudgetNanos / 2); i++) {
            once(transport, type, payload);
        }
        long[] samples = new long[iterations];
        int taken = 0;
        long measuring = System.nanoTime();
        while (taken < iterations && (taken < 3 || System.nanoTime() - measuring < caseBudgetNanos)) {
            samples[taken++] = once(transport, type, payload);
        }
        return Stats.of(java.util.Arrays.copyOf(samples, taken));
    }

    private static long once(Transport transport, PayloadType type, Object payload) throws Exception {
        collectIfHalfFull();
        long start = System.nanoTime();
        long held = transport.transfer().send(type, payload);
        long answered = System.nanoTime();
        if (held < start || held > answered) {
            throw new IllegalStateException("the receiver's clock is not this process's clock: stamp " + held
                    + " outside [" + start + ", " + answered + "]");
        }
        return held - start;
    }

    /**
     * Returns everything measured.
     *
     * @return results in measurement order
     */
    public List<Result> results() {
        return results;
    }

    /** Stops the peers, closes connections and removes the block directory. */
    @Override
    public void close() {
        try {
            tcpWire.writeHeader(Wire.QUIT, 0);
            unixWire.writeHeader(Wire.QUIT, 0);
            tcp.close();
            unix.close();
        } catch (IOException ignored) {
            // peers are stopped below either way
        }
        socketPeer.close();
        httpPeer.close();
        template.close();
        pooled.close();
        if (redisTemplate != null) {
            redisTemplate.close();
            redis.destroy();
        }
        directory.close();
    }
}
