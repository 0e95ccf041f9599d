package io.fastshare.store;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Finding the filesystem of the block directory, and whether its tmpfs uses huge pages. */
class MountTableTest {

    private static final List<String> MOUNTINFO = List.of(
            "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw",
            "25 22 0:23 / /dev rw,nosuid - devtmpfs udev rw,size=10240k",
            "27 25 0:24 / /dev/shm rw,nosuid,nodev - tmpfs tmpfs rw,size=65536k",
            "40 22 0:40 / /run/fast\\040share rw - tmpfs tmpfs rw,size=4194304k,huge=within_size",
            "41 22 0:41 / /run/fastshare-always rw - tmpfs tmpfs rw,huge=always",
            "not a mountinfo line");

    @Test
    void longestContainingMountWins() {
        assertThat(MountTable.find(MOUNTINFO, "/dev/shm/fastshare")).get()
                .isEqualTo(new MountTable.Mount("/dev/shm", "tmpfs", "rw,size=65536k"));
        assertThat(MountTable.find(MOUNTINFO, "/dev/shmx")).get().extracting(MountTable.Mount::mountPoint).isEqualTo("/dev");
        assertThat(MountTable.find(MOUNTINFO, "/home/app")).get().extracting(MountTable.Mount::type).isEqualTo("ext4");
        assertThat(MountTable.find(MOUNTINFO, "/run/fast share/blocks")).get()
                .extracting(MountTable.Mount::mountPoint).isEqualTo("/run/fast share");
        assertThat(MountTable.find(List.of("garbage"), "/x")).isEmpty();
    }

    @Test
    void hugePagesFromMountOptionsAndKernelSetting() {
        MountTable.Mount small = MountTable.find(MOUNTINFO, "/dev/shm/fastshare").orElseThrow();
        MountTable.Mount within = MountTable.find(MOUNTINFO, "/run/fast share/x").orElseThrow();
        MountTable.Mount always = MountTable.find(MOUNTINFO, "/run/fastshare-always/x").orElseThrow();
        String never = "always within_size advise [never] deny force";
        assertThat(small.hugePages(never)).isFalse();
        assertThat(within.hugePages(never)).isTrue();
        assertThat(always.hugePages("")).isTrue();
        assertThat(small.hugePages("always within_size advise never deny [force]")).isTrue();
        assertThat(always.hugePages("always within_size advise never [deny] force")).isFalse();
    }

    @Test
    void devShmIsATmpfsOnLinux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/mountinfo")) && Files.isDirectory(Path.of("/dev/shm")),
                "not Linux: no /proc/self/mountinfo or /dev/shm");
        assertThat(MountTable.mountOf(Path.of("/dev/shm"))).get().extracting(MountTable.Mount::type).isEqualTo("tmpfs");
        assertThat(MountTable.tmpfsHugePages(Path.of("/dev/shm"))).isPresent();
        assertThat(MountTable.tmpfsHugePages(Path.of("/proc"))).isEmpty();
    }
}
