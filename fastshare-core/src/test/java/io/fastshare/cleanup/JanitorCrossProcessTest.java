package io.fastshare.cleanup;

import io.fastshare.CorruptBlockException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.store.BlockDirectory;
import io.fastshare.store.OwnerLease;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The janitor across real processes: writers killed with {@code kill -9} (after writing, and between
 * writing and committing), live writers in another JVM, and two janitor processes racing.
 *
 * <p>Grace periods are decided with a {@link MutableClock} set relative to the blocks' own timestamps,
 * so no assertion depends on how fast this machine is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JanitorCrossProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(2);

    @TempDir
    Path tempDir;

    Path dir;
    SharedMemoryTemplate reader;
    final List<ChildJvm> children = new ArrayList<>();

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
        reader = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
    }

    @AfterEach
    void tearDown() {
        children.forEach(ChildJvm::close);
        reader.close();
        TestDirs.assertNoBlocks(dir);
    }

    private ChildJvm start(String... args) {
        ChildJvm child = ChildJvm.start(List.of("-Xmx256m"), CleanupChild.class, args);
        children.add(child);
        return child;
    }

    private List<String> writeBlocks(ChildJvm writer, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(writer.awaitLine("TOKEN ", WAIT).substring("FSHR:shm:".length()));
        }
        writer.awaitLine("READY", WAIT);
        return names;
    }

    private Janitor janitor(MutableClock clock) {
        return new Janitor(BlockDirectory.existing(dir), null, clock);
    }

    /** The latest moment any of the blocks was written: where their grace period starts. */
    private Instant lastWritten(List<String> names) throws IOException {
        Instant latest = Instant.EPOCH;
        for (String name : names) {
            Instant modified = Files.getLastModifiedTime(dir.resolve(name)).toInstant();
            Instant created = janitor(MutableClock.atNow()).inspect(name).orElseThrow().created();
            for (Instant t : List.of(modified, created)) {
                latest = t.isAfter(latest) ? t : latest;
            }
        }
        return latest;
    }

    @Test
    void blocksOfAKilledWriterAreOrphanedAndReclaimedAfterTheGracePeriodNotBefore() throws IOException {
        ChildJvm writer = start("write", dir.toString(), "3", "20000");
        List<String> names = writeBlocks(writer, 3);
        MutableClock clock = MutableClock.atNow();
        assertThat(janitor(clock).scan()).extracting(BlockInfo::state).containsOnly(BlockState.LIVE).hasSize(3);

        writer.kill9();
        List<BlockInfo> blocks = janitor(clock).scan();
        assertThat(blocks).extracting(BlockInfo::name).containsExactlyInAnyOrderElementsOf(names);
        assertThat(blocks).allSatisfy(b -> {
            assertThat(b.state()).isEqualTo(BlockState.ORPHANED);
            assertThat(b.writerPid()).isEqualTo(writer.pid());
            assertThat(b.ownedByThisProcess()).isFalse();
        });
        String owner = blocks.get(0).ownerId();

        Instant written = lastWritten(names);
        clock.set(written.plus(GRACE).minusMillis(500));
        CleanupResult early = janitor(clock).cleanup(CleanupOptions.defaults().withGrace(GRACE));
        assertThat(early.cleaned()).isEmpty();
        assertThat(early.skipped()).hasSize(3);
        assertThat(names).allSatisfy(n -> assertThat(dir.resolve(n)).exists());
        // A reader can still pick up the handoff during the grace period.
        assertThat(reader.read("FSHR:shm:" + names.get(1), byte[].class)).hasSize(20000);

        clock.set(written.plus(GRACE).plusMillis(500));
        CleanupResult dry = janitor(clock).cleanup(CleanupOptions.defaults().withGrace(GRACE).withDryRun(true));
        assertThat(dry.cleaned()).hasSize(3);
        assertThat(names).allSatisfy(n -> assertThat(dir.resolve(n)).exists());

        clock.set(written.plus(Duration.ofSeconds(10)));
        CleanupResult late = janitor(clock).cleanup(CleanupOptions.defaults().withGrace(GRACE));
        assertThat(late.cleaned()).extracting(CleanupResult.Reclaimed::name).containsExactlyInAnyOrderElementsOf(names);
        assertThat(late.cleaned()).extracting(CleanupResult.Reclaimed::state).containsOnly(BlockState.ORPHANED);
        assertThat(late.failed()).isEmpty();
        // The dead owner's lease goes once it is older than the grace period, which may already be true
        // at the early run (the lease was taken before the blocks were written).
        List<String> leases = new ArrayList<>(early.leasesReclaimed());
        leases.addAll(late.leasesReclaimed());
        assertThat(leases).containsExactly(owner);
        assertThat(dir.resolve(".owners").resolve(owner + ".lease")).doesNotExist();
        assertThat(janitor(clock).scan()).isEmpty();
    }

    @Test
    void writerKilledBeforeCommitLeavesAnIncompleteBlockThatIsNeverReadableAndIsReclaimed() throws IOException {
        ChildJvm writer = start("pause", dir.toString(), "3000000");
        String name = writer.awaitLine("PAUSED ", WAIT);
        String token = "FSHR:shm:" + name;
        MutableClock clock = MutableClock.atNow();

        BlockInfo writing = janitor(clock).inspect(name).orElseThrow();
        assertThat(writing.state()).isEqualTo(BlockState.LIVE);
        assertThat(writing.writerPid()).isEqualTo(writer.pid());
        assertThatThrownBy(() -> reader.read(token, byte[].class)).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("not committed");
        clock.advance(Duration.ofHours(1));
        assertThat(janitor(clock).cleanup(CleanupOptions.defaults().withGrace(GRACE)).cleaned()).isEmpty();

        writer.kill9();
        clock.set(lastWritten(List.of(name)).plusMillis(100));
        BlockInfo incomplete = janitor(clock).inspect(name).orElseThrow();
        assertThat(incomplete.state()).isEqualTo(BlockState.INCOMPLETE);
        assertThat(incomplete.ownerId()).isNotNull();
        assertThatThrownBy(() -> reader.read(token, byte[].class)).isInstanceOf(CorruptBlockException.class);
        assertThatThrownBy(() -> reader.open(token)).isInstanceOf(CorruptBlockException.class);
        assertThat(janitor(clock).cleanup(CleanupOptions.defaults().withGrace(GRACE)).cleaned()).isEmpty();

        // The grace period runs from the owner's death as first seen (by lastWritten's inspection, at
        // the real time), which is later than the block's last write.
        clock.set(Instant.now().plus(GRACE).plusMillis(100));
        CleanupResult result = janitor(clock).cleanup(CleanupOptions.defaults().withGrace(GRACE));
        assertThat(result.cleaned()).containsExactly(
                new CleanupResult.Reclaimed(name, BlockState.INCOMPLETE, incomplete.size()));
        assertThat(dir.resolve(name)).doesNotExist();
    }

    @Test
    void blocksOfALiveProcessSurviveEveryCleanupUntilTheyExpire() {
        ChildJvm writer = start("write", dir.toString(), "2", "20000");
        List<String> names = writeBlocks(writer, 2);
        String noTtl = names.get(0);
        String withTtl = names.get(1);
        MutableClock clock = MutableClock.atNow();

        assertThat(janitor(clock).scan()).allSatisfy(b -> {
            assertThat(b.state()).isEqualTo(BlockState.LIVE);
            assertThat(b.ownedByThisProcess()).isFalse();
            assertThat(b.writerPid()).isEqualTo(writer.pid());
        });
        assertThat(reader.blocks()).extracting(BlockInfo::state).containsOnly(BlockState.LIVE);
        for (boolean dryRun : new boolean[] {true, false}) {
            CleanupResult result = janitor(clock).cleanup(new CleanupOptions(dryRun, Duration.ZERO));
            assertThat(result.cleaned()).isEmpty();
            assertThat(result.skipped()).isEmpty();
            assertThat(reader.cleanup(new CleanupOptions(dryRun, Duration.ZERO)).cleaned()).isEmpty();
        }
        assertThat(names).allSatisfy(n -> assertThat(dir.resolve(n)).exists());

        // Past the default TTL of 10 minutes: the block with a TTL expires although its owner lives.
        clock.advance(Duration.ofMinutes(11));
        assertThat(janitor(clock).inspect(withTtl).orElseThrow().state()).isEqualTo(BlockState.EXPIRED);
        assertThat(janitor(clock).inspect(noTtl).orElseThrow().state()).isEqualTo(BlockState.LIVE);
        CleanupResult result = janitor(clock).cleanup(CleanupOptions.defaults());
        assertThat(result.cleaned()).extracting(CleanupResult.Reclaimed::name).containsExactly(withTtl);
        assertThat(dir.resolve(noTtl)).exists();

        writer.send("EXIT");
        assertThat(writer.awaitExit(WAIT)).isZero();
        assertThat(dir.resolve(noTtl)).doesNotExist();
    }

    @Test
    void aJanitorNeverDropsTheLeaseOfAnotherTemplateInItsOwnJvm() {
        try (SharedMemoryTemplate other = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            String token = other.write(new byte[20000], WriteOptions.defaults().shared().noTtl());
            String name = token.substring("FSHR:shm:".length());
            for (int i = 0; i < 3; i++) {
                assertThat(reader.block(token).orElseThrow().state()).isEqualTo(BlockState.LIVE);
                assertThat(reader.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO)).cleaned()).isEmpty();
                assertThat(janitor(MutableClock.atNow()).scan()).extracting(BlockInfo::state)
                        .containsExactly(BlockState.LIVE);
            }
            // Another process must still find the lease locked.
            ChildJvm scanner = start("scan", dir.toString());
            assertThat(scanner.awaitLine("BLOCK ", WAIT)).isEqualTo(name + " LIVE");
            scanner.awaitLine("DONE", WAIT);
        }
    }

    @Test
    void aBlockNamedHardLinkToALeaseOfThisJvmIsNeverOpenedSoTheLeaseSurvives() throws IOException {
        String token = reader.write(new byte[20000], WriteOptions.defaults().shared().noTtl());
        String name = token.substring("FSHR:shm:".length());
        Path link = dir.resolve("FSHR_" + "0".repeat(32));
        Files.createLink(link, OwnerLease.leasePath(reader.blockDirectory(), reader.ownerId()));
        try {
            CleanupResult result = janitor(MutableClock.atNow()).cleanup(
                    CleanupOptions.defaults().withGrace(Duration.ZERO));
            assertThat(result.cleaned()).isEmpty();
            assertThat(result.skipped()).extracting(CleanupResult.Skipped::name).contains(link.getFileName().toString());
        } finally {
            Files.deleteIfExists(link);
        }
        ChildJvm scanner = start("scan", dir.toString());
        assertThat(scanner.awaitLine("BLOCK ", WAIT)).isEqualTo(name + " LIVE");
        scanner.awaitLine("DONE", WAIT);
    }

    @Test
    void aMappedBlockStaysReadableWhenAJanitorInAnotherProcessDeletesIt() {
        byte[] data = new byte[3_000_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        String token = reader.write(data, WriteOptions.defaults().shared().ttl(Duration.ofMillis(1)));
        try (SharedPayload opened = reader.open(token)) {
            ChildJvm janitor = start("clean", dir.toString(), "60000");
            janitor.awaitLine("WAITING", WAIT);
            janitor.send("GO");
            assertThat(janitor.awaitLine("CLEANED ", WAIT)).isEqualTo("1");
            assertThat(janitor.awaitExit(WAIT)).isZero();
            assertThat(dir.resolve(token.substring("FSHR:shm:".length()))).doesNotExist();
            assertThat(opened.value(byte[].class)).isEqualTo(data);
        }
    }

    @Test
    void twoJanitorProcessesCleaningAtOnceReclaimEachBlockExactlyOnce() {
        int count = 1000;
        ChildJvm writer = start("write", dir.toString(), String.valueOf(count), "2000");
        writeBlocks(writer, count);
        writer.kill9();

        ChildJvm first = start("clean", dir.toString(), "0");
        ChildJvm second = start("clean", dir.toString(), "0");
        first.awaitLine("WAITING", WAIT);
        second.awaitLine("WAITING", WAIT);
        first.send("GO");
        second.send("GO");
        int cleanedFirst = Integer.parseInt(first.awaitLine("CLEANED ", WAIT));
        int cleanedSecond = Integer.parseInt(second.awaitLine("CLEANED ", WAIT));
        assertThat(first.awaitLine("FAILED ", WAIT)).startsWith("0 ");
        assertThat(second.awaitLine("FAILED ", WAIT)).startsWith("0 ");
        assertThat(first.awaitExit(WAIT)).isZero();
        assertThat(second.awaitExit(WAIT)).isZero();
        assertThat(cleanedFirst + cleanedSecond).as("%s %s", first.output(), second.output()).isEqualTo(count);
        assertThat(janitor(MutableClock.atNow()).scan()).isEmpty();
    }
}
