package io.fastshare.store.redis;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.store.redis.testing.RedisTemplates;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.fastshare.store.redis.testing.TestBlocks;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Handoffs through the real Redis at 127.0.0.1:6379 between JVMs that share no block directory, as
 * services on different hosts: each process has its own private block directory, which must stay
 * empty, so every byte went through Redis.
 */
class RedisCrossProcessTest extends SharedRedisTest {

    private static final int SIXTY_FOUR_MB = 64 << 20;

    @Test
    void sixtyFourMegabyteRecordFromAnotherJvm() {
        try (ChildJvm writer = ChildJvm.start(List.of("-Xmx512m"), RedisWriterMain.class, prefix,
                dir("writer").toString(), String.valueOf(SIXTY_FOUR_MB));
                SharedMemoryTemplate reader = RedisTemplates.reader(factory, prefix, dir("reader"))) {
            String token = writer.awaitLine("TOKEN ", Duration.ofSeconds(120));
            assertThat(token).startsWith("FSHR:rds:FSHR_");

            float[] read = reader.read(token, float[].class);
            assertThat(read).isEqualTo(TestBlocks.floats(SIXTY_FOUR_MB / 4, 42));
            try (var payload = reader.open(token)) {
                assertThat(payload.view(0).asFloatBuffer().get(SIXTY_FOUR_MB / 4 - 1))
                        .isEqualTo(read[SIXTY_FOUR_MB / 4 - 1]);
            }
            float[] taken = reader.take(token, float[].class);
            assertThat(taken).isEqualTo(read);
            assertThatThrownBy(() -> reader.read(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
            assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();

            writer.send("done");
            writer.awaitLine("CLOSED", Duration.ofSeconds(60));
            assertThat(writer.awaitExit(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void takeIsClaimOnceAcrossTwoConsumerJvms() {
        int count = 24;
        try (SharedMemoryTemplate writer = RedisTemplates.writer(factory, prefix, dir("writer"));
                ChildJvm first = ChildJvm.start(List.of("-Xmx256m"), RedisTakerMain.class, prefix, dir("a").toString());
                ChildJvm second = ChildJvm.start(List.of("-Xmx256m"), RedisTakerMain.class, prefix, dir("b").toString())) {
            first.awaitLine("READY", Duration.ofSeconds(60));
            second.awaitLine("READY", Duration.ofSeconds(60));
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                float[] payload = TestBlocks.floats(300_000, i);
                tokens.add(writer.write(payload));
            }
            for (String token : tokens) {
                first.send(token);
                second.send(token);
            }
            first.send("");
            second.send("");
            first.awaitLine("DONE", Duration.ofSeconds(120));
            second.awaitLine("DONE", Duration.ofSeconds(120));

            Map<String, Integer> winners = new HashMap<>();
            for (ChildJvm taker : List.of(first, second)) {
                for (String line : taker.output()) {
                    String[] parts = line.split(" ");
                    if (parts[0].equals("TOOK")) {
                        winners.merge(parts[1], 1, Integer::sum);
                        int index = tokens.indexOf(parts[1]);
                        assertThat(Float.parseFloat(parts[2])).isEqualTo(TestBlocks.floats(1, index)[0]);
                        assertThat(Integer.parseInt(parts[3])).isEqualTo(300_000);
                    }
                }
            }
            assertThat(winners).as("exactly one taker per token").hasSize(count).containsOnlyKeys(tokens)
                    .allSatisfy((token, wins) -> assertThat(wins).isEqualTo(1));
            assertThat(RedisTestSupport.keys(factory, prefix)).isEmpty();
            assertThat(writer.blocks()).as("the writer's live blocks").isEmpty();
        }
    }

    @Test
    void writerKilledMidWriteLeavesNothingReadableAndNothingBeyondTheOrphanTimeout() {
        try (ChildJvm writer = ChildJvm.start(List.of("-Xmx512m"), RedisWriterMain.class, prefix,
                dir("writer").toString(), String.valueOf(16 << 20), "hang");
                SharedMemoryTemplate reader = RedisTemplates.reader(factory, prefix, dir("reader"))) {
            String name = writer.awaitLine("CHUNKS ", Duration.ofSeconds(60));
            writer.kill9();

            String token = "FSHR:rds:" + name;
            assertThatThrownBy(() -> reader.read(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
            assertThatThrownBy(() -> reader.take(token, float[].class)).isInstanceOf(BlockNotFoundException.class);
            Set<String> keys = RedisTestSupport.keys(factory, prefix);
            assertThat(keys).as("the chunks, and no commit key").isNotEmpty()
                    .noneMatch(key -> key.endsWith(":m"));
            try (RedisConnection connection = factory.getConnection()) {
                for (String key : keys) {
                    // The default TTL (10 minutes) bounds every chunk's life.
                    assertThat(connection.keyCommands().pTtl(key.getBytes(StandardCharsets.US_ASCII)))
                            .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10).toMillis());
                }
            }
        }
    }

    @Test
    void blockExpiresWithItsTtl() throws InterruptedException {
        try (SharedMemoryTemplate writer = RedisTemplates.writer(factory, prefix, dir("writer"));
                SharedMemoryTemplate reader = RedisTemplates.reader(factory, prefix, dir("reader"))) {
            // Long enough for a slow machine to finish the write (a write outliving its TTL fails).
            String token = writer.write(new byte[3 << 20], io.fastshare.WriteOptions.defaults().ttl(Duration.ofSeconds(4)));
            assertThat(token).startsWith("FSHR:rds:");
            assertThat(RedisTestSupport.keys(factory, prefix)).isNotEmpty();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!RedisTestSupport.keys(factory, prefix).isEmpty()) {
                assertThat(System.nanoTime()).as("keys outlived the TTL by 20 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThatThrownBy(() -> reader.read(token, byte[].class)).isInstanceOf(BlockNotFoundException.class);
            assertThat(writer.blocks()).isEmpty();
        }
    }
}
