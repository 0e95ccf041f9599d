package io.fastshare.python;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java janitor and a Python writer: while the Python process lives its lease is locked and its blocks
 * (committed or half-written) are LIVE; after {@code kill -9} they are ORPHANED and INCOMPLETE and the
 * Java janitor reclaims them and the dead lease.
 */
class PythonWriterKilledTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path temp;

    @Test
    void javaJanitorSeesALivePythonWriterLiveAndAKilledOneDead() throws Exception {
        Path dir = TestDirs.blockDir(temp);
        Path writer = Python.packageDir().resolve("tests/writer_child.py");
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build();
                ChildJvm python = Python.start(dir, writer, dir.toString(), "2", "--incomplete")) {
            String first = python.awaitLine("TOKEN ", TIMEOUT);
            python.awaitLine("TOKEN ", TIMEOUT);
            String owner = python.awaitLine("OWNER ", TIMEOUT);
            String writing = Path.of(python.awaitLine("WRITING ", TIMEOUT)).getFileName().toString();

            assertThat(template.blocks()).hasSize(3).allMatch(b -> b.state() == BlockState.LIVE);
            CleanupResult none = template.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
            assertThat(none.cleaned()).isEmpty();
            assertThat(none.leasesReclaimed()).isEmpty();

            python.kill9();
            assertThat(template.blocks()).extracting(BlockInfo::name, BlockInfo::state).containsOnly(
                    org.assertj.core.groups.Tuple.tuple(first.substring(9), BlockState.ORPHANED),
                    org.assertj.core.api.Assertions.tuple(template.blocks().stream()
                            .filter(b -> !b.name().equals(first.substring(9)) && !b.name().equals(writing))
                            .findFirst().orElseThrow().name(), BlockState.ORPHANED),
                    org.assertj.core.api.Assertions.tuple(writing, BlockState.INCOMPLETE));
            // a reader still picks up the dead writer's handoff within the grace period
            assertThat(template.read(first, float[].class)).hasSize(50_000);

            Path lease = dir.resolve(".owners").resolve(owner + ".lease");
            Files.setLastModifiedTime(lease, FileTime.from(Instant.now().minusSeconds(10)));
            CleanupResult result = template.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
            assertThat(result.cleaned()).hasSize(3);
            assertThat(result.leasesReclaimed()).containsExactly(owner);
            assertThat(lease).doesNotExist();
        }
        TestDirs.assertNoBlocks(dir);
    }
}
