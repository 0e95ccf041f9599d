package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.Fallback;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.spring.boot.cleanup.FastShareCleanupScheduler;
import io.fastshare.spring.boot.health.FastShareHealthIndicator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the auto-configured {@link io.fastshare.SharedMemoryTemplate}, its cleanup, metrics
 * and health indicator, bound from the {@code fastshare.*} properties. Defaults are the core builder's
 * ({@link SharedMemoryTemplate.Builder}'s {@code DEFAULT_*} constants), so the two cannot drift.
 *
 * <p>Values are checked when the template is created; an invalid value stops the application with a
 * failure analysis that names the property and says how to fix it.
 *
 * <p>Mutable and not thread-safe, like every {@code @ConfigurationProperties} class: Spring binds it
 * once at startup and the starter only reads it afterwards.
 */
@ConfigurationProperties("fastshare")
public class FastShareProperties {

    /**
     * Whether to auto-configure fastshare. When false no SharedMemoryTemplate, cleanup, metrics,
     * endpoint or health indicator is created.
     */
    private boolean enabled = true;

    /**
     * Block directory shared by every process of a handoff. Default: /dev/shm/fastshare, or fastshare
     * under java.io.tmpdir where /dev/shm does not exist. Created with owner-only access if missing.
     */
    private @Nullable Path directory;

    /**
     * Encoded size below which a payload travels inline in the token instead of in a shared-memory
     * block. 0 sends every payload through shared memory. Default 8KB, where a pooled block overtakes
     * the inline token (the Python original's 1 MB makes tokens too large for common message limits).
     */
    private DataSize threshold = DataSize.ofBytes(SharedMemoryTemplate.Builder.DEFAULT_THRESHOLD);

    /**
     * Time to live of blocks written without an explicit TTL; after it any process's cleanup may
     * reclaim them.
     */
    private Duration defaultTtl = SharedMemoryTemplate.Builder.DEFAULT_TTL;

    /**
     * Most bytes this process keeps in shared memory at once; a write beyond it is refused (or falls
     * back inline). Size it below the container's memory limit: tmpfs pages count against it. Unset
     * means unlimited.
     */
    private @Nullable DataSize maxLiveSize;

    /**
     * Largest encoded payload this process writes inline in a token (below the threshold, forced inline
     * writes and the fallback); a larger one that shared memory cannot take fails. Default 48000B, so an
     * inline token is at most 64,009 characters. At most 1GB.
     */
    private DataSize maxInlineSize = DataSize.ofBytes(SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_SIZE);

    /**
     * Largest encoded payload of an inline token this process reads; longer tokens are refused before
     * they are decoded. Never below max-inline-size. Default 16MB, so inline tokens of producers with
     * larger limits (the Python original inlines up to 1 MB) are read. At most 1GB.
     */
    private DataSize maxInlineReadSize = DataSize.ofBytes(SharedMemoryTemplate.Builder.DEFAULT_MAX_INLINE_READ_SIZE);

    /**
     * What a write does when shared memory cannot take a payload above the threshold: 'inline' carries
     * it in the token (logged at WARN), 'fail' throws AllocationException.
     */
    private Fallback fallback = SharedMemoryTemplate.Builder.DEFAULT_FALLBACK;

    /**
     * Whether the blocks this process still owns are deleted when the application shuts down. Turn off
     * when readers may pick up handoffs after the writer exited; cleanup then reclaims them later.
     */
    private boolean releaseOnShutdown = SharedMemoryTemplate.Builder.DEFAULT_RELEASE_ON_CLOSE;

    /**
     * Permissions of block files in 'ls' form, for example rw-r----- to share blocks with a group
     * (Kubernetes fsGroup). Must include owner read and write.
     */
    private String filePermissions = SharedMemoryTemplate.Builder.DEFAULT_FILE_PERMISSIONS;

    /**
     * Whether blocks carry a CRC32C checksum of their payload that readers verify: guards against memory
     * corruption at the cost of one extra pass on each side.
     */
    private boolean checksums = SharedMemoryTemplate.Builder.DEFAULT_CHECKSUMS;

    /**
     * Share of the memory cgroup limit (container memory limit) that shared-memory writes may fill:
     * tmpfs pages count against the writer's limit, and a write that would push the cgroup's usage past
     * this share is treated like a full /dev/shm (the fallback, or an AllocationException). Between 0
     * (exclusive) and 1.
     */
    private double memoryLimitShare = SharedMemoryTemplate.Builder.DEFAULT_MEMORY_LIMIT_SHARE;

    /**
     * Where this service writes blocks: 'local' (shared memory of this host) or 'redis' (the
     * application's Redis, for consumers on other hosts; needs fastshare-store-redis and a
     * RedisConnectionFactory bean, and never falls back to local shared memory). Consumers read every
     * token kind they have a store for, so a producer can switch without touching them.
     */
    private Store store = Store.LOCAL;

    private final Codec codec = new Codec();

    private final Cleanup cleanup = new Cleanup();

    private final Pool pool = new Pool();

    private final Health health = new Health();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable Path getDirectory() {
        return directory;
    }

    public void setDirectory(@Nullable Path directory) {
        this.directory = directory;
    }

    public DataSize getThreshold() {
        return threshold;
    }

    public void setThreshold(DataSize threshold) {
        this.threshold = threshold;
    }

    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    public @Nullable DataSize getMaxLiveSize() {
        return maxLiveSize;
    }

    public void setMaxLiveSize(@Nullable DataSize maxLiveSize) {
        this.maxLiveSize = maxLiveSize;
    }

    public DataSize getMaxInlineSize() {
        return maxInlineSize;
    }

    public void setMaxInlineSize(DataSize maxInlineSize) {
        this.maxInlineSize = maxInlineSize;
    }

    public DataSize getMaxInlineReadSize() {
        return maxInlineReadSize;
    }

    public void setMaxInlineReadSize(DataSize maxInlineReadSize) {
        this.maxInlineReadSize = maxInlineReadSize;
    }

    public Fallback getFallback() {
        return fallback;
    }

    public void setFallback(Fallback fallback) {
        this.fallback = fallback;
    }

    public boolean isReleaseOnShutdown() {
        return releaseOnShutdown;
    }

    public void setReleaseOnShutdown(boolean releaseOnShutdown) {
        this.releaseOnShutdown = releaseOnShutdown;
    }

    public String getFilePermissions() {
        return filePermissions;
    }

    public void setFilePermissions(String filePermissions) {
        this.filePermissions = filePermissions;
    }

    public double getMemoryLimitShare() {
        return memoryLimitShare;
    }

    public void setMemoryLimitShare(double memoryLimitShare) {
        this.memoryLimitShare = memoryLimitShare;
    }

    public boolean isChecksums() {
        return checksums;
    }

    public void setChecksums(boolean checksums) {
        this.checksums = checksums;
    }

    public Store getStore() {
        return store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    public Codec getCodec() {
        return codec;
    }

    public Pool getPool() {
        return pool;
    }

    public Cleanup getCleanup() {
        return cleanup;
    }

    public Health getHealth() {
        return health;
    }

    /**
     * Codec settings: which types untyped reads may instantiate, Java serialisation.
     */
    public static class Codec {

        /**
         * Classes that untyped reads of structured payloads and Java deserialisation may instantiate:
         * patterns such as com.example.Order, com.example.* (one package) or com.example.** (with
         * sub-packages). Strings, boxed primitives and java.util collections are always allowed; typed
         * reads need no entry.
         */
        private List<String> allowedTypes = new ArrayList<>();

        /**
         * Size from which arrays and byte buffers inside structured (JSON-encoded) payloads leave the
         * JSON and travel raw in their own aligned buffers of the block.
         */
        private DataSize outOfBandThreshold = DataSize.ofBytes(SharedMemoryTemplate.Builder.DEFAULT_OUT_OF_BAND_THRESHOLD);

        private final JavaSerialization javaSerialization = new JavaSerialization();

        public List<String> getAllowedTypes() {
            return allowedTypes;
        }

        public void setAllowedTypes(List<String> allowedTypes) {
            this.allowedTypes = allowedTypes;
        }

        public DataSize getOutOfBandThreshold() {
            return outOfBandThreshold;
        }

        public void setOutOfBandThreshold(DataSize outOfBandThreshold) {
            this.outOfBandThreshold = outOfBandThreshold;
        }

        public JavaSerialization getJavaSerialization() {
            return javaSerialization;
        }
    }

    /**
     * Java serialisation codec settings.
     */
    public static class JavaSerialization {

        /**
         * Whether Serializable classes that are not records, collections, maps or JDK classes are written
         * and read with Java serialisation, reads restricted to codec.allowed-types by an
         * ObjectInputFilter. Enable it on writers and readers alike.
         */
        private boolean enabled = SharedMemoryTemplate.Builder.DEFAULT_JAVA_SERIALIZATION;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Settings of the shared-memory pool: reused, already-faulted segments that make a handoff a copy into
     * mapped memory instead of a fresh tmpfs file.
     */
    public static class Pool {

        /**
         * Most bytes of pool segments this application holds; the pool grows on demand up to it and gives
         * idle segments back. Default 1GB (on). Blocks the pool cannot take go to block files. 0 turns the pool off (pooled
         * tokens of other applications are still read). Pool pages count against the container's memory
         * limit like any shared-memory page.
         */
        private DataSize size = DataSize.ofBytes(SharedMemoryTemplate.Builder.DEFAULT_POOL_SIZE);

        /**
         * How long a pool segment without blocks stays before it is given back: by the next write, read or
         * release after that time, by a check the pool schedules while it holds segments, or by a cleanup run.
         */
        private Duration idleTimeout = SharedMemoryTemplate.Builder.DEFAULT_POOL_IDLE_TIMEOUT;

        /**
         * Returns the pool size.
         *
         * @return the most bytes of pool segments
         */
        public DataSize getSize() {
            return size;
        }

        /**
         * Sets the pool size.
         *
         * @param size 0 (off) or more
         */
        public void setSize(DataSize size) {
            this.size = size;
        }

        /**
         * Returns the idle timeout of pool segments.
         *
         * @return the idle timeout
         */
        public Duration getIdleTimeout() {
            return idleTimeout;
        }

        /**
         * Sets the idle timeout of pool segments.
         *
         * @param idleTimeout zero or positive
         */
        public void setIdleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
        }
    }

    /**
     * Settings of the periodic cleanup of expired and orphaned blocks.
     */
    public static class Cleanup {

        /**
         * Whether this application periodically reclaims expired blocks, blocks of dead processes and
         * half-written blocks in the block directory.
         */
        private boolean enabled = true;

        /**
         * Time between two cleanup runs.
         */
        private Duration interval = FastShareCleanupScheduler.DEFAULT_INTERVAL;

        /**
         * How long a block of a dead owner (or a corrupt file) is left alone after its last write before
         * it is reclaimed, so a reader that received its token just before the writer died can still read
         * it. At least 5s.
         */
        private Duration grace = CleanupOptions.DEFAULT_GRACE;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getGrace() {
            return grace;
        }

        public void setGrace(Duration grace) {
            this.grace = grace;
        }
    }

    /**
     * Health indicator settings.
     */
    public static class Health {

        /**
         * Free space in the block directory's filesystem below which the fastshare health indicator
         * reports OUT_OF_SERVICE. 0 turns the check off.
         */
        private DataSize minFreeSpace = DataSize.ofBytes(FastShareHealthIndicator.DEFAULT_MIN_FREE_BYTES);

        public DataSize getMinFreeSpace() {
            return minFreeSpace;
        }

        public void setMinFreeSpace(DataSize minFreeSpace) {
            this.minFreeSpace = minFreeSpace;
        }
    }

    /** Where a service writes its blocks ({@code fastshare.store}). */
    public enum Store {
        /** Shared memory of this host: block files (FSHR:shm:) or inline tokens. */
        LOCAL,
        /** The application's Redis (FSHR:rds:), readable from any host that reaches it. */
        REDIS
    }
}
