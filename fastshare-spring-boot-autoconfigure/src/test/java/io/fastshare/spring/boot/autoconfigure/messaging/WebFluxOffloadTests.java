package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.MessagingOptions;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.messaging.http.reactive.FastShareExchangeFilterFunction;
import io.fastshare.messaging.http.reactive.FastShareHttpMessageReader;
import io.fastshare.messaging.http.reactive.FastShareHttpMessageWriter;
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
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * WebClient to WebFlux offload between two Spring Boot applications in two JVMs: this JVM is the producer (a
 * WebClient from Boot's builder), a child JVM the consumer (WebFlux on reactor-netty). Bodies travel as
 * {@code application/vnd.fastshare.token}; every block is released when its exchange is over, whether the
 * handler returned, threw, or the client cancelled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebFluxOffloadTests {

    static final Duration PATIENCE = Duration.ofSeconds(90);

    Path tempDir;
    Path blockDir;
    ChildJvm consumer;
    ConfigurableApplicationContext producer;
    WebClient client;
    String baseUrl;

    @BeforeAll
    void start() throws IOException {
        tempDir = Files.createTempDirectory("fastshare-webflux");
        blockDir = TestDirs.blockDir(tempDir);
        consumer = ChildJvm.start(List.of("-Xmx512m"), WebFluxConsumerMain.class, blockDir.toString());
        producer = new SpringApplicationBuilder(ProducerApp.class).web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + blockDir, "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "fastshare.messaging.http.threshold=64KB")
                .run();
        baseUrl = "http://127.0.0.1:" + consumer.awaitLine("PORT ", PATIENCE);
        client = producer.getBean(WebClient.Builder.class).baseUrl(baseUrl).build();
    }

    @AfterEach
    void noBlockLeft() throws IOException {
        // Before any template closes (closing would release what a leak left behind).
        List<String> left = blockNames();
        for (String name : left) {
            // So that one test's leaked block file does not fail the next ones (a pooled block stays).
            Files.deleteIfExists(blockDir.resolve(name));
        }
        assertThat(left).as("blocks left after the exchange").isEmpty();
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
    void aLargeRequestBodyTravelsAsATokenAndItsBlockIsReleasedAfterTheExchange() {
        Vectors vectors = Vectors.of("large", 4_000_000);

        String answer = client.post().uri("/sum").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).bodyValue(vectors)
                .retrieve().bodyToMono(String.class).block(PATIENCE);

        String[] sumAndBytes = answer.split(" ");
        assertThat(Double.parseDouble(sumAndBytes[0])).isEqualTo(vectors.sum());
        assertThat(Long.parseLong(sumAndBytes[1])).as("request body bytes (the token)").isLessThan(100);
    }

    @Test
    void aSmallBodyTravelsInlineBelowTheEndpointThreshold() {
        Vectors vectors = Vectors.of("small", 100);

        String answer = client.post().uri("/sum").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).bodyValue(vectors)
                .retrieve().bodyToMono(String.class).block(PATIENCE);

        String[] sumAndBytes = answer.split(" ");
        assertThat(Double.parseDouble(sumAndBytes[0])).isEqualTo(vectors.sum());
        assertThat(Long.parseLong(sumAndBytes[1])).as("an inline token carries the 400 bytes of floats")
                .isGreaterThan(400);
    }

    @Test
    void aHandlerThatFailsStillReleasesTheBlock() {
        assertThatThrownBy(() -> client.post().uri("/fail").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .bodyValue(Vectors.of("failing", 1_000_000)).retrieve().toBodilessEntity().block(PATIENCE))
                .isInstanceOfSatisfying(WebClientResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(500)));
        // noBlockLeft checks the release.
    }

    @Test
    void aSharedPayloadParameterReadsTheProducersMemoryInPlace() {
        float[] values = Vectors.of("raw", 2_000_000).values();

        Double sum = client.post().uri("/view").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).bodyValue(values)
                .retrieve().bodyToMono(Double.class).block(PATIENCE);

        assertThat(sum).isEqualTo(new Vectors("raw", values).sum());
    }

    @Test
    void aSharedPayloadParameterLeavesNoPinSoTheProducerReusesTheSlot() throws InterruptedException {
        float[] values = Vectors.of("raw", 2_000_000).values();
        SizeClass sizeClass = PoolSlots.classOfFloats(values.length);
        // A plain template and client: a second Boot context in this JVM would dispose the shared Netty
        // resources of the producer's WebClient when it closes.
        try (SharedMemoryTemplate onePool = SharedMemoryTemplate.builder().directory(blockDir)
                .poolSize(sizeClass.segmentSize()).build()) {
            ClaimCheck claimCheck = new ClaimCheck(onePool, MessagingOptions.defaults().withThreshold(64L << 10));
            WebClient onePoolClient = WebClient.builder().baseUrl(baseUrl).codecs(codecs -> {
                codecs.customCodecs().register(new FastShareHttpMessageReader(claimCheck));
                codecs.customCodecs().register(new FastShareHttpMessageWriter(claimCheck));
            }).filter(new FastShareExchangeFilterFunction()).build();

            // One round more than the segment has slots: a slot the consumer still pinned is never reused.
            for (int round = 0; round <= sizeClass.slotCount(); round++) {
                onePoolClient.post().uri("/view").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).bodyValue(values)
                        .retrieve().bodyToMono(Double.class).block(PATIENCE);
            }

            assertThat(PoolSlots.poolOf(onePool).hits()).as("the first body was a pooled block").isPositive();
            assertThat(PoolSlots.eventuallyEverySlotTakesAWrite(onePool, values, sizeClass.slotCount(), PATIENCE))
                    .as("every slot of the producer's segment takes a write: the consumer pins none").isTrue();
            assertThat(PoolSlots.poolOf(onePool).segmentCount()).isEqualTo(1);
        }
    }

    @Test
    void aResponseBodyTravelsAsATokenAndTheClientTakesIt() {
        Vectors vectors = client.get().uri("/vectors?n=3000000").accept(FastShareMediaTypes.FASTSHARE_TOKEN)
                .retrieve().bodyToMono(Vectors.class).block(PATIENCE);

        assertThat(vectors).isNotNull();
        assertThat(vectors.sum()).isEqualTo(Vectors.of("response", 3_000_000).sum());
    }

    @Test
    void anEndpointThatDoesNotExistLeavesNoBlock() {
        assertThatThrownBy(() -> client.post().uri("/nowhere").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .bodyValue(Vectors.of("lost", 1_000_000)).retrieve().toBodilessEntity().block(PATIENCE))
                .isInstanceOfSatisfying(WebClientResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatusCode.valueOf(404)));
        // The client's exchange filter released the block nobody read.
    }

    @Test
    void aCancelledExchangeLeavesNoBlock() {
        // The server never reads the body nor answers; the client gives up.
        assertThatThrownBy(() -> client.post().uri("/hang").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .bodyValue(Vectors.of("cancelled", 1_000_000)).retrieve().bodyToMono(String.class)
                .timeout(Duration.ofSeconds(3)).block(PATIENCE))
                .hasCauseInstanceOf(TimeoutException.class);
        // The exchange filter released the block on cancel.
    }

    @Test
    void theServerKeepsARequestBlockDuringItsExchangeAndReleasesItAfter() throws InterruptedException {
        // A client without the exchange filter never releases: what happens to the block is the server's doing.
        ClaimCheck claimCheck = ClaimChecks.forEndpoint(producer.getBean(ClaimCheck.class),
                producer.getBean(FastShareMessagingProperties.class).getHttp());
        WebClient withoutFilter = WebClient.builder().baseUrl(baseUrl).codecs(codecs -> {
            codecs.customCodecs().register(new FastShareHttpMessageReader(claimCheck));
            codecs.customCodecs().register(new FastShareHttpMessageWriter(claimCheck));
        }).build();

        Long duringTheHandler = withoutFilter.post().uri("/alive").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .bodyValue(Vectors.of("kept", 1_000_000)).retrieve().bodyToMono(Long.class).block(PATIENCE);

        assertThat(duringTheHandler).as("blocks while the handler ran").isEqualTo(1);
        // The server's exchange ends just after the response went out: wait for its release.
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!blockNames().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // noBlockLeft checks the release.
    }

    private List<String> blockNames() {
        try (Stream<Path> files = Files.list(blockDir)) {
            // Block files and pooled blocks: whichever store the template writes to.
            return Stream.concat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")),
                    TestDirs.pooledBlocks(blockDir).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The producer application: auto-configuration only. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProducerApp {
    }
}
