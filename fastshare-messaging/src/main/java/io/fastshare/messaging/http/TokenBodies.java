package io.fastshare.messaging.http;

import io.fastshare.FastShareException;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import io.fastshare.messaging.Offload;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What every HTTP binding of the {@code application/vnd.fastshare.token} media type does the same way, the
 * blocking converter ({@link FastShareHttpMessageConverter}) and the reactive codecs alike: write a payload and
 * say which headers describe it, parse a token body, resolve a token and its headers into the payload.
 *
 * <p>Thread-safe.
 */
public final class TokenBodies {

    /** The longest token body accepted, in bytes: an inline token of a payload just below a large threshold. */
    public static final int MAX_TOKEN_BYTES = 64 * 1024 * 1024;

    private final ClaimCheck claimCheck;

    /**
     * Creates the helper.
     *
     * @param claimCheck writes and resolves payloads (its options give the TTL and the threshold)
     */
    public TokenBodies(ClaimCheck claimCheck) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
    }

    /**
     * Returns the claim check.
     *
     * @return the claim check
     */
    public ClaimCheck claimCheck() {
        return claimCheck;
    }

    /**
     * Tells whether a media type is the token media type itself, never a wildcard that includes it, so JSON
     * or {@code *}{@code /*} exchanges are never taken over.
     *
     * @param mediaType a media type, or null
     * @return true for {@code application/vnd.fastshare.token} (any parameters)
     */
    public static boolean isTokenType(@Nullable MediaType mediaType) {
        return mediaType != null && !mediaType.isWildcardType() && !mediaType.isWildcardSubtype()
                && FastShareMediaTypes.FASTSHARE_TOKEN.equalsTypeAndSubtype(mediaType);
    }

    /**
     * Writes a payload (to a block, or inline in the token below the threshold) and returns the token with
     * the headers the HTTP message must carry: the producer's block directory and the expiry time. The token
     * travels as the body, not as a header; HTTP is point-to-point, so no consumer count either.
     *
     * @param payload the payload
     * @return the token and its headers
     * @throws FastShareException when the payload cannot be written
     */
    public Offload write(Object payload) {
        String token = claimCheck.write(payload);
        Map<String, String> headers = new LinkedHashMap<>();
        claimCheck.headersFor(token).forEach((name, value) -> {
            if (!FastShareHeaders.TOKEN.equals(name) && !FastShareHeaders.EXPECTED_CONSUMERS.equals(name)) {
                headers.put(name, value);
            }
        });
        return new Offload(token, headers);
    }

    /**
     * Returns the bytes of a token body.
     *
     * @param token a token
     * @return its US-ASCII bytes
     */
    public static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a token body.
     *
     * @param body the body's bytes
     * @return the token, without surrounding white space
     * @throws FastShareException when the body is longer than {@link #MAX_TOKEN_BYTES}
     */
    public static String token(byte[] body) {
        if (body.length > MAX_TOKEN_BYTES) {
            throw new FastShareException("a fastshare token body is over " + MAX_TOKEN_BYTES + " bytes");
        }
        return new String(body, StandardCharsets.US_ASCII).trim();
    }

    /**
     * Resolves a token body and the headers of its message into the payload. Releases nothing.
     *
     * @param token the token from the body
     * @param headers the message's headers
     * @param target the type the reader wants
     * @param handles takes each zero-copy handle opened, closed by the owner when the exchange is done; null
     *     when there is no such owner (buffers are then copies, a {@code SharedPayload} the caller's to close)
     * @return the payload
     * @throws FastShareException when the payload cannot be resolved (gone, expired, another block directory)
     */
    public Object resolve(String token, HttpHeaders headers, Type target, @Nullable Consumer<AutoCloseable> handles) {
        return claimCheck.resolve(name -> FastShareHeaders.TOKEN.equals(name) ? token : headers.getFirst(name),
                target, handles);
    }

    /**
     * Releases a block, logging instead of throwing.
     *
     * @param token the token
     * @param why for the log
     */
    public void release(String token, String why) {
        claimCheck.release(token, why);
    }
}
