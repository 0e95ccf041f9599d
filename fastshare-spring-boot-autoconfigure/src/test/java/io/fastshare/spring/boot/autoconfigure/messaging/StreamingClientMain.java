package io.fastshare.spring.boot.autoconfigure.messaging;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Child process for {@link HttpOffloadTests}: a Spring Boot application with the starter's auto-configuration
 * posts an octet-stream body larger than its own heap through a {@code RestClient} from Boot's builder, in
 * 1 MiB chunks. Prints {@code SENT <bytes the server counted>}; a client that buffers the body dies of
 * {@code OutOfMemoryError} instead (non-zero exit).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StreamingClientMain {

    /**
     * Entry point.
     *
     * @param args the server's base URL, the block directory, the body size in MiB
     */
    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(StreamingClientMain.class)
                .web(WebApplicationType.NONE)
                .properties("fastshare.directory=" + args[1], "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "logging.level.root=WARN")
                .run()) {
            RestClient client = context.getBean(RestClient.Builder.class).baseUrl(args[0]).build();
            int mebibytes = Integer.parseInt(args[2]);
            byte[] chunk = new byte[1 << 20];
            Long counted = client.post().uri("/octets").contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .contentLength((long) mebibytes << 20)
                    .body(out -> {
                        for (int i = 0; i < mebibytes; i++) {
                            out.write(chunk);
                        }
                    })
                    .retrieve().body(Long.class);
            System.out.println("SENT " + counted);
            System.out.flush();
        }
    }
}
