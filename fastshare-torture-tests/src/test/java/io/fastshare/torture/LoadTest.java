package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.cleanup.Janitor;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sustained load from two processes (this JVM and a peer JVM) with four worker threads each: writes of
 * 1 KiB to 64 MiB, reads, opens, releases, takes, and handoffs of tokens across the processes, while a
 * janitor sweeps the directory every 250 ms. At the end: zero errors and zero wrong payloads, no block
 * left in the directory, nothing the janitor reclaimed (every block had a live owner), and open files
 * and mappings of the block directory back to their baseline in both processes.
 */
class LoadTest {

    private static final int THREADS = 4;
    private static final Duration DURATION = Duration.ofSeconds(TortureSettings.budget(30, 300));
    private static final Pattern STATS = Pattern.compile("STATS ops=(\\d+) bytes=(\\d+) errors=(\\d+) verified=(\\d+) "
            + "handedOff=(\\d+) taken=(\\d+) owned=(\\d+) fds=(-?\\d+)->(-?\\d+) maps=(-?\\d+)->(-?\\d+) samples=(.*)");

    @TempDir
    Path tempDir;

    @Test
    void twoProcessesOfFourThreadsRunCleanAndLeaveNothingBehind() throws Exception {
        long seed = TortureSettings.seedFor("load");
        Path dir = TestDirs.blockDir(tempDir);
        AtomicLong janitorSweeps = new AtomicLong();
        AtomicLong janitorReclaimed = new AtomicLong();
        List<String> janitorFailures = new ArrayList<>();
        long parentOps;
        long parentBytes;
        String childStats;
        int fdsBefore;
        int mapsBefore;
        int fdsAfter;
        int mapsAfter;
        LoadWorkers workers;
        long started;
        double seconds;
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(2048).poolSize(0)
                .releaseOnClose(false).build();
                ChildJvm peer = ChildJvm.start(List.of("-Xmx1g"), LoadWorkerMain.class, dir.toString(),
                        Long.toString(seed + 1), Integer.toString(THREADS))) {
            fdsBefore = ProcSelf.openFiles(dir);
            mapsBefore = ProcSelf.mappings(dir);
            workers = new LoadWorkers(template, seed, THREADS, token -> {
                synchronized (peer) {
                    peer.send("HANDOFF " + token);
                }
            });
            peer.awaitLine("READY", Duration.ofSeconds(60));
            Janitor janitor = new Janitor(template.blockDirectory(), template.ownerId(), Clock.systemUTC());
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sweeper = new Thread(() -> {
                while (running.get()) {
                    CleanupResult result = janitor.cleanup(CleanupOptions.defaults());
                    janitorSweeps.incrementAndGet();
                    janitorReclaimed.addAndGet(result.cleaned().size());
                    result.failed().forEach(f -> janitorFailures.add(f.toString()));
                    sleep(250);
                }
            }, "load-janitor");
            started = System.nanoTime();
            workers.start();
            sweeper.start();
            int consumed = 0;
            long end = System.nanoTime() + DURATION.toNanos();
            while (System.nanoTime() < end) {
                consumed = dispatch(peer, workers, consumed);
                sleep(5);
            }
            workers.stop();
            synchronized (peer) {
                peer.send("STOP");
            }
            peer.awaitLine("STOPPED", Duration.ofSeconds(120));
            consumed = dispatch(peer, workers, consumed);
            workers.drainInbound();
            synchronized (peer) {
                peer.send("DRAINED");
            }
            childStats = peer.awaitLine("STATS ", Duration.ofSeconds(120));
            assertThat(peer.awaitExit(Duration.ofSeconds(60))).isZero();
            seconds = (System.nanoTime() - started) / 1e9;
            running.set(false);
            sweeper.join(30_000);
            fdsAfter = ProcSelf.openFiles(dir);
            mapsAfter = ProcSelf.mappings(dir);
            parentOps = workers.operations.get();
            parentBytes = workers.bytes.get();
            assertThat(template.ownedBlockCount()).as("blocks this process wrote and never released").isZero();
            assertThat(blockFiles(dir)).as("leaked blocks").isEmpty();
        }
        Matcher stats = STATS.matcher("STATS " + childStats);
        assertThat(stats.matches()).as("peer stats: %s", childStats).isTrue();
        long ops = parentOps + Long.parseLong(stats.group(1));
        long bytes = parentBytes + Long.parseLong(stats.group(2));
        System.out.printf("TORTURE load: 2 processes x %d threads for %.1f s, janitor sweeping every 250 ms: %d operations "
                        + "(%.0f ops/s), %.2f GiB of payload written and read (%.0f MiB/s); parent %d ops, %d verified, "
                        + "%d handed off, %d taken, %d errors; peer %s; janitor %d sweeps, %d blocks reclaimed; "
                        + "parent fds %d->%d, mappings %d->%d%n",
                THREADS, seconds, ops, ops / seconds, bytes / (double) (1L << 30), bytes / (double) (1 << 20) / seconds,
                parentOps, workers.verified.get(), workers.handedOff.get(), workers.taken.get(), workers.errors.get(),
                childStats, janitorSweeps.get(), janitorReclaimed.get(), fdsBefore, fdsAfter, mapsBefore, mapsAfter);
        assertThat(workers.errorSamples()).as("parent errors").isEmpty();
        assertThat(workers.errors.get()).isZero();
        assertThat(stats.group(3)).as("peer errors: %s", stats.group(12)).isEqualTo("0");
        assertThat(stats.group(7)).as("peer blocks never released").isEqualTo("0");
        assertThat(stats.group(9)).as("peer open files back to baseline").isEqualTo(stats.group(8));
        assertThat(stats.group(11)).as("peer mappings back to baseline").isEqualTo(stats.group(10));
        assertThat(fdsAfter).as("parent open files back to baseline").isEqualTo(fdsBefore);
        assertThat(mapsAfter).as("parent mappings back to baseline").isEqualTo(mapsBefore);
        assertThat(janitorReclaimed.get()).as("janitor reclaimed blocks of live owners").isZero();
        assertThat(janitorFailures).isEmpty();
        assertThat(workers.verified.get()).isPositive();
        TestDirs.assertNoBlocks(dir);
    }

    /** Hands the peer's new HANDOFF lines to this process's workers; returns how many lines were seen. */
    private static int dispatch(ChildJvm peer, LoadWorkers workers, int consumed) {
        List<String> lines = peer.output();
        for (int i = consumed; i < lines.size(); i++) {
            if (lines.get(i).startsWith("HANDOFF ")) {
                workers.receive(lines.get(i).substring("HANDOFF ".length()));
            }
        }
        return lines.size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> blockFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_"))
                    .collect(Collectors.toList());
        }
    }
}
