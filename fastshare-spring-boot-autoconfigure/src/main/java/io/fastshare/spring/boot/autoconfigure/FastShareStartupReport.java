package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.store.FileBlockStore;
import io.fastshare.store.MountTable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logs where fastshare keeps its blocks and how much room there is, once at startup, and warns when the
 * filesystem is too small for the configured payloads (Docker and Kubernetes give containers a 64MB
 * {@code /dev/shm} unless told otherwise).
 *
 * <p>Stateless and thread-safe.
 */
final class FastShareStartupReport {

    /** Filesystems below this size get a warning whatever the threshold: Docker's default is 64MB. */
    static final long SMALL_FILESYSTEM_BYTES = 128L * 1024 * 1024;

    /** A filesystem should hold at least this many payloads of the threshold size. */
    static final long THRESHOLD_MULTIPLE = 16;

    private static final Logger log = LoggerFactory.getLogger(FastShareStartupReport.class);

    /** The tip is the same for every template of the JVM (tests and some applications create several). */
    private static final AtomicBoolean HUGE_PAGES_TIP_LOGGED = new AtomicBoolean();

    private FastShareStartupReport() {
    }

    /**
     * Logs the INFO line and, when the filesystem is small, the WARN line.
     *
     * @param template the started template
     * @param properties the properties it was built from
     */
    static void log(SharedMemoryTemplate template, FastShareProperties properties) {
        long total = template.usage(FileBlockStore.KIND).capacity();
        long free = template.usableSpace();
        log.info("fastshare ready: directory {} (filesystem size {}, free {}), threshold {}, default TTL {}, "
                + "max live size {}", template.directory(), format(total), format(free), format(template.threshold()),
                DurationFormat.print(properties.getDefaultTtl()), properties.getMaxLiveSize() == null ? "unlimited"
                        : format(properties.getMaxLiveSize().toBytes()));
        String warning = smallFilesystemWarning(total, template.threshold());
        if (warning != null) {
            log.warn("fastshare: {}", warning);
        }
        if (log.isDebugEnabled() && HUGE_PAGES_TIP_LOGGED.compareAndSet(false, true)) {
            String tip = hugePagesTip(MountTable.tmpfsHugePages(template.directory()));
            if (tip != null) {
                log.debug("fastshare: {}", tip);
            }
        }
    }

    /**
     * Suggests huge pages when the block directory is a tmpfs without them: allocating and freeing fresh
     * 4 KiB pages is most of the cost of a handoff.
     *
     * @param hugePages whether the directory's tmpfs uses huge pages; empty when it is no tmpfs or unknown
     * @return the tip, or null
     */
    static @Nullable String hugePagesTip(Optional<Boolean> hugePages) {
        if (!hugePages.equals(Optional.of(false))) {
            return null;
        }
        return "the block directory's tmpfs uses 4 KiB pages; a tmpfs mounted with huge=within_size writes and "
                + "frees blocks several times faster (" + Docs.OPERATIONS + ", \"Performance tuning\")";
    }

    /**
     * Decides whether a filesystem is too small for fastshare payloads.
     *
     * @param total filesystem size in bytes, -1 when unknown
     * @param threshold the inline threshold in bytes
     * @return the warning text, or null when the size is fine or unknown
     */
    static @Nullable String smallFilesystemWarning(long total, long threshold) {
        if (total < 0) {
            return null;
        }
        long needed = Math.max(SMALL_FILESYSTEM_BYTES, multiplySaturated(threshold, THRESHOLD_MULTIPLE));
        if (total >= needed) {
            return null;
        }
        return "the block directory's filesystem holds only " + format(total) + " (fewer than "
                + THRESHOLD_MULTIPLE + " payloads of the " + format(threshold) + " threshold, or under "
                + format(SMALL_FILESYSTEM_BYTES) + "); large writes will fall back inline or fail. Enlarge it: "
                + "docker run --shm-size=1g (Compose: shm_size: 1gb); in Kubernetes share an emptyDir with "
                + "medium: Memory and a sizeLimit, mounted at the block directory (fastshare.directory). See "
                + Docs.OPERATIONS;
    }

    private static long multiplySaturated(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return (high == 0 && product >= 0) ? product : Long.MAX_VALUE;
    }

    /**
     * Formats a byte count for humans.
     *
     * @param bytes the count, negative when unknown
     * @return for example {@code 64MB}, {@code 1000000B} or {@code 23.5GB} (binary units, as Spring's DataSize)
     */
    static String format(long bytes) {
        if (bytes < 0) {
            return "unknown";
        }
        long[] units = { DataSize.ofGigabytes(1).toBytes(), DataSize.ofMegabytes(1).toBytes(),
            DataSize.ofKilobytes(1).toBytes() };
        String[] names = { "GB", "MB", "KB" };
        for (int i = 0; i < units.length; i++) {
            if (bytes >= units[i]) {
                if (bytes % units[i] == 0) {
                    return bytes / units[i] + names[i];
                }
                if (i == units.length - 1 || bytes < units[1]) {
                    return bytes + "B"; // a threshold such as 1000000 reads better exact than as 976.6KB
                }
                return String.format(Locale.ROOT, "%.1f%s", (double) bytes / units[i], names[i]);
            }
        }
        return bytes + "B";
    }
}
