package io.fastshare.torture;

import io.fastshare.FastShareException;
import io.fastshare.InvalidTokenException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Security defaults under attack: permissions as configured, another user locked out, planted
 * symlinks, hard links, FIFOs and directories under block names never followed or opened (and never
 * hanging a reader), tokens unable to name anything outside the block directory.
 */
class SecurityTest {

    private static final List<String[]> CLEANUP = new ArrayList<>();

    @TempDir
    Path tempDir;

    @AfterAll
    static void removeUsersAndGroups() {
        for (String[] command : CLEANUP) {
            Commands.run(command);
        }
    }

    private static String perms(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void defaultPermissionsAreOwnerOnly() throws IOException {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0).build()) {
            String token = template.write(new byte[100]);
            Path block = dir.resolve(token.substring("FSHR:shm:".length()));
            assertThat(perms(dir)).isEqualTo("rwx------");
            assertThat(perms(dir.resolve(".owners"))).isEqualTo("rwx------");
            assertThat(perms(block)).isEqualTo("rw-------");
            try (var leases = Files.list(dir.resolve(".owners"))) {
                for (Path lease : leases.toList()) {
                    assertThat(perms(lease)).as("lease %s", lease).isEqualTo("rw-------");
                }
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void groupModeGivesTheGroupReadAccessOnly() throws IOException {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .filePermissions("rw-r-----").build()) {
            String token = template.write(new byte[100]);
            assertThat(perms(dir)).isEqualTo("rwxrwx---");
            assertThat(perms(dir.resolve(token.substring("FSHR:shm:".length())))).isEqualTo("rw-r-----");
        }
        TestDirs.assertNoBlocks(dir);
    }

    @Test
    void anotherUserCannotReadADefaultBlockButAGroupMemberCanReadAGroupBlock() throws IOException {
        assumeTrue(Commands.isRoot(), "SKIPPED: not running as root, cannot create a second user to test access");
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String outsider = "fstout" + suffix;
        String member = "fstmem" + suffix;
        String group = "fstgrp" + suffix;
        Commands.Result added = Commands.run("useradd", "-M", "-r", "-s", "/usr/sbin/nologin", outsider);
        assumeTrue(added.ok(), "SKIPPED: useradd is not permitted here: " + added.output());
        CLEANUP.add(new String[] {"userdel", outsider});
        assertThat(Commands.run("groupadd", "-r", group).ok()).isTrue();
        CLEANUP.add(0, new String[] {"groupdel", group});
        assertThat(Commands.run("useradd", "-M", "-r", "-s", "/usr/sbin/nologin", "-G", group, member).ok()).isTrue();
        CLEANUP.add(0, new String[] {"userdel", member});

        // Control: the outsider can read a world-readable file, so a denial below is the permissions' doing.
        Path open = Files.createDirectories(TestDirs.blockDir(tempDir));
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path visible = Files.writeString(open.resolve("visible"), "hello");
            Files.setPosixFilePermissions(visible, PosixFilePermissions.fromString("rw-r--r--"));
            assertThat(catAs(outsider, visible).output()).isEqualTo("hello");
        } finally {
            TestDirs.deleteTree(open);
        }

        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0).build()) {
            Path block = dir.resolve(template.write("secret".repeat(100)).substring("FSHR:shm:".length()));
            Commands.Result denied = catAs(outsider, block);
            assertThat(denied.ok()).as("outsider reads a default block: %s", denied).isFalse();
            assertThat(denied.output()).contains("Permission denied");
            // Even when someone opens the directory up, the file mode alone keeps the block private.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Commands.Result stillDenied = catAs(outsider, block);
            assertThat(stillDenied.ok()).as("outsider reads a 0600 block in a 0755 dir: %s", stillDenied).isFalse();
            assertThat(stillDenied.output()).contains("Permission denied");
        }
        TestDirs.assertNoBlocks(dir);

        // Group mode, the Kubernetes fsGroup way: a setgid directory owned by the sharing group.
        Path shared = Files.createDirectories(TestDirs.blockDir(tempDir));
        assertThat(Commands.run("chgrp", group, shared.toString()).ok()).isTrue();
        assertThat(Commands.run("chmod", "2750", shared.toString()).ok()).isTrue();
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(shared).threshold(0).poolSize(0)
                .filePermissions("rw-r-----").build()) {
            Path block = shared.resolve(template.write("shared".repeat(100)).substring("FSHR:shm:".length()));
            Commands.Result memberRead = catAs(member, block);
            assertThat(memberRead.ok()).as("group member reads a group block: %s", memberRead).isTrue();
            assertThat(memberRead.output()).contains("shared");
            Commands.Result outsiderRead = catAs(outsider, block);
            assertThat(outsiderRead.ok()).as("outsider reads a group block: %s", outsiderRead).isFalse();
        }
        TestDirs.assertNoBlocks(shared);
    }

    private static Commands.Result catAs(String user, Path file) {
        return Commands.run(Duration.ofSeconds(30), "runuser", "-u", user, "--", "cat", file.toString());
    }

    @Test
    void plantedSymlinkHardLinkFifoAndDirectoryAreNeverFollowedOrOpened() throws Exception {
        Path dir = TestDirs.blockDir(tempDir);
        Path elsewhere = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0).build();
                SharedMemoryTemplate victim = SharedMemoryTemplate.builder().directory(elsewhere).threshold(0).poolSize(0)
                        .releaseOnClose(true).build();
                BoundedRunner runner = new BoundedRunner(Duration.ofSeconds(10))) {
            // A valid block outside the directory: following any link to it would return its payload.
            String victimToken = victim.write("victim".repeat(50), WriteOptions.defaults().shared());
            Path victimBlock = elsewhere.resolve(victimToken.substring("FSHR:shm:".length()));
            byte[] victimBytes = Files.readAllBytes(victimBlock);

            Path symlink = dir.resolve("FSHR_" + "1".repeat(32));
            Files.createSymbolicLink(symlink, victimBlock);
            Path passwdLink = dir.resolve("FSHR_" + "2".repeat(32));
            Files.createSymbolicLink(passwdLink, Path.of("/etc/passwd"));
            Path hardLink = dir.resolve("FSHR_" + "3".repeat(32));
            Files.createLink(hardLink, victimBlock);
            Path fifo = dir.resolve("FSHR_" + "4".repeat(32));
            assertThat(Commands.run("mkfifo", "-m", "600", fifo.toString()).ok()).isTrue();
            Path directory = Files.createDirectory(dir.resolve("FSHR_" + "5".repeat(32)));

            OutcomeTally tally = new OutcomeTally();
            for (Path planted : List.of(symlink, passwdLink, hardLink, fifo, directory)) {
                String token = "FSHR:shm:" + planted.getFileName();
                String input = "planted " + planted.getFileName();
                for (int op = 0; op < 4; op++) {
                    int which = op;
                    BoundedRunner.Outcome outcome = runner.run(() -> switch (which) {
                        case 0 -> template.read(token);
                        case 1 -> template.read(token, String.class);
                        case 2 -> template.open(token);
                        default -> template.take(token, String.class);
                    });
                    tally.record("op" + op, outcome, input);
                    assertThat(outcome.hung()).as("call %d on %s hung", op, input).isFalse();
                    assertThat(outcome.error()).as("call %d on %s must fail, got %s", op, input, outcome.value())
                            .isInstanceOf(FastShareException.class);
                }
            }
            assertThat(tally.violations()).isEmpty();
            // Releasing a planted name may remove that directory entry, never what it points to.
            for (Path planted : List.of(symlink, passwdLink, hardLink, fifo, directory)) {
                BoundedRunner.Outcome released = runner.run(() -> template.release("FSHR:shm:" + planted.getFileName()));
                tally.record("release", released, "planted " + planted.getFileName());
                assertThat(released.hung()).isFalse();
                if (Files.isDirectory(planted, LinkOption.NOFOLLOW_LINKS)) {
                    Files.delete(planted);
                } else {
                    Files.deleteIfExists(planted);
                }
            }
            assertThat(tally.violations()).isEmpty();
            assertThat(Files.readAllBytes(victimBlock)).isEqualTo(victimBytes);
            assertThat(Files.exists(Path.of("/etc/passwd"))).isTrue();
            assertThat(victim.read(victimToken, String.class)).isEqualTo("victim".repeat(50));
            System.out.println("TORTURE security: planted symlink, /etc/passwd symlink, hard link, FIFO and directory"
                    + " under block names: " + tally.calls() + " calls " + tally.counts() + ", none followed, none hung");
        }
        TestDirs.assertNoBlocks(dir);
        TestDirs.assertNoBlocks(elsewhere);
    }

    @Test
    void tokensCannotNameAnythingOutsideTheDirectory() throws IOException {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
                Canary canary = Canary.beside(dir)) {
            String canaryName = canary.dir().getFileName().toString();
            List<String> tokens = List.of("FSHR:shm:../" + canaryName + "/" + Canary.BLOCK_NAME,
                    "FSHR:shm:" + canary.dir().resolve(Canary.BLOCK_NAME), "FSHR:shm:../../etc/passwd",
                    "FSHR:shm:" + Canary.BLOCK_NAME + "/../../" + canaryName + "/passwd",
                    "FSHR:shm:..%2F" + canaryName + "%2F" + Canary.BLOCK_NAME, "FSHR:shm:.owners",
                    "FSHR:shm:" + Canary.BLOCK_NAME + "\u0000", "FSHR:shm:" + Canary.BLOCK_NAME.toUpperCase());
            for (String token : tokens) {
                for (int op = 0; op < 4; op++) {
                    int which = op;
                    Throwable error = catchThrowable(() -> {
                        switch (which) {
                            case 0 -> template.read(token);
                            case 1 -> template.open(token).close();
                            case 2 -> template.take(token, Object.class);
                            default -> template.release(token);
                        }
                    });
                    assertThat(error).as("op %d on %s", op, token).isInstanceOf(InvalidTokenException.class);
                }
            }
            assertThat(canary.changes()).isNull();
        }
        TestDirs.assertNoBlocks(dir);
    }

    private static Throwable catchThrowable(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }
}
