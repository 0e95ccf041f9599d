package io.fastshare.spring.boot.autoconfigure.messaging;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaTemplate;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Child process for {@link KafkaOffloadTests}: a Spring Boot producer that sends each id given on the
 * command line as a {@link Vectors} of the given size through the auto-configured {@code KafkaTemplate}
 * (fan-out last-consumer, one expected consumer group), prints {@code SENT <id> <sum>} for each, then runs
 * until a line arrives on standard input.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class KafkaChildMain {

    /**
     * Entry point.
     *
     * @param args block directory, bootstrap servers, topic, floats per payload, ids
     * @throws Exception on failure (the test sees the exit code)
     */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(KafkaChildMain.class)
                .web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + args[0], "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "logging.level.root=WARN",
                        "spring.kafka.bootstrap-servers=" + args[1],
                        "spring.kafka.producer.value-serializer="
                                + "org.springframework.kafka.support.serializer.JacksonJsonSerializer",
                        "fastshare.messaging.fan-out=last-consumer", "fastshare.messaging.expected-consumers=1",
                        "fastshare.messaging.kafka.threshold=64KB")
                .run()) {
            KafkaTemplate<Object, Object> kafka = context.getBean(KafkaTemplate.class);
            int floats = Integer.parseInt(args[3]);
            for (int i = 4; i < args.length; i++) {
                Vectors vectors = Vectors.of(args[i], floats);
                kafka.send(args[2], vectors.id(), vectors).get();
                System.out.println("SENT " + vectors.id() + " " + vectors.sum());
            }
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }
}
