package io.fastshare.store.redis;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.FastShareException;
import io.fastshare.store.redis.testing.RedisServerProcess;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.fastshare.store.redis.testing.TestBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a user sees when Redis cannot take a block: servers started by the test with small limits,
 * and a port nothing listens on. Each failure is a fastshare exception naming the cause and the
 * setting to change, and leaves no key behind.
 */
class RedisErrorMappingTest {

    @TempDir
    Path temp;

    @Test
    void outOfMemoryNamesMaxmemoryAndLeavesNothing() {
        try (RedisServerProcess server = RedisServerProcess.start(temp, "--maxmemory", "3mb",
                "--maxmemory-policy", "noeviction")) {
            LettuceConnectionFactory factory = RedisTestSupport.standalone(RedisTestSupport.HOST, server.port());
            try {
                RedisBlockRepository repository = repository(factory, RedisStoreOptions.MIN_CHUNK_SIZE);
                TestBlocks.Planned block = TestBlocks.plan(new byte[8 << 20], Duration.ofMinutes(1), false);
                assertThatThrownBy(() -> repository.write(block.name(), block.preamble(), block.buffers()))
                        .isInstanceOf(AllocationException.class)
                        .hasMessageContaining("out of memory").hasMessageContaining("maxmemory");
                assertThat(RedisTestSupport.keys(factory, "")).isEmpty();
                assertThatThrownBy(() -> repository.read(block.name())).isInstanceOf(BlockNotFoundException.class);
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void chunkOverProtoMaxBulkLenIsRefusedBeforeAnyWrite() {
        try (RedisServerProcess server = RedisServerProcess.start(temp, "--proto-max-bulk-len", "1mb")) {
            LettuceConnectionFactory factory = RedisTestSupport.standalone(RedisTestSupport.HOST, server.port());
            try {
                RedisBlockRepository repository = repository(factory, 2 << 20);
                TestBlocks.Planned block = TestBlocks.plan(new byte[3 << 20], Duration.ofMinutes(1), false);
                assertThatThrownBy(() -> repository.write(block.name(), block.preamble(), block.buffers()))
                        .isInstanceOf(AllocationException.class)
                        .hasMessageContaining("proto-max-bulk-len").hasMessageContaining("chunk-size");
                assertThat(RedisTestSupport.keys(factory, "")).isEmpty();
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void chunkOverProtoMaxBulkLenIsExplainedWhenConfigIsRefused() {
        try (RedisServerProcess server = RedisServerProcess.start(temp, "--proto-max-bulk-len", "1mb",
                "--rename-command", "CONFIG", "")) {
            LettuceConnectionFactory factory = RedisTestSupport.standalone(RedisTestSupport.HOST, server.port());
            try {
                RedisBlockRepository repository = repository(factory, 2 << 20);
                TestBlocks.Planned block = TestBlocks.plan(new byte[3 << 20], Duration.ofMinutes(1), false);
                assertThatThrownBy(() -> repository.write(block.name(), block.preamble(), block.buffers()))
                        .isInstanceOf(AllocationException.class)
                        .hasMessageContaining("proto-max-bulk-len").hasMessageContaining("chunk-size");
                assertThat(RedisTestSupport.keys(factory, "")).isEmpty();
            } finally {
                factory.destroy();
            }
        }
    }

    @Test
    void unreachableRedisIsNamedWithTheConnectionSettings() {
        int port = freePort();
        LettuceConnectionFactory factory = RedisTestSupport.standalone(RedisTestSupport.HOST, port);
        try {
            RedisBlockRepository repository = repository(factory, RedisStoreOptions.DEFAULT_CHUNK_SIZE);
            TestBlocks.Planned block = TestBlocks.plan(new byte[1000], Duration.ofMinutes(1), false);
            assertThatThrownBy(() -> repository.write(block.name(), block.preamble(), block.buffers()))
                    .isInstanceOf(AllocationException.class)
                    .hasMessageContaining("unreachable").hasMessageContaining("spring.data.redis.host");
            assertThatThrownBy(() -> repository.read(block.name()))
                    .isExactlyInstanceOf(FastShareException.class).hasMessageContaining("unreachable");
            assertThatThrownBy(() -> repository.claim(block.name(), Manifest.plan(1000, 1 << 20, 0,
                    block.preamble().header().owner()).encode()))
                    .isExactlyInstanceOf(FastShareException.class).hasMessageContaining("unreachable");
            assertThatThrownBy(() -> repository.delete(block.name()))
                    .isExactlyInstanceOf(FastShareException.class).hasMessageContaining("unreachable");
        } finally {
            factory.destroy();
        }
    }

    private static RedisBlockRepository repository(LettuceConnectionFactory factory, int chunkSize) {
        return new RedisBlockRepository(factory, RedisStoreOptions.defaults().withChunkSize(chunkSize),
                Clock.systemUTC(), name -> { });
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
