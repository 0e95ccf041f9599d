package io.fastshare.sample.producer;

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
    private final RestClient plain;

    ConsumerClient(RestClient.Builder builder, SampleProperties properties) {
        // HTTP/1.1 on purpose: the JDK client would otherwise try an h2c upgrade that Tomcat ignores.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(http);
        requestFactory.setReadTimeout(Duration.ofMinutes(5));
        this.rest = builder.baseUrl(properties.consumerUrl().toString()).requestFactory(requestFactory).build();
        // The baselines (octet-stream, JSON) go through a client without the starter's customizations: its
        // release interceptor makes Spring buffer every request body, which would add a whole copy of the
        // payload (and, at 256 MiB, exhaust the demo heap) to the path fastshare is compared against.
        this.plain = RestClient.builder().baseUrl(properties.consumerUrl().toString()).requestFactory(requestFactory)
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
        return plain.post().uri(HandoffPath.OCTET_STREAM.endpoint())
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
        return plain.post().uri(HandoffPath.JSON.endpoint())
                .contentType(MediaType.APPLICATION_JSON)
                .body(embeddings)
                .retrieve()
                .body(HandoffReceipt.class);
    }
}
