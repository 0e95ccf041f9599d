package io.fastshare.codec;

import io.fastshare.CodecException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A user codec registered on the builder round-trips across JVMs, inline and in shared memory. */
class CustomCodecCrossProcessTest {

    @TempDir
    Path tempDir;

    @Test
    void userCodecRoundTripsAcrossProcesses() {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).codec(new PointsCodec())
                .build()) {
            Points big = Points.make("big", 1_000_000);
            Points small = Points.make("small", 10);
            String shared = template.write(big);
            String inline = template.write(small);
            assertThat(shared).startsWith("FSHR:pool:");
            assertThat(inline).startsWith("FSHR:inl:");
            try (SharedPayload payload = template.open(shared)) {
                assertThat(payload.codecId()).isEqualTo("points");
                assertThat(payload.buffers()).hasSize(2);
            }

            try (ChildJvm child = ChildJvm.start(CustomCodecChildMain.class, dir.toString(), shared, inline)) {
                assertThat(child.awaitLine("READ ", Duration.ofSeconds(60))).isEqualTo(big.digest());
                assertThat(child.awaitLine("READ ", Duration.ofSeconds(60))).isEqualTo(small.digest());
                String fromChild = child.awaitLine("TOKEN ", Duration.ofSeconds(60));
                assertThat(template.read(fromChild, Points.class).digest())
                        .isEqualTo(Points.make("from-child", 300_000).digest());
                assertThat(((Points) template.read(fromChild)).label()).isEqualTo("from-child");
                child.send("done");
                assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
            }
            template.release(shared);
        } finally {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void readerWithoutTheCodecGetsACodecException() {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).codec(new PointsCodec())
                .build();
             SharedMemoryTemplate reader = SharedMemoryTemplate.builder().directory(dir).build()) {
            String token = writer.write(Points.make("p", 5), WriteOptions.defaults().inline());
            assertThatThrownBy(() -> reader.read(token, Points.class))
                    .isInstanceOf(CodecException.class)
                    .hasMessageContaining("'points'");
        } finally {
            TestDirs.assertNoBlocks(dir);
        }
    }
}
