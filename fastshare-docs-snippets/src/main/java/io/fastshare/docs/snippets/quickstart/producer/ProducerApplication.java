package io.fastshare.docs.snippets.quickstart.producer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Quick start's producer service; {@code consumer.url} names the consumer's base URL. */
@SpringBootApplication
public class ProducerApplication {

    /**
     * Starts the producer service.
     *
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(ProducerApplication.class, args);
    }
}
