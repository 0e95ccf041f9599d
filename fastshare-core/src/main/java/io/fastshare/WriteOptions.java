package io.fastshare;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call options of {@link SharedMemoryTemplate#write(Object, WriteOptions)}. Immutable; each
 * method returns a modified copy.
 *
 * <pre>{@code
 * template.write(payload, WriteOptions.defaults().ttl(Duration.ofMinutes(1)).shared());
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WriteOptions {

    /** Where the payload goes. */
    public enum Placement {
        /** Inline below the template's threshold, else shared memory. */
        AUTO,
        /** Always shared memory, never the inline fallback. */
        SHARED,
        /** Always inside the token (up to the inline size limit). */
        INLINE
    }

    private static final WriteOptions DEFAULTS = new WriteOptions(null, false, Placement.AUTO, null, -1);

    private final Duration ttl;
    private final boolean noTtl;
    private final Placement placement;
    private final Boolean checksum;
    private final long threshold;

    private WriteOptions(Duration ttl, boolean noTtl, Placement placement, Boolean checksum, long threshold) {
        this.ttl = ttl;
        this.noTtl = noTtl;
        this.placement = placement;
        this.checksum = checksum;
        this.threshold = threshold;
    }

    /**
     * Returns the defaults: the template's TTL, automatic placement, the template's checksum setting.
     *
     * @return default options
     */
    public static WriteOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Sets the time after which the janitor may reclaim the block.
     *
     * @param ttl a positive duration
     * @return modified options
     * @throws IllegalArgumentException when {@code ttl} is zero or negative
     */
    public WriteOptions ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl + "; use noTtl() for none");
        }
        return new WriteOptions(ttl, false, placement, checksum, threshold);
    }

    /**
     * Gives the block no TTL: it lives until released, taken, or its owner dies.
     *
     * @return modified options
     */
    public WriteOptions noTtl() {
        return new WriteOptions(null, true, placement, checksum, threshold);
    }

    /**
     * Forces shared memory; an allocation failure then throws instead of falling back to inline.
     *
     * @return modified options
     */
    public WriteOptions shared() {
        return new WriteOptions(ttl, noTtl, Placement.SHARED, checksum, threshold);
    }

    /**
     * Forces an inline token, whatever the size (up to the inline limit).
     *
     * @return modified options
     */
    public WriteOptions inline() {
        return new WriteOptions(ttl, noTtl, Placement.INLINE, checksum, threshold);
    }

    /**
     * Turns the CRC32C payload checksum on or off for this write. Readers verify it when present.
     *
     * @param enabled whether to checksum the payload
     * @return modified options
     */
    public WriteOptions checksum(boolean enabled) {
        return new WriteOptions(ttl, noTtl, placement, enabled, threshold);
    }

    /**
     * Sets the inline threshold for this write, in place of the template's: with automatic placement, a
     * payload whose encoded block is smaller travels inline in the token. Lets each endpoint of an
     * application (an HTTP client, a queue) choose its own threshold.
     *
     * @param bytes threshold in bytes, zero or more (zero: always shared memory)
     * @return modified options
     * @throws IllegalArgumentException when negative
     */
    public WriteOptions threshold(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must not be negative: " + bytes);
        }
        return new WriteOptions(ttl, noTtl, placement, checksum, bytes);
    }

    /**
     * Returns the inline threshold to use.
     *
     * @param templateDefault the template's threshold
     * @return bytes
     */
    long effectiveThreshold(long templateDefault) {
        return threshold >= 0 ? threshold : templateDefault;
    }

    /**
     * Returns the TTL to use.
     *
     * @param templateDefault the template's default TTL, null for none
     * @return the TTL, or null for none
     */
    Duration effectiveTtl(Duration templateDefault) {
        return noTtl ? null : ttl != null ? ttl : templateDefault;
    }

    /**
     * Returns the checksum setting to use.
     *
     * @param templateDefault the template's setting
     * @return whether to checksum
     */
    boolean effectiveChecksum(boolean templateDefault) {
        return checksum != null ? checksum : templateDefault;
    }

    /**
     * Returns the placement.
     *
     * @return placement
     */
    public Placement placement() {
        return placement;
    }

    @Override
    public String toString() {
        return "WriteOptions[ttl=" + (noTtl ? "none" : ttl == null ? "default" : ttl) + ", placement=" + placement
                + ", checksum=" + (checksum == null ? "default" : checksum)
                + ", threshold=" + (threshold < 0 ? "default" : threshold) + "]";
    }
}
