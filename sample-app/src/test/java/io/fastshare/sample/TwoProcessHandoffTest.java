package io.fastshare.sample;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.payload.EmbeddingsMeta;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.EmbeddingsFactory;
import io.fastshare.sample.producer.DemoReport;
import io.fastshare.sample.producer.PathSummary;
import io.fastshare.sample.producer.SizeReport;
import io.fastshare.testing.ChildJvm;
import io.fastshare.token.Token;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sample's main job across real processes: the consumer and the producer run as two separate JVMs
 * started from the built class path, exactly as {@code run-demo.sh} starts them; this JVM drives them
 * over HTTP and acts as a third process on the same block directory. Small payloads keep it fast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class TwoProcessHandoffTest {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private Path temp;
    private Path dir;
    private ChildJvm consumer;
    private ChildJvm producer;
    private RestClient consumerHttp;
    private RestClient producerHttp;

    @BeforeAll
    void startBothServices(@TempDir Path temp) {
        this.temp = temp;
        dir = TestDirs.blockDir(temp);
        consumer = start("consumer");
        int consumerPort = awaitPort("consumer", consumer);
        producer = start("producer", "--sample.consumer-url=http://127.0.0.1:" + consumerPort);
        int producerPort = awaitPort("producer", producer);
        consumerHttp = client(consumerPort);
        producerHttp = client(producerPort);
        awaitHealthy(consumerHttp, consumer);
        awaitHealthy(producerHttp, producer);
    }

    @AfterAll
    void stopWhateverIsLeft() {
        for (ChildJvm child : new ChildJvm[] {producer, consumer}) {
            if (child != null) {
                child.close();
            }
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    @Order(1)
    void producerHandsTheSamePayloadToTheConsumerByEveryPathWithMatchingChecksums() {
        DemoReport report = producerHttp.post().uri("/demo/run?size=16MB&json-size=2MB&rounds=2")
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(DemoReport.class);

        assertThat(report).isNotNull();
        assertThat(report.allChecksumsOk()).isTrue();
        assertThat(report.sizes()).extracting(SizeReport::bytes)
                .containsExactly(16L * 1024 * 1024 / (4 * 384) * 4 * 384, 2L * 1024 * 1024 / (4 * 384) * 4 * 384);
        assertThat(report.sizes().get(0).paths()).extracting(PathSummary::path)
                .containsExactly(HandoffPath.TOKEN_TAKE, HandoffPath.TOKEN_VIEW, HandoffPath.OCTET_STREAM);
        assertThat(report.sizes().get(1).paths()).extracting(PathSummary::path)
                .containsExactly(HandoffPath.TOKEN_TAKE, HandoffPath.TOKEN_VIEW, HandoffPath.OCTET_STREAM,
                        HandoffPath.JSON);
        for (SizeReport size : report.sizes()) {
            for (PathSummary path : size.paths()) {
                assertThat(path.failures()).as(path.path().label()).isZero();
                assertThat(path.rounds()).isEqualTo(2);
                // Token paths must really have gone through shared memory, not an inline token.
                assertThat(path.tokenKind()).isEqualTo(path.path().viaSharedMemory() ? "shm" : "-");
            }
        }
        assertThat(report.table()).contains("fastshare token, take()", "HTTP octet-stream body", "HTTP JSON body");
        // Every handoff released its block; both services hold their owner lease.
        assertThat(blocks()).isEmpty();
        assertThat(leaseFiles()).hasSize(2);
        // The starter's timers counted it: 2 sizes x 2 token paths x (1 warm-up + 2 rounds) block writes.
        assertThat(metric(producerHttp, "fastshare.write?tag=path:shm&tag=outcome:success")).isEqualTo(12);
        assertThat(metric(consumerHttp, "fastshare.read?tag=path:shm&tag=outcome:success")).isEqualTo(12);
        // ...and every one of them went to the producer's pool (on by default), none to a block file.
        assertThat(metric(producerHttp, "fastshare.pool.allocations?tag=outcome:hit")).isEqualTo(12);
        assertThat(metric(producerHttp, "fastshare.pool.allocations?tag=outcome:fall-through")).isZero();
        assertThat(metric(producerHttp, "fastshare.blocks.live")).isZero();
    }

    @Test
    @Order(2)
    void consumerTakesABlockWrittenByAThirdProcessExactlyOnce() {
        Embeddings embeddings = EmbeddingsFactory.ofSize(4L << 20, 7);
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).build()) {
            String token = writer.write(embeddings.vectors());
            assertThat(Token.parse(token, 1 << 20)).isInstanceOf(Token.Stored.class);
            assertThat(token).as("the default pool takes it").startsWith("FSHR:pool:");
            String blockName = token.substring("FSHR:pool:".length());

            // The consumer's actuator sees the block of this (live) process, and no orphan.
            JsonNode listing = consumerHttp.get().uri("/actuator/fastshare").retrieve().body(JsonNode.class);
            assertThat(listing).isNotNull();
            assertThat(listing.get("summary").get("blocks").asInt()).isEqualTo(1);
            JsonNode block = listing.get("blocks").get(0);
            assertThat(block.get("name").asString()).isEqualTo(blockName);
            assertThat(block.get("state").asString()).isEqualTo("LIVE");
            assertThat(block.get("ownedByThisProcess").asBoolean()).isFalse();
            JsonNode orphans = consumerHttp.get().uri("/actuator/fastshare/orphans").retrieve().body(JsonNode.class);
            assertThat(orphans).isNotNull();
            assertThat(orphans.get("count").asInt()).isZero();

            HandoffReceipt receipt = postToken(HandoffPath.TOKEN_TAKE, token, embeddings.meta());

            assertThat(receipt).isNotNull();
            assertThat(receipt.checksumOk()).isTrue();
            assertThat(receipt.bytes()).isEqualTo(embeddings.byteSize());
            awaitNoBlocks("the converter releases the block when the request is done");
            assertThat(consumerHttp.get().uri("/actuator/fastshare").retrieve().body(JsonNode.class)
                    .get("summary").get("blocks").asInt()).isZero();
            assertThatThrownBy(() -> postToken(HandoffPath.TOKEN_TAKE, token, embeddings.meta()))
                    .isInstanceOfSatisfying(HttpClientErrorException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
                        assertThat(e.getResponseBodyAsString()).contains(blockName);
                    });
        }
    }

    @Test
    @Order(3)
    void consumerRejectsAPayloadWhoseChecksumDoesNotMatch() {
        Embeddings embeddings = EmbeddingsFactory.ofSize(2L << 20, 8);
        try (SharedMemoryTemplate writer = SharedMemoryTemplate.builder().directory(dir).build()) {
            embeddings.vectors()[12345] += 1f; // the block no longer matches the metadata's checksum
            String token = writer.write(embeddings.vectors());

            HandoffReceipt receipt = postToken(HandoffPath.TOKEN_VIEW, token, embeddings.meta());

            assertThat(receipt).isNotNull();
            assertThat(receipt.checksumOk()).isFalse();
            awaitNoBlocks("the view path releases the block after reading");
        }
    }

    @Test
    @Order(4)
    void aBlockTheProducerWroteWithoutHandingItOverIsVisibleUntilTheConsumerTakesIt() {
        ResponseEntity<String> written = producerHttp.post().uri("/demo/write?size=2MB&ttl=1m").retrieve()
                .toEntity(String.class);
        String token = written.getBody();
        assertThat(token).startsWith("FSHR:pool:");
        HttpHeaders headers = written.getHeaders();
        EmbeddingsMeta meta = new EmbeddingsMeta(headers.getFirst(OctetHeaders.MODEL),
                Integer.parseInt(headers.getFirst(OctetHeaders.DIMENSIONS)),
                Integer.parseInt(headers.getFirst(OctetHeaders.COUNT)),
                Long.parseLong(headers.getFirst(OctetHeaders.CHECKSUM)));
        assertThat(blocks()).hasSize(1);
        assertThat(metric(producerHttp, "fastshare.blocks.live")).isEqualTo(1);
        JsonNode listing = consumerHttp.get().uri("/actuator/fastshare").retrieve().body(JsonNode.class);
        assertThat(listing).isNotNull();
        assertThat(listing.get("summary").get("counts").get("LIVE").asInt()).isEqualTo(1);

        HandoffReceipt receipt = postToken(HandoffPath.TOKEN_TAKE, token, meta);

        assertThat(receipt).isNotNull();
        assertThat(receipt.checksumOk()).isTrue();
        awaitNoBlocks("the consumer released the block");
        assertThat(metric(producerHttp, "fastshare.blocks.live")).as("the producer notices the take").isZero();
    }

    @Test
    @Order(5)
    void sigtermStopsBothServicesGracefullyAndLeavesNothingInTheBlockDirectory() {
        for (ChildJvm child : List.of(producer, consumer)) {
            ProcessHandle.of(child.pid()).ifPresent(ProcessHandle::destroy); // SIGTERM
            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited, it was not killed.
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isEqualTo(143);
            assertThat(child.output()).anyMatch(line -> line.contains("Graceful shutdown complete"));
        }
        assertThat(blocks()).isEmpty();
        assertThat(leaseFiles()).as("each template dropped its owner lease on close").isEmpty();
        TestDirs.assertNoBlocks(dir);
    }

    private ChildJvm start(String role, String... extraArgs) {
        Path portFile = temp.resolve(role + ".port");
        String[] args = Stream.concat(Stream.of("--spring.profiles.active=" + role, "--server.port=0",
                "--fastshare.directory=" + dir, "--spring.main.banner-mode=off"), Stream.of(extraArgs))
                .toArray(String[]::new);
        return ChildJvm.start(List.of("-Xmx512m", "-DPORTFILE=" + portFile), SampleApplication.class, args);
    }

    private int awaitPort(String role, ChildJvm child) {
        Path portFile = temp.resolve(role + ".port");
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Files.exists(portFile)) {
                    String text = Files.readString(portFile).trim();
                    if (!text.isEmpty()) {
                        return Integer.parseInt(text);
                    }
                }
                Thread.sleep(100);
            } catch (IOException | NumberFormatException e) {
                // the port file is being written: try again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(role + " wrote no port file within " + STARTUP + "; output: " + child.output());
    }

    private static void awaitHealthy(RestClient http, ChildJvm child) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String health = http.get().uri("/actuator/health").retrieve().body(String.class);
                if (health != null && health.contains("\"status\":\"UP\"")) {
                    return;
                }
            } catch (RuntimeException e) {
                // not ready yet
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("service not healthy within " + STARTUP + "; output: " + child.output());
    }

    private static RestClient client(int port) {
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory();
        requestFactory.setReadTimeout(Duration.ofSeconds(60));
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port).requestFactory(requestFactory).build();
    }

    private static double metric(RestClient http, String nameAndTags) {
        JsonNode metric = http.get().uri("/actuator/metrics/" + nameAndTags).retrieve().body(JsonNode.class);
        assertThat(metric).as(nameAndTags).isNotNull();
        return metric.get("measurements").get(0).get("value").asDouble();
    }

    /** What a producer with the starter sends: the token as the body, the metadata in headers. */
    private HandoffReceipt postToken(HandoffPath path, String token, EmbeddingsMeta meta) {
        return consumerHttp.post().uri(path.endpoint())
                .contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .header(OctetHeaders.MODEL, meta.model())
                .header(OctetHeaders.DIMENSIONS, Integer.toString(meta.dimensions()))
                .header(OctetHeaders.COUNT, Integer.toString(meta.count()))
                .header(OctetHeaders.CHECKSUM, Long.toString(meta.checksum()))
                .body(token)
                .retrieve()
                .body(HandoffReceipt.class);
    }

    /** The consumer releases a block when its request is done, which may be just after the response left. */
    private void awaitNoBlocks(String why) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!blocks().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(blocks()).as(why).isEmpty();
    }

    /** Blocks in the block directory, whichever store holds them: block files and pooled blocks. */
    private List<String> blocks() {
        return Stream.concat(list(dir, "FSHR_").stream().map(p -> p.getFileName().toString()),
                TestDirs.pooledBlocks(dir).stream()).toList();
    }

    private List<Path> leaseFiles() {
        return list(dir.resolve(".owners"), "");
    }

    private static List<Path> list(Path directory, String prefix) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
