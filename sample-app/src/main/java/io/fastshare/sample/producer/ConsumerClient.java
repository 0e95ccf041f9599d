package io.fastshare.sample.producer;

import io.fastshare.sample.SampleProperties;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.api.TokenHandoff;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.FloatStreams;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The producer's HTTP client for the consumer's {@code /handoff/*} endpoints. Thread-safe.
 */
@Component
@Profile("producer")
class ConsumerClient {

    private final RestClient rest;

    ConsumerClient(RestClient.Builder builder, SampleProperties properties) {
        // HTTP/1.1 on purpose: the JDK client would otherwise try an h2c upgrade that Tomcat ignores.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
        requestFactory.setReadTimeout(Duration.ofMinutes(5));
        this.rest = builder.baseUrl(properties.consumerUrl().toString()).requestFactory(requestFactory).build();
    }

    /**
     * Sends a token and the metadata: a request of a few hundred bytes.
     *
     * @param path {@link HandoffPath#TOKEN_TAKE} or {@link HandoffPath#TOKEN_VIEW}
     * @param handoff token and metadata
     * @return the consumer's receipt
     * @throws org.springframework.web.client.RestClientException when the call fails
     */
    HandoffReceipt sendToken(HandoffPath path, TokenHandoff handoff) {
        return rest.post().uri(path.endpoint())
                .contentType(MediaType.APPLICATION_JSON)
                .body(handoff)
                .retrieve()
                .body(HandoffReceipt.class);
    }

    /**
     * Streams the floats as a raw octet-stream body, the metadata in headers.
     *
     * @param embeddings the batch
     * @return the consumer's receipt
     * @throws org.springframework.web.client.RestClientException when the call fails
     */
    HandoffReceipt sendOctetStream(Embeddings embeddings) {
        return rest.post().uri(HandoffPath.OCTET_STREAM.endpoint())
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(embeddings.byteSize())
                .header(OctetHeaders.MODEL, embeddings.meta().model())
                .header(OctetHeaders.DIMENSIONS, Integer.toString(embeddings.meta().dimensions()))
                .header(OctetHeaders.COUNT, Integer.toString(embeddings.meta().count()))
                .header(OctetHeaders.CHECKSUM, Long.toString(embeddings.meta().checksum()))
                .body(out -> FloatStreams.write(embeddings.vectors(), out))
                .retrieve()
                .body(HandoffReceipt.class);
    }

    /**
     * Sends the whole batch as JSON through Spring's Jackson message converter.
     *
     * @param embeddings the batch
     * @return the consumer's receipt
     * @throws org.springframework.web.client.RestClientException when the call fails
     */
    HandoffReceipt sendJson(Embeddings embeddings) {
        return rest.post().uri(HandoffPath.JSON.endpoint())
                .contentType(MediaType.APPLICATION_JSON)
                .body(embeddings)
                .retrieve()
                .body(HandoffReceipt.class);
    }
}
