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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis server (started by the test on its own port, keeping nothing on disk) restarted mid-run:
 * during the outage every operation fails with a fastshare exception naming the cause; afterwards the
 * same repository and connection factory work again, and blocks lost with the restart are reported as
 * not found, never as partial payloads.
 */
class RedisRestartTest {

    @TempDir
    Path temp;

    @Test
    void outageFailsCleanlyAndTheStoreRecoversAfterTheRestart() {
        try (RedisServerProcess server = RedisServerProcess.start(temp)) {
            LettuceConnectionFactory factory = RedisTestSupport.standalone(RedisTestSupport.HOST, server.port());
            try {
                RedisBlockRepository repository = new RedisBlockRepository(factory,
                        RedisStoreOptions.defaults().withChunkSize(RedisStoreOptions.MIN_CHUNK_SIZE), Clock.systemUTC(),
                        name -> { });
                float[] payload = TestBlocks.floats(200_000, 3);
                TestBlocks.Planned before = TestBlocks.plan(payload, Duration.ofMinutes(5), false);
                repository.write(before.name(), before.preamble(), before.buffers());
                assertThat((float[]) TestBlocks.decode(repository.read(before.name()), float[].class)).isEqualTo(payload);

                server.stop();
                TestBlocks.Planned during = TestBlocks.plan(payload, Duration.ofMinutes(5), false);
                assertThatThrownBy(() -> repository.write(during.name(), during.preamble(), during.buffers()))
                        .isInstanceOf(AllocationException.class).hasMessageContaining("unreachable");
                assertThatThrownBy(() -> repository.read(before.name()))
                        .isInstanceOf(FastShareException.class).hasMessageContaining("unreachable");

                server.start();
                awaitReconnect(repository, before);
                assertThatThrownBy(() -> repository.read(before.name())).isInstanceOf(BlockNotFoundException.class);
                TestBlocks.Planned after = TestBlocks.plan(payload, Duration.ofMinutes(5), false);
                repository.write(after.name(), after.preamble(), after.buffers());
                assertThat((float[]) TestBlocks.decode(repository.read(after.name()), float[].class)).isEqualTo(payload);
                assertThat(repository.delete(after.name())).isTrue();
                assertThat(RedisTestSupport.keys(factory, "")).isEmpty();
            } finally {
                factory.destroy();
            }
        }
    }

    /** Lettuce reconnects in the background; until then commands are rejected (not queued). */
    private static void awaitReconnect(RedisBlockRepository repository, TestBlocks.Planned probe) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                repository.exists(probe.name());
                return;
            } catch (FastShareException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the client did not reconnect within 30 s", e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(interrupted);
                }
            }
        }
    }
}
