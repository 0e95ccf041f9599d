package io.fastshare.messaging;

import java.util.Map;

/**
 * A payload written to shared memory for a message: the token and the headers the message must carry
 * (see {@link FastShareHeaders}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param token the payload's token
 * @param headers header names and values, including the token
 */
public record Offload(String token, Map<String, String> headers) {

    /**
     * Copies the headers.
     *
     * @param token the payload's token
     * @param headers header names and values, including the token
     */
    public Offload {
        headers = Map.copyOf(headers);
    }
}
