package io.fastshare.spring.boot.autoconfigure;

import io.fastshare.Fallback;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of the auto-configured {@link io.fastshare.SharedMemoryTemplate}, its cleanup, metrics
 * and health indicator, bound from the {@code fastshare.*} properties.
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
    private Path directory;

    /**
     * Encoded size below which a payload travels inline in the token instead of in a shared-memory
     * block. 0 sends every payload through shared memory.
     */
    private DataSize threshold = DataSize.ofBytes(1_000_000);

    /**
     * Time to live of blocks written without an explicit TTL; after it any process's cleanup may
     * reclaim them.
     */
    private Duration defaultTtl = Duration.ofMinutes(10);

    /**
     * Most bytes this process keeps in shared memory at once; a write beyond it is refused (or falls
     * back inline). Size it below the container's memory limit: tmpfs pages count against it. Unset
     * means unlimited.
     */
    private DataSize maxLiveSize;

    /**
     * Largest payload carried inline in a token (forced inline writes and the fallback), and the largest
     * inline token this process accepts. At most 1GB.
     */
    private DataSize maxInlineSize = DataSize.ofMegabytes(16);

    /**
     * What a write does when shared memory cannot take a payload above the threshold: 'inline' carries
     * it in the token (logged at WARN), 'fail' throws AllocationException.
     */
    private Fallback fallback = Fallback.INLINE;

    /**
     * Whether the blocks this process still owns are deleted when the application shuts down. Turn off
     * when readers may pick up handoffs after the writer exited; cleanup then reclaims them later.
     */
    private boolean releaseOnShutdown = true;

    /**
     * Permissions of block files in 'ls' form, for example rw-r----- to share blocks with a group
     * (Kubernetes fsGroup). Must include owner read and write.
     */
    private String filePermissions = "rw-------";

    /**
     * Whether blocks carry a CRC32C checksum of their payload that readers verify: guards against memory
     * corruption at the cost of one extra pass on each side.
     */
    private boolean checksums = false;

    /**
     * Share of the memory cgroup limit (container memory limit) that shared-memory writes may fill:
     * tmpfs pages count against the writer's limit, and a write that would push the cgroup's usage past
     * this share is treated like a full /dev/shm (the fallback, or an AllocationException). Between 0
     * (exclusive) and 1.
     */
    private double memoryLimitShare = 0.9;

    private final Codec codec = new Codec();

    private final Cleanup cleanup = new Cleanup();

    private final Metrics metrics = new Metrics();

    private final Health health = new Health();

    /**
     * Returns whether auto-configuration is on.
     *
     * @return true by default
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets whether auto-configuration is on.
     *
     * @param enabled false to switch fastshare off
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns the block directory.
     *
     * @return the directory, or null for the platform default
     */
    public Path getDirectory() {
        return directory;
    }

    /**
     * Sets the block directory.
     *
     * @param directory the directory, or null for the platform default
     */
    public void setDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns the inline threshold.
     *
     * @return the threshold
     */
    public DataSize getThreshold() {
        return threshold;
    }

    /**
     * Sets the inline threshold.
     *
     * @param threshold zero or more
     */
    public void setThreshold(DataSize threshold) {
        this.threshold = threshold;
    }

    /**
     * Returns the default TTL of written blocks.
     *
     * @return the TTL
     */
    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    /**
     * Sets the default TTL of written blocks.
     *
     * @param defaultTtl a positive duration
     */
    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    /**
     * Returns the live-bytes quota.
     *
     * @return the quota, or null for unlimited
     */
    public DataSize getMaxLiveSize() {
        return maxLiveSize;
    }

    /**
     * Sets the live-bytes quota.
     *
     * @param maxLiveSize the quota, or null for unlimited
     */
    public void setMaxLiveSize(DataSize maxLiveSize) {
        this.maxLiveSize = maxLiveSize;
    }

    /**
     * Returns the inline size limit.
     *
     * @return the limit
     */
    public DataSize getMaxInlineSize() {
        return maxInlineSize;
    }

    /**
     * Sets the inline size limit.
     *
     * @param maxInlineSize zero to 1GB
     */
    public void setMaxInlineSize(DataSize maxInlineSize) {
        this.maxInlineSize = maxInlineSize;
    }

    /**
     * Returns the fallback policy.
     *
     * @return the policy
     */
    public Fallback getFallback() {
        return fallback;
    }

    /**
     * Sets the fallback policy.
     *
     * @param fallback the policy
     */
    public void setFallback(Fallback fallback) {
        this.fallback = fallback;
    }

    /**
     * Returns whether owned blocks are released on shutdown.
     *
     * @return true by default
     */
    public boolean isReleaseOnShutdown() {
        return releaseOnShutdown;
    }

    /**
     * Sets whether owned blocks are released on shutdown.
     *
     * @param releaseOnShutdown whether to release
     */
    public void setReleaseOnShutdown(boolean releaseOnShutdown) {
        this.releaseOnShutdown = releaseOnShutdown;
    }

    /**
     * Returns the block file permissions.
     *
     * @return permissions in {@code ls} form
     */
    public String getFilePermissions() {
        return filePermissions;
    }

    /**
     * Sets the block file permissions.
     *
     * @param filePermissions permissions in {@code ls} form
     */
    public void setFilePermissions(String filePermissions) {
        this.filePermissions = filePermissions;
    }

    /**
     * Returns the share of the memory cgroup limit that shared-memory writes may fill.
     *
     * @return a share in (0, 1]
     */
    public double getMemoryLimitShare() {
        return memoryLimitShare;
    }

    /**
     * Sets the share of the memory cgroup limit that shared-memory writes may fill.
     *
     * @param memoryLimitShare a share in (0, 1]
     */
    public void setMemoryLimitShare(double memoryLimitShare) {
        this.memoryLimitShare = memoryLimitShare;
    }

    /**
     * Returns whether payload checksums are on.
     *
     * @return false by default
     */
    public boolean isChecksums() {
        return checksums;
    }

    /**
     * Sets whether payload checksums are on.
     *
     * @param checksums whether to checksum
     */
    public void setChecksums(boolean checksums) {
        this.checksums = checksums;
    }

    /**
     * Returns the codec settings.
     *
     * @return never null
     */
    public Codec getCodec() {
        return codec;
    }

    /**
     * Returns the cleanup settings.
     *
     * @return never null
     */
    public Cleanup getCleanup() {
        return cleanup;
    }

    /**
     * Returns the metrics settings.
     *
     * @return never null
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * Returns the health indicator settings.
     *
     * @return never null
     */
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
        private DataSize outOfBandThreshold = DataSize.ofKilobytes(4);

        private final JavaSerialization javaSerialization = new JavaSerialization();

        /**
         * Returns the allow-listed types.
         *
         * @return class names or package prefixes
         */
        public List<String> getAllowedTypes() {
            return allowedTypes;
        }

        /**
         * Sets the allow-listed types.
         *
         * @param allowedTypes class names or package prefixes
         */
        public void setAllowedTypes(List<String> allowedTypes) {
            this.allowedTypes = allowedTypes;
        }

        /**
         * Returns the out-of-band threshold of the JSON codec.
         *
         * @return the threshold
         */
        public DataSize getOutOfBandThreshold() {
            return outOfBandThreshold;
        }

        /**
         * Sets the out-of-band threshold of the JSON codec.
         *
         * @param outOfBandThreshold zero or more
         */
        public void setOutOfBandThreshold(DataSize outOfBandThreshold) {
            this.outOfBandThreshold = outOfBandThreshold;
        }

        /**
         * Returns the Java serialisation settings.
         *
         * @return never null
         */
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
        private boolean enabled = false;

        /**
         * Returns whether Java serialisation is on.
         *
         * @return false by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether Java serialisation is on.
         *
         * @param enabled whether to allow it
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
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
        private Duration interval = Duration.ofMinutes(1);

        /**
         * How long a block of a dead owner (or a corrupt file) is left alone after its last write before
         * it is reclaimed, so a reader that received its token just before the writer died can still read
         * it. At least 5s.
         */
        private Duration grace = Duration.ofMinutes(1);

        /**
         * Returns whether periodic cleanup is on.
         *
         * @return true by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether periodic cleanup is on.
         *
         * @param enabled whether to clean up
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns the cleanup interval.
         *
         * @return the interval
         */
        public Duration getInterval() {
            return interval;
        }

        /**
         * Sets the cleanup interval.
         *
         * @param interval a positive duration
         */
        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        /**
         * Returns the grace period for blocks of dead owners.
         *
         * @return the grace period
         */
        public Duration getGrace() {
            return grace;
        }

        /**
         * Sets the grace period for blocks of dead owners.
         *
         * @param grace at least 5 seconds
         */
        public void setGrace(Duration grace) {
            this.grace = grace;
        }
    }

    /**
     * Micrometer settings.
     */
    public static class Metrics {

        /**
         * Whether fastshare publishes its meters (fastshare.*) to Micrometer when Micrometer is present.
         */
        private boolean enabled = true;

        /**
         * Returns whether metrics are on.
         *
         * @return true by default
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether metrics are on.
         *
         * @param enabled whether to publish meters
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
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
        private DataSize minFreeSpace = DataSize.ofMegabytes(16);

        /**
         * Returns the free-space floor.
         *
         * @return the floor
         */
        public DataSize getMinFreeSpace() {
            return minFreeSpace;
        }

        /**
         * Sets the free-space floor.
         *
         * @param minFreeSpace zero or more
         */
        public void setMinFreeSpace(DataSize minFreeSpace) {
            this.minFreeSpace = minFreeSpace;
        }
    }
}
