package io.fastshare.token;

import io.fastshare.InvalidTokenException;
import io.fastshare.format.BlockName;

import java.util.Base64;

/**
 * A parsed fastshare token. Two forms exist:
 * <ul>
 *   <li>{@code FSHR:shm:FSHR_<32 hex digits>}: the payload is in the block file of that name;</li>
 *   <li>{@code FSHR:inl:<base64url>}: the token carries the encoded block itself (small payloads, or
 *       the fallback when shared memory is unavailable).</li>
 * </ul>
 * Parsing is strict: anything else is an {@link InvalidTokenException}, before any file is touched.
 */
public sealed interface Token {

    /** Common prefix of every token. */
    String PREFIX = "FSHR:";
    /** Prefix of a shared-memory token. */
    String SHARED_PREFIX = PREFIX + "shm:";
    /** Prefix of an inline token. */
    String INLINE_PREFIX = PREFIX + "inl:";

    /**
     * Returns the token's string form.
     *
     * @return the token
     */
    String value();

    /**
     * A token naming a block file.
     *
     * @param name the block's name
     */
    record Shared(BlockName name) implements Token {
        @Override
        public String value() {
            return SHARED_PREFIX + name.value();
        }
    }

    /**
     * A token carrying the encoded block bytes.
     *
     * @param bytes the block; not copied
     */
    record Inline(byte[] bytes) implements Token {
        @Override
        public String value() {
            return INLINE_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    /**
     * Parses a token.
     *
     * @param token the string received from a peer
     * @param maxInlineBytes the largest inline block accepted; longer inline tokens are rejected
     *     before decoding
     * @return the parsed token
     * @throws InvalidTokenException when the string is not a well-formed token
     */
    static Token parse(String token, long maxInlineBytes) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("empty token: expected FSHR:shm:FSHR_<32 hex> or FSHR:inl:<base64url>");
        }
        if (token.startsWith(SHARED_PREFIX)) {
            String name = token.substring(SHARED_PREFIX.length());
            if (!BlockName.isValid(name)) {
                throw new InvalidTokenException("invalid block name in token " + abbreviate(token)
                        + ": expected FSHR_ followed by 32 lower-case hex digits");
            }
            return new Shared(new BlockName(name));
        }
        if (token.startsWith(INLINE_PREFIX)) {
            int encodedLength = token.length() - INLINE_PREFIX.length();
            long maxEncoded = (maxInlineBytes * 4 + 2) / 3;
            if (encodedLength > maxEncoded) {
                throw new InvalidTokenException("inline token of " + token.length() + " characters exceeds the inline "
                        + "limit of " + maxInlineBytes + " bytes; raise the reader's max inline size if this is expected");
            }
            if (token.endsWith("=")) {
                throw new InvalidTokenException("inline token must not carry base64 padding");
            }
            // The decoder rejects every character outside the base64url alphabet (a non-Latin-1
            // character becomes '?', which it rejects too), so one pass validates and decodes.
            // (Not decode(ByteBuffer) over the whole token: on JDK 17 it throws IndexOutOfBoundsException
            // for some malformed input at a non-zero offset, found by the token fuzzer.)
            try {
                return new Inline(Base64.getUrlDecoder().decode(token.substring(INLINE_PREFIX.length())));
            } catch (IllegalArgumentException e) {
                throw new InvalidTokenException("inline token is not valid base64url: " + e.getMessage(), e);
            }
        }
        throw new InvalidTokenException("not a fastshare token: " + abbreviate(token)
                + " (expected FSHR:shm:FSHR_<32 hex> or FSHR:inl:<base64url>)");
    }

    /**
     * Shortens a token for messages and logs, so an inline token never floods a log line.
     *
     * @param token any string
     * @return at most 64 characters, with printable ASCII only
     */
    static String abbreviate(String token) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < token.length() && out.length() < 60; i++) {
            char c = token.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return "'" + out + (token.length() > 60 ? "...'" : "'");
    }
}
