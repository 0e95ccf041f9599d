package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedPayload;
import io.fastshare.messaging.http.FastShareMediaTypes;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Child process for {@link HttpOffloadTests}: a Spring Boot web application whose controller consumes
 * {@code application/vnd.fastshare.token} bodies. Prints {@code PORT <port>}, runs until its standard input
 * closes or gets a line.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(HttpConsumerMain.Endpoints.class)
public class HttpConsumerMain {

    /**
     * Entry point.
     *
     * @param args the block directory
     * @throws Exception on failure (the test sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HttpConsumerMain.class)
                .properties("server.port=0", "fastshare.directory=" + args[0], "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "logging.level.root=WARN")
                .run()) {
            System.out.println("PORT " + context.getEnvironment().getProperty("local.server.port"));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    /**
     * {@link Vectors} read in place: the float array as a view of the shared memory.
     *
     * @param id the id
     * @param values the values, a view valid while the request lasts
     */
    public record VectorsView(String id, FloatBuffer values) {
    }

    /** The consumer's endpoints: the two-line consumer code of the README, and its variants. */
    @RestController
    static class Endpoints {

        @PostMapping(path = "/sum", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        double sum(@RequestBody Vectors vectors) {
            return vectors.sum();
        }

        @PostMapping(path = "/fail", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        double fail(@RequestBody Vectors vectors) {
            throw new IllegalStateException("handler failed on purpose after reading " + vectors.id());
        }

        @PostMapping(path = "/view", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        double view(@RequestBody SharedPayload payload) {
            // Zero-copy: the view is over the producer's shared memory, valid during this call.
            FloatBuffer floats = payload.view(0).asFloatBuffer();
            double sum = 0;
            while (floats.hasRemaining()) {
                sum += floats.get();
            }
            return sum;
        }

        @PostMapping(path = "/buffers", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        double buffers(@RequestBody VectorsView vectors) {
            // Zero-copy: the record's buffer is a view of the producer's shared memory, valid during this call.
            FloatBuffer floats = vectors.values();
            if (!floats.isDirect()) {
                throw new IllegalStateException("expected a view of shared memory, got a heap copy");
            }
            double sum = 0;
            while (floats.hasRemaining()) {
                sum += floats.get();
            }
            return sum;
        }

        @PostMapping(path = "/octets", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
        long octets(InputStream body) throws IOException {
            // Counts without holding the body, so only the client's memory is under test.
            return body.transferTo(OutputStream.nullOutputStream());
        }

        @GetMapping(path = "/vectors", produces = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        Vectors vectors(@RequestParam int n) {
            return Vectors.of("response", n);
        }
    }
}
