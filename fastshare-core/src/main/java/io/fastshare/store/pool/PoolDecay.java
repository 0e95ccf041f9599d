package io.fastshare.store.pool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Gives idle pool memory back without a cleanup scheduler, so a plain-Java template with the pool on
 * holds no segments once it stops handing blocks over. Two triggers, neither a thread of its own:
 * <ul>
 *   <li>on activity (a write, read or release through the pool): a trim when the last one is at least
 *       one interval old;</li>
 *   <li>while the pool holds memory: one delayed check at a time on a shared scheduler (by default the
 *       JDK's {@link CompletableFuture#delayedExecutor}), which trims and re-arms itself until nothing
 *       is held, the decay is closed, or its store was garbage-collected.</li>
 * </ul>
 * A segment unused for the idle timeout is therefore given back within about twice that time.
 *
 * <p>Thread-safe.
 */
final class PoolDecay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PoolDecay.class);

    /** Shortest interval between trims, so a zero idle timeout does not trim on every handoff. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** Runs a task once after a delay. */
    @FunctionalInterface
    interface Scheduler {

        /**
         * Runs the task once, after the delay, on some thread.
         *
         * @param task the task
         * @param delay the delay
         */
        void schedule(Runnable task, Duration delay);

        /** The JDK's shared delay scheduler, running tasks on the common pool. */
        Scheduler JDK = (task, delay) -> CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
                .execute(task);
    }

    private final Clock clock;
    private final Duration interval;
    private final Runnable trim;
    private final BooleanSupplier holdsMemory;
    private final Scheduler scheduler;
    private final AtomicLong lastTrimMillis;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Creates the decay of one store.
     *
     * @param clock time source of the activity trigger
     * @param idleTimeout the pool's idle timeout; the interval is this, but at least {@link #MIN_INTERVAL}
     * @param trim gives back what stayed idle; must not block for long
     * @param holdsMemory whether there is anything a later trim could give back
     * @param scheduler runs the delayed checks
     */
    PoolDecay(Clock clock, Duration idleTimeout, Runnable trim, BooleanSupplier holdsMemory, Scheduler scheduler) {
        this.clock = clock;
        this.interval = idleTimeout.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : idleTimeout;
        this.trim = trim;
        this.holdsMemory = holdsMemory;
        this.scheduler = scheduler;
        this.lastTrimMillis = new AtomicLong(clock.millis());
    }

    /** Called on each pool operation: trims when due, and makes sure a delayed check is pending. */
    void onActivity() {
        long now = clock.millis();
        long last = lastTrimMillis.get();
        if (now - last >= interval.toMillis() && lastTrimMillis.compareAndSet(last, now)) {
            runTrim();
        }
        armIfHolding();
    }

    private void armIfHolding() {
        if (!closed && !scheduled.get() && holdsMemory.getAsBoolean() && scheduled.compareAndSet(false, true)) {
            // Weakly referenced: a pending check must not keep an abandoned template's store alive.
            WeakReference<PoolDecay> self = new WeakReference<>(this);
            scheduler.schedule(() -> {
                PoolDecay decay = self.get();
                if (decay != null) {
                    decay.check();
                }
            }, interval);
        }
    }

    private void check() {
        scheduled.set(false);
        if (closed) {
            return;
        }
        lastTrimMillis.set(clock.millis());
        runTrim();
        armIfHolding();
    }

    private void runTrim() {
        try {
            trim.run();
        } catch (RuntimeException e) {
            // Decay is housekeeping: a failure must never fail the handoff that triggered it.
            log.debug("fastshare pool decay failed; the next trim retries", e);
        }
    }

    /** Stops the delayed checks; a pending one does nothing when it runs. Idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
