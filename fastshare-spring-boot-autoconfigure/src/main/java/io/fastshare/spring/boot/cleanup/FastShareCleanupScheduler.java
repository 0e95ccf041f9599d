package io.fastshare.spring.boot.cleanup;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link FastShareCleanup#reclaim()} every {@code fastshare.cleanup.interval} on a private daemon
 * thread ({@code fastshare-cleanup}), from context start to context stop. The first run starts at once,
 * so blocks left by a crashed predecessor are reclaimed soon after startup (once past the grace period).
 *
 * <p>Deliberately no {@code @EnableScheduling} and no scheduler bean: the application's own scheduling
 * stays untouched, and this thread dies with the context.
 *
 * <p>Thread-safe; start and stop are called by the container.
 */
public class FastShareCleanupScheduler implements SmartLifecycle {

    /** Default time between two runs: one minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(FastShareCleanupScheduler.class);

    /** How long stop waits for a run in progress before interrupting it. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final FastShareCleanup cleanup;
    private final Duration interval;
    private @Nullable ScheduledExecutorService executor;

    /**
     * Creates the scheduler.
     *
     * @param cleanup what to run
     * @param interval time between the end of one run and the start of the next
     */
    public FastShareCleanupScheduler(FastShareCleanup cleanup, Duration interval) {
        this.cleanup = cleanup;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fastshare-cleanup");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        log.debug("fastshare cleanup runs every {}", interval);
    }

    /**
     * One run; never throws, since anything escaping a scheduled task, an {@code Error} such as an
     * {@code OutOfMemoryError} from one bad block included, cancels all later runs.
     */
    void runOnce() {
        try {
            cleanup.reclaim();
        } catch (RuntimeException e) {
            log.warn("fastshare cleanup run failed; retrying in {}: {}", readable(interval), e.toString());
        } catch (Throwable e) {
            log.error("fastshare cleanup run failed with an error; retrying in {}", readable(interval), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        // shutdown, not shutdownNow: interrupting file I/O would close the janitor's channels mid-run.
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("fastshare cleanup did not finish within {}; interrupting it", STOP_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    /** {@code 1m}, {@code 30s}, {@code 1h30m}: the form the properties take, not ISO-8601's {@code PT1M}. */
    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
