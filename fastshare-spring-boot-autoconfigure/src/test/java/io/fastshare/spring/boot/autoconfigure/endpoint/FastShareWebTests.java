package io.fastshare.spring.boot.autoconfigure.endpoint;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.HumanDuration;
import io.fastshare.spring.boot.testing.Orphans;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
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

/**
 * The fastshare endpoint and health indicator over HTTP, in a real web application with actuator and
 * the endpoint's default (read-only) access. Periodic cleanup is off so the tests decide when blocks go.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "management.endpoints.web.exposure.include=health,fastshare",
    "management.endpoint.health.show-details=always", "fastshare.cleanup.enabled=false",
    "fastshare.pool.size=0" })
class FastShareWebTests {

    static final Path BLOCK_DIR = TestDirs.blockDir(Path.of(System.getProperty("java.io.tmpdir"),
            "fastshare-web-" + UUID.randomUUID()));

    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final JsonMapper JSON = JsonMapper.builder().build();

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
        // The Spring test context (and with it the template) outlives this class; blocks of the tests are
        // released by the tests themselves, so only the directory and the lease remain.
        if (Files.exists(BLOCK_DIR)) {
            TestDirs.assertNoBlocks(BLOCK_DIR);
        }
    }

    @Test
    void healthReportsTheBlockDirectory() throws Exception {
        String token = template.write(new byte[2_000_000]);
        try {
            HttpResponse<String> response = get("/actuator/health/fastshare");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode health = JSON.readTree(response.body());
            assertThat(health.get("status").asString()).isEqualTo("UP");
            JsonNode details = health.get("details");
            assertThat(details.get("directory").asString()).isEqualTo(BLOCK_DIR.toString());
            assertThat(details.get("free").asLong()).isPositive();
            assertThat(details.get("ownedBlocks").asInt()).isEqualTo(1);
        } finally {
            template.release(token);
        }
    }

    @Test
    void endpointListsBlocksOrphansAndOneBlock() throws Exception {
        String token = template.write(new byte[2_000_000]);
        String own = token.substring("FSHR:shm:".length());
        String orphan = Orphans.create(BLOCK_DIR, 3_000_000);
        try {
            HttpResponse<String> all = get("/actuator/fastshare");
            assertThat(all.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(all.body());
            JsonNode summary = body.get("summary");
            assertThat(summary.get("directory").asString()).isEqualTo(BLOCK_DIR.toString());
            assertThat(summary.get("freeBytes").asLong()).isPositive();
            assertThat(summary.get("blocks").asInt()).isEqualTo(2);
            assertThat(summary.get("counts").get("LIVE").asInt()).isEqualTo(1);
            assertThat(summary.get("counts").get("ORPHANED").asInt()).isEqualTo(1);
            assertThat(summary.get("orphans").asInt()).isEqualTo(1);
            assertThat(summary.get("ownedBlocks").asInt()).isEqualTo(1);
            assertThat(body.get("blocks")).hasSize(2);
            for (JsonNode block : body.get("blocks")) {
                // The process serving the endpoint owns its own block, not the orphan.
                assertThat(block.get("ownedByThisProcess").asBoolean()).isEqualTo(block.get("name").asString()
                        .equals(own));
                assertThat(block.get("age").asString()).isEqualTo(HumanDuration.format(
                        Duration.ofMillis(block.get("ageMillis").asLong())));
            }

            JsonNode orphans = JSON.readTree(get("/actuator/fastshare/orphans").body());
            assertThat(orphans.get("count").asInt()).isEqualTo(1);
            assertThat(orphans.get("grace").asString()).isEqualTo("1m");
            assertThat(orphans.get("graceMillis").asLong()).isEqualTo(60_000);
            assertThat(orphans.get("blocks").get(0).get("name").asString()).isEqualTo(orphan);
            assertThat(orphans.get("blocks").get(0).get("state").asString()).isEqualTo("ORPHANED");
            assertThat(orphans.get("blocks").get(0).get("ownedByThisProcess").asBoolean()).isFalse();

            assertThat(JSON.readTree(get("/actuator/fastshare/blocks").body()).get("blocks")).hasSize(2);

            HttpResponse<String> one = get("/actuator/fastshare/blocks/" + own);
            assertThat(one.statusCode()).isEqualTo(200);
            JsonNode block = JSON.readTree(one.body());
            assertThat(block.get("state").asString()).isEqualTo("LIVE");
            assertThat(block.get("ownedByThisProcess").asBoolean()).isTrue();
            assertThat(block.get("size").asLong()).isGreaterThanOrEqualTo(2_000_000);
            assertThat(block.get("ageMillis").asLong()).isNotNegative();
            assertThat(get("/actuator/fastshare/blocks/" + token).statusCode()).as("by token").isEqualTo(200);

            assertThat(get("/actuator/fastshare/blocks/FSHR_00000000000000000000000000000000").statusCode())
                    .isEqualTo(404);
            HttpResponse<String> malformed = get("/actuator/fastshare/blocks/not-a-block");
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(malformed.body()).get("error").asString()).contains("not a block name");
            HttpResponse<String> unknown = get("/actuator/fastshare/" + own);
            assertThat(unknown.statusCode()).as("a block name is no listing").isEqualTo(400);
            assertThat(unknown.body()).contains("/blocks/{name}");
            assertThat(get("/actuator/fastshare/elsewhere/" + own).statusCode()).isEqualTo(400);

            // Health reports the orphan found by the scans above.
            JsonNode health = JSON.readTree(get("/actuator/health/fastshare").body());
            assertThat(health.get("details").get("orphans").asInt()).isEqualTo(1);
        } finally {
            template.release(token);
            Files.deleteIfExists(BLOCK_DIR.resolve(orphan));
        }
    }

    @Test
    void deleteIsRefusedWithDefaultAccessExplainingHowToEnableIt(CapturedOutput output) throws Exception {
        String orphan = Orphans.create(BLOCK_DIR, 2_000_000);
        try {
            HttpResponse<String> response = delete("/actuator/fastshare");
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Allow")).hasValue("GET");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("message").asString()).contains("management.endpoint.fastshare.access=unrestricted");
            assertThat(body.get("path").asString()).isEqualTo("/actuator/fastshare");
            assertThat(BLOCK_DIR.resolve(orphan)).exists();
            assertThat(output.getAll()).doesNotContain(" WARN ");
        } finally {
            Files.deleteIfExists(BLOCK_DIR.resolve(orphan));
        }
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class WebApplication {
    }
}
