package io.fastshare.messaging.http;

import io.fastshare.FastShareException;
import io.fastshare.SharedPayload;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.Offload;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads and writes bodies of the media type {@link FastShareMediaTypes#FASTSHARE_TOKEN}: the body is a
 * fastshare token, the payload travels through shared memory (or inside the token, below the threshold).
 * Any type a template codec accepts can be a body; the converter only answers for that media type, never
 * for a wildcard, so JSON endpoints are untouched.
 *
 * <p>Who releases the block:
 * <ul>
 *   <li>a request body read by a server (Spring MVC) is released when the request is done, after the
 *       handler returned or failed; a {@link SharedPayload} parameter (or a record with NIO buffer
 *       fields) holds views of the shared memory that are valid until then;</li>
 *   <li>a request body written by a client is recorded in the request's {@link ExchangeBlocks} and released
 *       by {@link FastShareClientHttpRequestFactory} when the exchange is over;</li>
 *   <li>a response body is taken by the client that reads it (its block is released as it is read; a
 *       {@link SharedPayload} response is then the caller's to close); a response nobody reads is reclaimed
 *       after the messaging TTL.</li>
 * </ul>
 *
 * <p>The token (tens of bytes) is written in one piece, on the calling thread, before the request is sent:
 * the block exists and its headers are set before the client commits them, whether the request streams or
 * buffers its body.
 *
 * <p>Thread-safe.
 */
public final class FastShareHttpMessageConverter implements SmartHttpMessageConverter<Object> {

    private static final AtomicLong CALLBACKS = new AtomicLong();
    private static final List<MediaType> MEDIA_TYPES = List.of(FastShareMediaTypes.FASTSHARE_TOKEN);

    private final TokenBodies bodies;

    /**
     * Creates the converter.
     *
     * @param claimCheck writes and resolves payloads (its options give the TTL and the threshold)
     */
    public FastShareHttpMessageConverter(ClaimCheck claimCheck) {
        this.bodies = new TokenBodies(Objects.requireNonNull(claimCheck, "claimCheck"));
    }

    @Override
    public List<MediaType> getSupportedMediaTypes() {
        return MEDIA_TYPES;
    }

    @Override
    public boolean canRead(Class<?> clazz, @Nullable MediaType mediaType) {
        return TokenBodies.isTokenType(mediaType);
    }

    @Override
    public boolean canRead(ResolvableType type, @Nullable MediaType mediaType) {
        return TokenBodies.isTokenType(mediaType);
    }

    @Override
    public boolean canWrite(Class<?> clazz, @Nullable MediaType mediaType) {
        return TokenBodies.isTokenType(mediaType);
    }

    @Override
    public boolean canWrite(ResolvableType targetType, Class<?> valueClass, @Nullable MediaType mediaType) {
        return TokenBodies.isTokenType(mediaType);
    }

    // ---------------------------------------------------------------- write

    @Override
    public void write(Object payload, @Nullable MediaType contentType, HttpOutputMessage output) throws IOException {
        write(payload, ResolvableType.forInstance(payload), contentType, output, null);
    }

    @Override
    public void write(Object payload, ResolvableType type, @Nullable MediaType contentType, HttpOutputMessage output,
            @Nullable Map<String, Object> hints) throws IOException {
        Offload written;
        try {
            written = bodies.write(payload);
        } catch (FastShareException e) {
            throw new HttpMessageNotWritableException("fastshare could not write the body: " + e.getMessage(), e);
        }
        String token = written.token();
        boolean sent = false;
        try {
            HttpHeaders headers = output.getHeaders();
            headers.setContentType(TokenBodies.isTokenType(contentType) ? contentType : FastShareMediaTypes.FASTSHARE_TOKEN);
            written.headers().forEach(headers::set);
            byte[] bytes = TokenBodies.bytes(token);
            headers.setContentLength(bytes.length);
            if (output instanceof ClientHttpRequest request) {
                // Released when the exchange is over (FastShareClientHttpRequestFactory), whatever the server did.
                ExchangeBlocks.of(request.getAttributes()).release(bodies.claimCheck(), token);
            }
            if (output instanceof StreamingHttpOutputMessage streaming) {
                streaming.setBody(bytes);
            } else {
                OutputStream body = output.getBody();
                body.write(bytes);
                body.flush();
            }
            sent = true;
        } finally {
            if (!sent) {
                bodies.claimCheck().sendFailed(token);
            }
        }
    }

    // ---------------------------------------------------------------- read

    @Override
    public Object read(Class<?> clazz, HttpInputMessage input) throws IOException {
        return read(ResolvableType.forClass(clazz), input, null);
    }

    @Override
    public Object read(ResolvableType type, HttpInputMessage input, @Nullable Map<String, Object> hints)
            throws IOException {
        String token = readToken(input);
        HttpHeaders headers = input.getHeaders();
        Type target = type.getType();
        try {
            if (isRequestBody(input)) {
                return readRequestBody(token, headers, target);
            }
            return readResponseBody(token, headers, target);
        } catch (FastShareException e) {
            throw new HttpMessageNotReadableException("fastshare could not resolve the body: " + e.getMessage(), e,
                    input);
        }
    }

    /**
     * Tells a request body read by a server from a response body read by a client. Spring MVC does not hand
     * converters its {@link ServerHttpRequest}: its argument resolvers wrap it in a private message that only
     * checks for an empty body, so the wrapper is recognised by what it is not (a client's response) and by the
     * request scope of the thread reading it. Treating a server's body as a response left a
     * {@link SharedPayload} parameter open, and its slot pinned, for ever.
     */
    private static boolean isRequestBody(HttpInputMessage input) {
        if (input instanceof ServerHttpRequest) {
            return true;
        }
        return !(input instanceof ClientHttpResponse) && RequestContextHolder.getRequestAttributes() != null;
    }

    private Object readRequestBody(String token, HttpHeaders headers, Type target) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            // No request scope to tie the block to: hand over a copy and release now.
            Object value = bodies.resolve(token, headers, target, null);
            bodies.release(token, "reading a request body");
            return value;
        }
        ExchangeBlocks blocks = new ExchangeBlocks();
        blocks.release(bodies.claimCheck(), token);
        request.registerDestructionCallback(ExchangeBlocks.ATTRIBUTE + "." + CALLBACKS.incrementAndGet(),
                () -> blocks.close("the request was done"), RequestAttributes.SCOPE_REQUEST);
        return bodies.resolve(token, headers, target, blocks::track);
    }

    private Object readResponseBody(String token, HttpHeaders headers, Type target) {
        try {
            return bodies.resolve(token, headers, target, null);
        } finally {
            // The response was received: it is this client's alone; a SharedPayload stays mapped until closed.
            bodies.release(token, "reading a response body");
        }
    }

    private static String readToken(HttpInputMessage input) throws IOException {
        try (InputStream body = input.getBody()) {
            byte[] bytes = body.readNBytes(TokenBodies.MAX_TOKEN_BYTES + 1);
            try {
                return TokenBodies.token(bytes);
            } catch (FastShareException e) {
                throw new HttpMessageNotReadableException(e.getMessage(), e, input);
            }
        }
    }

    @Override
    public String toString() {
        return "FastShareHttpMessageConverter[" + FastShareMediaTypes.FASTSHARE_TOKEN_VALUE + "]";
    }
}
