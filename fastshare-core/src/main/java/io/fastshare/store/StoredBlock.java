package io.fastshare.store;

import io.fastshare.token.Token;

/**
 * A block a {@link BlockStore} has written and committed.
 *
 * @param kind the store's token kind
 * @param key the block's key in that store
 * @param size the encoded block's size in bytes
 */
public record StoredBlock(String kind, String key, long size) {

    /**
     * Returns the token naming this block, {@code FSHR:<kind>:<key>}.
     *
     * @return the token
     */
    public String token() {
        return new Token.Stored(kind, key).value();
    }
}
