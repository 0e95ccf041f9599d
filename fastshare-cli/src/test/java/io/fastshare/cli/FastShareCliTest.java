package io.fastshare.cli;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.cleanup.HumanDuration;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command and exit code of the CLI against a real block directory holding a live block (owned by
 * a template of this JVM, which the CLI must treat like any other live process), an orphaned block (its
 * template closed without releasing) and an expired one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FastShareCliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tempDir;

    Path dir;
    SharedMemoryTemplate owner;
    String live;
    String orphaned;
    String expired;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        dir = TestDirs.blockDir(tempDir);
        // Block files (inspect by FSHR_ name, file orphans); pooled blocks have their own test below.
        owner = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build();
        live = name(owner.write(new byte[5000], WriteOptions.defaults().shared()));
        Clock hourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        try (SharedMemoryTemplate gone = SharedMemoryTemplate.builder().directory(dir).clock(hourAgo).poolSize(0)
                .releaseOnClose(false).build()) {
            orphaned = name(gone.write(new float[3000], WriteOptions.defaults().shared().noTtl()));
            expired = name(gone.write(new byte[4000], WriteOptions.defaults().shared().ttl(Duration.ofMinutes(1))));
        }
    }

    @AfterEach
    void tearDown() {
        owner.close();
        for (String name : List.of(orphaned, expired)) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        TestDirs.assertNoBlocks(dir);
    }

    private static String name(String token) {
        return token.substring("FSHR:shm:".length());
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--dir")) {
            // Before the command, where every command (help included) accepts it.
            all.addAll(0, List.of("--dir", dir.toString()));
        }
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new FastShareCli(o, e, Clock.systemUTC()).run(all.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private JsonNode json() {
        return JSON.readTree(out());
    }

    @Test
    void listPrintsATableOfEveryBlock() {
        assertThat(run("list")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("NAME", "STATE", live, orphaned, expired, "LIVE", "ORPHANED", "EXPIRED")
                .contains("3 blocks").contains(owner.ownerId().toHex().substring(0, 12));
        assertThat(err()).isEmpty();
    }

    @Test
    void listShowsPooledBlocksAndCleanupSweepsThePool() {
        try (SharedMemoryTemplate pooled = SharedMemoryTemplate.builder().directory(dir).poolSize(64L << 20).build()) {
            String token = pooled.write(new byte[200_000], WriteOptions.defaults().shared());
            assertThat(token).startsWith("FSHR:pool:");
            String key = token.substring("FSHR:pool:".length());
            assertThat(run("list")).isEqualTo(ExitCodes.OK);
            assertThat(out()).contains(key).contains("4 blocks");
            assertThat(run("cleanup", "--grace", "0")).isEqualTo(ExitCodes.OK);
            assertThat(run("list")).isEqualTo(ExitCodes.OK);
            assertThat(out()).as("a live writer's pooled block survives cleanup").contains(key);
        }
        assertThat(run("cleanup", "--grace", "0")).isEqualTo(ExitCodes.OK);
        assertThat(dir.resolve(".pool")).isEmptyDirectory();
        io.fastshare.store.pool.PoolReader.trim(Duration.ZERO);
    }

    @Test
    void inspectDescribesAPooledBlockByTokenOrKey() {
        try (SharedMemoryTemplate pooled = SharedMemoryTemplate.builder().directory(dir).poolSize(64L << 20).build()) {
            String token = pooled.write(new byte[200_000], WriteOptions.defaults().shared());
            String key = token.substring("FSHR:pool:".length());
            assertThat(run("inspect", token)).isEqualTo(ExitCodes.OK);
            assertThat(out()).contains(key).contains("LIVE").contains("committed").contains("buffers");
            assertThat(run("inspect", key, "--json")).isEqualTo(ExitCodes.OK);
            assertThat(out()).contains(key);
            pooled.release(token);
            assertThat(run("inspect", token)).isEqualTo(ExitCodes.NOT_FOUND);
        }
        assertThat(run("inspect", "FSHR:pool:FSHP_zz.1.1")).isNotEqualTo(ExitCodes.OK);
        assertThat(err()).contains("FSHR:pool:FSHP_<32 hex>.<slot>.<generation>");
        io.fastshare.store.pool.PoolReader.trim(Duration.ZERO);
    }

    @Test
    void cleanupDryRunReportsPooledBlocksItWouldReclaimAndKeepsThem() {
        Clock hourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        try (SharedMemoryTemplate pooled = SharedMemoryTemplate.builder().directory(dir).poolSize(64L << 20)
                .clock(hourAgo).build()) {
            String token = pooled.write(new byte[200_000], WriteOptions.defaults().shared().ttl(Duration.ofMinutes(1)));
            String key = token.substring("FSHR:pool:".length());
            assertThat(run("cleanup", "--dry-run", "-v")).isEqualTo(ExitCodes.OK);
            assertThat(out()).contains("would reclaim").contains(key);
            assertThat(run("list")).isEqualTo(ExitCodes.OK);
            assertThat(out()).as("a dry run keeps the expired pooled block").contains(key).contains("EXPIRED");
            assertThat(run("cleanup")).isEqualTo(ExitCodes.OK);
            assertThat(run("list")).isEqualTo(ExitCodes.OK);
            assertThat(out()).doesNotContain(key);
        }
        assertThat(run("cleanup", "--grace", "0")).isEqualTo(ExitCodes.OK);
        io.fastshare.store.pool.PoolReader.trim(Duration.ZERO);
    }

    @Test
    void listJsonIsMachineReadable() {
        assertThat(run("list", "--json")).isEqualTo(ExitCodes.OK);
        JsonNode document = json();
        assertThat(document.get("directory").asString()).isEqualTo(dir.toString());
        assertThat(document.get("count").asInt()).isEqualTo(3);
        List<String> states = new ArrayList<>();
        for (JsonNode block : document.get("blocks")) {
            states.add(block.get("name").asString() + "=" + block.get("state").asString());
            assertThat(block.get("ownerId").asString()).hasSize(32);
            assertThat(Instant.parse(block.get("created").asString())).isBefore(Instant.now().plusSeconds(1));
            // The same age twice: text for people, exact milliseconds for programs (as the actuator endpoint).
            assertThat(block.get("age").asString()).isEqualTo(HumanDuration.format(
                    Duration.ofMillis(block.get("ageMillis").asLong())));
            // In this test the live block's owner is a template of the test JVM that runs the CLI code.
            assertThat(block.get("ownedByThisProcess").asBoolean()).isEqualTo(block.get("name").asString().equals(live));
        }
        assertThat(states).containsExactlyInAnyOrder(live + "=LIVE", orphaned + "=ORPHANED", expired + "=EXPIRED");
    }

    @Test
    void inspectShowsHeaderStateAndBufferTable() {
        assertThat(run("inspect", orphaned)).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("state         ORPHANED", "codec         raw", "FLOAT32", "[3000]", "never (no TTL)",
                "committed", "OFFSET");
        assertThat(run("inspect", "FSHR:shm:" + live, "--json")).isEqualTo(ExitCodes.OK);
        JsonNode block = json();
        assertThat(block.get("state").asString()).isEqualTo("LIVE");
        assertThat(block.get("committed").asBoolean()).isTrue();
        assertThat(block.get("codec").asString()).isEqualTo("raw");
        assertThat(block.get("buffers")).hasSize(1);
        assertThat(block.get("buffers").get(0).get("length").asLong()).isEqualTo(5000);
        assertThat(block.get("problem").isNull()).isTrue();
    }

    @Test
    void inspectExitCodesForMissingAndMalformedNames() {
        assertThat(run("inspect", "FSHR_00000000000000000000000000000000")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err()).contains("no block FSHR_00000000000000000000000000000000");
        assertThat(run("inspect", "FSHR_00000000000000000000000000000000", "--json")).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(json().get("error").asString()).contains("no block");
        assertThat(run("inspect", "../../etc/passwd")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("inspect", "FSHR:inl:AAAA")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("inline token");
        assertThat(run("inspect", live, "--dir", tempDir.resolve("nowhere").toString())).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void dryRunDeletesNothing() {
        assertThat(run("cleanup", "--dry-run", "--grace", "0", "--verbose")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Dry run: would reclaim 2 blocks", "1 expired", "1 orphaned", orphaned, expired)
                .doesNotContain(live);
        for (String name : List.of(live, orphaned, expired)) {
            assertThat(dir.resolve(name)).exists();
        }
        assertThat(run("cleanup", "-n", "--grace=0", "--json")).isEqualTo(ExitCodes.OK);
        assertThat(json().get("dryRun").asBoolean()).isTrue();
        assertThat(json().get("cleaned")).hasSize(2);
        for (String name : List.of(live, orphaned, expired)) {
            assertThat(dir.resolve(name)).exists();
        }
    }

    @Test
    void cleanupReclaimsExpiredAtOnceAndOrphanedAfterTheGracePeriodButNeverLiveBlocks() {
        // The orphaned block was created an hour ago but its file was written just now: within a minute's grace.
        assertThat(run("cleanup", "--verbose")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Reclaimed 1 block", "1 expired", expired, "skipped", orphaned, "grace");
        assertThat(dir.resolve(expired)).doesNotExist();
        assertThat(dir.resolve(orphaned)).exists();

        assertThat(run("cleanup", "--grace", "0", "--json")).isEqualTo(ExitCodes.OK);
        JsonNode result = json();
        assertThat(result.get("dryRun").asBoolean()).isFalse();
        assertThat(result.get("graceMillis").asLong()).isZero();
        assertThat(result.get("grace").asString()).isEqualTo("0s");
        assertThat(result.get("cleaned")).hasSize(1);
        assertThat(result.get("cleaned").get(0).get("name").asString()).isEqualTo(orphaned);
        assertThat(result.get("cleaned").get(0).get("state").asString()).isEqualTo("ORPHANED");
        assertThat(result.get("bytesReclaimed").asLong()).isPositive();
        assertThat(dir.resolve(orphaned)).doesNotExist();
        assertThat(dir.resolve(live)).exists();

        assertThat(run("cleanup", "--grace", "0", "--quiet")).isEqualTo(ExitCodes.OK);
        assertThat(out()).isEmpty();
        assertThat(err()).isEmpty();
    }

    @Test
    void aGraceBelowFiveSecondsWarnsAsTheStarterRefusesIt() {
        assertThat(run("cleanup", "--grace", "0")).isEqualTo(ExitCodes.OK);
        assertThat(err()).contains("warning", "--grace 0ms", "5s", "--dry-run");
        assertThat(run("cleanup", "--grace", "5s")).isEqualTo(ExitCodes.OK);
        assertThat(err()).doesNotContain("warning");
    }

    @Test
    void cleanupExitsWithOneWhenSomethingCouldNotBeReclaimed() throws IOException {
        Path broken = TestDirs.blockDir(tempDir);
        Files.createDirectories(broken);
        Files.writeString(broken.resolve(".owners"), "a file where the lease directory should be");
        try {
            assertThat(run("cleanup", "--dir", broken.toString())).isEqualTo(ExitCodes.FAILURES);
            assertThat(err()).contains("could not reclaim", ".owners");
            assertThat(run("cleanup", "--json", "--dir", broken.toString())).isEqualTo(ExitCodes.FAILURES);
            assertThat(json().get("failed")).hasSize(1);
        } finally {
            TestDirs.assertNoBlocks(broken);
        }
    }

    @Test
    void missingDirectoryIsAnEmptyListingAndNothingToClean() {
        String nowhere = tempDir.resolve("nowhere").toString();
        assertThat(run("list", "--dir", nowhere)).isEqualTo(ExitCodes.OK);
        assertThat(err()).contains("no block directory");
        assertThat(run("list", "--json", "--dir", nowhere)).isEqualTo(ExitCodes.OK);
        assertThat(json().get("count").asInt()).isZero();
        assertThat(run("cleanup", "--dir", nowhere)).isEqualTo(ExitCodes.OK);
        assertThat(Files.exists(Path.of(nowhere))).isFalse();
    }

    @Test
    void helpAndUsageErrors() {
        assertThat(run("help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Usage: fastshare", "Exit codes", "list", "inspect", "cleanup", "--dir", "--json",
                "Block directory when --dir is not given");
        assertThat(run("--help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Usage: fastshare");
        assertThat(run("cleanup", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Usage: fastshare cleanup", "--dry-run", "--verbose", "--quiet", "--grace");
        assertThat(run("help", "inspect")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Usage: fastshare inspect", "<token|name>");
        assertThat(run("--version")).isEqualTo(ExitCodes.OK);
        assertThat(out()).matches("fastshare \\d+\\.\\d+\\.\\d+.*\\R");
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("no command given", "Usage: fastshare");
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("unknown command: frobnicate", "Usage: fastshare");
        assertThat(run("help", "whatever")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("list", "--colour")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--colour", "Usage: fastshare list");
        assertThat(run("cleanup", "-q", "-v")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--verbose and --quiet exclude each other");
        assertThat(run("cleanup", "--grace", "soon")).isEqualTo(ExitCodes.USAGE);
        assertThat(out()).isEmpty();
    }

    @Test
    void generatesABashCompletionScriptFromTheModel() {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        out.reset();
        assertThat(new FastShareCli(o, e, Clock.systemUTC()).run("generate-completion")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("complete -F", "fastshare", "cleanup", "--dry-run", "--grace", "inspect");
    }

    @Test
    void theMainMethodExitsWithTheDocumentedCodes() {
        assertThat(exitCodeOf("list", "--dir", dir.toString())).isEqualTo(ExitCodes.OK);
        assertThat(exitCodeOf("inspect", "FSHR_00000000000000000000000000000000", "--dir", dir.toString()))
                .isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(exitCodeOf("bogus")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aBlockDirectoryOthersCanWriteIsRefusedWithExitCodeFour() throws IOException {
        java.nio.file.Path open = java.nio.file.Files.createDirectories(tempDir.resolve("world-writable"));
        java.nio.file.Files.setPosixFilePermissions(open,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(run("list", "--dir", open.toString())).isEqualTo(ExitCodes.ERROR);
        assertThat(err()).contains("fastshare: error:").contains(open.toString());
    }

    private int exitCodeOf(String... args) {
        try (ChildJvm cli = ChildJvm.start(List.of("-Xmx64m"), FastShareCli.class, args)) {
            return cli.awaitExit(Duration.ofSeconds(30));
        }
    }
}
