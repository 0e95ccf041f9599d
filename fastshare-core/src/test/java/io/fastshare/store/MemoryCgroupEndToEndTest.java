package io.fastshare.store;

import io.fastshare.TestDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end in a memory cgroup of its own (256 MiB): a writer that fills shared memory gets an
 * {@code AllocationException} naming the limit instead of being OOM-killed. It creates and removes a
 * child cgroup, so it runs only when enabled explicitly with {@code -Dfastshare.test.cgroup=true}
 * (as root, on a machine whose cgroups may be changed); elsewhere it is skipped with that reason.
 */
class MemoryCgroupEndToEndTest {

    @TempDir
    Path temp;

    @Test
    void aWriterInALimitedCgroupIsRefusedNotKilled() throws Exception {
        assumeTrue(Boolean.getBoolean("fastshare.test.cgroup"),
                "creates a memory cgroup: enable with -Dfastshare.test.cgroup=true (as root) where that is allowed");
        MemoryCgroup own = MemoryCgroup.detect().orElse(null);
        assumeTrue(own != null, "no memory cgroup found for this process");
        Path cgroup = own.directory().resolve("fastshare-e2e-" + UUID.randomUUID());
        Files.createDirectory(cgroup);
        Path dir = TestDirs.blockDir(temp);
        try {
            Files.writeString(cgroup.resolve(own.v2() ? "memory.max" : "memory.limit_in_bytes"),
                    Long.toString(256L << 20));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "echo $$ > '" + cgroup.resolve("cgroup.procs") + "' && exec '" + java
                    + "' -Xmx64m -cp '" + System.getProperty("java.class.path") + "' " + CgroupWriterMain.class.getName()
                    + " '" + dir + "'";
            Process child = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            }
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(child.exitValue()).as("exit code (137: OOM-killed); output " + lines).isZero();
            assertThat(lines).anySatisfy(line -> assertThat(line).startsWith("REFUSED ")
                    .contains("memory cgroup limit of " + (256L << 20) + " bytes"));
        } finally {
            TestDirs.deleteTree(dir);
            try {
                Files.deleteIfExists(cgroup);
            } catch (IOException ignored) {
                // a cgroup with a process left in it cannot be removed yet
            }
        }
    }
}
