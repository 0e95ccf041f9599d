package io.fastshare.token;

import io.fastshare.InvalidTokenException;

import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A parsed fastshare token: {@code FSHR:<kind>:<key>}.
 * <ul>
 *   <li>{@code FSHR:inl:<base64url>}: the token carries the encoded block itself (small payloads, or
 *       the fallback when no store can take the payload);</li>
 *   <li>{@code FSHR:<kind>:<key>} for any other kind: the payload is in the block store serving that
 *       kind ({@link io.fastshare.store.BlockStore#kind()}) under that key; the file store's kind is
 *       {@code shm} and its keys are block file names, {@code FSHR:shm:FSHR_<32 hex digits>}.</li>
 * </ul>
 * Parsing is strict: a kind is 1 to 16 lower-case letters and digits starting with a letter, a key 1 to
 * 255 characters of {@code [A-Za-z0-9_.-]}; anything else is an {@link InvalidTokenException}, before
 * any store is asked. The store of the kind then checks its own key syntax, still before touching
 * anything.
 */
public sealed interface Token {

    /** Common prefix of every token. */
    String PREFIX = "FSHR:";
    /** Kind of an inline token. */
    String INLINE_KIND = "inl";
    /** Prefix of a file-store token (kind {@code shm}). */
    String SHARED_PREFIX = PREFIX + "shm:";
    /** Prefix of an inline token. */
    String INLINE_PREFIX = PREFIX + INLINE_KIND + ":";
    /** Longest store key a token may carry. */
    int MAX_KEY_LENGTH = 255;

    /**
     * Returns the token's string form.
     *
     * @return the token
     */
    String value();

    /**
     * A token naming a block in a store.
     *
     * @param kind the store's token kind, such as {@code shm}
     * @param key the block's key in that store
     */
    record Stored(String kind, String key) implements Token {

        private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9]{0,15}");
        private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-]+");

        /**
         * Checks the grammar.
         *
         * @param kind the store's token kind, such as {@code shm}
         * @param key the block's key in that store
         * @throws InvalidTokenException when kind or key do not follow the token grammar, or the kind is {@code inl}
         */
        public Stored {
            if (!isValidKind(kind) || INLINE_KIND.equals(kind)) {
                throw new InvalidTokenException("invalid token kind " + abbreviate(String.valueOf(kind))
                        + ": expected 1 to 16 lower-case letters or digits, starting with a letter, other than inl");
            }
            if (!isValidKey(key)) {
                throw new InvalidTokenException("invalid key in token " + abbreviate(PREFIX + kind + ":" + key)
                        + ": expected 1 to " + MAX_KEY_LENGTH + " characters of A-Z a-z 0-9 _ . -");
            }
        }

        @Override
        public String value() {
            return PREFIX + kind + ":" + key;
        }
    }

    /**
     * Tells whether a string is a well-formed token kind.
     *
     * @param kind candidate, may be null
     * @return true for 1 to 16 lower-case letters and digits starting with a letter
     */
    static boolean isValidKind(String kind) {
        return kind != null && Stored.KIND.matcher(kind).matches();
    }

    /**
     * Tells whether a string is a well-formed store key (the store may restrict it further).
     *
     * @param key candidate, may be null
     * @return true for 1 to {@link #MAX_KEY_LENGTH} characters of {@code [A-Za-z0-9_.-]}
     */
    static boolean isValidKey(String key) {
        return key != null && !key.isEmpty() && key.length() <= MAX_KEY_LENGTH && Stored.KEY.matcher(key).matches();
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
     * Returns the exact length of the inline token that carries a block of the given size: the prefix
     * {@code FSHR:inl:} and the unpadded base64url encoding, {@code ceil(4 * blockBytes / 3)} characters.
     * A block of 48,000 bytes (the default inline limit) makes a token of 64,009 characters.
     *
     * @param blockBytes the block's total length in bytes, zero or more
     * @return the token's length in characters
     * @throws IllegalArgumentException when the size is negative
     */
    static long inlineTokenLength(long blockBytes) {
        if (blockBytes < 0) {
            throw new IllegalArgumentException("block size must not be negative: " + blockBytes);
        }
        return INLINE_PREFIX.length() + encodedLength(blockBytes);
    }

    private static long encodedLength(long blockBytes) {
        return blockBytes / 3 * 4 + (blockBytes % 3 == 0 ? 0 : blockBytes % 3 + 1);
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
            throw new InvalidTokenException("empty token: expected FSHR:<kind>:<key> or FSHR:inl:<base64url>");
        }
        if (token.startsWith(INLINE_PREFIX)) {
            int encodedLength = token.length() - INLINE_PREFIX.length();
            long maxEncoded = encodedLength(Math.max(0, maxInlineBytes));
            if (encodedLength > maxEncoded) {
                throw new InvalidTokenException("inline token of " + token.length() + " characters exceeds the inline "
                        + "limit of " + maxInlineBytes + " bytes; raise the reader's inline read limit if this is expected");
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
        int colon = token.indexOf(':', PREFIX.length());
        if (!token.startsWith(PREFIX) || colon < 0) {
            throw new InvalidTokenException("not a fastshare token: " + abbreviate(token)
                    + " (expected FSHR:<kind>:<key>, such as FSHR:shm:FSHR_<32 hex>, or FSHR:inl:<base64url>)");
        }
        return new Stored(token.substring(PREFIX.length(), colon), token.substring(colon + 1));
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
