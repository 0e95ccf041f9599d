package io.fastshare.spring.boot.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition that another thread or process makes true, without asserting on timing. */
public final class Eventually {

    /** How long to wait before giving up: generous, as the machine may be busy. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    private Eventually() {
    }

    /**
     * Waits until the condition holds or {@link #PATIENCE} has passed.
     *
     * @param condition the condition, evaluated every 20 ms
     * @return whether it held before the deadline
     * @throws InterruptedException when the test thread is interrupted
     */
    public static boolean holds(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}
