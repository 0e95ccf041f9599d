package io.fastshare.cleanup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, so expiry and grace periods are decided without sleeping. */
public final class MutableClock extends Clock {

    private volatile Instant now;

    /**
     * Creates a clock at the given instant.
     *
     * @param start the first reading
     */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /**
     * Creates a clock at the current time.
     *
     * @return the clock
     */
    public static MutableClock atNow() {
        return new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    }

    /**
     * Moves the clock forward.
     *
     * @param amount how far
     */
    public void advance(Duration amount) {
        now = now.plus(amount);
    }

    /**
     * Sets the clock.
     *
     * @param instant the new reading
     */
    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
