package io.fastshare.messaging;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link ClaimCheck} offloads payloads: the TTL of the blocks it writes, the fan-out mode and the
 * inline threshold. Immutable; each {@code with...} method returns a modified copy.
 *
 * <p>Thread-safe.
 *
 * @param ttl the TTL of every block written for a message; it bounds how long a dead-lettered or
 *     unconsumed message keeps its payload
 * @param fanOut who releases a block once consumers processed its message
 * @param expectedConsumers with {@link FanOut#LAST_CONSUMER}, how many consumers process each message
 * @param threshold the size in bytes from which a payload goes to shared memory; {@code null} for the
 *     template's threshold
 */
public record MessagingOptions(Duration ttl, FanOut fanOut, int expectedConsumers, @Nullable Long threshold) {

    /** The default messaging TTL: 10 minutes, like the template's default. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);

    /**
     * Validates the options.
     *
     * @param ttl the TTL of every block written for a message
     * @param fanOut who releases a block once consumers processed its message
     * @param expectedConsumers with {@link FanOut#LAST_CONSUMER}, how many consumers process each message
     * @param threshold the size in bytes from which a payload goes to shared memory; {@code null} for the
     *     template's threshold
     * @throws IllegalArgumentException when the TTL is not positive, the expected consumer count is below 1
     *     or the threshold is negative
     */
    public MessagingOptions {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(fanOut, "fanOut");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("messaging ttl must be positive: " + ttl);
        }
        if (expectedConsumers < 1) {
            throw new IllegalArgumentException("expected consumers must be at least 1: " + expectedConsumers);
        }
        if (threshold != null && threshold < 0) {
            throw new IllegalArgumentException("threshold must not be negative: " + threshold);
        }
    }

    /**
     * Returns the defaults: a 10-minute TTL, {@link FanOut#TTL_ONLY}, one expected consumer, the template's
     * threshold.
     *
     * @return default options
     */
    public static MessagingOptions defaults() {
        return new MessagingOptions(DEFAULT_TTL, FanOut.TTL_ONLY, 1, null);
    }

    /**
     * Returns a copy with another TTL.
     *
     * @param ttl a positive duration
     * @return modified options
     * @throws IllegalArgumentException when not positive
     */
    public MessagingOptions withTtl(Duration ttl) {
        return new MessagingOptions(ttl, fanOut, expectedConsumers, threshold);
    }

    /**
     * Returns a copy with another fan-out mode and expected consumer count.
     *
     * @param fanOut the mode
     * @param expectedConsumers consumers per message, at least 1 (used by {@link FanOut#LAST_CONSUMER})
     * @return modified options
     * @throws IllegalArgumentException when the count is below 1
     */
    public MessagingOptions withFanOut(FanOut fanOut, int expectedConsumers) {
        return new MessagingOptions(ttl, fanOut, expectedConsumers, threshold);
    }

    /**
     * Returns a copy with another inline threshold.
     *
     * @param threshold bytes, or null for the template's threshold
     * @return modified options
     * @throws IllegalArgumentException when negative
     */
    public MessagingOptions withThreshold(@Nullable Long threshold) {
        return new MessagingOptions(ttl, fanOut, expectedConsumers, threshold);
    }
}
