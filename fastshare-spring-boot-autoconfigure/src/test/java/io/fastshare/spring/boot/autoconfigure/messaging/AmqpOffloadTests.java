package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.MutableClock;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FanOut;
import io.fastshare.messaging.FastShareHeaders;
import io.fastshare.messaging.MessagingOptions;
import io.fastshare.messaging.amqp.FastShareAmqpMessageConverter;
import io.fastshare.messaging.amqp.FastShareRabbitTemplate;
import io.fastshare.messaging.converter.FastShareMessageConverter;
import io.fastshare.testing.ChildJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitMessagingTemplate;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RabbitMQ offload against the real broker at 127.0.0.1:5672, producer and consumer in two JVMs. This JVM is a
 * Spring Boot application (fan-out {@code last-consumer}, one expected consumer); the child JVMs are
 * {@link AmqpChildMain}. Each lifecycle rule of docs/messaging.md has a test here or in
 * {@link AmqpAutoConfigurationTests}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AmqpOffloadTests {

    static final Duration PATIENCE = Duration.ofSeconds(120);

    final String prefix = "fastshare-test-" + UUID.randomUUID();
    Path blockDir;
    ChildJvm consumer;
    ConfigurableApplicationContext app;
    RabbitTemplate rabbit;
    RabbitAdmin admin;

    @BeforeAll
    void start() throws IOException {
        RabbitBroker.require();
        blockDir = TestDirs.blockDir(Files.createTempDirectory("fastshare-amqp"));
        consumer = ChildJvm.start(List.of("-Xmx512m"), AmqpChildMain.class, "consumer", blockDir.toString(), prefix);
        app = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + blockDir, "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "spring.rabbitmq.host=" + RabbitBroker.HOST,
                        "spring.rabbitmq.port=" + RabbitBroker.PORT, "fastshare.messaging.fan-out=last-consumer",
                        "fastshare.messaging.expected-consumers=1", "fastshare.messaging.amqp.threshold=64KB")
                .run();
        rabbit = app.getBean(RabbitTemplate.class);
        admin = new RabbitAdmin(rabbit.getConnectionFactory());
        consumer.awaitLine("READY", PATIENCE);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            for (String suffix : List.of("ok", "flaky", "dead", "dlq", "view", "raw", "msg")) {
                admin.deleteQueue(prefix + "." + suffix);
            }
        }
        if (consumer != null) {
            consumer.send("stop");
            consumer.awaitExit(PATIENCE);
            consumer.close();
        }
        if (app != null) {
            app.close();
        }
        if (blockDir != null) {
            TestDirs.deleteTree(blockDir);
        }
    }

    @Test
    void aSixtyFourMegabytePayloadLeavesLessThanOneKilobyteOnTheBroker() {
        String queue = prefix + ".raw";
        admin.declareQueue(new Queue(queue, false, false, false));
        try (ChildJvm producer = ChildJvm.start(List.of("-Xmx512m"), AmqpChildMain.class, "producer",
                blockDir.toString(), queue, Integer.toString(16 * 1024 * 1024))) {
            double sent = Double.parseDouble(producer.awaitLine("SENT ", PATIENCE));

            Message raw = rabbit.receive(queue, PATIENCE.toMillis());

            assertThat(raw).as("message on the broker").isNotNull();
            assertThat(raw.getBody().length).as("bytes on the broker for a 64 MB payload").isLessThan(1024);
            assertThat(raw.getMessageProperties().getContentType()).isEqualTo(FastShareHeaders.CONTENT_TYPE);
            assertThat(raw.getMessageProperties().<String>getHeader(FastShareHeaders.PAYLOAD_TYPE))
                    .isEqualTo(float[].class.getName());
            Object payload = rabbit.getMessageConverter().fromMessage(raw);
            assertThat(payload).isInstanceOf(float[].class);
            assertThat(new Vectors("r", (float[]) payload).sum()).isEqualTo(sent);
            producer.send("stop");
            assertThat(producer.awaitExit(PATIENCE)).isZero();
        }
        assertThat(blockNames()).as("the producer's TTL-only block, released when it shut down").isEmpty();
    }

    @Test
    void aListenerThatReturnsReleasesTheBlock() {
        Vectors vectors = Vectors.of("ok-" + UUID.randomUUID(), 1_000_000);

        rabbit.convertAndSend("", prefix + ".ok", vectors);

        assertThat(consumer.awaitLine("OK " + vectors.id() + " ", PATIENCE)).isEqualTo(Double.toString(vectors.sum()));
        assertThat(eventually(() -> blockNames().isEmpty())).as("block released after the listener returned").isTrue();
    }

    @Test
    void aListenerThatThrowsLeavesTheBlockAndTheRedeliveredMessageResolves() {
        Vectors vectors = Vectors.of("flaky-" + UUID.randomUUID(), 1_000_000);

        rabbit.convertAndSend("", prefix + ".flaky", vectors);

        consumer.awaitLine("FLAKY-FAILED " + vectors.id(), PATIENCE);
        assertThat(consumer.awaitLine("FLAKY-OK " + vectors.id() + " ", PATIENCE))
                .as("the redelivered message resolved its payload").isEqualTo(Double.toString(vectors.sum()));
        assertThat(eventually(() -> blockNames().isEmpty())).as("released after the successful delivery").isTrue();
    }

    @Test
    void aSharedPayloadListenerGetsViewsThatCloseAfterTheCall() {
        float[] values = Vectors.of("v", 1_000_000).values();
        double expected = new Vectors("v", values).sum();

        rabbit.convertAndSend("", prefix + ".view", values);
        assertThat(consumer.awaitLine("VIEW ", PATIENCE)).isEqualTo(expected + " inline=false previousClosed=false");
        rabbit.convertAndSend("", prefix + ".view", values);

        assertThat(consumer.awaitLine("VIEW ", PATIENCE)).as("the first call's handle is closed by the second")
                .isEqualTo(expected + " inline=false previousClosed=true");
        assertThat(eventually(() -> blockNames().isEmpty())).isTrue();
    }

    @Test
    void aDeadLetteredPayloadStaysReadableUntilItsTtlThenSaysItExpired() {
        MutableClock clock = MutableClock.atNow();
        CachingConnectionFactory connections = new CachingConnectionFactory(RabbitBroker.HOST, RabbitBroker.PORT);
        try (SharedMemoryTemplate template = SharedMemoryTemplate.builder().directory(blockDir).clock(clock).build()) {
            ClaimCheck claimCheck = new ClaimCheck(template, MessagingOptions.defaults().withTtl(Duration.ofMinutes(1))
                    .withFanOut(FanOut.LAST_CONSUMER, 1).withThreshold(0L), clock);
            FastShareAmqpMessageConverter converter = new FastShareAmqpMessageConverter(claimCheck,
                    new SimpleMessageConverter());
            RabbitTemplate sender = new FastShareRabbitTemplate(connections, claimCheck);
            sender.setMessageConverter(converter);
            Vectors vectors = Vectors.of("dead-" + UUID.randomUUID(), 500_000);

            sender.convertAndSend("", prefix + ".dead", vectors);
            consumer.awaitLine("DEAD " + vectors.id(), PATIENCE);
            Message dead = sender.receive(prefix + ".dlq", PATIENCE.toMillis());

            assertThat(dead).as("dead-lettered message").isNotNull();
            assertThat(blockNames()).as("a rejected message keeps its block").hasSize(1);
            Object early = converter.fromMessage(dead, new ParameterizedTypeReference<Vectors>() {
            });
            assertThat(((Vectors) early).sum()).as("readable while dead-lettered").isEqualTo(vectors.sum());

            clock.advance(Duration.ofMinutes(2));
            assertThat(template.cleanup(CleanupOptions.defaults()).cleaned()).hasSize(1);

            assertThatThrownBy(() -> converter.fromMessage(dead))
                    .isInstanceOf(MessageConversionException.class)
                    .cause().isInstanceOf(BlockNotFoundException.class)
                    .hasMessageContaining("expired").hasMessageContaining("fastshare.messaging.ttl");
        } finally {
            connections.destroy();
        }
    }

    @Test
    void springMessagingCarriesAClaimCheckBetweenTwoJvms() {
        String queue = prefix + ".msg";
        admin.declareQueue(new Queue(queue, false, false, false));
        RabbitMessagingTemplate messaging = new RabbitMessagingTemplate(rabbit);
        messaging.setMessageConverter(app.getBean(FastShareMessageConverter.class));
        try (ChildJvm producer = ChildJvm.start(List.of("-Xmx512m"), AmqpChildMain.class, "messaging-producer",
                blockDir.toString(), queue, "2000000")) {
            double sent = Double.parseDouble(producer.awaitLine("SENT ", PATIENCE));

            Message raw = rabbit.receive(queue, PATIENCE.toMillis());
            assertThat(raw).isNotNull();
            assertThat(raw.getBody().length).isLessThan(1024);
            org.springframework.messaging.Message<?> message =
                    (org.springframework.messaging.Message<?>) messaging.getAmqpMessageConverter().fromMessage(raw);
            Vectors received = (Vectors) messaging.getMessageConverter().fromMessage(message, Vectors.class);

            assertThat(received).isNotNull();
            assertThat(received.sum()).isEqualTo(sent);
            producer.send("stop");
            assertThat(producer.awaitExit(PATIENCE)).isZero();
        }
    }

    private List<String> blockNames() {
        try (Stream<Path> files = Files.list(blockDir)) {
            return Stream.concat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")),
                    TestDirs.pooledBlocks(blockDir).stream()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    /** The test's own application: auto-configuration only. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
