package io.fastshare.store;

import io.fastshare.AllocationException;
import io.fastshare.MemoryHeadroom;
import io.fastshare.TestDirs;
import io.fastshare.codec.ArraySources;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.BufferSpec;
import io.fastshare.format.ElementType;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Memory cgroup headroom from fixture files of both cgroup versions (the reader takes a root path),
 * and the write check built on it. The build machine's own cgroups are only read, never changed.
 */
class MemoryCgroupTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** A Kubernetes pod on cgroup v2: the container sees its own cgroup as the mount's root. */
    private void v2Container(String limit, long current, long inactiveFile) throws IOException {
        write("proc/self/cgroup", "0::/\n");
        write("proc/self/mountinfo", "22 28 0:21 / /proc rw,nosuid - proc proc rw\n"
                + "30 25 0:26 /kubepods/pod1/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw,nsdelegate\n");
        write("sys/fs/cgroup/memory.max", limit + "\n");
        write("sys/fs/cgroup/memory.current", current + "\n");
        write("sys/fs/cgroup/memory.stat", "anon 1000\nfile 5000\ninactive_file " + inactiveFile + "\nshmem 0\n");
    }

    @Test
    void v2LimitUsageAndInactiveFileCache() throws IOException {
        v2Container(Long.toString(512 * MIB), 300 * MIB, 50 * MIB);
        MemoryCgroup cgroup = MemoryCgroup.detect(root).orElseThrow();
        assertThat(cgroup.v2()).isTrue();
        MemoryHeadroom headroom = cgroup.headroom(0.9).orElseThrow();
        assertThat(headroom.limitBytes()).isEqualTo(512 * MIB);
        assertThat(headroom.usageBytes()).isEqualTo(250 * MIB);
        assertThat(headroom.headroomBytes()).isEqualTo((long) Math.floor(512 * MIB * 0.9) - 250 * MIB);
        assertThat(headroom.limitFile()).endsWith("sys/fs/cgroup/memory.max");
    }

    @Test
    void v2WithoutLimitHasNoHeadroom() throws IOException {
        v2Container("max", 300 * MIB, 0);
        assertThat(MemoryCgroup.detect(root).orElseThrow().headroom(0.9)).isEmpty();
    }

    @Test
    void v2HostViewFindsTheCgroupBelowTheMountAndItsTightestAncestor() throws IOException {
        write("proc/self/cgroup", "0::/system.slice/app.service\n");
        write("proc/self/mountinfo", "35 24 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/system.slice/app.service/memory.max", "max\n");
        write("sys/fs/cgroup/system.slice/app.service/memory.current", Long.toString(10 * MIB));
        write("sys/fs/cgroup/system.slice/memory.max", Long.toString(100 * MIB));
        write("sys/fs/cgroup/system.slice/memory.current", Long.toString(80 * MIB));
        MemoryCgroup cgroup = MemoryCgroup.detect(root).orElseThrow();
        assertThat(cgroup.directory()).isEqualTo(root.resolve("sys/fs/cgroup/system.slice/app.service"));
        MemoryHeadroom headroom = cgroup.headroom(1.0).orElseThrow();
        assertThat(headroom.limitBytes()).isEqualTo(100 * MIB);
        assertThat(headroom.headroomBytes()).isEqualTo(20 * MIB);
    }

    @Test
    void v1HybridPrefersTheMemoryControllerAndTotalInactiveFile() throws IOException {
        write("proc/self/cgroup", "12:pids:/docker/abc\n4:memory:/docker/abc\n0::/docker/abc\n");
        write("proc/self/mountinfo", "31 23 0:28 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755\n"
                + "32 31 0:29 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
                + "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", Long.toString(256 * MIB));
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", Long.toString(200 * MIB));
        write("sys/fs/cgroup/memory/memory.stat", "cache 100\ninactive_file 1\ntotal_inactive_file " + 40 * MIB + "\n");
        MemoryCgroup cgroup = MemoryCgroup.detect(root).orElseThrow();
        assertThat(cgroup.v2()).isFalse();
        MemoryHeadroom headroom = cgroup.headroom(0.5).orElseThrow();
        assertThat(headroom.usageBytes()).isEqualTo(160 * MIB);
        assertThat(headroom.allowedBytes()).isEqualTo(128 * MIB);
        assertThat(headroom.headroomBytes()).isZero();
    }

    @Test
    void v1UnlimitedAndMissingFilesHaveNoHeadroom() throws IOException {
        write("proc/self/cgroup", "4:memory:/\n");
        write("proc/self/mountinfo", "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/memory/memory.usage_in_bytes", "5165056\n");
        assertThat(MemoryCgroup.detect(root).orElseThrow().headroom(0.9)).isEmpty();
        assertThat(MemoryCgroup.detect(root.resolve("nowhere"))).isEmpty();
    }

    @Test
    void aWritePastTheShareIsRefusedLikeAFullFilesystemAndLeavesNoFile() throws IOException {
        v2Container(Long.toString(64 * MIB), 40 * MIB, 0);
        Path blocks = TestDirs.blockDir(root);
        BlockDirectory directory = BlockDirectory.open(blocks, BlockDirectory.DEFAULT_FILE_PERMISSIONS);
        BlockWriter writer = new BlockWriter(directory, name -> { }, MemoryBudget.of(MemoryCgroup.detect(root)
                .orElseThrow(), 0.75));
        // 0.75 x 64 MiB = 48 MiB allowed, 40 MiB used: 8 MiB of headroom.
        byte[] small = new byte[4 << 20];
        byte[] large = new byte[9 << 20];
        writer.write(BlockName.random(new SecureRandom()), plan(small), List.of(buffer(small)));
        assertThatThrownBy(() -> writer.write(BlockName.random(new SecureRandom()), plan(large), List.of(buffer(large))))
                .isInstanceOf(AllocationException.class)
                .hasMessageContaining("memory cgroup limit of " + 64 * MIB + " bytes")
                .hasMessageContaining("memory.max")
                .hasMessageContaining("fastshare.memory-limit-share");
        try (var files = Files.list(blocks)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("FSHR_")).count()).isEqualTo(1);
        }
        TestDirs.deleteTree(blocks);
    }

    @Test
    void thisMachinesCgroupIsReadWithoutError() {
        // Only reads: whatever this machine has (v1, v2, none, no limit), detection must not throw.
        MemoryCgroup.detect().ifPresent(cgroup -> cgroup.headroom(MemoryBudget.DEFAULT_SHARE));
    }

    private static BlockPreamble plan(byte[] bytes) {
        return BlockPreamble.plan("raw", "byte[]".getBytes(), List.of(BufferSpec.vector(ElementType.BYTES, bytes.length)),
                new OwnerId(1, 2), 1, 0, 0, false);
    }

    private static PayloadBuffer buffer(byte[] bytes) {
        return new PayloadBuffer(BufferSpec.vector(ElementType.BYTES, bytes.length), ArraySources.of(bytes));
    }
}
