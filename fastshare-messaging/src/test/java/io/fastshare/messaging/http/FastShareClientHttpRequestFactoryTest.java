package io.fastshare.messaging.http;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.TestDirs;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.MessagingOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.mock.http.client.MockClientHttpResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The blocking client's release without an interceptor: the request factory wrapper keeps requests streaming
 * and releases the blocks the converter wrote for a request when its exchange is over, sent or failed.
 */
class FastShareClientHttpRequestFactoryTest {

    @TempDir
    Path tempDir;

    Path blockDir;
    SharedMemoryTemplate template;
    FastShareHttpMessageConverter converter;

    @BeforeEach
    void setUp() {
        blockDir = TestDirs.blockDir(tempDir);
        template = SharedMemoryTemplate.builder().directory(blockDir).build();
        converter = new FastShareHttpMessageConverter(new ClaimCheck(template,
                MessagingOptions.defaults().withThreshold(1024L)));
    }

    @AfterEach
    void tearDown() {
        template.close();
        TestDirs.deleteTree(blockDir);
    }

    @Test
    void aStreamingRequestStaysStreaming() throws IOException {
        FakeRequest delegate = new FakeRequest(null);
        ClientHttpRequest request = new FastShareClientHttpRequestFactory((uri, method) -> delegate)
                .createRequest(URI.create("http://localhost/octets"), HttpMethod.POST);

        assertThat(request).isInstanceOf(StreamingHttpOutputMessage.class);
        StreamingHttpOutputMessage.Body body = out -> out.write(new byte[] {1, 2, 3});
        ((StreamingHttpOutputMessage) request).setBody(body);

        assertThat(delegate.body).as("the body handed to the delegate as is, not buffered").isSameAs(body);
    }

    @Test
    void theBlockOfARequestIsKeptUntilTheExchangeIsOverThenReleased() throws IOException {
        FakeRequest delegate = new FakeRequest(null);
        ClientHttpRequest request = new FastShareClientHttpRequestFactory((uri, method) -> delegate)
                .createRequest(URI.create("http://localhost/sum"), HttpMethod.POST);

        converter.write(new float[100_000], FastShareMediaTypes.FASTSHARE_TOKEN, request);

        assertThat(blockNames()).as("blocks while the request is being sent").hasSize(1);
        request.execute().close();
        assertThat(blockNames()).as("blocks after the response").isEmpty();
    }

    @Test
    void aFailedSendReleasesTheBlock() throws IOException {
        FakeRequest delegate = new FakeRequest(new IOException("connection refused"));
        ClientHttpRequest request = new FastShareClientHttpRequestFactory((uri, method) -> delegate)
                .createRequest(URI.create("http://localhost/sum"), HttpMethod.POST);
        converter.write(new float[100_000], FastShareMediaTypes.FASTSHARE_TOKEN, request);

        assertThatThrownBy(request::execute).isInstanceOf(IOException.class).hasMessage("connection refused");

        assertThat(blockNames()).as("blocks after the failed send").isEmpty();
    }

    @Test
    void aTokenRecordedAfterTheExchangeWasOverIsReleasedAtOnce() {
        ClaimCheck claimCheck = new ClaimCheck(template, MessagingOptions.defaults().withThreshold(1024L));
        ExchangeBlocks blocks = new ExchangeBlocks();
        blocks.close("the exchange was cancelled");

        blocks.release(claimCheck, claimCheck.write(new float[100_000]));

        assertThat(blockNames()).isEmpty();
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

    /** A streaming request that records its body and answers, or fails, on execute. */
    private static final class FakeRequest implements ClientHttpRequest, StreamingHttpOutputMessage {

        private final HttpHeaders headers = new HttpHeaders();
        private final Map<String, Object> attributes = new HashMap<>();
        private final IOException failure;
        Body body;

        FakeRequest(IOException failure) {
            this.failure = failure;
        }

        @Override
        public void setBody(Body body) {
            this.body = body;
        }

        @Override
        public ClientHttpResponse execute() throws IOException {
            if (failure != null) {
                throw failure;
            }
            if (body != null) {
                body.writeTo(new ByteArrayOutputStream());
            }
            return new MockClientHttpResponse(new byte[0], HttpStatus.NOT_FOUND);
        }

        @Override
        public OutputStream getBody() {
            throw new UnsupportedOperationException("a streaming request");
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public HttpMethod getMethod() {
            return HttpMethod.POST;
        }

        @Override
        public URI getURI() {
            return URI.create("http://localhost/");
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }
    }
}
