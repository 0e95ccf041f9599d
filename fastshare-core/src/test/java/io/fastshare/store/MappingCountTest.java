package io.fastshare.store;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.format.BufferDescriptor;
import io.fastshare.format.ElementType;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 12, item 1: {@code open()} maps a block in a bounded number of regions, not one mapping per
 * buffer, so a block of many buffers cannot exhaust {@code vm.max_map_count} and crash the JVM. The
 * build runs this class on JDK 17 and on JDK 25.
 */
class MappingCountTest {

    @TempDir
    Path temp;

    @Test
    void openOfTwoThousandBuffersCostsOneMapping() {
        assumeTrue(ProcMaps.available(), "needs /proc/self/maps (Linux)");
        Path dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            List<float[]> vectors = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                float[] vector = new float[1024];
                vector[1023] = i;
                vectors.add(vector);
            }
            String token = template.write(new ManyBuffersMain.Vectors("m", vectors));
            long before = ProcMaps.mappingsUnder(dir);
            try (SharedPayload payload = template.open(token)) {
                assertThat(payload.buffers()).hasSize(2_000);
                long during = ProcMaps.mappingsUnder(dir) - before;
                assertThat(during).as("mappings of one open block of 2,000 buffers").isBetween(1L, 2L);
                FloatBuffer last = payload.view(1_999).asFloatBuffer();
                assertThat(last.get(1023)).isEqualTo(1_999f);
                assertThat(payload.view(7).asFloatBuffer().get(1023)).isEqualTo(7f);
                assertThat(payload.value(ManyBuffersMain.Vectors.class).vectors().get(1_234)[1023]).isEqualTo(1_234f);
            }
            assertThat(ProcMaps.mappingsUnder(dir)).as("mappings after close").isEqualTo(before);
            template.release(token);
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void openOfTheIssuesReproducerDoesNotCrashTheJvm() {
        Path dir = TestDirs.blockDir(temp);
        try (ChildJvm child = ChildJvm.start(List.of("-Xmx1g"), ManyBuffersMain.class, dir.toString(), "65536")) {
            String opened = child.awaitLine("OPENED ", Duration.ofMinutes(3));
            assertThat(opened.split(" ")[0]).isEqualTo("65536");
            assertThat(Long.parseLong(opened.split(" ")[1])).as("mappings").isLessThanOrEqualTo(2);
            assertThat(child.awaitLine("LAST ", Duration.ofMinutes(2))).isEqualTo("65535");
            child.awaitLine("DONE", Duration.ofMinutes(1));
            assertThat(child.awaitExit(Duration.ofMinutes(1))).isZero();
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void planGroupsBuffersIntoBoundedRegions() {
        List<BufferDescriptor> buffers = new ArrayList<>();
        long offset = 4096;
        for (int i = 0; i < 10; i++) {
            buffers.add(new BufferDescriptor(offset, 400, ElementType.BYTES, new long[] {400}));
            offset += 448;
        }
        buffers.add(new BufferDescriptor(offset, 0, ElementType.BYTES, new long[] {0}));
        buffers.add(new BufferDescriptor(offset, 5000, ElementType.BYTES, new long[] {5000}));
        MappingPlan plan = MappingPlan.of(buffers, 1000);
        // 400-byte buffers 448 apart: two per 1000-byte region; the empty one unmapped; the big one alone.
        assertThat(plan.regionCount()).isEqualTo(6);
        assertThat(plan.regionOf(0)).isEqualTo(plan.regionOf(1));
        assertThat(plan.regionOf(2)).isEqualTo(1);
        assertThat(plan.regionOf(10)).isEqualTo(-1);
        assertThat(plan.regionLength(plan.regionOf(11))).isEqualTo(5000);
        assertThat(MappingPlan.of(buffers).regionCount()).isEqualTo(1);
    }
}
