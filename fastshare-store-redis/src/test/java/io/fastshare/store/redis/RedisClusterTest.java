package io.fastshare.store.redis;

import io.fastshare.BlockNotFoundException;
import io.fastshare.store.redis.testing.RedisClusterProcess;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.fastshare.store.redis.testing.TestBlocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A three-node Redis Cluster started by the test from the same {@code redis-server} binary: blocks of
 * many chunks are written, read, claimed and released through the scripts, which only work because
 * every key of a block shares its hash slot; the blocks spread over all three masters.
 */
class RedisClusterTest {

    @TempDir
    Path temp;

    @Test
    void blocksSpreadOverTheNodesAndEveryOperationWorks() {
        try (RedisClusterProcess cluster = RedisClusterProcess.start(temp)) {
            LettuceConnectionFactory factory = RedisTestSupport.cluster(cluster.ports());
            try {
                RedisBlockRepository repository = new RedisBlockRepository(factory,
                        RedisStoreOptions.defaults().withChunkSize(RedisStoreOptions.MIN_CHUNK_SIZE), Clock.systemUTC(),
                        name -> { });
                List<TestBlocks.Planned> blocks = new ArrayList<>();
                Set<Integer> slots = new HashSet<>();
                // 40 random block names miss one of three masters with odds of about 3 in 10 million
                // (12 missed one about 2% of the time).
                for (int i = 0; i < 40; i++) {
                    TestBlocks.Planned block = TestBlocks.plan(TestBlocks.floats(100_000, i), Duration.ofMinutes(5), i % 2 == 0);
                    repository.write(block.name(), block.preamble(), block.buffers());
                    blocks.add(block);
                    slots.add(slotOf(factory, new RedisKeys(RedisStoreOptions.DEFAULT_KEY_PREFIX, block.name()).manifest()));
                }
                assertThat(slots).hasSizeGreaterThan(1);
                assertThat(masterCount(factory, slots)).as("masters holding blocks").isEqualTo(3);

                for (int i = 0; i < blocks.size(); i++) {
                    float[] read = (float[]) TestBlocks.decode(repository.read(blocks.get(i).name()), float[].class);
                    assertThat(read).isEqualTo(TestBlocks.floats(100_000, i));
                }
                TestBlocks.Planned taken = blocks.get(0);
                RedisBlockRepository.Fetched fetched = repository.fetch(taken.name());
                repository.claim(taken.name(), fetched.commitValue());
                assertThatThrownBy(() -> repository.claim(taken.name(), fetched.commitValue()))
                        .isInstanceOf(BlockNotFoundException.class);
                for (TestBlocks.Planned block : blocks.subList(1, blocks.size())) {
                    assertThat(repository.delete(block.name())).isTrue();
                }
                assertThat(RedisTestSupport.keys(factory, RedisStoreOptions.DEFAULT_KEY_PREFIX)).isEmpty();
            } finally {
                factory.destroy();
            }
        }
    }

    private static int slotOf(LettuceConnectionFactory factory, byte[] key) {
        try (RedisClusterConnection connection = factory.getClusterConnection()) {
            return connection.clusterGetSlotForKey(key);
        }
    }

    private static long masterCount(LettuceConnectionFactory factory, Set<Integer> slots) {
        try (RedisClusterConnection connection = factory.getClusterConnection()) {
            return slots.stream().map(slot -> connection.clusterGetNodeForSlot(slot).getId()).distinct().count();
        }
    }

    static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
