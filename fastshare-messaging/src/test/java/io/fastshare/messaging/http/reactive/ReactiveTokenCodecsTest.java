package io.fastshare.messaging.http.reactive;

import io.fastshare.FastShareException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.SharedPayload;
import io.fastshare.TestDirs;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import io.fastshare.messaging.MessagingOptions;
import io.fastshare.messaging.http.ExchangeBlocks;
import io.fastshare.messaging.http.FastShareMediaTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.http.client.reactive.MockClientHttpRequest;
import org.springframework.mock.http.client.reactive.MockClientHttpResponse;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reactive reader and writer on mock messages: what they write, and who releases which block when. */
class ReactiveTokenCodecsTest {

    private static final ResolvableType FLOATS = ResolvableType.forClass(float[].class);

    @TempDir
    Path tempDir;

    Path blockDir;
    SharedMemoryTemplate template;
    ClaimCheck claimCheck;
    FastShareHttpMessageWriter writer;
    FastShareHttpMessageReader reader;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        template = SharedMemoryTemplate.builder().directory(blockDir).build();
        claimCheck = new ClaimCheck(template, MessagingOptions.defaults().withThreshold(1024L));
        writer = new FastShareHttpMessageWriter(claimCheck);
        reader = new FastShareHttpMessageReader(claimCheck);
    }

    @AfterEach
    void tearDown() {
        template.close();
        TestDirs.deleteTree(blockDir);
    }

    @Test
    void answersOnlyForTheTokenMediaType() {
        assertThat(writer.canWrite(FLOATS, FastShareMediaTypes.FASTSHARE_TOKEN)).isTrue();
        assertThat(writer.canWrite(FLOATS, MediaType.ALL)).isFalse();
        assertThat(writer.canWrite(FLOATS, null)).isFalse();
        assertThat(reader.canRead(FLOATS, MediaType.APPLICATION_JSON)).isFalse();
    }

    @Test
    void aClientRequestBodyIsATokenWhoseBlockTheExchangeReleases() {
        MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.POST, URI.create("http://localhost/"));
        ExchangeBlocks blocks = ExchangeBlocks.of(request.getAttributes());

        writer.write(Mono.just(new float[100_000]), FLOATS, FastShareMediaTypes.FASTSHARE_TOKEN, request, Map.of())
                .block();

        assertThat(request.getBodyAsString().block()).startsWith("FSHR:").doesNotStartWith("FSHR:inl:").hasSizeLessThan(100);
        assertThat(request.getHeaders().getContentType()).isEqualTo(FastShareMediaTypes.FASTSHARE_TOKEN);
        assertThat(request.getHeaders().getFirst(FastShareHeaders.DIRECTORY)).isNotNull();
        assertThat(blockNames()).as("blocks until the exchange is over").hasSize(1);
        blocks.close("the exchange was over");
        assertThat(blockNames()).as("blocks after the exchange").isEmpty();
    }

    @Test
    void aServerKeepsARequestBlockAndItsViewsUntilItsExchangeIsDone() {
        String token = claimCheck.write(new float[100_000]);
        MockServerHttpRequest request = MockServerHttpRequest.post("/").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .body(token);
        ExchangeBlocks blocks = new ExchangeBlocks();

        SharedPayload payload = (SharedPayload) reader.readMono(ResolvableType.forClass(SharedPayload.class),
                        ResolvableType.forClass(SharedPayload.class), request, new MockServerHttpResponse(), Map.of())
                .contextWrite(context -> context.put(ExchangeBlocks.ATTRIBUTE, blocks)).block();

        assertThat(payload.view(0).remaining()).isEqualTo(400_000);
        assertThat(blockNames()).as("blocks while the handler runs").hasSize(1);
        blocks.close("the request was done");
        assertThat(blockNames()).as("blocks after the exchange").isEmpty();
        assertThatThrownBy(() -> payload.view(0)).as("the handle is closed with the exchange")
                .isInstanceOf(FastShareException.class).hasMessageContaining("closed");
    }

    @Test
    void withoutTheWebFilterTheServerReadsACopyAndReleasesAtOnce() {
        String token = claimCheck.write(new float[100_000]);
        MockServerHttpRequest request = MockServerHttpRequest.post("/").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .body(token);

        Object value = reader.readMono(FLOATS, FLOATS, request, new MockServerHttpResponse(), Map.of()).block();

        assertThat(value).isEqualTo(new float[100_000]);
        assertThat(blockNames()).isEmpty();
    }

    @Test
    void aResponseBodyTheServerCouldNotSendIsReleased() {
        MockServerHttpResponse response = new MockServerHttpResponse();
        response.setWriteHandler(body -> body.then(Mono.error(new IOException("the client went away"))));

        assertThatThrownBy(() -> writer.write(Mono.just(new float[100_000]), FLOATS, FLOATS,
                FastShareMediaTypes.FASTSHARE_TOKEN, MockServerHttpRequest.get("/").build(), response, Map.of())
                .block()).hasMessageContaining("the client went away");

        assertThat(blockNames()).isEmpty();
    }

    @Test
    void aResponseBodyIsTakenByTheClientThatReadsIt() {
        String token = claimCheck.write(new float[100_000]);
        MockClientHttpResponse clientResponse = new MockClientHttpResponse(200);
        clientResponse.getHeaders().setContentType(FastShareMediaTypes.FASTSHARE_TOKEN);
        clientResponse.setBody(token);

        Object value = reader.readMono(FLOATS, clientResponse, Map.of()).block();

        assertThat(value).isEqualTo(new float[100_000]);
        assertThat(blockNames()).as("taken: released as it was read").isEmpty();
    }

    @Test
    void aBodyThatIsNotATokenIsADecodingError() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/").contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .body("not a token");

        assertThatThrownBy(() -> reader.readMono(FLOATS, FLOATS, request, new MockServerHttpResponse(), Map.of())
                .block()).isInstanceOf(DecodingException.class).hasMessageContaining("fastshare");
    }

    private List<String> blockNames() {
        try (Stream<Path> files = Files.list(blockDir)) {
            // Block files and pooled blocks: whichever store the template writes to.
            return Stream.concat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("FSHR_")),
                    TestDirs.pooledBlocks(blockDir).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
