package io.fastshare.spring.boot.cleanup;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the template's janitor for the application: reclaims blocks with the configured grace period
 * (the janitor logs each run that reclaimed something at INFO and each failure at WARN), tells the
 * {@link CleanupResultListener} beans, and remembers the latest scan of the block directory for the
 * health indicator, the metrics and the actuator endpoint.
 *
 * <p>Thread-safe: the periodic run and endpoint requests may overlap; the janitor tolerates concurrent
 * runs (a file deleted by one is skipped by the other).
 */
public class FastShareCleanup {

    private static final Logger log = LoggerFactory.getLogger(FastShareCleanup.class);

    /**
     * Smallest grace period the starter accepts. The janitor tells a block being written from a corrupt
     * file only by its modification time; with a grace near zero it would delete a live writer's block
     * between file creation and the first write (observed with a zero grace).
     */
    public static final Duration MIN_GRACE = Duration.ofSeconds(5);

    /** Why {@link #MIN_GRACE} exists, for the failure analysis. */
    public static final String MIN_GRACE_REASON = "a shorter grace lets cleanup delete blocks that a live process is "
            + "still writing, which look like corrupt files until their header is written";

    private final SharedMemoryTemplate template;
    private final Duration grace;
    private final ObjectProvider<CleanupResultListener> listeners;
    private final Clock clock;
    private final AtomicReference<@Nullable BlockScan> lastScan = new AtomicReference<>();

    /**
     * Creates the cleanup.
     *
     * @param template the template whose directory is cleaned
     * @param grace how long blocks of dead owners are left alone
     * @param listeners told after each run; looked up on each run
     * @param clock the clock for scan times
     */
    public FastShareCleanup(SharedMemoryTemplate template, Duration grace,
            ObjectProvider<CleanupResultListener> listeners, Clock clock) {
        this.template = template;
        this.grace = grace;
        this.listeners = listeners;
        this.clock = clock;
    }

    /**
     * Reclaims expired blocks, blocks of dead owners and half-written blocks past the grace period, then
     * rescans the directory.
     *
     * @return what was reclaimed, skipped and failed
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    public CleanupResult reclaim() {
        // The janitor logs the run itself: INFO with counts per state when it reclaimed something, WARN
        // per failure. Logging here as well would print every line twice.
        CleanupResult result = template.cleanup(CleanupOptions.defaults().withGrace(grace));
        listeners.orderedStream().forEach(listener -> {
            try {
                listener.cleanupCompleted(result);
            } catch (RuntimeException e) {
                log.warn("fastshare cleanup listener {} failed", listener, e);
            }
        });
        scan();
        return result;
    }

    /**
     * Lists every block in the directory with its state and records the summary as the latest scan.
     *
     * @return the blocks, sorted by name
     * @throws io.fastshare.FastShareException when the directory cannot be listed
     */
    public List<BlockInfo> scan() {
        List<BlockInfo> blocks = template.blocks();
        lastScan.set(BlockScan.of(clock.instant(), blocks));
        return blocks;
    }

    /**
     * Returns the summary of the latest scan, from a cleanup run or an explicit {@link #scan()}.
     *
     * @return the summary, or empty before the first scan
     */
    public Optional<BlockScan> lastScan() {
        return Optional.ofNullable(lastScan.get());
    }

    /**
     * Returns the template this cleanup works on.
     *
     * @return the template
     */
    public SharedMemoryTemplate template() {
        return template;
    }

    /**
     * Returns the grace period for blocks of dead owners.
     *
     * @return the grace period
     */
    public Duration grace() {
        return grace;
    }
}
