package io.fastshare.messaging.http;

import io.fastshare.FastShareException;
import io.fastshare.SharedPayload;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.HttpRequest;
import org.springframework.http.MediaType;
import org.springframework.http.converter.AbstractSmartHttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 *   <li>a request body written by a client is released by {@link FastShareClientHttpRequestInterceptor}
 *       when the exchange is over;</li>
 *   <li>a response body is taken by the client that reads it (its block is released as it is read; a
 *       {@link SharedPayload} response is then the caller's to close); a response nobody reads is reclaimed
 *       after the messaging TTL.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class FastShareHttpMessageConverter extends AbstractSmartHttpMessageConverter<Object> {

    /** Request attribute under which the client side records the tokens written for a request. */
    static final String WRITTEN_TOKENS = FastShareHttpMessageConverter.class.getName() + ".TOKENS";

    private static final int MAX_TOKEN_CHARS = 64 * 1024 * 1024;
    private static final AtomicLong CALLBACKS = new AtomicLong();

    private final ClaimCheck claimCheck;

    /**
     * Creates the converter.
     *
     * @param claimCheck writes and resolves payloads (its options give the TTL and the threshold)
     */
    public FastShareHttpMessageConverter(ClaimCheck claimCheck) {
        super(FastShareMediaTypes.FASTSHARE_TOKEN);
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
        setDefaultCharset(StandardCharsets.US_ASCII);
    }

    @Override
    protected boolean supports(Class<?> clazz) {
        return true;
    }

    private static boolean isTokenType(@Nullable MediaType mediaType) {
        return mediaType != null && !mediaType.isWildcardType() && !mediaType.isWildcardSubtype()
                && FastShareMediaTypes.FASTSHARE_TOKEN.equalsTypeAndSubtype(mediaType);
    }

    @Override
    public boolean canRead(Class<?> clazz, @Nullable MediaType mediaType) {
        return isTokenType(mediaType);
    }

    @Override
    public boolean canRead(ResolvableType type, @Nullable MediaType mediaType) {
        return isTokenType(mediaType);
    }

    @Override
    public boolean canWrite(Class<?> clazz, @Nullable MediaType mediaType) {
        return isTokenType(mediaType);
    }

    @Override
    public boolean canWrite(ResolvableType targetType, Class<?> valueClass, @Nullable MediaType mediaType) {
        return isTokenType(mediaType);
    }

    // ---------------------------------------------------------------- write

    @Override
    protected void writeInternal(Object payload, ResolvableType type, HttpOutputMessage output,
            @Nullable Map<String, Object> hints) throws IOException {
        String token;
        try {
            token = claimCheck.write(payload);
        } catch (FastShareException e) {
            throw new HttpMessageNotWritableException("fastshare could not write the body: " + e.getMessage(), e);
        }
        boolean sent = false;
        try {
            HttpHeaders headers = output.getHeaders();
            claimCheck.headersFor(token).forEach((name, value) -> {
                if (!FastShareHeaders.TOKEN.equals(name) && !FastShareHeaders.EXPECTED_CONSUMERS.equals(name)) {
                    headers.set(name, value);
                }
            });
            if (output instanceof HttpRequest request && !(output instanceof ServerHttpResponse)) {
                recordClientToken(request, token);
            }
            output.getBody().write(token.getBytes(StandardCharsets.US_ASCII));
            sent = true;
        } finally {
            if (!sent) {
                claimCheck.sendFailed(token);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void recordClientToken(HttpRequest request, String token) {
        ((List<String>) request.getAttributes().computeIfAbsent(WRITTEN_TOKENS, k -> new ArrayList<String>()))
                .add(token);
    }

    // ---------------------------------------------------------------- read

    @Override
    public Object read(ResolvableType type, HttpInputMessage input, @Nullable Map<String, Object> hints)
            throws IOException {
        String token = readToken(input);
        HttpHeaders headers = input.getHeaders();
        Type target = type.getType();
        try {
            if (input instanceof ServerHttpRequest) {
                return readRequestBody(token, headers, target, input);
            }
            return readResponseBody(token, headers, target);
        } catch (FastShareException e) {
            throw new HttpMessageNotReadableException("fastshare could not resolve the body: " + e.getMessage(), e,
                    input);
        }
    }

    private Object readRequestBody(String token, HttpHeaders headers, Type target, HttpInputMessage input) {
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request == null) {
            // No request scope to tie the block to: hand over a copy and release now.
            Object value = claimCheck.resolve(name -> header(name, token, headers), target, null);
            claimCheck.release(token, "reading a request body");
            return value;
        }
        List<AutoCloseable> handles = new ArrayList<>();
        request.registerDestructionCallback(WRITTEN_TOKENS + "." + CALLBACKS.incrementAndGet(), () -> {
            for (AutoCloseable handle : handles) {
                try {
                    handle.close();
                } catch (Exception e) {
                    logger.warn("fastshare could not close a payload handle", e);
                }
            }
            claimCheck.release(token, "the request was done");
        }, RequestAttributes.SCOPE_REQUEST);
        return claimCheck.resolve(name -> header(name, token, headers), target, handles::add);
    }

    private Object readResponseBody(String token, HttpHeaders headers, Type target) {
        try {
            return claimCheck.resolve(name -> header(name, token, headers), target, null);
        } finally {
            // The response was received: it is this client's alone; a SharedPayload stays mapped until closed.
            claimCheck.release(token, "reading a response body");
        }
    }

    private static @Nullable String header(String name, String token, HttpHeaders headers) {
        return FastShareHeaders.TOKEN.equals(name) ? token : headers.getFirst(name);
    }

    private static String readToken(HttpInputMessage input) throws IOException {
        try (InputStream body = input.getBody()) {
            byte[] bytes = body.readNBytes(MAX_TOKEN_CHARS + 1);
            if (bytes.length > MAX_TOKEN_CHARS) {
                throw new HttpMessageNotReadableException("a fastshare token body is over " + MAX_TOKEN_CHARS
                        + " characters", input);
            }
            return new String(bytes, StandardCharsets.US_ASCII).trim();
        }
    }
}
