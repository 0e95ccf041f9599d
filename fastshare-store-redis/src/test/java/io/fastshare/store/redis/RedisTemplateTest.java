package io.fastshare.store.redis;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.Fallback;
import io.fastshare.SharedBlock;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.store.redis.testing.RedisTemplates;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.fastshare.store.redis.testing.TestBlocks;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole template API over the Redis store, against the real Redis at 127.0.0.1:6379: the same
 * calls as with local shared memory, and no silent fallback to local shared memory.
 */
class RedisTemplateTest extends SharedRedisTest {

    @Test
    void openGivesHeapViewsThatOutliveTheRelease() {
        try (SharedMemoryTemplate writer = RedisTemplates.writer(factory, prefix, dir("w"));
                SharedMemoryTemplate reader = RedisTemplates.reader(factory, prefix, dir("r"))) {
            float[] payload = TestBlocks.floats(2_000_000, 5);
            String token = writer.write(payload);
            try (SharedPayload open = reader.open(token)) {
                assertThat(writer.release(token)).isTrue();
                ByteBuffer view = open.view(0);
                assertThat(view.isReadOnly()).isTrue();
                assertThat(view.asFloatBuffer().get(1_999_999)).isEqualTo(payload[1_999_999]);
                assertThat(open.value(float[].class)).isEqualTo(payload);
            }
            assertThatThrownBy(() -> reader.open(token)).isInstanceOf(BlockNotFoundException.class);
            assertThat(writer.release(token)).isFalse();
        }
    }

    @Test
    void shareAndLoadAcrossTemplates() {
        try (SharedMemoryTemplate writer = RedisTemplates.writer(factory, prefix, dir("w"));
                SharedMemoryTemplate reader = RedisTemplates.reader(factory, prefix, dir("r"))) {
            String token;
            try (SharedBlock block = writer.share(new int[] {1, 2, 3})) {
                token = block.token();
                assertThat(token).startsWith("FSHR:rds:FSHR_");
                int[] first = reader.load(token, int[].class);
                assertThat(first).containsExactly(1, 2, 3);
                assertThat(reader.load(token, int[].class)).isSameAs(first);
                List<BlockInfo> blocks = writer.blocks();
                assertThat(blocks).singleElement().satisfies(info -> {
                    assertThat(info.token()).isEqualTo(token);
                    assertThat(info.kind()).isEqualTo(RedisBlockStore.KIND);
                    assertThat(info.expires()).isNull();
                    assertThat(info.ownedByThisProcess()).isTrue();
                });
                assertThat(writer.usage(RedisBlockStore.KIND).blocks()).isEqualTo(1);
            }
            assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
            reader.clearCache();
            assertThatThrownBy(() -> reader.load(token, int[].class)).isInstanceOf(BlockNotFoundException.class);
        }
    }

    @Test
    void closeReleasesTheWritersBlocks() {
        SharedMemoryTemplate writer = RedisTemplates.writer(factory, prefix, dir("w"));
        writer.write(new byte[100_000]);
        writer.write("text".repeat(1000));
        assertThat(RedisTestSupport.keys(factory, prefix)).hasSize(4);
        writer.close();
        assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
    }

    @Test
    void unreachableRedisNeverFallsBackToLocalSharedMemory() {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        LettuceConnectionFactory nowhere = RedisTestSupport.standalone(RedisTestSupport.HOST, port);
        Path dir = dir("w");
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .maxInlineSize(1 << 20)
                .store(RedisBlockStore.factory(nowhere, RedisStoreOptions.defaults().withKeyPrefix(prefix)))
                .fileStoreWrites(false)
                .build();
                SharedMemoryTemplate strict = SharedMemoryTemplate.builder().directory(dir("s")).threshold(0)
                        .fallback(Fallback.FAIL)
                        .store(RedisBlockStore.factory(nowhere, RedisStoreOptions.defaults().withKeyPrefix(prefix)))
                        .fileStoreWrites(false)
                        .build()) {
            assertThatThrownBy(() -> writer.write(new byte[2 << 20])).isInstanceOf(AllocationException.class)
                    .hasMessageContaining("unreachable").hasMessageContaining("spring.data.redis");
            // Small enough for the inline fallback: the token carries the bytes, readable on any host.
            assertThat(writer.write(new byte[1000])).startsWith("FSHR:inl:");
            assertThatThrownBy(() -> strict.write(new byte[1000])).isInstanceOf(AllocationException.class)
                    .hasMessageContaining("unreachable");
        } finally {
            nowhere.destroy();
        }
    }
}
