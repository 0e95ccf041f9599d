package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.messaging.http.FastShareMediaTypes;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Child process for {@link WebFluxOffloadTests}: a Spring Boot WebFlux application (reactor-netty) whose
 * controller consumes {@code application/vnd.fastshare.token} bodies. Prints {@code PORT <port>}, runs until
 * its standard input closes or gets a line.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(WebFluxConsumerMain.Endpoints.class)
public class WebFluxConsumerMain {

    /**
     * Entry point.
     *
     * @param args the block directory
     * @throws Exception on failure (the test sees the exit code)
     */
    public static void main(String[] args) throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxConsumerMain.class)
                .web(WebApplicationType.REACTIVE)
                .properties("server.port=0", "fastshare.directory=" + args[0], "spring.main.banner-mode=off",
                        "fastshare.cleanup.enabled=false", "logging.level.root=WARN")
                .run()) {
            System.out.println("PORT " + context.getEnvironment().getProperty("local.server.port"));
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    /** The consumer's endpoints: the reactive twins of {@link HttpConsumerMain}'s. */
    @RestController
    static class Endpoints {

        private final Path blockDir;

        Endpoints(@Value("${fastshare.directory}") Path blockDir) {
            this.blockDir = blockDir;
        }

        /** Answers the sum and the request's body size, so the test sees that only a token crossed HTTP. */
        @PostMapping(path = "/sum", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        String sum(@RequestBody Vectors vectors, @RequestHeader(HttpHeaders.CONTENT_LENGTH) long bodyBytes) {
            return vectors.sum() + " " + bodyBytes;
        }

        @PostMapping(path = "/fail", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        Mono<String> fail(@RequestBody Mono<Vectors> vectors) {
            return vectors.map(v -> {
                throw new IllegalStateException("handler failed on purpose after reading " + v.id());
            });
        }

        @PostMapping(path = "/hang", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        Mono<String> hang() {
            // Never reads the body and never answers: only the client's cancel ends the exchange, and only the
            // client can release the block.
            return Mono.never();
        }

        @PostMapping(path = "/view", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        double view(@RequestBody SharedPayload payload) {
            // Zero-copy: the view is over the producer's shared memory, valid during the exchange.
            FloatBuffer floats = payload.view(0).asFloatBuffer();
            double sum = 0;
            while (floats.hasRemaining()) {
                sum += floats.get();
            }
            return sum;
        }

        /** Answers how many blocks (files and pooled) the block directory holds while the handler runs. */
        @PostMapping(path = "/alive", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        long alive(@RequestBody Vectors vectors) throws IOException {
            try (Stream<Path> files = Files.list(blockDir)) {
                return files.filter(p -> p.getFileName().toString().startsWith("FSHR_")).count()
                        + TestDirs.pooledBlocks(blockDir).size();
            }
        }

        @GetMapping(path = "/vectors", produces = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
        Vectors vectors(@RequestParam int n) {
            return Vectors.of("response", n);
        }
    }
}
