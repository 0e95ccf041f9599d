package io.fastshare.cli;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged, shaded jar runs with {@code java -jar} alone: main class, Jackson and SLF4J inside. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
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

    @Test
    void listsInspectsAndCleansThroughTheJar() throws Exception {
        Path dir = TestDirs.blockDir(tempDir);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(dir).build()) {
            String token = template.write(new int[10_000], WriteOptions.defaults().shared());

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
            assertThat(template.read(token, int[].class)).hasSize(10_000);

            assertThat(run("nonsense").exitCode()).isEqualTo(ExitCodes.USAGE);
        } finally {
            TestDirs.assertNoBlocks(dir);
        }
    }
}
