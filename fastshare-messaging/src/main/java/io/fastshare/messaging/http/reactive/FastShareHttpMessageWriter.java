package io.fastshare.messaging.http.reactive;

import io.fastshare.FastShareException;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.Offload;
import io.fastshare.messaging.http.ExchangeBlocks;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.messaging.http.TokenBodies;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.EncodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes bodies of the media type {@link FastShareMediaTypes#FASTSHARE_TOKEN} for WebClient and WebFlux
 * servers: the payload goes to shared memory (or inline in the token below the threshold) and the body is
 * the token. Answers only for that media type, never for a wildcard.
 *
 * <p>Who releases the block:
 * <ul>
 *   <li>a request body (WebClient): recorded in the request's {@link ExchangeBlocks}, released by
 *       {@link FastShareExchangeFilterFunction} when the exchange is over, whatever the server did;</li>
 *   <li>a response body (WebFlux server): taken by the client that reads it; released here only when the
 *       response could not be sent (an error, or the client went away), as a failed send.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FastShareHttpMessageWriter implements HttpMessageWriter<Object> {

    private static final List<MediaType> MEDIA_TYPES = List.of(FastShareMediaTypes.FASTSHARE_TOKEN);

    private final TokenBodies bodies;

    /**
     * Creates the writer.
     *
     * @param claimCheck writes payloads (its options give the TTL and the threshold)
     */
    public FastShareHttpMessageWriter(ClaimCheck claimCheck) {
        this.bodies = new TokenBodies(Objects.requireNonNull(claimCheck, "claimCheck"));
    }

    @Override
    public List<MediaType> getWritableMediaTypes() {
        return MEDIA_TYPES;
    }

    @Override
    public boolean canWrite(ResolvableType elementType, @Nullable MediaType mediaType) {
        return TokenBodies.isTokenType(mediaType);
    }

    @Override
    public Mono<Void> write(Publisher<?> inputStream, ResolvableType elementType, @Nullable MediaType mediaType,
            ReactiveHttpOutputMessage message, Map<String, Object> hints) {
        return Mono.from(inputStream).map(Optional::<Object>of).defaultIfEmpty(Optional.empty())
                .flatMap(payload -> payload.isPresent() ? writeOne(payload.get(), mediaType, message)
                        : message.setComplete());
    }

    @Override
    public Mono<Void> write(Publisher<?> inputStream, ResolvableType actualType, ResolvableType elementType,
            @Nullable MediaType mediaType, ServerHttpRequest request, ServerHttpResponse response,
            Map<String, Object> hints) {
        return write(inputStream, elementType, mediaType, response, hints);
    }

    private Mono<Void> writeOne(Object payload, @Nullable MediaType mediaType, ReactiveHttpOutputMessage message) {
        Offload written;
        try {
            written = bodies.write(payload);
        } catch (FastShareException e) {
            return Mono.error(new EncodingException("fastshare could not write the body: " + e.getMessage(), e));
        }
        String token = written.token();
        byte[] bytes;
        try {
            HttpHeaders headers = message.getHeaders();
            headers.setContentType(TokenBodies.isTokenType(mediaType) ? mediaType : FastShareMediaTypes.FASTSHARE_TOKEN);
            written.headers().forEach(headers::set);
            bytes = TokenBodies.bytes(token);
            headers.setContentLength(bytes.length);
        } catch (RuntimeException e) {
            bodies.claimCheck().sendFailed(token);
            return Mono.error(e);
        }
        if (message instanceof ClientHttpRequest request) {
            // The exchange filter releases it when the exchange is over, sent or not.
            ExchangeBlocks.of(request.getAttributes()).release(bodies.claimCheck(), token);
            return message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(bytes)));
        }
        // A response body: the client takes it; only a response that was never delivered leaves it behind.
        return message.writeWith(Mono.fromSupplier(() -> message.bufferFactory().wrap(bytes)))
                .doOnError(e -> bodies.claimCheck().sendFailed(token))
                .doOnCancel(() -> bodies.claimCheck().sendFailed(token));
    }

    @Override
    public String toString() {
        return "FastShareHttpMessageWriter[" + FastShareMediaTypes.FASTSHARE_TOKEN_VALUE + "]";
    }
}
