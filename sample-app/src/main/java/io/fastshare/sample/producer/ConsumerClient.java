package io.fastshare.sample.producer;

import io.fastshare.messaging.http.FastShareClientHttpRequestFactory;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.sample.SampleProperties;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.FloatStreams;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
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
        // One client from Boot's builder (it carries the starter's converter) for the token path and the
        // baselines alike. The starter releases a request's block through a request factory wrapper, not an
        // interceptor, so the octet-stream baseline still streams its 256 MiB instead of buffering a copy. The
        // starter wraps the factories Boot builds; this one is our own, so we wrap it the same way.
        this.rest = builder.baseUrl(properties.consumerUrl().toString())
                .requestFactory(new FastShareClientHttpRequestFactory(requestFactory))
                .build();
    }

    /**
     * Sends the floats as a fastshare token body: the starter's converter writes them to shared memory
     * and the request carries only the token (and the metadata in headers).
     *
     * @param path {@link HandoffPath#TOKEN_TAKE} or {@link HandoffPath#TOKEN_VIEW}
     * @param embeddings the batch
     * @return the consumer's receipt
     * @throws org.springframework.web.client.RestClientException when the call fails
     */
    HandoffReceipt sendToken(HandoffPath path, Embeddings embeddings) {
        return rest.post().uri(path.endpoint())
                .contentType(FastShareMediaTypes.FASTSHARE_TOKEN)
                .headers(headers -> metaHeaders(headers, embeddings))
                .body(embeddings.vectors())
                .retrieve()
                .body(HandoffReceipt.class);
    }

    private static void metaHeaders(HttpHeaders headers, Embeddings embeddings) {
        headers.set(OctetHeaders.MODEL, embeddings.meta().model());
        headers.set(OctetHeaders.DIMENSIONS, Integer.toString(embeddings.meta().dimensions()));
        headers.set(OctetHeaders.COUNT, Integer.toString(embeddings.meta().count()));
        headers.set(OctetHeaders.CHECKSUM, Long.toString(embeddings.meta().checksum()));
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
                .headers(headers -> metaHeaders(headers, embeddings))
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
