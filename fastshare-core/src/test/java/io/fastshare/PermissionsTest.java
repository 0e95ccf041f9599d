package io.fastshare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The directory and files are created with restrictive permissions, or as configured. */
class PermissionsTest {

    @TempDir
    Path temp;

    @Test
    void defaultsAreOwnerOnly() throws IOException {
        Path dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            String token = template.write(new byte[2_000_000]);
            assertThat(permissions(dir)).isEqualTo("rwx------");
            assertThat(permissions(dir.resolve(".owners"))).isEqualTo("rwx------");
            assertThat(permissions(file(dir, token))).isEqualTo("rw-------");
            assertThat(permissions(dir.resolve(".owners").resolve(template.ownerId() + ".lease"))).isEqualTo("rw-------");
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void groupSharingWhenConfigured() throws IOException {
        Path dir = TestDirs.blockDir(temp);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0)
                .filePermissions("rw-r-----").build()) {
            String token = template.write(new byte[2_000_000]);
            assertThat(permissions(dir)).isEqualTo("rwxrwx---");
            assertThat(Integer.toOctalString((Integer) Files.getAttribute(dir, "unix:mode") & 07777)).isEqualTo("2770");
            assertThat(Integer.toOctalString((Integer) Files.getAttribute(dir.resolve(".owners"), "unix:mode") & 07777))
                    .isEqualTo("2770");
            assertThat(permissions(file(dir, token))).isEqualTo("rw-r-----");
        }
        TestDirs.assertNoBlocks(dir);
    }

    private static Path file(Path dir, String token) {
        return dir.resolve(token.substring("FSHR:shm:".length()));
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
