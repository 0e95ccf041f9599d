package io.fastshare.messaging.http;

import org.springframework.http.MediaType;

/**
 * The media type of an HTTP body that is a fastshare token: {@code application/vnd.fastshare.token}.
 *
 * <pre>{@code
 * // producer
 * restClient.post().uri("/score").contentType(FastShareMediaTypes.FASTSHARE_TOKEN).body(embeddings).retrieve().toBodilessEntity();
 * // consumer
 * @PostMapping(path = "/score", consumes = FastShareMediaTypes.FASTSHARE_TOKEN_VALUE)
 * void score(@RequestBody Embeddings embeddings) { ... }
 * }</pre>
 *
 * <p>As with Spring's {@link MediaType} constants, {@link #FASTSHARE_TOKEN} is the {@code MediaType} for
 * code and {@link #FASTSHARE_TOKEN_VALUE} the {@code String} for annotation attributes.
 *
 * <p>Thread-safe (constants only).
 */
public final class FastShareMediaTypes {

    /** The media type as a string, for {@code consumes}/{@code produces} attributes of mapping annotations. */
    public static final String FASTSHARE_TOKEN_VALUE = "application/vnd.fastshare.token";

    /** The media type, for {@code contentType(...)} and {@code accept(...)} of HTTP clients. */
    public static final MediaType FASTSHARE_TOKEN = MediaType.parseMediaType(FASTSHARE_TOKEN_VALUE);

    private FastShareMediaTypes() {
    }
}
