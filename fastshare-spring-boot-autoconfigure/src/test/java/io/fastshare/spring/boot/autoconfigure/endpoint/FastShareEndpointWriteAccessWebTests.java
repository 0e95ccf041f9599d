package io.fastshare.spring.boot.autoconfigure.endpoint;

import io.fastshare.Payloads;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.spring.boot.testing.OrphanWriterMain;
import io.fastshare.spring.boot.testing.Orphans;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** With write access granted explicitly, DELETE on the fastshare endpoint reclaims orphans. */
@SpringBootTest(classes = FastShareWebTests.WebApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
            "management.endpoints.web.exposure.include=fastshare",
            "management.endpoint.fastshare.access=unrestricted", "fastshare.cleanup.enabled=false" })
class FastShareEndpointWriteAccessWebTests {

    static final Path BLOCK_DIR = TestDirs.blockDir(Path.of(System.getProperty("java.io.tmpdir"),
            "fastshare-web-" + UUID.randomUUID()));

    @DynamicPropertySource
    static void blockDirectory(DynamicPropertyRegistry registry) {
        registry.add("fastshare.directory", BLOCK_DIR::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    SharedMemoryTemplate template;

    @AfterAll
    static void removeBlockDirectory() {
        if (Files.exists(BLOCK_DIR)) {
            TestDirs.assertNoBlocks(BLOCK_DIR);
        }
    }

    @Test
    void deleteReclaimsOrphansAndKeepsLiveBlocks() throws Exception {
        byte[] payload = (byte[]) Payloads.make("byte[]", 2_000_000, 11);
        String token = template.write(payload);
        String orphan = Orphans.create(BLOCK_DIR, 3_000_000);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://localhost:" + port + "/actuator/fastshare")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode result = JsonMapper.builder().build().readTree(response.body());
            assertThat(result.get("dryRun").asBoolean()).isFalse();
            assertThat(result.get("grace").asString()).isEqualTo("1m");
            assertThat(result.get("graceMillis").asLong()).isEqualTo(60_000);
            assertThat(result.get("cleaned")).hasSize(1);
            assertThat(result.get("cleaned").get(0).get("name").asString()).isEqualTo(orphan);
            assertThat(result.get("cleaned").get(0).get("state").asString()).isEqualTo("ORPHANED");
            assertThat(result.get("bytesReclaimed").asLong()).isGreaterThanOrEqualTo(3_000_000);
            assertThat(result.get("failed")).isEmpty();
            assertThat(BLOCK_DIR.resolve(orphan)).doesNotExist();
            assertThat(template.read(token, byte[].class)).isEqualTo(payload);
        } finally {
            template.release(token);
            Files.deleteIfExists(BLOCK_DIR.resolve(orphan));
        }
    }

    /**
     * Across real processes: the block of a writer JVM killed with SIGKILL is listed by the endpoint as
     * an orphan this process does not own, and a DELETE within the grace period keeps it readable.
     */
    @Test
    void aKilledWritersBlockIsListedAsOrphanAndKeptDuringTheGrace() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        HttpClient http = HttpClient.newHttpClient();
        URI endpoint = URI.create("http://localhost:" + port + "/actuator/fastshare");
        String name = null;
        try (ChildJvm writer = ChildJvm.start(OrphanWriterMain.class, BLOCK_DIR.toString())) {
            String token = writer.awaitLine("TOKEN ", Duration.ofSeconds(90));
            name = token.substring(token.lastIndexOf(':') + 1);
            long writerPid = writer.pid();
            writer.kill9();

            JsonNode orphans = json.readTree(http.send(HttpRequest.newBuilder(URI.create(endpoint + "/orphans"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(orphans.get("count").asInt()).isEqualTo(1);
            JsonNode orphan = orphans.get("blocks").get(0);
            assertThat(orphan.get("name").asString()).isEqualTo(name);
            assertThat(orphan.get("state").asString()).isEqualTo("ORPHANED");
            assertThat(orphan.get("ownedByThisProcess").asBoolean()).isFalse();
            assertThat(orphan.get("writerPid").asLong()).isEqualTo(writerPid);

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json.readTree(response.body()).get("cleaned")).as("within the grace period").isEmpty();
            assertThat(template.read(token, byte[].class)).isEqualTo(OrphanWriterMain.payload());
        } finally {
            if (name != null) {
                Files.deleteIfExists(BLOCK_DIR.resolve(name));
            }
        }
    }
}
