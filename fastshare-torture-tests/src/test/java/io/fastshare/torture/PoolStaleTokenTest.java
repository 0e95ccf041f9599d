package io.fastshare.torture;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.store.pool.PoolLayout;
import io.fastshare.store.pool.PoolReader;
import io.fastshare.store.pool.SlotRef;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stale pool tokens across two processes. Both this JVM and a child JVM write self-verifying
 * payloads of three size classes into pools of their own, release or take them from either side, so
 * slots are reused again and again with other payloads; every token whose block was released or
 * taken is then read, opened or taken from either side and must be {@code BlockNotFoundException},
 * never bytes. Tokens with the generation, slot or segment altered (off by one, largest, negative)
 * resolve only to the block they really name or to not found. A second test retires, unlinks and
 * janitors segments under a reader that had them mapped.
 */
class PoolStaleTokenTest {

    private static final int OPERATIONS = TortureSettings.budget(6_000, 100_000);
    private static final long POOL_SIZE = 24L << 20;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String POOL = "FSHR:pool:";

    @TempDir
    Path tempDir;

    @Test
    void staleAndAlteredTokensNeverResolveToOtherBytes() throws IOException {
        long seed = TortureSettings.seedFor("pool-stale-tokens");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        Map<String, Long> counts = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        long started = System.nanoTime();
        try (SharedMemoryTemplate parent = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(POOL_SIZE).poolIdleTimeout(Duration.ZERO).build();
                ChildJvm child = peer(dir, POOL_SIZE)) {
            Peers peers = new Peers(parent, child);
            Map<String, Long> live = new LinkedHashMap<>();
            Map<String, Long> stale = new HashMap<>();
            List<String> staleList = new ArrayList<>();
            Set<String> retiredSlots = new HashSet<>();
            for (int op = 0; op < OPERATIONS; op++) {
                int roll = random.nextInt(20);
                if (live.size() < 4 || roll < 6) {
                    boolean byChild = random.nextBoolean();
                    long payloadSeed = random.nextLong();
                    String token = peers.write(byChild, size(random), payloadSeed, random.nextBoolean());
                    live.put(token, payloadSeed);
                    count(counts, token.startsWith(POOL) ? "pooled writes" : "file-block writes");
                    if (token.startsWith(POOL) && retiredSlots.contains(slotOf(token))) {
                        count(counts, "slots reused after a stale token");
                    }
                } else if (roll < 10) {
                    String token = random.nextInt(3) == 0 ? live.keySet().iterator().next()
                            : pick(new ArrayList<>(live.keySet()), random);
                    long payloadSeed = live.remove(token);
                    boolean byChild = random.nextBoolean();
                    if (random.nextBoolean()) {
                        expect(violations, "release of a live block", peers.release(byChild, token), "true");
                    } else {
                        expect(violations, "take of a live block", peers.call(byChild, "TAKE", token, payloadSeed), "OK");
                    }
                    stale.put(token, payloadSeed);
                    staleList.add(token);
                    if (token.startsWith(POOL)) {
                        retiredSlots.add(slotOf(token));
                    }
                } else if (roll < 15 && !staleList.isEmpty()) {
                    String token = pick(staleList, random);
                    String command = new String[] {"READ", "TAKE", "OPEN"}[random.nextInt(3)];
                    boolean byChild = random.nextBoolean();
                    String outcome = peers.call(byChild, command, token, stale.get(token));
                    count(counts, "stale " + (token.startsWith(POOL) ? "pooled" : "file") + " tokens probed");
                    expect(violations, "stale token " + token + " by " + (byChild ? "child " : "parent ") + command,
                            outcome, "NOTFOUND");
                } else if (roll < 17) {
                    String token = pick(new ArrayList<>(live.keySet()), random);
                    expect(violations, "live token " + token, peers.call(random.nextBoolean(), "READ", token,
                            live.get(token)), "OK");
                } else if (roll < 19) {
                    String token = pick(new ArrayList<>(live.keySet()), random);
                    if (token.startsWith(POOL)) {
                        String altered = alter(token, random);
                        Long named = live.get(altered);
                        String outcome = peers.call(random.nextBoolean(), "READ", altered, named == null ? 0 : named);
                        count(counts, named == null ? "altered tokens probed" : "altered tokens naming another live block");
                        if (named != null) {
                            expect(violations, "altered token naming a live block " + altered, outcome, "OK");
                        } else if (!outcome.equals("NOTFOUND") && !outcome.equals("FSE:InvalidTokenException")) {
                            violations.add("altered token " + altered + " (from " + token + ") -> " + outcome);
                        }
                    }
                } else {
                    peers.cleanup(random.nextBoolean(), violations);
                    count(counts, "cleanups (idle segments given back)");
                }
                if (live.size() > 40) {
                    String oldest = live.keySet().iterator().next();
                    stale.put(oldest, live.remove(oldest));
                    staleList.add(oldest);
                    expect(violations, "release of the oldest block", peers.release(random.nextBoolean(), oldest), "true");
                    if (oldest.startsWith(POOL)) {
                        retiredSlots.add(slotOf(oldest));
                    }
                }
            }
            for (String token : live.keySet()) {
                peers.release(false, token);
            }
            for (String token : staleList) {
                expect(violations, "stale token at the end " + token, peers.call(true, "READ", token, stale.get(token)),
                        "NOTFOUND");
            }
            child.send("EXIT");
            assertThat(child.awaitExit(WAIT)).as("child exit code").isZero();
        }
        long seconds = Math.max(1, (System.nanoTime() - started) / 1_000_000_000L);
        System.out.println("TORTURE pool-stale-tokens: " + OPERATIONS + " operations by two processes; " + counts
                + "; violations " + violations.size() + "; " + seconds + " s");
        assertThat(violations).isEmpty();
        assertThat(counts.getOrDefault("slots reused after a stale token", 0L)).as("slots reused").isPositive();
        assertThat(counts.getOrDefault("stale pooled tokens probed", 0L)).isPositive();
        assertThat(counts.getOrDefault("altered tokens probed", 0L)).isPositive();
        janitorLeavesNoSegments(dir);
    }

    @Test
    void segmentsRetiredUnlinkedOrReclaimedUnderACachingReader() throws IOException {
        long seed = TortureSettings.seedFor("pool-stale-segments");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = TestDirs.blockDir(tempDir);
        Path pool = dir.resolve(PoolLayout.DIRECTORY);
        List<String> violations = new ArrayList<>();
        try (SharedMemoryTemplate owner = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                .poolSize(POOL_SIZE).poolIdleTimeout(Duration.ZERO).build();
                ChildJvm reader = peer(dir, 0)) {
            Peers peers = new Peers(owner, reader);
            // 1. The child maps a segment, pins some blocks, unpins; the owner releases all and gives it back.
            Map<String, Long> first = writeSome(peers, 10, 30_000, random);
            String retired = segmentOf(first.keySet().iterator().next());
            for (Map.Entry<String, Long> e : first.entrySet()) {
                expect(violations, "open before retire", peers.call(true, "OPEN", e.getKey(), e.getValue()), "OK");
            }
            reader.send("CLOSEALL");
            reader.awaitLine("CLOSED ", WAIT);
            first.keySet().forEach(owner::release);
            owner.cleanup(CleanupOptions.defaults());
            assertThat(pool.resolve(retired)).as("idle segment given back").doesNotExist();
            Map<String, Long> second = writeSome(peers, 10, 30_000, random);
            second.putAll(writeSome(peers, 4, 150_000, random));
            assertThat(second.keySet()).allSatisfy(t -> assertThat(segmentOf(t)).isNotEqualTo(retired));
            probeAll(peers, first, "NOTFOUND", "retired segment, mapped by the child before", violations);
            probeAll(peers, second, "OK", "new segment", violations);

            // 2. The segment file is unlinked under both (an operator's rm); the owner keeps reusing its slots.
            String unlinked = segmentOf(second.keySet().iterator().next());
            Files.delete(pool.resolve(unlinked));
            List<String> releasedAfterUnlink = new ArrayList<>();
            for (String token : new ArrayList<>(second.keySet())) {
                if (segmentOf(token).equals(unlinked) && releasedAfterUnlink.size() < 4) {
                    assertThat(owner.release(token)).isTrue();
                    releasedAfterUnlink.add(token);
                }
            }
            Map<String, Long> third = writeSome(peers, 4, 30_000, random);
            for (String token : releasedAfterUnlink) {
                long payloadSeed = second.remove(token);
                for (boolean byChild : new boolean[] {true, false}) {
                    expect(violations, "released in an unlinked segment", peers.call(byChild, "READ", token, payloadSeed),
                            "NOTFOUND");
                }
            }
            for (Map.Entry<String, Long> e : third.entrySet()) {
                String outcome = peers.call(true, "READ", e.getKey(), e.getValue());
                if (!outcome.equals("OK") && !outcome.equals("NOTFOUND")) {
                    violations.add("block written after its segment was unlinked " + e.getKey() + " -> " + outcome);
                }
            }

            // 3. A writer that closes without releasing leaves a dead owner's segment; the child's janitor
            //    reclaims it after reading it, and neither side finds its blocks afterwards.
            Map<String, Long> orphans = new LinkedHashMap<>();
            try (SharedMemoryTemplate gone = SharedMemoryTemplate.builder().directory(dir).threshold(0)
                    .poolSize(8L << 20).releaseOnClose(false).build()) {
                for (int i = 0; i < 5; i++) {
                    long payloadSeed = random.nextLong();
                    orphans.put(gone.write(CheckedPayload.make(20_000, payloadSeed)), payloadSeed);
                }
            }
            probeAll(peers, orphans, "OK", "dead owner's block within the grace", violations);
            peers.cleanup(true, violations);
            assertThat(pool.resolve(segmentOf(orphans.keySet().iterator().next()))).as("dead owner's segment")
                    .doesNotExist();
            probeAll(peers, orphans, "NOTFOUND", "dead owner's block after the janitor", violations);

            second.keySet().forEach(owner::release);
            third.keySet().forEach(owner::release);
            reader.send("EXIT");
            assertThat(reader.awaitExit(WAIT)).isZero();
        }
        assertThat(violations).isEmpty();
        janitorLeavesNoSegments(dir);
    }

    private static Map<String, Long> writeSome(Peers peers, int count, int size, SplittableRandom random) {
        Map<String, Long> written = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            long payloadSeed = random.nextLong();
            String token = peers.write(false, size, payloadSeed, random.nextBoolean());
            assertThat(token).startsWith(POOL);
            written.put(token, payloadSeed);
        }
        return written;
    }

    private static void probeAll(Peers peers, Map<String, Long> tokens, String expected, String what,
            List<String> violations) {
        for (Map.Entry<String, Long> e : tokens.entrySet()) {
            for (String command : new String[] {"READ", "OPEN"}) {
                for (boolean byChild : new boolean[] {true, false}) {
                    expect(violations, what + " " + e.getKey() + " " + command + (byChild ? " by child" : " by parent"),
                            peers.call(byChild, command, e.getKey(), e.getValue()), expected);
                }
            }
        }
        peers.closeAll();
    }

    /** Off by one, zero, largest, negative and malformed generation, slot and segment fields. */
    private static String alter(String token, SplittableRandom random) {
        SlotRef ref = SlotRef.parse(token.substring(POOL.length()));
        String segment = ref.segment();
        int digit = 5 + random.nextInt(32);
        char flipped = segment.charAt(digit) == '0' ? '1' : '0';
        String[] variants = {
            ref.segment() + "." + ref.slot() + "." + (ref.generation() + 1),
            ref.segment() + "." + ref.slot() + "." + (ref.generation() - 1),
            ref.segment() + "." + ref.slot() + "." + (ref.generation() + 1000),
            ref.segment() + "." + ref.slot() + ".999999999999999999",
            ref.segment() + "." + ref.slot() + "." + Long.MAX_VALUE,
            ref.segment() + "." + ref.slot() + ".-" + ref.generation(),
            ref.segment() + "." + ref.slot() + ".0",
            ref.segment() + "." + (ref.slot() + 1) + "." + ref.generation(),
            ref.segment() + "." + Math.max(0, ref.slot() - 1) + "." + ref.generation(),
            ref.segment() + ".31." + ref.generation(),
            ref.segment() + ".32." + ref.generation(),
            ref.segment() + ".-1." + ref.generation(),
            ref.segment() + "." + Integer.MAX_VALUE + "." + ref.generation(),
            segment.substring(0, digit) + flipped + segment.substring(digit + 1) + "." + ref.slot() + "." + ref.generation(),
        };
        return POOL + variants[random.nextInt(variants.length)];
    }

    private static int size(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> 16 + random.nextInt(60_000);
            case 1 -> 70_000 + random.nextInt(110_000);
            default -> 200_000 + random.nextInt(100_000);
        };
    }

    private static String slotOf(String token) {
        SlotRef ref = SlotRef.parse(token.substring(POOL.length()));
        return ref.segment() + "." + ref.slot();
    }

    private static String segmentOf(String token) {
        return SlotRef.parse(token.substring(POOL.length())).segment();
    }

    private static <T> T pick(List<T> list, SplittableRandom random) {
        return list.get(random.nextInt(list.size()));
    }

    private static void expect(List<String> violations, String what, String outcome, String expected) {
        if (!outcome.equals(expected)) {
            violations.add(what + ": expected " + expected + ", got " + outcome);
        }
    }

    private static void count(Map<String, Long> counts, String what) {
        counts.merge(what, 1L, Long::sum);
    }

    private static ChildJvm peer(Path dir, long poolSize) {
        ChildJvm child = ChildJvm.start(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                PoolPeerMain.class, dir.toString(), Long.toString(poolSize), "0");
        child.awaitLine("READY ", WAIT);
        return child;
    }

    /** Closes every template first; then one more janitor run must leave the pool directory empty. */
    private static void janitorLeavesNoSegments(Path dir) throws IOException {
        try (SharedMemoryTemplate janitor = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            janitor.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
        }
        PoolReader.trim(Duration.ZERO);
        Path pool = dir.resolve(PoolLayout.DIRECTORY);
        if (Files.isDirectory(pool)) {
            try (Stream<Path> files = Files.list(pool)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("segments left").isEmpty();
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    /** This JVM's template and the child's, addressed alike. */
    private static final class Peers {
        private final SharedMemoryTemplate parent;
        private final ChildJvm child;
        private final List<io.fastshare.SharedPayload> open = new ArrayList<>();

        Peers(SharedMemoryTemplate parent, ChildJvm child) {
            this.parent = parent;
            this.child = child;
        }

        String write(boolean byChild, int size, long seed, boolean checksum) {
            if (byChild) {
                child.send("WRITE " + size + " " + seed + " " + checksum);
                return child.awaitLine("TOKEN ", WAIT);
            }
            return parent.write(CheckedPayload.make(size, seed), WriteOptions.defaults().checksum(checksum));
        }

        String release(boolean byChild, String token) {
            if (byChild) {
                child.send("RELEASE " + token);
                return child.awaitLine("RELEASED ", WAIT);
            }
            return PoolPeerMain.outcome(() -> String.valueOf(parent.release(token)));
        }

        String call(boolean byChild, String command, String token, long seed) {
            if (byChild) {
                child.send(command + " " + token + " " + seed);
                return child.awaitLine(command + " ", WAIT);
            }
            return PoolPeerMain.outcome(() -> switch (command) {
                case "READ" -> PoolPeerMain.verdict(parent.read(token, byte[].class), seed);
                case "TAKE" -> PoolPeerMain.verdict(parent.take(token, byte[].class), seed);
                default -> {
                    io.fastshare.SharedPayload payload = parent.open(token);
                    open.add(payload);
                    java.nio.ByteBuffer view = payload.value(java.nio.ByteBuffer.class);
                    yield CheckedPayload.verify(view, seed) ? "OK" : CheckedPayload.verify(view) ? "FOREIGN" : "WRONG";
                }
            });
        }

        void closeAll() {
            open.forEach(io.fastshare.SharedPayload::close);
            open.clear();
            child.send("CLOSEALL");
            child.awaitLine("CLOSED ", WAIT);
        }

        void cleanup(boolean byChild, List<String> violations) {
            if (byChild) {
                child.send("CLEANUP");
                String outcome = child.awaitLine("CLEANED ", WAIT);
                if (!outcome.matches("[0-9]+")) {
                    violations.add("child cleanup -> " + outcome);
                }
            } else {
                parent.cleanup(CleanupOptions.defaults().withGrace(Duration.ZERO));
            }
        }
    }
}
