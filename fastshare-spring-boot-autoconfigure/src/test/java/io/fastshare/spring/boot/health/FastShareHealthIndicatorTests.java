package io.fastshare.spring.boot.health;

import io.fastshare.MemoryHeadroom;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.spring.boot.cleanup.BlockScan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The health indicator's states: UP, OUT_OF_SERVICE below the free-space floor, DOWN without a directory. */
class FastShareHealthIndicatorTests {

    @TempDir
    Path tempDir;

    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        template = SharedMemoryTemplate.builder().directory(TestDirs.blockDir(tempDir)).build();
    }

    @AfterEach
    void tearDown() {
        Path dir = template.directory();
        template.close();
        TestDirs.deleteTree(dir);
    }

    @Test
    void upWithDetails() {
        Health health = new FastShareHealthIndicator(template, 0, Optional::empty).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("directory", template.directory().toString())
                .containsKeys("free", "total", "minFree", "threshold", "ownedBlocks", "ownedBytes")
                .doesNotContainKey("orphans");
    }

    @Test
    void memoryCgroupHeadroomIsADetailWhereThereIsALimit() {
        MemoryHeadroom memory = new MemoryHeadroom(1000, 600, 0.9, "/sys/fs/cgroup/memory.max");
        Health health = new FastShareHealthIndicator(template, 0, Optional::empty, () -> Optional.of(memory)).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("memoryLimit", 1000L).containsEntry("memoryUsage", 600L)
                .containsEntry("memoryHeadroom", 300L);
        Health unlimited = new FastShareHealthIndicator(template, 0, Optional::empty, Optional::empty).health();
        assertThat(unlimited.getDetails()).doesNotContainKey("memoryHeadroom");
    }

    @Test
    void outOfServiceBelowTheFreeSpaceFloor() {
        Health health = new FastShareHealthIndicator(template, Long.MAX_VALUE, Optional::empty).health();
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat((String) health.getDetails().get("error")).contains("fastshare.health.min-free-space");
    }

    @Test
    void downWhenTheDirectoryIsGone() {
        TestDirs.deleteTree(template.directory());
        Health health = new FastShareHealthIndicator(template, 0, Optional::empty).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) health.getDetails().get("error")).contains("missing or not writable");
    }

    @Test
    void orphanCountFromTheLatestScan() {
        BlockScan scan = BlockScan.of(Instant.parse("2026-01-01T00:00:00Z"), List.of());
        Health health = new FastShareHealthIndicator(template, 0, () -> Optional.of(scan)).health();
        assertThat(health.getDetails()).containsEntry("orphans", 0).containsEntry("orphanBytes", 0L)
                .containsEntry("lastScan", "2026-01-01T00:00:00Z");
    }
}
