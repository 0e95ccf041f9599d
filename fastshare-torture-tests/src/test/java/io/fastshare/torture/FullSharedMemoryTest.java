package io.fastshare.torture;

import io.fastshare.AllocationException;
import io.fastshare.Fallback;
import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Fills a 16 MiB tmpfs to the last page, from several threads at once so writers race for the last
 * bytes after passing the free-space check, with the fallback off and on. Every write must return a
 * token or fail with a clean {@link AllocationException}; nothing else may escape (no InternalError,
 * no SIGBUS killing the JVM); no partial file may remain; every token must read back exactly; and once
 * blocks are released, writes go to shared memory again.
 */
class FullSharedMemoryTest {

    private static final int THREADS = 4;
    private static TmpfsMount mount;

    @BeforeAll
    static void mountTmpfs() {
        mount = TmpfsMount.tryMount(16);
    }

    @AfterAll
    static void unmount() {
        if (mount != null) {
            mount.close();
        }
    }

    private static Path blockDir(String name) {
        assumeTrue(mount.mounted(), "SKIPPED: cannot mount a 16 MiB tmpfs to fill (needs root): " + mount.failure());
        return mount.path().resolve(name);
    }

    /** What a fill produced. */
    private record Fill(List<String> tokens, Map<String, Integer> outcomes, List<Throwable> violations) {
    }

    private static Fill fill(SharedMemoryTemplate template, long seed, int maxPayload) throws Exception {
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        List<Throwable> violations = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                SplittableRandom random = new SplittableRandom(seed + t);
                futures.add(pool.submit(() -> {
                    int consecutiveFailures = 0;
                    for (int i = 0; i < 400 && consecutiveFailures < 40; i++) {
                        // Mostly large blocks, then ever smaller ones to fill the last pages.
                        int size = consecutiveFailures > 5 ? 1 + random.nextInt(64 * 1024)
                                : 64 * 1024 + random.nextInt(maxPayload - 64 * 1024);
                        try {
                            String token = template.write(CheckedPayload.make(size, random.nextLong()));
                            tokens.add(token);
                            boolean shared = token.startsWith("FSHR:shm:");
                            outcomes.merge(shared ? "shm" : "inline", 1, Integer::sum);
                            // An inline fallback means the filesystem is full too: keep filling, but not for ever.
                            consecutiveFailures = shared ? 0 : consecutiveFailures + 1;
                        } catch (AllocationException e) {
                            consecutiveFailures++;
                            outcomes.merge(classify(e), 1, Integer::sum);
                        } catch (Throwable e) {
                            violations.add(e);
                            outcomes.merge("VIOLATION:" + e.getClass().getSimpleName(), 1, Integer::sum);
                        }
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new Fill(tokens, new TreeMap<>(outcomes), violations);
    }

    private static String classify(AllocationException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("inline fallback is not possible")) {
            return "AllocationException(full, over inline limit)";
        }
        if (message.contains("does not fit")) {
            return "AllocationException(free-space check)";
        }
        if (message.contains("cannot write a")) {
            return "AllocationException(ENOSPC mid-write)";
        }
        return "AllocationException(other: " + message.substring(0, Math.min(50, message.length())) + ")";
    }

    private static Set<String> blockFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_"))
                    .collect(Collectors.toSet());
        }
    }

    private static void assertEveryTokenReadsBackAndNoPartialFiles(SharedMemoryTemplate template, Fill fill,
            Path dir) throws IOException {
        assertThat(fill.violations()).as("exceptions other than AllocationException").isEmpty();
        Set<String> expected = fill.tokens().stream().filter(t -> t.startsWith("FSHR:shm:"))
                .map(t -> t.substring("FSHR:shm:".length())).collect(Collectors.toSet());
        assertThat(blockFiles(dir)).as("block files are exactly the committed writes: no partial files")
                .isEqualTo(expected);
        for (String token : fill.tokens()) {
            assertThat(CheckedPayload.verify(template.read(token, byte[].class))).as("read %s", token).isTrue();
            try (SharedPayload opened = template.open(token)) {
                assertThat(CheckedPayload.verify(opened.value(ByteBuffer.class))).as("open %s", token).isTrue();
            }
        }
    }

    @Test
    void withoutFallbackAFullFilesystemGivesCleanAllocationExceptionsAndRecovers() throws Exception {
        Path dir = blockDir("no-fallback");
        long seed = TortureSettings.seedFor("full-memory-no-fallback");
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .fallback(Fallback.FAIL).checksums(true).build()) {
            Fill fill = fill(template, seed, 3 << 20);
            assertThat(fill.outcomes().keySet()).as("the filesystem filled up").anyMatch(k -> k.startsWith("Allocation"));
            assertEveryTokenReadsBackAndNoPartialFiles(template, fill, dir);
            long free = template.usableSpace();
            System.out.println("TORTURE full-memory (fallback FAIL): 16 MiB tmpfs filled by " + THREADS
                    + " threads: " + fill.outcomes() + "; " + free + " bytes left free; all "
                    + fill.tokens().size() + " tokens read back exactly; no partial file");

            // A new template (new lease file) on the full filesystem either works or fails cleanly.
            try (SharedMemoryTemplate second = SharedMemoryTemplate.builder().directory(dir).build()) {
                assertThat(second.ownerId()).isNotNull();
            } catch (FastShareException e) {
                System.out.println("TORTURE full-memory: a second template on the full filesystem failed cleanly: "
                        + e.getMessage());
            }

            for (String token : fill.tokens()) {
                template.release(token);
            }
            assertThat(blockFiles(dir)).isEmpty();
            String again = template.write(CheckedPayload.make(2 << 20, seed));
            assertThat(again).startsWith("FSHR:shm:");
            assertThat(CheckedPayload.verify(template.read(again, byte[].class))).isTrue();
            template.release(again);
        }
        assertThat(blockFiles(dir)).isEmpty();
    }

    @Test
    void withInlineFallbackAFullFilesystemFallsBackAndRecovers() throws Exception {
        Path dir = blockDir("inline-fallback");
        long seed = TortureSettings.seedFor("full-memory-inline-fallback");
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).threshold(0).poolSize(0)
                .fallback(Fallback.INLINE).maxInlineSize(2 << 20).build()) {
            Fill fill = fill(template, seed, 3 << 20);
            assertThat(fill.outcomes()).as("fell back to inline tokens").containsKey("inline");
            assertThat(fill.outcomes().keySet()).as("payloads over the inline limit fail cleanly")
                    .allMatch(k -> !k.startsWith("VIOLATION"));
            assertEveryTokenReadsBackAndNoPartialFiles(template, fill, dir);
            System.out.println("TORTURE full-memory (fallback INLINE): 16 MiB tmpfs filled by " + THREADS
                    + " threads: " + fill.outcomes() + "; all " + fill.tokens().size()
                    + " tokens read back exactly; no partial file");
            for (String token : fill.tokens()) {
                template.release(token);
            }
            assertThat(blockFiles(dir)).isEmpty();
            String again = template.write(CheckedPayload.make(3 << 20, seed));
            assertThat(again).startsWith("FSHR:shm:");
            template.release(again);
        }
        assertThat(blockFiles(dir)).isEmpty();
    }
}
