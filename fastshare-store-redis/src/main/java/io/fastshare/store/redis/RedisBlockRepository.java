package io.fastshare.store.redis;

import io.fastshare.AllocationException;
import io.fastshare.BlockNotFoundException;
import io.fastshare.CorruptBlockException;
import io.fastshare.FastShareException;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.types.Expiration;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Keeps blocks in Redis: the bytes of a block file, split into chunk keys that share one hash slot,
 * made visible by a commit key written last.
 *
 * <ul>
 *   <li>{@link #write}: every chunk is stored with the block's TTL (or, for a block without TTL, the
 *       orphan timeout), then one script checks that all chunks exist, gives every key the same TTL
 *       and stores the commit key. A writer that dies or fails before that leaves nothing readable,
 *       and nothing that outlives the TTL; a failed write deletes its chunks at once.</li>
 *   <li>{@link #read}: the commit key, then every chunk, each checked for its exact length. A chunk
 *       that vanished (released, expired or evicted meanwhile) fails the read with
 *       {@link BlockNotFoundException}: never a partial payload.</li>
 *   <li>{@link #delete}, and the claim of a {@code take} (which reads first and claims last): one script
 *       checks the commit key and deletes it with every chunk, so of all callers on all hosts exactly one
 *       removes the block.</li>
 * </ul>
 *
 * <p>Works on any {@link RedisConnectionFactory} of Spring Data Redis: single node, Sentinel or
 * Cluster. Thread-safe; one instance serves a whole application.
 */
public final class RedisBlockRepository {

    private static final Logger log = LoggerFactory.getLogger(RedisBlockRepository.class);

    private final RedisConnectionFactory connections;
    private final RedisStoreOptions options;
    private final Clock clock;
    private final Consumer<BlockName> beforeCommit;
    private final Map<BlockName, RemoteBlock> written = new ConcurrentHashMap<>();
    private volatile boolean serverChecked;

    /**
     * Creates a repository. Does not connect: Redis may come up after the application.
     *
     * @param connections the connection factory (Spring Boot's, or one built by hand)
     * @param options key prefix, chunk size, orphan timeout
     * @param clock the clock of block creation and expiry times (the writer's TTLs are sent to Redis
     *     as durations, so Redis's own clock decides when keys expire)
     * @param beforeCommit called after the chunks are stored and before the commit key; for crash
     *     tests, normally a no-op
     */
    public RedisBlockRepository(RedisConnectionFactory connections, RedisStoreOptions options, Clock clock,
            Consumer<BlockName> beforeCommit) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.beforeCommit = Objects.requireNonNull(beforeCommit, "beforeCommit");
    }

    /**
     * Returns the settings.
     *
     * @return the settings
     */
    public RedisStoreOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- write

    /**
     * Stores and commits a block. Its TTL comes from the preamble's expiry.
     *
     * @param name the new block's name
     * @param preamble the planned preamble (commit state is set to committed in the stored bytes)
     * @param buffers the payload buffers matching the preamble's table
     * @throws AllocationException when the block is too large for the store, or Redis is unreachable,
     *     out of memory or refuses a value; the message names the cause and the setting to change.
     *     Nothing of the block is left readable
     */
    public void write(BlockName name, BlockPreamble preamble, List<PayloadBuffer> buffers) {
        BlockHeader header = preamble.header();
        long total = header.totalLength();
        if (total > Manifest.MAX_TOTAL_LENGTH) {
            throw new AllocationException("a " + total + "-byte block is over the Redis store's limit of "
                    + Manifest.MAX_TOTAL_LENGTH + " bytes (readers hold a block in one heap array); split the payload");
        }
        Manifest manifest = Manifest.plan(total, options.chunkSize(), header.expiresMillis(), header.owner());
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        String what = "writing the " + total + "-byte block " + name;
        boolean committed = false;
        try (RedisConnection connection = connections.getConnection()) {
            checkServer(connection);
            ChunkEncoder encoder = new ChunkEncoder(preamble, buffers);
            byte[] full = new byte[(int) Math.min(options.chunkSize(), total)];
            for (int i = 0; i < manifest.chunks(); i++) {
                int length = manifest.chunkLength(i);
                byte[] chunk = length == full.length ? full : new byte[length];
                encoder.fill((long) i * options.chunkSize(), chunk);
                connection.stringCommands().set(keys.chunk(i), chunk, Expiration.milliseconds(chunkTtl(header)),
                        SetOption.upsert());
            }
            beforeCommit.accept(name);
            long ttl = header.expiresMillis() == 0 ? 0 : remaining(header.expiresMillis());
            Long done = connection.scriptingCommands().eval(RedisScripts.COMMIT, ReturnType.INTEGER,
                    manifest.chunks() + 1, args(keys.all(manifest.chunks()), manifest.encode(), ascii(ttl)));
            if (done == null || done != 1) {
                throw new AllocationException("chunks of the Redis block " + name + " vanished before it was "
                        + "committed: the write took longer than the block's TTL or fastshare.redis.orphan-timeout, "
                        + "or Redis evicted them (use maxmemory-policy noeviction)");
            }
            committed = true;
            written.put(name, new RemoteBlock(name, total, header.createdMillis(), header.expiresMillis(), header.owner()));
        } catch (RuntimeException e) {
            throw RedisErrors.onWrite(e, what, options.chunkSize());
        } finally {
            if (!committed) {
                deleteQuietly(keys, manifest.chunks());
            }
        }
    }

    private long chunkTtl(BlockHeader header) {
        if (header.expiresMillis() == 0) {
            return options.orphanTimeout().toMillis();
        }
        return remaining(header.expiresMillis());
    }

    /** Milliseconds until an expiry, at least 1: an expiry already past still expires the keys at once. */
    private long remaining(long expiresMillis) {
        return Math.max(1, expiresMillis - clock.millis());
    }

    /**
     * Checks the server's limits once, where the server lets us read its configuration (managed Redis
     * services often refuse {@code CONFIG}; then the errors of the first write tell instead).
     */
    private void checkServer(RedisConnection connection) {
        if (serverChecked) {
            return;
        }
        try {
            long maxBulk = configValue(connection, "proto-max-bulk-len");
            if (maxBulk > 0 && maxBulk < options.chunkSize()) {
                throw new AllocationException("the Redis server accepts values up to " + maxBulk
                        + " bytes (proto-max-bulk-len), fastshare.redis.chunk-size is " + options.chunkSize()
                        + "; lower the chunk size or raise proto-max-bulk-len");
            }
            Properties policy = connection.serverCommands().getConfig("maxmemory-policy");
            String value = policy == null ? null : firstValue(policy, "maxmemory-policy");
            if (value != null && !value.equals("noeviction")) {
                log.warn("Redis maxmemory-policy is {}: Redis may evict fastshare blocks before their TTL when it "
                        + "runs out of memory (readers then get BlockNotFoundException naming the eviction); "
                        + "use noeviction for the Redis that holds blocks", value);
            }
        } catch (FastShareException e) {
            throw e;
        } catch (RuntimeException e) {
            log.debug("Redis refused CONFIG GET; limits are checked by the writes themselves: {}", e.toString());
        }
        serverChecked = true;
    }

    private static long configValue(RedisConnection connection, String name) {
        Properties config = connection.serverCommands().getConfig(name);
        String value = config == null ? null : firstValue(config, name);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A property by name; on Redis Cluster the names carry a node prefix ({@code host:port.name}). */
    private static @Nullable String firstValue(Properties properties, String name) {
        for (String key : properties.stringPropertyNames()) {
            if (key.equals(name) || key.endsWith("." + name)) {
                return properties.getProperty(key);
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads a committed block's bytes into one heap array; the caller validates them with the shared
     * block decoder.
     *
     * @param name the block
     * @return the block bytes
     * @throws BlockNotFoundException when the block does not exist (never committed, released, taken,
     *     expired) or vanished while being read; the message names an eviction when that is the cause
     * @throws CorruptBlockException when the keys hold something that is not a fastshare block
     * @throws FastShareException when Redis is unreachable or fails, naming the setting to check
     */
    public byte[] read(BlockName name) {
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        try (RedisConnection connection = connections.getConnection()) {
            Manifest manifest = manifest(connection, keys);
            return readChunks(connection, keys, manifest);
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, "reading block " + name);
        }
    }

    /**
     * Reads a committed block for a claim-once {@code take}: the bytes and the commit key's value that
     * {@link #claim} needs.
     *
     * @param name the block
     * @return the bytes and the commit value
     * @throws BlockNotFoundException as {@link #read}
     * @throws CorruptBlockException as {@link #read}
     * @throws FastShareException as {@link #read}
     */
    Fetched fetch(BlockName name) {
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        try (RedisConnection connection = connections.getConnection()) {
            byte[] value = connection.stringCommands().get(keys.manifest());
            if (value == null) {
                throw notFound(name);
            }
            Manifest manifest = Manifest.parse(value, name.value());
            return new Fetched(readChunks(connection, keys, manifest), value);
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, "reading block " + name);
        }
    }

    /**
     * A block read for a claim.
     *
     * @param bytes the block bytes
     * @param commitValue the commit key's value when it was read
     */
    record Fetched(byte[] bytes, byte[] commitValue) {
    }

    /**
     * Claims a block read with {@link #fetch}: removes it for everyone else. Of all callers on all
     * hosts (and releases), exactly one succeeds.
     *
     * @param name the block
     * @param commitValue the commit key's value from {@link #fetch}
     * @throws BlockNotFoundException when another caller took or released the block first
     * @throws FastShareException when Redis is unreachable or fails; the block is then still there
     */
    void claim(BlockName name, byte[] commitValue) {
        Manifest manifest = Manifest.parse(commitValue, name.value());
        if (!remove(name, manifest, commitValue, "taking block " + name)) {
            throw new BlockNotFoundException("Redis block " + name + " was taken or released by another reader "
                    + "just now; a token can be taken once");
        }
    }

    private static Manifest manifest(RedisConnection connection, RedisKeys keys) {
        byte[] value = connection.stringCommands().get(keys.manifest());
        if (value == null) {
            throw notFound(keys.name());
        }
        return Manifest.parse(value, keys.name().value());
    }

    private static BlockNotFoundException notFound(BlockName name) {
        return new BlockNotFoundException("Redis block " + name + " does not exist: it was taken, released or "
                + "expired (TTL), or its writer never committed it");
    }

    private byte[] readChunks(RedisConnection connection, RedisKeys keys, Manifest manifest) {
        BlockName name = keys.name();
        // One cheap check before allocating the whole block: every chunk must still be there.
        byte[][] chunkKeys = new byte[manifest.chunks()][];
        for (int i = 0; i < chunkKeys.length; i++) {
            chunkKeys[i] = keys.chunk(i);
        }
        Long present = connection.keyCommands().exists(chunkKeys);
        if (present == null || present != manifest.chunks()) {
            throw vanished(connection, keys, manifest);
        }
        byte[] block = allocate(manifest.totalLength(), name);
        for (int i = 0; i < manifest.chunks(); i++) {
            byte[] chunk = connection.stringCommands().get(chunkKeys[i]);
            if (chunk == null) {
                throw vanished(connection, keys, manifest);
            }
            if (chunk.length != manifest.chunkLength(i)) {
                throw new CorruptBlockException("Redis block " + name + " is corrupt: chunk " + i + " holds "
                        + chunk.length + " bytes, its commit key says " + manifest.chunkLength(i));
            }
            System.arraycopy(chunk, 0, block, i * manifest.chunkSize(), chunk.length);
        }
        return block;
    }

    private static byte[] allocate(long length, BlockName name) {
        try {
            return new byte[(int) length];
        } catch (OutOfMemoryError e) {
            // One large array failed to fit; nothing else is affected, so this is safe to report.
            throw new FastShareException("the Redis block " + name + " of " + length + " bytes does not fit in this "
                    + "JVM's heap; raise -Xmx or send smaller payloads", e);
        }
    }

    /**
     * Explains a missing chunk. A chunk missing while the commit key is still there was removed
     * by Redis itself: evicted, or expired in the same instant as the block. (A claim or release removes
     * the commit key and the chunks in one script.)
     */
    private BlockNotFoundException vanished(RedisConnection connection, RedisKeys keys, Manifest manifest) {
        BlockName name = keys.name();
        boolean committed = Boolean.TRUE.equals(connection.keyCommands().exists(keys.manifest()));
        long now = clock.millis();
        if (manifest.expiresMillis() != 0 && manifest.expiresMillis() <= now + 1000) {
            return new BlockNotFoundException("Redis block " + name + " expired (TTL) while being read");
        }
        if (committed) {
            String policy = policy(connection);
            return new BlockNotFoundException("part of Redis block " + name + " is gone before its TTL: Redis evicted "
                    + "it (maxmemory-policy " + policy + "); configure maxmemory-policy noeviction for the Redis that "
                    + "holds blocks, and size maxmemory for the blocks in flight");
        }
        return new BlockNotFoundException("Redis block " + name + " was released or taken while being read");
    }

    private static String policy(RedisConnection connection) {
        try {
            Properties config = connection.serverCommands().getConfig("maxmemory-policy");
            String value = config == null ? null : firstValue(config, "maxmemory-policy");
            return value == null ? "unknown" : value;
        } catch (RuntimeException e) {
            return "unknown: CONFIG GET refused";
        }
    }

    // ---------------------------------------------------------------- release and listing

    /**
     * Deletes a block. Idempotent.
     *
     * @param name the block
     * @return true when this call deleted it
     * @throws CorruptBlockException when the commit key holds something that is not a manifest
     * @throws FastShareException when Redis is unreachable or fails
     */
    public boolean delete(BlockName name) {
        written.remove(name);
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        byte[] value;
        try (RedisConnection connection = connections.getConnection()) {
            value = connection.stringCommands().get(keys.manifest());
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, "releasing block " + name);
        }
        if (value == null) {
            return false;
        }
        return remove(name, Manifest.parse(value, name.value()), value, "releasing block " + name);
    }

    private boolean remove(BlockName name, Manifest manifest, byte[] commitValue, String what) {
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        try (RedisConnection connection = connections.getConnection()) {
            Long removed = connection.scriptingCommands().eval(RedisScripts.REMOVE, ReturnType.INTEGER,
                    manifest.chunks() + 1, args(keys.all(manifest.chunks()), commitValue));
            written.remove(name);
            return removed != null && removed == 1;
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, what);
        }
    }

    /**
     * Tells whether a committed block exists.
     *
     * @param name the block
     * @return true while its commit key exists
     * @throws FastShareException when Redis is unreachable or fails
     */
    public boolean exists(BlockName name) {
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        try (RedisConnection connection = connections.getConnection()) {
            return Boolean.TRUE.equals(connection.keyCommands().exists(keys.manifest()));
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, "looking up block " + name);
        }
    }

    /**
     * Reads a block's commit key, for listings of blocks other processes wrote.
     *
     * @param name the block
     * @return its manifest, or empty when the block is not committed
     * @throws CorruptBlockException when the commit key holds something else
     * @throws FastShareException when Redis is unreachable or fails
     */
    Optional<Manifest> describe(BlockName name) {
        RedisKeys keys = new RedisKeys(options.keyPrefix(), name);
        try (RedisConnection connection = connections.getConnection()) {
            byte[] value = connection.stringCommands().get(keys.manifest());
            return value == null ? Optional.empty() : Optional.of(Manifest.parse(value, name.value()));
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, "looking up block " + name);
        }
    }

    /**
     * Lists the blocks this repository wrote that still exist in Redis, forgetting those released,
     * taken or expired meanwhile.
     *
     * @return the live blocks, oldest first
     * @throws FastShareException when Redis is unreachable or fails
     */
    public List<RemoteBlock> liveBlocks() {
        List<RemoteBlock> live = new ArrayList<>();
        for (RemoteBlock block : List.copyOf(written.values())) {
            if (exists(block.name())) {
                live.add(block);
            } else {
                written.remove(block.name());
            }
        }
        live.sort((a, b) -> Long.compare(a.createdMillis(), b.createdMillis()));
        return live;
    }

    /**
     * Returns the blocks this repository wrote and has not seen released, without asking Redis.
     *
     * @return the blocks, in no order
     */
    public List<RemoteBlock> knownBlocks() {
        return List.copyOf(written.values());
    }

    /**
     * Reports the server's memory and eviction figures.
     *
     * @return the status
     * @throws FastShareException when Redis is unreachable or fails
     */
    public RedisServerStatus status() {
        try (RedisConnection connection = connections.getConnection()) {
            Properties memory = connection.serverCommands().info("memory");
            Properties stats = connection.serverCommands().info("stats");
            return new RedisServerStatus(sum(memory, "used_memory"), sum(memory, "maxmemory"),
                    memory == null ? null : firstValue(memory, "maxmemory_policy"), sum(stats, "evicted_keys"));
        } catch (RuntimeException e) {
            throw RedisErrors.onRead(e, "asking for the server's status");
        }
    }

    private static long sum(@Nullable Properties properties, String name) {
        if (properties == null) {
            return -1;
        }
        long total = -1;
        for (String key : properties.stringPropertyNames()) {
            if (key.equals(name) || key.endsWith("." + name)) {
                try {
                    total = Math.max(total, 0) + Long.parseLong(properties.getProperty(key).trim());
                } catch (NumberFormatException ignored) {
                    // a field this version reports differently: leave it out
                }
            }
        }
        return total;
    }

    private void deleteQuietly(RedisKeys keys, int chunks) {
        try (RedisConnection connection = connections.getConnection()) {
            connection.keyCommands().del(keys.all(chunks));
        } catch (RuntimeException e) {
            // Every key carries a TTL (the block's, or the orphan timeout): Redis removes them anyway.
            log.debug("could not delete the keys of the failed write of {}: {}", keys.name(), e.toString());
        }
    }

    private static byte[][] args(byte[][] keys, byte[]... arguments) {
        byte[][] all = new byte[keys.length + arguments.length][];
        System.arraycopy(keys, 0, all, 0, keys.length);
        System.arraycopy(arguments, 0, all, keys.length, arguments.length);
        return all;
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
