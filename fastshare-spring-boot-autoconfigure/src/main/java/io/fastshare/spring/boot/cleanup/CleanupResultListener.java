package io.fastshare.spring.boot.cleanup;

import io.fastshare.cleanup.CleanupResult;

/**
 * Told about every cleanup run of {@link FastShareCleanup}, periodic or requested through the actuator
 * endpoint. Declare beans of this type to observe reclaims; the Micrometer support is one.
 *
 * <p>Called on the thread that ran the cleanup; implementations must be thread-safe, fast, and must not
 * throw (exceptions are logged and ignored).
 */
@FunctionalInterface
public interface CleanupResultListener {

    /**
     * A cleanup run finished (dry runs included; check {@link CleanupResult#dryRun()}).
     *
     * @param result what was reclaimed, skipped and failed
     */
    void cleanupCompleted(CleanupResult result);
}
