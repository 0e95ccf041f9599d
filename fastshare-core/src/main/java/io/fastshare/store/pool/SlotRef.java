package io.fastshare.store.pool;

import io.fastshare.InvalidTokenException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names one publication of a pooled block: segment file, slot index and the slot's generation at
 * publication. Its text form, the key of a pool token, is {@code FSHP_<32 hex>.<slot>.<generation>}
 * (decimal numbers without leading zeros).
 *
 * <p>The generation is what makes a stale token harmless: a reader checks it after pinning the slot,
 * and a slot that was released and reused has a higher one.
 *
 * @param segment segment file name, {@code FSHP_} and 32 lower-case hex digits
 * @param slot slot index in the segment
 * @param generation the slot's generation when the block was published
 */
public record SlotRef(String segment, int slot, long generation) {

    private static final Pattern KEY = Pattern.compile(
            "(FSHP_[0-9a-f]{32})\\.(0|[1-9][0-9]?)\\.([1-9][0-9]{0,17})");

    /**
     * Checks the parts.
     *
     * @param segment segment file name, {@code FSHP_} and 32 lower-case hex digits
     * @param slot slot index in the segment
     * @param generation the slot's generation when the block was published
     * @throws IllegalArgumentException when a part is out of range
     */
    public SlotRef {
        if (!segment.matches("FSHP_[0-9a-f]{32}") || slot < 0 || slot >= PoolLayout.MAX_SLOTS || generation <= 0) {
            throw new IllegalArgumentException("invalid slot reference " + segment + "." + slot + "." + generation);
        }
    }

    /**
     * Parses the key of a pool token.
     *
     * @param key {@code FSHP_<32 hex>.<slot>.<generation>}
     * @return the reference
     * @throws InvalidTokenException when the key does not have that exact form
     */
    public static SlotRef parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            throw new InvalidTokenException("invalid pooled block key: " + abbreviate(key));
        }
        int slot = Integer.parseInt(m.group(2));
        if (slot >= PoolLayout.MAX_SLOTS) {
            throw new InvalidTokenException("invalid pooled block key: " + abbreviate(key));
        }
        return new SlotRef(m.group(1), slot, Long.parseLong(m.group(3)));
    }

    /**
     * Returns the key form.
     *
     * @return {@code FSHP_<32 hex>.<slot>.<generation>}
     */
    public String key() {
        return segment + "." + slot + "." + generation;
    }

    @Override
    public String toString() {
        return key();
    }

    private static String abbreviate(String key) {
        return key.length() <= 80 ? key : key.substring(0, 80) + "...";
    }
}
