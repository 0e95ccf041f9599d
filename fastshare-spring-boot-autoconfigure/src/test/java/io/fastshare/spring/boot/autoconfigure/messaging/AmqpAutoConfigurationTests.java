package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.TestDirs;
import io.fastshare.messaging.amqp.FastShareAmqpMessageConverter;
import io.fastshare.messaging.amqp.FastShareListenerAdvice;
import io.fastshare.messaging.amqp.FastShareRabbitTemplate;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RabbitMQ auto-configuration, without a broker: what it installs, and a send that fails after the write. */
class AmqpAutoConfigurationTests {

    @TempDir
    Path tempDir;

    Path blockDir;
    ApplicationContextRunner runner;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareAutoConfiguration.class,
                        FastShareMessagingAutoConfiguration.class, FastShareAmqpAutoConfiguration.class,
                        RabbitAutoConfiguration.class))
                // Nothing listens on port 1: every send fails after the converter wrote the block.
                .withPropertyValues("fastshare.directory=" + blockDir, "spring.rabbitmq.host=127.0.0.1",
                        "spring.rabbitmq.port=1", "fastshare.messaging.amqp.threshold=1KB");
    }

    @AfterEach
    void tearDown() {
        TestDirs.deleteTree(blockDir);
    }

    @Test
    void aSendThatFailsAfterTheWriteReleasesTheBlock() {
        runner.run(context -> {
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            assertThat(template).isInstanceOf(FastShareRabbitTemplate.class);

            assertThatThrownBy(() -> template.convertAndSend("", "nowhere", new float[1_000_000]))
                    .isInstanceOf(AmqpException.class);

            assertThat(blockNames()).as("blocks left by the failed send").isEmpty();
        });
    }

    @Test
    void wrapsTheApplicationsConverterOnTemplateAndListenerFactory() {
        runner.withBean(MessageConverter.class, JacksonJsonMessageConverter::new).run(context -> {
            MessageConverter onTemplate = context.getBean(RabbitTemplate.class).getMessageConverter();
            assertThat(onTemplate).isInstanceOf(FastShareAmqpMessageConverter.class);
            assertThat(((FastShareAmqpMessageConverter) onTemplate).delegate())
                    .isInstanceOf(JacksonJsonMessageConverter.class);
            SimpleRabbitListenerContainerFactory factory = context.getBean(SimpleRabbitListenerContainerFactory.class);
            assertThat(Arrays.asList(factory.getAdviceChain())).hasAtLeastOneElementOfType(FastShareListenerAdvice.class);
        });
    }

    @Test
    void isSwitchedOffByItsProperty() {
        runner.withPropertyValues("fastshare.messaging.amqp.enabled=false").run(context -> {
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            assertThat(template).isNotInstanceOf(FastShareRabbitTemplate.class);
            assertThat(template.getMessageConverter()).isNotInstanceOf(FastShareAmqpMessageConverter.class);
        });
    }

    private java.util.List<String> blockNames() {
        try (Stream<Path> files = Files.list(blockDir)) {
            return Stream.concat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")),
                    TestDirs.pooledBlocks(blockDir).stream()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
