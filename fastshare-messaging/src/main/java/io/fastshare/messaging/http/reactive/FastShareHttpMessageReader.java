package io.fastshare.messaging.http.reactive;

import io.fastshare.FastShareException;
import io.fastshare.SharedPayload;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.http.ExchangeBlocks;
import io.fastshare.messaging.http.FastShareMediaTypes;
import io.fastshare.messaging.http.TokenBodies;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads bodies of the media type {@link FastShareMediaTypes#FASTSHARE_TOKEN} for WebClient and WebFlux
 * servers: the body is a token, the reader gets the payload as the type it asks for. Answers only for that
 * media type, never for a wildcard.
 *
 * <p>Who releases the block:
 * <ul>
 *   <li>a request body read by a WebFlux server: released when the exchange is done, after the handler
 *       completed, failed or was cancelled ({@link FastShareWebFilter}); a {@link SharedPayload} parameter
 *       (or a record with NIO buffer fields) holds views of the shared memory valid until then. Without the
 *       filter the reader gets a copy and the block is released at once;</li>
 *   <li>a response body read by WebClient: taken (released as it is read; a {@link SharedPayload} is then the
 *       caller's to close).</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FastShareHttpMessageReader implements HttpMessageReader<Object> {

    private static final List<MediaType> MEDIA_TYPES = List.of(FastShareMediaTypes.FASTSHARE_TOKEN);

    private final TokenBodies bodies;

    /**
     * Creates the reader.
     *
     * @param claimCheck resolves payloads
     */
    public FastShareHttpMessageReader(ClaimCheck claimCheck) {
        this.bodies = new TokenBodies(Objects.requireNonNull(claimCheck, "claimCheck"));
    }

    @Override
    public List<MediaType> getReadableMediaTypes() {
        return MEDIA_TYPES;
    }

    @Override
    public boolean canRead(ResolvableType elementType, @Nullable MediaType mediaType) {
        return TokenBodies.isTokenType(mediaType);
    }

    @Override
    public Flux<Object> read(ResolvableType elementType, ReactiveHttpInputMessage message, Map<String, Object> hints) {
        return readMono(elementType, message, hints).flux();
    }

    @Override
    public Mono<Object> readMono(ResolvableType elementType, ReactiveHttpInputMessage message,
            Map<String, Object> hints) {
        // A response body (or any message outside a server exchange): this reader's alone, so take it.
        return token(message).map(token -> {
            try {
                return resolve(token, message.getHeaders(), elementType.getType(), null);
            } finally {
                bodies.release(token, "reading a response body");
            }
        });
    }

    @Override
    public Flux<Object> read(ResolvableType actualType, ResolvableType elementType, ServerHttpRequest request,
            ServerHttpResponse response, Map<String, Object> hints) {
        return readMono(actualType, elementType, request, response, hints).flux();
    }

    @Override
    public Mono<Object> readMono(ResolvableType actualType, ResolvableType elementType, ServerHttpRequest request,
            ServerHttpResponse response, Map<String, Object> hints) {
        return Mono.deferContextual(context -> {
            ExchangeBlocks blocks = context.getOrDefault(ExchangeBlocks.ATTRIBUTE, null);
            if (blocks == null) {
                return readMono(elementType, request, hints);
            }
            return token(request).map(token -> {
                blocks.release(bodies.claimCheck(), token);
                return resolve(token, request.getHeaders(), elementType.getType(), blocks::track);
            });
        });
    }

    private Object resolve(String token, HttpHeaders headers, Type target,
            @Nullable Consumer<AutoCloseable> handles) {
        try {
            return bodies.resolve(token, headers, target, handles);
        } catch (FastShareException e) {
            throw new DecodingException("fastshare could not resolve the body: " + e.getMessage(), e);
        }
    }

    private static Mono<String> token(ReactiveHttpInputMessage message) {
        return DataBufferUtils.join(message.getBody(), TokenBodies.MAX_TOKEN_BYTES)
                .map(FastShareHttpMessageReader::consume)
                .defaultIfEmpty("")
                .onErrorMap(DataBufferLimitException.class, e -> new DecodingException(
                        "a fastshare token body is over " + TokenBodies.MAX_TOKEN_BYTES + " bytes", e));
    }

    private static String consume(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return TokenBodies.token(bytes);
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    @Override
    public String toString() {
        return "FastShareHttpMessageReader[" + FastShareMediaTypes.FASTSHARE_TOKEN_VALUE + "]";
    }
}
