package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedPayload;
import io.fastshare.messaging.converter.FastShareMessageConverter;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitMessagingTemplate;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child process for {@link AmqpOffloadTests}: a Spring Boot application on the RabbitMQ broker, in one of three
 * modes. {@code consumer <dir> <prefix>} runs {@code @RabbitListener}s on the queues {@code <prefix>.ok},
 * {@code .flaky}, {@code .dead} and {@code .view} and prints what they receive; {@code producer <dir> <queue>
 * <floats>} sends one {@code float[]} through the auto-configured {@code RabbitTemplate};
 * {@code messaging-producer <dir> <queue> <floats>} sends a {@link Vectors} through a {@code RabbitMessagingTemplate}
 * with the spring-messaging {@link FastShareMessageConverter}. Every mode prints {@code READY} (or {@code SENT
 * <sum>}) and runs until a line arrives on standard input.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class AmqpChildMain {

    /**
     * Entry point.
     *
     * @param args mode, block directory, then the mode's arguments
     * @throws Exception on failure (the test sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        SpringApplicationBuilder builder = new SpringApplicationBuilder(AmqpChildMain.class)
                .web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + args[1], "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "logging.level.root=WARN",
                        "spring.rabbitmq.host=" + RabbitBroker.HOST, "spring.rabbitmq.port=" + RabbitBroker.PORT,
                        "test.prefix=" + args[2], "fastshare.messaging.amqp.threshold=64KB");
        if ("consumer".equals(mode)) {
            builder.sources(Listeners.class);
        }
        try (ConfigurableApplicationContext context = builder.run()) {
            if ("producer".equals(mode)) {
                float[] values = Vectors.of("p", Integer.parseInt(args[3])).values();
                context.getBean(RabbitTemplate.class).convertAndSend("", args[2], values);
                System.out.println("SENT " + new Vectors("p", values).sum());
            } else if ("messaging-producer".equals(mode)) {
                RabbitMessagingTemplate messaging = new RabbitMessagingTemplate(context.getBean(RabbitTemplate.class));
                messaging.setMessageConverter(context.getBean(FastShareMessageConverter.class));
                Vectors vectors = Vectors.of("m", Integer.parseInt(args[3]));
                messaging.convertAndSend("", args[2], vectors);
                System.out.println("SENT " + vectors.sum());
            } else {
                System.out.println("READY");
            }
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    /** The consumer's queues and listeners. */
    static class Listeners {

        private static final Set<String> FAILED_ONCE = ConcurrentHashMap.newKeySet();
        private static volatile SharedPayload previous;

        @Value("${test.prefix}")
        String prefix;

        @Bean
        Queue okQueue() {
            return QueueBuilder.nonDurable(prefix + ".ok").autoDelete().build();
        }

        @Bean
        Queue flakyQueue() {
            return QueueBuilder.nonDurable(prefix + ".flaky").autoDelete().build();
        }

        @Bean
        Queue deadQueue() {
            return QueueBuilder.nonDurable(prefix + ".dead").autoDelete().deadLetterExchange("")
                    .deadLetterRoutingKey(prefix + ".dlq").build();
        }

        @Bean
        Queue deadLetterQueue() {
            return QueueBuilder.nonDurable(prefix + ".dlq").build();
        }

        @Bean
        Queue viewQueue() {
            return QueueBuilder.nonDurable(prefix + ".view").autoDelete().build();
        }

        @RabbitListener(queues = "${test.prefix}.ok")
        void ok(Vectors vectors) {
            print("OK " + vectors.id() + " " + vectors.sum());
        }

        @RabbitListener(queues = "${test.prefix}.flaky")
        void flaky(Vectors vectors) {
            if (FAILED_ONCE.add(vectors.id())) {
                print("FLAKY-FAILED " + vectors.id());
                throw new IllegalStateException("first delivery of " + vectors.id() + " fails on purpose");
            }
            print("FLAKY-OK " + vectors.id() + " " + vectors.sum());
        }

        @RabbitListener(queues = "${test.prefix}.dead")
        void dead(Vectors vectors) {
            print("DEAD " + vectors.id());
            throw new AmqpRejectAndDontRequeueException("rejected on purpose: " + vectors.id());
        }

        @RabbitListener(queues = "${test.prefix}.view")
        void view(SharedPayload payload) {
            SharedPayload before = previous;
            boolean previousClosed = false;
            if (before != null) {
                try {
                    before.view(0);
                } catch (RuntimeException e) {
                    previousClosed = true;
                }
            }
            previous = payload;
            FloatBuffer floats = payload.view(0).asFloatBuffer();
            double sum = 0;
            while (floats.hasRemaining()) {
                sum += floats.get();
            }
            print("VIEW " + sum + " inline=" + payload.isInline() + " previousClosed=" + previousClosed);
        }

        private static void print(String line) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
