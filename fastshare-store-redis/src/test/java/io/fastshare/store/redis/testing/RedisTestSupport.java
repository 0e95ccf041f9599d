package io.fastshare.store.redis.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Redis for tests: the project machines' server at 127.0.0.1:6379 ({@code .ci/run} starts it), the
 * {@code redis-server} binary for servers a test starts itself, connection factories that fail fast
 * instead of queueing commands while disconnected, and unique key prefixes whose keys are deleted
 * after each test.
 */
public final class RedisTestSupport {

    /** Host of the shared test server. */
    public static final String HOST = "127.0.0.1";
    /** Port of the shared test server. */
    public static final int PORT = 6379;

    private RedisTestSupport() {
    }

    /**
     * Skips the test when no Redis answers at 127.0.0.1:6379; fails it instead under {@code CI=true},
     * where {@code .ci/run} must have started one.
     */
    public static void requireSharedRedis() {
        if (answers(HOST, PORT)) {
            return;
        }
        String reason = "no Redis answers PING at " + HOST + ":" + PORT + " (start one with: redis-server "
                + "--daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save \"\" --appendonly no)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(reason + "; CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(reason);
    }

    /**
     * Returns the {@code redis-server} binary, or skips the test with the reason when it is absent.
     *
     * @return the binary
     */
    public static Path requireRedisServerBinary() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir, "redis-server");
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        Assumptions.abort("redis-server binary not found (install the Debian package redis-server); "
                + "this test starts its own Redis servers");
        throw new AssertionError("unreachable");
    }

    /**
     * Tells whether a Redis answers {@code PING} within a second.
     *
     * @param host host
     * @param port port
     * @return true when it answered {@code +PONG}
     */
    public static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Returns a key prefix no other test uses.
     *
     * @return a prefix such as {@code fstest:1b2c...:}
     */
    public static String uniquePrefix() {
        return "fstest:" + UUID.randomUUID().toString().replace("-", "") + ":";
    }

    /**
     * Connects to a single Redis with a 10 s command timeout; commands fail at once while disconnected
     * instead of waiting for a reconnect (so an outage surfaces as an error, not a hang).
     *
     * @param host host
     * @param port port
     * @return a started factory; stop it after the test
     */
    public static LettuceConnectionFactory standalone(String host, int port) {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(10))
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                        .build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
                client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Connects to the shared test server.
     *
     * @return a started factory; stop it after the test
     */
    public static LettuceConnectionFactory shared() {
        return standalone(HOST, PORT);
    }

    /**
     * Connects to a Redis Cluster.
     *
     * @param ports ports of its nodes on 127.0.0.1
     * @return a started factory; stop it after the test
     */
    public static LettuceConnectionFactory cluster(List<Integer> ports) {
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(10))
                .clientOptions(ClusterClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers().build())
                        .build())
                .build();
        RedisClusterConfiguration config = new RedisClusterConfiguration(
                ports.stream().map(p -> HOST + ":" + p).toList());
        LettuceConnectionFactory factory = new LettuceConnectionFactory(config, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Returns every key under a prefix.
     *
     * @param factory where to look
     * @param prefix the prefix
     * @return the keys
     */
    public static Set<String> keys(LettuceConnectionFactory factory, String prefix) {
        // A test may have just made Redis drop the connection: give the client time to reconnect.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (RedisConnection connection = factory.getConnection()) {
                Set<byte[]> keys = connection.keyCommands().keys((prefix + "*").getBytes(StandardCharsets.US_ASCII));
                return keys == null ? Set.of() : keys.stream()
                        .map(k -> new String(k, StandardCharsets.US_ASCII))
                        .collect(java.util.stream.Collectors.toSet());
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                RedisServerProcess.sleep(100);
            }
        }
    }

    /**
     * Deletes every key under a prefix.
     *
     * @param factory where to delete
     * @param prefix the prefix
     * @return how many keys there were
     */
    public static int deleteAll(LettuceConnectionFactory factory, String prefix) {
        Set<String> keys = keys(factory, prefix);
        try (RedisConnection connection = factory.getConnection()) {
            for (String key : keys) {
                connection.keyCommands().del(key.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return keys.size();
    }
}
