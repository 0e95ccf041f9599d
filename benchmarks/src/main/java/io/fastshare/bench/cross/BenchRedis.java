package io.fastshare.bench.cross;

import io.fastshare.store.BlockStoreFactory;
import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.RedisStoreOptions;
import io.lettuce.core.ClientOptions;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The Redis of the "fastshare via Redis" rows: {@code FASTSHARE_BENCH_REDIS} ({@code host:port},
 * default {@code 127.0.0.1:6379}). Rows through Redis are skipped when it does not answer.
 */
final class BenchRedis {

    /** Prefix of the benchmark's keys; the peer releases every block it reads. */
    static final String PREFIX = "fastshare-bench:";

    private BenchRedis() {
    }

    /**
     * Returns the configured address.
     *
     * @return {@code host:port}
     */
    static String address() {
        String configured = System.getenv("FASTSHARE_BENCH_REDIS");
        return configured == null || configured.isBlank() ? "127.0.0.1:6379" : configured;
    }

    /**
     * Connects when the Redis answers {@code PING}.
     *
     * @return a started factory, or null when no Redis answers
     */
    static LettuceConnectionFactory connectIfAnswering() {
        String[] parts = address().split(":");
        String host = parts[0];
        int port = Integer.parseInt(parts[1]);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            if (!reply.equals("+PONG")) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(30))
                .clientOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build())
                .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port),
                client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Returns the store factory for a template.
     *
     * @param connections the connections
     * @return the factory
     */
    static BlockStoreFactory store(LettuceConnectionFactory connections) {
        return RedisBlockStore.factory(connections, RedisStoreOptions.defaults().withKeyPrefix(PREFIX));
    }
}
