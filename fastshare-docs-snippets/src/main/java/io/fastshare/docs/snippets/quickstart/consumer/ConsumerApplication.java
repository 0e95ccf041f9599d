package io.fastshare.docs.snippets.quickstart.consumer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Quick start's consumer service: {@code POST /vectors} with a token. */
@SpringBootApplication
public class ConsumerApplication {

    /**
     * Starts the consumer service.
     *
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(ConsumerApplication.class, args);
    }
}
