package io.fastshare.cleanup;

import io.fastshare.InvalidTokenException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.format.BlockLayout;
import io.fastshare.format.OwnerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Janitor behaviour within one JVM: states, expiry, grace, corrupt and foreign files, dry run, leases. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JanitorTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path tempDir;

    Path dir;
    MutableClock clock;
    SharedMemoryTemplate template;

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
        clock = MutableClock.atNow();
        template = SharedMemoryTemplate.builder().directory(dir).clock(clock).poolSize(0).build();
    }

    @AfterEach
    void tearDown() {
        template.close();
        TestDirs.assertNoBlocks(dir);
    }

    static byte[] payload(int size, int seed) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) seed);
        bytes[size / 2] = (byte) (seed + 1);
        return bytes;
    }

    static String name(String token) {
        return token.substring("FSHR:shm:".length());
    }

    static String randomName() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return "FSHR_" + HexFormat.of().formatHex(bits);
    }

    @Test
    void ownBlocksAreLiveMineAndSurviveCleanup() {
        String token = template.write(payload(5000, 1), WriteOptions.defaults().shared());
        List<BlockInfo> blocks = template.blocks();
        assertThat(blocks).hasSize(1);
        BlockInfo info = blocks.get(0);
        assertThat(info.name()).isEqualTo(name(token));
        assertThat(info.state()).isEqualTo(BlockState.LIVE);
        assertThat(info.ownedByThisProcess()).isTrue();
        assertThat(info.ownerId()).isEqualTo(template.ownerId().toHex());
        assertThat(info.writerPid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(info.created()).isEqualTo(Instant.ofEpochMilli(clock.millis()));
        assertThat(info.expires()).isEqualTo(info.created().plus(Duration.ofMinutes(10)));
        assertThat(info.size()).isEqualTo(sizeOf(info.name())).isGreaterThan(5000);

        CleanupResult result = template.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
        assertThat(result.cleaned()).isEmpty();
        assertThat(result.skipped()).isEmpty();
        assertThat(result.failed()).isEmpty();
        assertThat(template.read(token, byte[].class)).isEqualTo(payload(5000, 1));
        assertThat(template.release(token)).isTrue();
    }

    private long sizeOf(String name) {
        try {
            return Files.size(dir.resolve(name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void expiredBlockIsReclaimedWhileItsOwnerLivesAndANoTtlBlockIsNot() {
        String expiring = template.write(payload(3000, 2), WriteOptions.defaults().shared().ttl(Duration.ofMinutes(1)));
        String forever = template.write(payload(3000, 3), WriteOptions.defaults().shared().noTtl());
        clock.advance(Duration.ofMinutes(2));

        assertThat(template.block(expiring)).get().extracting(BlockInfo::state).isEqualTo(BlockState.EXPIRED);
        assertThat(template.block(forever)).get().satisfies(b -> {
            assertThat(b.state()).isEqualTo(BlockState.LIVE);
            assertThat(b.expires()).isNull();
            assertThat(b.age()).isEqualTo(Duration.ofMinutes(2));
        });

        CleanupResult dry = template.cleanup(CleanupOptions.defaults().withDryRun(true));
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.cleaned()).extracting(CleanupResult.Reclaimed::name).containsExactly(name(expiring));
        assertThat(Files.exists(dir.resolve(name(expiring)))).isTrue();

        CleanupResult result = template.cleanup(CleanupOptions.defaults());
        assertThat(result.cleaned()).containsExactly(
                new CleanupResult.Reclaimed(name(expiring), BlockState.EXPIRED, sizeOfGone(dry)));
        assertThat(result.bytesReclaimed()).isEqualTo(dry.bytesReclaimed()).isPositive();
        assertThat(Files.exists(dir.resolve(name(expiring)))).isFalse();
        assertThat(template.ownedBlockCount()).isEqualTo(1);
        assertThat(template.read(forever, byte[].class)).isEqualTo(payload(3000, 3));

        CleanupResult again = template.cleanup(CleanupOptions.defaults());
        assertThat(again.cleaned()).isEmpty();
        assertThat(again.failed()).isEmpty();
        template.release(forever);
    }

    private static long sizeOfGone(CleanupResult dry) {
        return dry.cleaned().get(0).size();
    }

    @Test
    void readerThatMappedABlockKeepsItsDataAfterTheJanitorDeletesIt() {
        byte[] data = payload(2_000_000, 4);
        String token = template.write(data, WriteOptions.defaults().ttl(Duration.ofSeconds(1)));
        try (SharedPayload opened = template.open(token)) {
            clock.advance(Duration.ofSeconds(5));
            assertThat(template.cleanup(CleanupOptions.defaults()).cleaned()).hasSize(1);
            assertThat(Files.exists(dir.resolve(name(token)))).isFalse();
            assertThat(opened.value(byte[].class)).isEqualTo(data);
        }
    }

    @Test
    void blocksOfAClosedOwnerAreOrphanedAndReclaimedOnlyAfterTheGracePeriod() {
        SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(dir).releaseOnClose(false).poolSize(0).build();
        String token = other.write(payload(4000, 5), WriteOptions.defaults().shared());
        assertThat(template.block(token)).get().satisfies(b -> {
            assertThat(b.state()).isEqualTo(BlockState.LIVE);
            assertThat(b.ownedByThisProcess()).isTrue();
        });
        other.close();

        Janitor cli = new Janitor(template.blockDirectory(), null, clock);
        assertThat(cli.inspect(name(token))).get().satisfies(b -> {
            assertThat(b.state()).isEqualTo(BlockState.ORPHANED);
            assertThat(b.ownedByThisProcess()).isFalse();
        });
        CleanupResult early = cli.cleanup(CleanupOptions.defaults());
        assertThat(early.cleaned()).isEmpty();
        assertThat(early.skipped()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(name(token));
            assertThat(s.reason()).contains("grace");
        });
        assertThat(template.read(token, byte[].class)).isEqualTo(payload(4000, 5));

        clock.advance(Duration.ofSeconds(61));
        CleanupResult late = cli.cleanup(CleanupOptions.defaults());
        assertThat(late.cleaned()).extracting(CleanupResult.Reclaimed::state).containsExactly(BlockState.ORPHANED);
        assertThat(Files.exists(dir.resolve(name(token)))).isFalse();
    }

    @Test
    void theGracePeriodRunsFromTheOwnersDeathNotFromTheBlocksLastWrite() {
        SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(dir).clock(clock).poolSize(0)
                .releaseOnClose(false).build();
        String token = other.write(payload(4000, 7), WriteOptions.defaults().shared().noTtl());
        // The owner lives on long after its last write; then it dies.
        clock.advance(Duration.ofMinutes(10));
        other.close();

        CleanupResult justDied = new Janitor(template.blockDirectory(), null, clock).cleanup(CleanupOptions.defaults());
        assertThat(justDied.cleaned()).isEmpty();
        assertThat(justDied.skipped()).singleElement().satisfies(s -> assertThat(s.reason()).contains("grace"));
        assertThat(template.read(token, byte[].class)).isEqualTo(payload(4000, 7));

        // The death is recorded in the directory: another janitor (another process) counts from it too.
        clock.advance(Duration.ofSeconds(59));
        assertThat(new Janitor(template.blockDirectory(), null, clock).cleanup(CleanupOptions.defaults()).cleaned())
                .isEmpty();
        clock.advance(Duration.ofSeconds(2));
        CleanupResult late = new Janitor(template.blockDirectory(), null, clock).cleanup(CleanupOptions.defaults());
        assertThat(late.cleaned()).extracting(CleanupResult.Reclaimed::state).containsExactly(BlockState.ORPHANED);
        assertThat(dir.resolve(".owners").resolve(other.ownerId().toHex() + Janitor.DEATH_SUFFIX)).doesNotExist();
    }

    @Test
    void corruptFilesAreReclaimedAfterTheGracePeriodByModificationTime() throws IOException {
        Path garbage = Files.write(dir.resolve(randomName()), "not a block".getBytes());
        Path empty = Files.createFile(dir.resolve(randomName()));
        String token = template.write(payload(3000, 6), WriteOptions.defaults().shared());
        Path damaged = dir.resolve(name(token));
        try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
            file.seek(BlockLayout.CODEC_ID_OFFSET);
            file.write('X');
        }
        assertThat(template.blocks()).extracting(BlockInfo::state).containsOnly(BlockState.CORRUPT).hasSize(3);
        BlockInfo damagedInfo = template.block(token).orElseThrow();
        assertThat(damagedInfo.ownerId()).isEqualTo(template.ownerId().toHex());
        assertThat(template.janitor().describe(name(token)).orElseThrow().problem()).contains("checksum");
        assertThat(template.block(garbage.getFileName().toString()).orElseThrow().ownerId()).isNull();

        CleanupResult fresh = template.cleanup(CleanupOptions.defaults());
        assertThat(fresh.cleaned()).isEmpty();
        assertThat(fresh.skipped()).hasSize(3);

        FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
        for (Path file : List.of(garbage, empty, damaged)) {
            Files.setLastModifiedTime(file, old);
        }
        CleanupResult result = template.cleanup(CleanupOptions.defaults());
        assertThat(result.cleaned()).extracting(CleanupResult.Reclaimed::state)
                .containsExactly(BlockState.CORRUPT, BlockState.CORRUPT, BlockState.CORRUPT);
        assertThat(template.blocks()).isEmpty();
    }

    @Test
    void filesThatAreNotBlocksAreNeverOpenedNorDeleted() throws Exception {
        Path target = Files.write(tempDir.resolve("precious"), "keep me".getBytes());
        Path link = Files.createSymbolicLink(dir.resolve(randomName()), target);
        Path fifo = dir.resolve(randomName());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Path subdir = Files.createDirectory(dir.resolve(randomName()));
        Path notes = Files.write(dir.resolve("notes.txt"), "x".getBytes());
        Path almost = Files.write(dir.resolve("FSHR_ABC"), "x".getBytes());
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(notes, old);
        Files.setLastModifiedTime(almost, old);

        assertThat(template.blocks()).isEmpty();
        CleanupResult result = template.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
        assertThat(result.cleaned()).isEmpty();
        assertThat(result.failed()).isEmpty();
        assertThat(result.skipped()).extracting(CleanupResult.Skipped::name).containsExactlyInAnyOrder(
                link.getFileName().toString(), fifo.getFileName().toString(), subdir.getFileName().toString());
        assertThat(result.skipped()).allSatisfy(s -> assertThat(s.reason()).contains("not a regular file"));
        for (Path path : List.of(link, fifo, subdir, notes, almost)) {
            assertThat(Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)).as(path.toString()).isTrue();
        }
        assertThat(Files.readString(target)).isEqualTo("keep me");
        for (Path path : List.of(link, fifo, subdir, notes, almost)) {
            Files.delete(path);
        }
    }

    @Test
    void staleLeasesOfDeadOwnersAreReclaimedButNotYoungOnesNorLiveOnes() throws IOException {
        OwnerId dead = OwnerId.random(RANDOM);
        Path stale = Files.write(dir.resolve(".owners").resolve(dead.toHex() + ".lease"), "pid=1".getBytes());
        OwnerId young = OwnerId.random(RANDOM);
        Path fresh = Files.write(dir.resolve(".owners").resolve(young.toHex() + ".lease"), "pid=1".getBytes());
        Path unrelated = Files.write(dir.resolve(".owners").resolve("README"), "x".getBytes());
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(5)));
        Files.setLastModifiedTime(stale, old);
        Files.setLastModifiedTime(unrelated, old);
        Path ownLease = dir.resolve(".owners").resolve(template.ownerId().toHex() + ".lease");
        Files.setLastModifiedTime(ownLease, old);

        CleanupResult dry = template.cleanup(CleanupOptions.defaults().withDryRun(true));
        assertThat(dry.leasesReclaimed()).containsExactly(dead.toHex());
        assertThat(stale).exists();

        CleanupResult result = template.cleanup(CleanupOptions.defaults());
        assertThat(result.leasesReclaimed()).containsExactly(dead.toHex());
        assertThat(stale).doesNotExist();
        assertThat(fresh).exists();
        assertThat(unrelated).exists();
        assertThat(ownLease).exists();
        Files.delete(fresh);
        Files.delete(unrelated);
    }

    @Test
    void blockLookupAcceptsNamesAndTokensAndRejectsGarbage() {
        String token = template.write(payload(3000, 7), WriteOptions.defaults().shared());
        String inline = template.write(payload(10, 7));
        assertThat(template.block(token)).isPresent();
        assertThat(template.block(name(token))).isPresent();
        assertThat(template.block(inline)).isEmpty();
        assertThat(template.block(randomName())).isEmpty();
        assertThatThrownBy(() -> template.block("../../etc/passwd")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> template.janitor().inspect("FSHR_xyz")).isInstanceOf(InvalidTokenException.class);
        template.release(token);
    }
}
