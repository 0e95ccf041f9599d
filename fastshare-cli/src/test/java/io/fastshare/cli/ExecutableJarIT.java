package io.fastshare.cli;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import io.fastshare.crossprocess.WriterMain;
import io.fastshare.store.BlockDirectory;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged, shaded jar runs with {@code java -jar} alone (main class, picocli, Jackson and SLF4J inside),
 * and the distribution's {@code bin/fastshare} launcher runs it from the unpacked archive.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExecutableJarIT {

    @TempDir
    Path tempDir;

    record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("fastshare.cli.jar", "target/fastshare-cli.jar"));
        assertThat(jar).exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = tempDir.resolve("out");
        Path err = tempDir.resolve("err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** Unpacks the tar.gz distribution as a user would and returns its root directory. */
    private Path unpackDistribution() throws IOException, InterruptedException {
        Path archive = Path.of(System.getProperty("fastshare.cli.dist", "target/fastshare-cli-bin.tar.gz"));
        assertThat(archive).exists();
        Path target = Files.createDirectories(tempDir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", target.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        return target.resolve(System.getProperty("fastshare.cli.dist.dir", "fastshare-cli"));
    }

    private Run launch(Path launcher, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("FASTSHARE_JAVA_OPTS");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        Path out = tempDir.resolve("out");
        Path err = tempDir.resolve("err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherOfTheDistributionRunsTheCliFromItsLayout() throws Exception {
        Path home = unpackDistribution();
        Path launcher = home.resolve("bin/fastshare");
        assertThat(Files.isExecutable(launcher)).as("bin/fastshare is executable in the archive").isTrue();
        assertThat(home.resolve("lib/fastshare-cli.jar")).isRegularFile();
        assertThat(Files.readString(home.resolve("completion/fastshare.bash"), StandardCharsets.UTF_8))
                .contains("complete -F", "cleanup", "--dry-run");

        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            String token = template.write(new byte[4096], WriteOptions.defaults().shared());

            Run list = launch(launcher, Map.of(), "list", "--json", "--dir", dir.toString());
            assertThat(list.exitCode()).as(list.err()).isZero();
            assertThat(JsonMapper.builder().build().readTree(list.out()).get("blocks")).hasSize(1);

            // Through a symbolic link, as when bin/fastshare is linked into a directory on the PATH.
            Path link = Files.createSymbolicLink(Files.createDirectories(tempDir.resolve("path")).resolve("fastshare"),
                    launcher);
            Run cleanup = launch(link, Map.of(), "cleanup", "--dry-run", "--grace", "0", "--dir", dir.toString());
            assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
            assertThat(template.read(token, byte[].class)).hasSize(4096);
            assertThat(template.release(token)).isTrue();

            // FASTSHARE_JAVA_OPTS reaches the JVM: a malformed option makes java itself fail.
            Run badOpts = launch(launcher, Map.of("FASTSHARE_JAVA_OPTS", "-XX:+NoSuchFastshareOption"),
                    "--version");
            assertThat(badOpts.exitCode()).isNotZero();
            assertThat(badOpts.err()).contains("NoSuchFastshareOption");

            Run version = launch(launcher, Map.of("FASTSHARE_JAVA_OPTS", "-Xmx64m"), "--version");
            assertThat(version.exitCode()).as(version.err()).isZero();
            assertThat(version.out()).startsWith("fastshare ");

            Run badJavaHome = launch(launcher, Map.of("JAVA_HOME", tempDir.resolve("nojava").toString()), "list");
            assertThat(badJavaHome.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(badJavaHome.err()).contains("JAVA_HOME");

            assertThat(launch(launcher, Map.of(), "frobnicate").exitCode()).isEqualTo(ExitCodes.USAGE);
        } finally {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void listsInspectsAndCleansThroughTheJar() throws Exception {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).poolSize(0).build()) {
            int[] payload = (int[]) Payloads.make("int[]", 40_000, 11);
            String token = template.write(payload, WriteOptions.defaults().shared());

            Run list = run("list", "--json", "--dir", dir.toString());
            assertThat(list.exitCode()).as(list.err()).isZero();
            JsonNode blocks = JsonMapper.builder().build().readTree(list.out()).get("blocks");
            assertThat(blocks).hasSize(1);
            assertThat(blocks.get(0).get("state").asString()).isEqualTo("LIVE");
            assertThat(list.err()).isEmpty();

            Run inspect = run("inspect", token, "--dir", dir.toString());
            assertThat(inspect.exitCode()).isZero();
            assertThat(inspect.out()).contains("INT32", "[10000]");

            Run cleanup = run("cleanup", "--grace", "0", "--dir", dir.toString());
            assertThat(cleanup.exitCode()).isZero();
            assertThat(cleanup.out()).contains("Reclaimed 0 blocks");
            assertThat(template.read(token, int[].class)).isEqualTo(payload);

            assertThat(run("nonsense").exitCode()).isEqualTo(ExitCodes.USAGE);
        } finally {
            TestDirs.assertNoBlocks(dir);
        }
    }

    /**
     * The documented cross-process case, with real processes on both sides: a writer JVM killed with
     * SIGKILL leaves orphans that the CLI (a third process, with no lease of its own) lists as ORPHANED and
     * not owned by it, and reclaims after the grace period, while a live process's block stays intact.
     */
    @Test
    void orphansOfAKilledWriterProcessAreReclaimedThroughTheJarAndLiveBlocksKept() throws Exception {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate live = SharedMemoryTemplate.builder().directory(dir).build();
                ChildJvm writer = ChildJvm.start(WriterMain.class, dir.toString(), "float[]:3000000", "long[]:2000000")) {
            float[] kept = (float[]) Payloads.make("float[]", 300_000, 5);
            String keptToken = live.write(kept, WriteOptions.defaults().shared());
            writer.awaitLine("WRITTEN", Duration.ofSeconds(60));
            writer.kill9();

            Run list = run("list", "--json", "--dir", dir.toString());
            assertThat(list.exitCode()).as(list.err()).isZero();
            JsonNode blocks = JsonMapper.builder().build().readTree(list.out()).get("blocks");
            assertThat(blocks).hasSize(3);
            List<String> orphans = new ArrayList<>();
            for (JsonNode block : blocks) {
                assertThat(block.get("ownedByThisProcess").asBoolean()).as("the CLI owns no block").isFalse();
                if (block.get("state").asString().equals("ORPHANED")) {
                    orphans.add(block.get("name").asString());
                } else {
                    assertThat(block.get("state").asString()).isEqualTo("LIVE");
                }
            }
            assertThat(orphans).hasSize(2);

            // Grace is short; depending on when it starts to count, the first runs may still keep them.
            List<String> reclaimed = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            while (reclaimed.size() < 2 && System.nanoTime() < deadline) {
                Run cleanup = run("cleanup", "--json", "--grace", "1s", "--dir", dir.toString());
                assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
                for (JsonNode cleaned : JsonMapper.builder().build().readTree(cleanup.out()).get("cleaned")) {
                    reclaimed.add(cleaned.get("name").asString());
                }
                Thread.sleep(500);
            }
            // The writer's blocks are pooled (the default): cleanup reclaims a dead writer's segments and names
            // them, FSHP_<32 hex>, where the listing named the blocks in them, FSHP_<32 hex>.<slot>.<generation>.
            assertThat(reclaimed).containsExactlyInAnyOrderElementsOf(
                    orphans.stream().map(name -> name.split("\\.")[0]).distinct().toList());
            assertThat(live.read(keptToken, float[].class)).isEqualTo(kept);
            assertThat(live.release(keptToken)).isTrue();
        } finally {
            TestDirs.assertNoBlocks(dir);
        }
    }

    @Test
    void withoutDirTheDefaultDirectoryIsUsed() throws Exception {
        Path defaultDir = BlockDirectory.defaultPath();
        Run list = run("list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        if (Files.isDirectory(defaultDir)) {
            assertThat(list.out()).contains(defaultDir.toString());
        } else {
            assertThat(list.err()).contains("no block directory at " + defaultDir);
        }
    }
}
