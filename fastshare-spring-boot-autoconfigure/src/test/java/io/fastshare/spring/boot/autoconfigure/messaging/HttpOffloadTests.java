package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.store.pool.BlockPool;
import io.fastshare.store.pool.PoolBlockStore;
import io.fastshare.store.pool.SizeClass;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * HTTP offload between two Spring Boot applications in two JVMs: this JVM is the producer (a RestClient from
 * Boot's builder), a child JVM the consumer (Spring MVC). Bodies travel as {@code application/vnd.fastshare.token};
 * every block is released when its exchange is over, whether the handler returned or threw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpOffloadTests {

    static final Duration PATIENCE = Duration.ofSeconds(90);

    Path tempDir;
    Path blockDir;
    ChildJvm consumer;
    ConfigurableApplicationContext producer;
    RestClient client;
    String port;
    final List<String> sentBodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws IOException {
        tempDir = Files.createTempDirectory("fastshare-http");
        blockDir = TestDirs.blockDir(tempDir);
        consumer = ChildJvm.start(List.of("-Xmx512m"), HttpConsumerMain.class, blockDir.toString());
        producer = new SpringApplicationBuilder(ProducerApp.class).web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + blockDir, "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "fastshare.messaging.http.threshold=64KB")
                .run();
        port = consumer.awaitLine("PORT ", PATIENCE);
        client = producer.getBean(RestClient.Builder.class).baseUrl("http://127.0.0.1:" + port)
                .requestInterceptor((request, body, execution) -> {
                    sentBodies.add(new String(body, StandardCharsets.US_ASCII));
                    return execution.execute(request, body);
                })
                .build();
    }

    @AfterEach
    void noBlockLeft() throws IOException {
        // Before any template closes (closing would release what a leak left behind).
        try (Stream<Path> files = Files.list(blockDir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")))
                    .as("block files left after the exchange").isEmpty();
        }
        assertThat(TestDirs.pooledBlocks(blockDir)).as("pooled blocks left after the exchange").isEmpty();
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (consumer != null) {
            consumer.send("stop");
            consumer.awaitExit(PATIENCE);
            consumer.close();
        }
        TestDirs.deleteTree(blockDir);
        TestDirs.deleteTree(tempDir);
    }

    @Test
    void aLargeRequestBodyTravelsAsATokenAndItsBlockIsReleasedAfterTheHandler() {
        Vectors vectors = Vectors.of("large", 4_000_000);

        Double sum = client.post().uri("/sum").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).body(vectors)
                .retrieve().body(Double.class);

        assertThat(sum).isEqualTo(vectors.sum());
        assertThat(sentBodies.get(sentBodies.size() - 1)).startsWith("FSHR:pool:").hasSizeLessThan(100);
    }

    @Test
    void aSmallBodyTravelsInlineBelowTheEndpointThreshold() {
        Vectors vectors = Vectors.of("small", 100);

        Double sum = client.post().uri("/sum").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).body(vectors)
                .retrieve().body(Double.class);

        assertThat(sum).isEqualTo(vectors.sum());
        assertThat(sentBodies.get(sentBodies.size() - 1)).startsWith("FSHR:inl:");
    }

    @Test
    void aHandlerThatThrowsStillReleasesTheBlock() {
        assertThatThrownBy(() -> client.post().uri("/fail").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .body(Vectors.of("failing", 1_000_000)).retrieve().toBodilessEntity())
                .isInstanceOfSatisfying(HttpServerErrorException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(500)));
        // noBlockLeft checks the release.
    }

    @Test
    void aSharedPayloadParameterReadsTheProducersMemoryInPlace() {
        float[] values = Vectors.of("raw", 2_000_000).values();

        Double sum = client.post().uri("/view").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).body(values)
                .retrieve().body(Double.class);

        assertThat(sum).isEqualTo(new Vectors("raw", values).sum());
    }

    @Test
    void aSharedPayloadParameterLeavesNoPinSoTheProducerReusesTheSlot() {
        assertTheConsumerLeavesNoPin("/view", Vectors.of("raw", 2_000_000).values());
    }

    @Test
    void aRecordWithBufferViewsLeavesNoPinSoTheProducerReusesTheSlot() {
        assertTheConsumerLeavesNoPin("/buffers", Vectors.of("buffers", 2_000_000));
    }

    @Test
    void aCopiedBodyLeavesNoPinSoTheProducerReusesTheSlot() {
        assertTheConsumerLeavesNoPin("/sum", Vectors.of("copied", 2_000_000));
    }

    /**
     * Sends the same payload once more than a segment of its size class has slots, from a producer whose pool
     * holds exactly one such segment. The consumer releases each block when its request is done; if it still
     * pinned a slot (a shared kernel lock on its pin byte), the producer could not reuse it and a later body
     * would fall through to a block file.
     */
    private void assertTheConsumerLeavesNoPin(String path, Object payload) {
        long payloadBytes = payload instanceof float[] values ? 4L * values.length
                : 4L * ((Vectors) payload).values().length;
        SizeClass sizeClass = SizeClass.forBlock(payloadBytes + 4096);
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (ConfigurableApplicationContext onePool = new SpringApplicationBuilder(ProducerApp.class)
                .web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + blockDir, "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "fastshare.messaging.http.threshold=64KB",
                        "fastshare.pool.size=" + sizeClass.segmentSize() + "B")
                .run()) {
            RestClient onePoolClient = onePool.getBean(RestClient.Builder.class).baseUrl("http://127.0.0.1:" + port)
                    .requestInterceptor((request, body, execution) -> {
                        bodies.add(new String(body, StandardCharsets.US_ASCII));
                        return execution.execute(request, body);
                    })
                    .build();
            BlockPool pool = ((PoolBlockStore) onePool.getBean(SharedMemoryTemplate.class).stores()
                    .forKind(PoolBlockStore.KIND).orElseThrow()).pool().orElseThrow();

            for (int round = 0; round <= sizeClass.slotCount(); round++) {
                onePoolClient.post().uri(path).contentType(FastShareMediaTypes.FASTSHARE_TOKEN).body(payload)
                        .retrieve().body(Double.class);
            }

            assertThat(bodies).as("every body a pooled block: no slot stayed pinned after its request")
                    .allSatisfy(body -> assertThat(body).startsWith("FSHR:pool:"));
            assertThat(pool.fallThroughs()).isZero();
            assertThat(pool.segmentCount()).isEqualTo(1);
        }
    }

    @Test
    void aResponseBodyTravelsAsATokenAndTheClientTakesIt() {
        Vectors vectors = client.get().uri("/vectors?n=3000000").accept(FastShareMediaTypes.FASTSHARE_TOKEN)
                .retrieve().body(Vectors.class);

        assertThat(vectors).isNotNull();
        assertThat(vectors.sum()).isEqualTo(Vectors.of("response", 3_000_000).sum());
    }

    @Test
    void anEndpointThatDoesNotExistLeavesNoBlock() {
        assertThatThrownBy(() -> client.post().uri("/nowhere").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .body(Vectors.of("lost", 1_000_000)).retrieve().toBodilessEntity())
                .hasMessageContaining("404");
        // The client interceptor released the block nobody read.
    }

    @Test
    void anOctetStreamBodyThroughTheStarterCustomizedClientIsStreamedNotBuffered() {
        // 96 MiB through a client with a 64 MiB heap: a client that buffers the body (Spring does for any
        // request interceptor) cannot hold it and dies of OutOfMemoryError.
        int mebibytes = 96;
        try (ChildJvm streaming = ChildJvm.start(List.of("-Xmx64m"), StreamingClientMain.class,
                "http://127.0.0.1:" + port, blockDir.toString(), Integer.toString(mebibytes))) {
            String counted = streaming.awaitLine("SENT ", PATIENCE);

            assertThat(counted).isEqualTo(Long.toString((long) mebibytes << 20));
            assertThat(streaming.awaitExit(PATIENCE)).isZero();
        }
    }

    /** The producer application: auto-configuration only. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProducerApp {
    }
}
