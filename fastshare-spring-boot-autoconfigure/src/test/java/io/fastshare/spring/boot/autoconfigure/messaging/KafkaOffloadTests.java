package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.TestDirs;
import io.fastshare.messaging.FastShareHeaders;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.testing.ChildJvm;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka offload against spring-kafka-test's embedded KRaft broker: a producer JVM ({@link KafkaChildMain}) and
 * this JVM as the consumer (a {@code @KafkaListener} in a Spring Boot application).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaOffloadTests {

    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final BlockingQueue<String> RECEIVED = new LinkedBlockingQueue<>();
    static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();

    final String topic = "fastshare-" + UUID.randomUUID();
    EmbeddedKafkaKraftBroker broker;
    Path blockDir;

    @BeforeAll
    void start() throws IOException {
        broker = new EmbeddedKafkaKraftBroker(1, 1, topic);
        broker.afterPropertiesSet();
        blockDir = TestDirs.blockDir(Files.createTempDirectory("fastshare-kafka"));
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.destroy();
        }
        if (blockDir != null) {
            TestDirs.deleteTree(blockDir);
        }
    }

    @Test
    void largeRecordsTravelAsTokensAndTheListenerReleasesThemAfterSuccessOnly() throws Exception {
        String ok = "ok-" + UUID.randomUUID();
        String flaky = "flaky-" + UUID.randomUUID();
        try (ConfigurableApplicationContext consumer = new SpringApplicationBuilder(ConsumerApp.class)
                .web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + blockDir, "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "spring.kafka.consumer.auto-offset-reset=earliest",
                        "spring.kafka.consumer.value-deserializer=org.apache.kafka.common.serialization.StringDeserializer",
                        "fastshare.codec.allowed-types=io.fastshare.spring.boot.autoconfigure.messaging.*",
                        "test.topic=" + topic)
                .run();
             ChildJvm producer = ChildJvm.start(List.of("-Xmx512m"), KafkaChildMain.class, blockDir.toString(),
                     broker.getBrokersAsString(), topic, "1000000", ok, flaky)) {
            double sent = Double.parseDouble(producer.awaitLine("SENT " + ok + " ", PATIENCE));
            producer.awaitLine("SENT " + flaky + " ", PATIENCE);

            List<String> received = new ArrayList<>();
            while (received.size() < 3) {
                String line = RECEIVED.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertThat(line).as("listener calls so far: " + received).isNotNull();
                received.add(line);
            }
            assertThat(received).containsExactly("OK " + ok + " " + sent, "FAILED " + flaky, "OK " + flaky + " " + sent);
            assertThat(eventually(() -> blocks().isEmpty())).as("released after each successful listener call").isTrue();
            assertRawRecordsAreTiny();
            producer.send("stop");
            assertThat(producer.awaitExit(PATIENCE)).isZero();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSendTheBrokerRejectsAfterTheWriteReleasesTheBlock() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                        FastShareMessagingAutoConfiguration.class, FastShareKafkaAutoConfiguration.class,
                        KafkaAutoConfiguration.class))
                .withPropertyValues("fastshare.directory=" + blockDir, "fastshare.cleanup.enabled=false",
                        "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                        "spring.kafka.producer.value-serializer=org.apache.kafka.common.serialization.StringSerializer",
                        // The token record fits in a few hundred bytes, not in 64: rejected after serialisation.
                        "spring.kafka.producer.properties.max.request.size=64", "fastshare.messaging.kafka.threshold=1KB")
                .run(context -> {
                    KafkaTemplate<Object, Object> kafka = context.getBean(KafkaTemplate.class);

                    assertThatThrownBy(() -> kafka.send(topic, new float[1_000_000]).get(60, TimeUnit.SECONDS))
                            .hasStackTraceContaining("RecordTooLarge");

                    assertThat(blocks()).as("blocks left by the rejected send").isEmpty();
                });
    }

    private void assertRawRecordsAreTiny() {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            raw.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (records.size() < 2 && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> batch = raw.poll(Duration.ofMillis(500));
                batch.forEach(records::add);
            }
            assertThat(records).hasSize(2).allSatisfy(record -> {
                assertThat(record.value().length).as("record value of a 4 MB payload").isLessThan(1024);
                assertThat(record.headers().lastHeader(FastShareHeaders.TOKEN)).isNotNull();
            });
        }
    }

    private List<String> blocks() {
        try (Stream<Path> files = Files.list(blockDir)) {
            return Stream.concat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")),
                    TestDirs.pooledBlocks(blockDir).stream()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The consumer application: auto-configuration and one listener. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ConsumerApp {

        @Bean
        Listener listener() {
            return new Listener();
        }
    }

    /** Fails the first delivery of each {@code flaky-} record, so the container redelivers it. */
    static class Listener {

        @KafkaListener(topics = "${test.topic}", groupId = "scoring")
        void on(Vectors vectors) {
            if (vectors.id().startsWith("flaky-") && FAILED_ONCE.add(vectors.id())) {
                RECEIVED.add("FAILED " + vectors.id());
                throw new IllegalStateException("first delivery of " + vectors.id() + " fails on purpose");
            }
            RECEIVED.add("OK " + vectors.id() + " " + vectors.sum());
        }
    }
}
