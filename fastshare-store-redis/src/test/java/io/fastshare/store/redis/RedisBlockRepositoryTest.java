package io.fastshare.store.redis;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.codec.BufferSource;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockName;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.fastshare.store.redis.testing.TestBlocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis repository against the real Redis at 127.0.0.1:6379, each test under its own key prefix. */
class RedisBlockRepositoryTest {

    private static final int CHUNK = RedisStoreOptions.MIN_CHUNK_SIZE;

    LettuceConnectionFactory factory;
    String prefix;
    RedisBlockRepository repository;

    @BeforeEach
    void connect() {
        RedisTestSupport.requireSharedRedis();
        factory = RedisTestSupport.shared();
        prefix = RedisTestSupport.uniquePrefix();
        repository = new RedisBlockRepository(factory, RedisStoreOptions.defaults().withKeyPrefix(prefix)
                .withChunkSize(CHUNK), Clock.systemUTC(), name -> { });
    }

    @AfterEach
    void cleanUp() {
        if (factory != null) {
            RedisTestSupport.deleteAll(factory, prefix);
            factory.destroy();
        }
    }

    @Test
    void roundTripOverManyChunksKeepsEveryKeyInOneSlotWithTheTtl() {
        float[] payload = TestBlocks.floats(300_000, 7);
        TestBlocks.Planned block = TestBlocks.plan(payload, Duration.ofMinutes(5), true);
        repository.write(block.name(), block.preamble(), block.buffers());

        byte[] bytes = repository.read(block.name());
        assertThat((float[]) TestBlocks.decode(bytes, float[].class)).isEqualTo(payload);
        Set<String> keys = RedisTestSupport.keys(factory, prefix);
        int chunks = (int) ((block.preamble().header().totalLength() + CHUNK - 1) / CHUNK);
        assertThat(chunks).isGreaterThan(10);
        assertThat(keys).hasSize(chunks + 1)
                .allSatisfy(key -> assertThat(key).startsWith(prefix + "{" + block.name().value() + "}:"));
        try (RedisConnection connection = factory.getConnection()) {
            for (String key : keys) {
                Long ttl = connection.keyCommands().pTtl(key.getBytes(StandardCharsets.US_ASCII));
                assertThat(ttl).as("TTL of %s", key).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5).toMillis());
            }
        }
        assertThat(repository.liveBlocks()).extracting(RemoteBlock::name).containsExactly(block.name());
    }

    @Test
    void blockWithoutTtlHasPersistentKeysOnceCommittedAndOrphanTtlBefore() {
        List<Long> ttlsBeforeCommit = new ArrayList<>();
        RedisBlockRepository hooked = new RedisBlockRepository(factory, repository.options(), Clock.systemUTC(),
                name -> ttlsBeforeCommit.addAll(ttls()));
        TestBlocks.Planned block = TestBlocks.plan(new byte[200_000], null, false);
        hooked.write(block.name(), block.preamble(), block.buffers());

        assertThat(ttlsBeforeCommit).isNotEmpty().allSatisfy(ttl -> assertThat(ttl).isPositive()
                .isLessThanOrEqualTo(RedisStoreOptions.DEFAULT_ORPHAN_TIMEOUT.toMillis()));
        assertThat(ttls()).hasSize(ttlsBeforeCommit.size() + 1).containsOnly(-1L);
        assertThat(hooked.delete(block.name())).isTrue();
        assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
    }

    private List<Long> ttls() {
        List<Long> ttls = new ArrayList<>();
        try (RedisConnection connection = factory.getConnection()) {
            for (String key : RedisTestSupport.keys(factory, prefix)) {
                ttls.add(connection.keyCommands().pTtl(key.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return ttls;
    }

    @Test
    void uncommittedBlockIsNotReadable() {
        TestBlocks.Planned block = TestBlocks.plan(new byte[100_000], Duration.ofMinutes(1), false);
        RedisBlockRepository hooked = new RedisBlockRepository(factory, repository.options(), Clock.systemUTC(),
                name -> {
                    assertThat(RedisTestSupport.keys(factory, prefix)).isNotEmpty();
                    assertThatThrownBy(() -> repository.read(name)).isInstanceOf(BlockNotFoundException.class);
                    assertThatThrownBy(() -> repository.fetch(name)).isInstanceOf(BlockNotFoundException.class);
                });
        hooked.write(block.name(), block.preamble(), block.buffers());
        assertThat((byte[]) TestBlocks.decode(repository.read(block.name()), byte[].class)).hasSize(100_000);
    }

    @Test
    void failedWriteLeavesNoKey() {
        TestBlocks.Planned good = TestBlocks.plan(new byte[300_000], Duration.ofMinutes(1), false);
        BufferSource failing = new BufferSource() {
            @Override
            public long byteLength() {
                return 300_000;
            }

            @Override
            public void copyTo(long sourceOffset, ByteBuffer target) {
                if (sourceOffset > 150_000) {
                    throw new IllegalStateException("source broke");
                }
                target.position(target.limit());
            }
        };
        List<PayloadBuffer> buffers = List.of(new PayloadBuffer(good.buffers().get(0).spec(), failing));
        assertThatThrownBy(() -> repository.write(good.name(), good.preamble(), buffers))
                .isInstanceOf(AllocationException.class).hasMessageContaining("source broke");
        assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
    }

    @Test
    void claimHasExactlyOneWinnerAndLeavesNoKey() throws Exception {
        byte[] payload = new byte[500_000];
        payload[499_999] = 42;
        TestBlocks.Planned block = TestBlocks.plan(payload, Duration.ofMinutes(1), false);
        repository.write(block.name(), block.preamble(), block.buffers());

        int takers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < takers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        // A taker may lose before it has read everything, or at the claim.
                        RedisBlockRepository.Fetched fetched = repository.fetch(block.name());
                        repository.claim(block.name(), fetched.commitValue());
                        return fetched.bytes();
                    } catch (BlockNotFoundException e) {
                        return null;
                    }
                }));
            }
            start.countDown();
            List<byte[]> won = new ArrayList<>();
            for (Future<byte[]> result : results) {
                byte[] bytes = result.get();
                if (bytes != null) {
                    won.add(bytes);
                }
            }
            assertThat(won).hasSize(1);
            assertThat((byte[]) TestBlocks.decode(won.get(0), byte[].class)).isEqualTo(payload);
        } finally {
            pool.shutdownNow();
        }
        assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
        assertThatThrownBy(() -> repository.read(block.name())).isInstanceOf(BlockNotFoundException.class);
        assertThat(repository.liveBlocks()).isEmpty();
    }

    @Test
    void releaseDeletesEveryKeyOnce() {
        TestBlocks.Planned block = TestBlocks.plan("hello redis".repeat(20_000), Duration.ofMinutes(1), false);
        repository.write(block.name(), block.preamble(), block.buffers());
        assertThat(repository.exists(block.name())).isTrue();

        assertThat(repository.delete(block.name())).isTrue();
        assertThat(repository.delete(block.name())).isFalse();
        assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
        assertThat(repository.exists(block.name())).isFalse();
        assertThatThrownBy(() -> repository.read(block.name())).isInstanceOf(BlockNotFoundException.class)
                .hasMessageContaining(block.name().value());
    }

    @Test
    void blockExpiresWithItsTtl() {
        TestBlocks.Planned block = TestBlocks.plan(new byte[200_000], Duration.ofMillis(300), false);
        repository.write(block.name(), block.preamble(), block.buffers());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!RedisTestSupport.keys(factory, prefix).isEmpty()) {
            assertThat(System.nanoTime()).as("keys still there 20 s after a 300 ms TTL").isLessThan(deadline);
            sleep(50);
        }
        assertThatThrownBy(() -> repository.read(block.name())).isInstanceOf(BlockNotFoundException.class);
        assertThat(repository.liveBlocks()).isEmpty();
    }

    @Test
    void missingChunkUnderALiveCommitKeyIsReportedAsEviction() {
        TestBlocks.Planned block = TestBlocks.plan(new byte[300_000], Duration.ofMinutes(1), false);
        repository.write(block.name(), block.preamble(), block.buffers());
        try (RedisConnection connection = factory.getConnection()) {
            connection.keyCommands().del(new RedisKeys(prefix, block.name()).chunk(2));
        }
        assertThatThrownBy(() -> repository.read(block.name())).isInstanceOf(BlockNotFoundException.class)
                .hasMessageContaining("evicted").hasMessageContaining("noeviction");
        assertThatThrownBy(() -> repository.fetch(block.name())).isInstanceOf(BlockNotFoundException.class)
                .hasMessageContaining("evicted");
    }

    @Test
    void foreignValuesAreRejectedCleanly() {
        BlockName name = TestBlocks.plan(new byte[1], null, false).name();
        RedisKeys keys = new RedisKeys(prefix, name);
        try (RedisConnection connection = factory.getConnection()) {
            connection.stringCommands().set(keys.manifest(), "fshr1 1 65536 99999999999 0 00".getBytes());
        }
        assertThatThrownBy(() -> repository.read(name)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("commit key");
        try (RedisConnection connection = factory.getConnection()) {
            Manifest manifest = new Manifest(1, CHUNK, 1000, 0, io.fastshare.format.OwnerId.random(new java.security.SecureRandom()));
            connection.stringCommands().set(keys.manifest(), manifest.encode());
            connection.stringCommands().set(keys.chunk(0), new byte[999]);
        }
        assertThatThrownBy(() -> repository.read(name)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("chunk 0 holds 999 bytes");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
