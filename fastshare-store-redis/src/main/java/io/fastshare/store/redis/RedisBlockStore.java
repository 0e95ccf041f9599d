package io.fastshare.store.redis;

import io.fastshare.FastShareException;
import io.fastshare.cleanup.BlockInfo;
import io.fastshare.cleanup.BlockState;
import io.fastshare.cleanup.CleanupOptions;
import io.fastshare.cleanup.CleanupResult;
import io.fastshare.codec.PayloadBuffer;
import io.fastshare.format.BlockContent;
import io.fastshare.format.BlockDecoder;
import io.fastshare.format.BlockHeader;
import io.fastshare.format.BlockName;
import io.fastshare.format.BlockPreamble;
import io.fastshare.format.HeapBlockContent;
import io.fastshare.store.BlockHandle;
import io.fastshare.store.BlockStore;
import io.fastshare.store.BlockStoreFactory;
import io.fastshare.store.StoreUsage;
import io.fastshare.store.StoredBlock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Redis block store: token kind {@code rds}, tokens {@code FSHR:rds:FSHR_<32 hex>}. Blocks hold
 * the same bytes as block files, so the shared decoder validates them; {@code open()} gives views of
 * a heap copy, {@code take} reads first and claims last with one atomic script, exactly one winner
 * across hosts. Redis expires every key with the block's TTL, so {@link #cleanup} has nothing to do.
 *
 * <pre>{@code
 * SharedMemoryTemplate template = SharedMemoryTemplate.builder()
 *         .store(RedisBlockStore.factory(connectionFactory, RedisStoreOptions.defaults()))
 *         .fileStoreWrites(false)      // never fall back to local shared memory
 *         .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RedisBlockStore implements BlockStore {

    /** The token kind of Redis blocks. */
    public static final String KIND = "rds";

    private static final Logger log = LoggerFactory.getLogger(RedisBlockStore.class);
    private static final Duration STATUS_MAX_AGE = Duration.ofSeconds(10);
    private static final long PID = ProcessHandle.current().pid();

    private final RedisBlockRepository repository;
    private final SecureRandom random;
    private final Clock clock;
    private final Object statusLock = new Object();
    private @Nullable RedisServerStatus status;
    private long statusMillis = Long.MIN_VALUE;

    /**
     * Creates a store over a repository.
     *
     * @param repository where blocks go
     * @param random the source of block names
     * @param clock the clock of listings
     */
    public RedisBlockStore(RedisBlockRepository repository, SecureRandom random, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns a factory for {@code SharedMemoryTemplate.Builder.store(...)} or {@code readStore(...)}.
     *
     * @param connections the Redis connections; the store does not close them
     * @param options key prefix, chunk size, orphan timeout
     * @return the factory
     */
    public static BlockStoreFactory factory(RedisConnectionFactory connections, RedisStoreOptions options) {
        return factory(connections, options, name -> { });
    }

    /**
     * Returns a factory whose store calls a hook after a block's chunks are stored and before its commit
     * key: for crash tests.
     *
     * @param connections the Redis connections; the store does not close them
     * @param options key prefix, chunk size, orphan timeout
     * @param beforeCommit the hook
     * @return the factory
     */
    public static BlockStoreFactory factory(RedisConnectionFactory connections, RedisStoreOptions options,
            Consumer<BlockName> beforeCommit) {
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(beforeCommit, "beforeCommit");
        return context -> new RedisBlockStore(new RedisBlockRepository(connections, options, context.clock(),
                beforeCommit), context.random(), context.clock());
    }

    /**
     * Returns the repository, for status and listings.
     *
     * @return the repository
     */
    public RedisBlockRepository repository() {
        return repository;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean isValidKey(String key) {
        return BlockName.isValid(key);
    }

    @Override
    public StoredBlock write(BlockPreamble preamble, List<PayloadBuffer> buffers) {
        BlockName name = BlockName.random(random);
        repository.write(name, preamble, buffers);
        return new StoredBlock(KIND, name.value(), preamble.header().totalLength());
    }

    @Override
    public BlockHandle open(String key) {
        BlockName name = new BlockName(key);
        return new RedisBlockHandle(repository, name, repository.fetch(name));
    }

    @Override
    public boolean release(String key) {
        return repository.delete(new BlockName(key));
    }

    @Override
    public int releaseOwned() {
        int released = 0;
        for (RemoteBlock block : repository.knownBlocks()) {
            try {
                if (repository.delete(block.name())) {
                    released++;
                }
            } catch (FastShareException e) {
                log.warn("fastshare could not release Redis block {} on close: {}", block.name(), e.getMessage());
            }
        }
        return released;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks and bytes are those this template wrote and has not seen released, taken or expired;
     * capacity and free space come from the server's {@code maxmemory} and {@code used_memory}, -1 when
     * unknown, unlimited or unreachable. Redis is asked at most every 10 seconds, so a metrics gauge
     * costs no round trip per scrape.
     */
    @Override
    public StoreUsage usage() {
        RedisServerStatus server = cachedStatus();
        List<RemoteBlock> known = repository.knownBlocks();
        long bytes = known.stream().mapToLong(RemoteBlock::size).sum();
        long capacity = server == null || server.maxMemory() <= 0 ? -1 : server.maxMemory();
        long free = capacity < 0 || server.usedMemory() < 0 ? -1 : Math.max(0, capacity - server.usedMemory());
        return new StoreUsage(KIND, known.size(), bytes, capacity, free);
    }

    /**
     * Returns the server's status, fresh or at most 10 seconds old, without throwing; refreshing it also
     * forgets the blocks that are gone from Redis.
     *
     * @return the status, or null when Redis did not answer
     */
    public @Nullable RedisServerStatus cachedStatus() {
        synchronized (statusLock) {
            long now = System.nanoTime();
            if (statusMillis != Long.MIN_VALUE && now - statusMillis < STATUS_MAX_AGE.toNanos()) {
                return status;
            }
            try {
                status = repository.status();
                // Forget the blocks consumers took or Redis expired, at the same pace.
                repository.liveBlocks();
            } catch (FastShareException e) {
                status = null;
            }
            statusMillis = now;
            return status;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The blocks this template wrote that still exist: listing every writer's blocks would mean
     * scanning a shared Redis ({@code redis-cli --scan --pattern 'fastshare:{*}:m'} does that).
     */
    @Override
    public List<BlockInfo> blocks() {
        List<BlockInfo> infos = new ArrayList<>();
        for (RemoteBlock block : repository.liveBlocks()) {
            infos.add(info(block));
        }
        infos.sort((a, b) -> a.name().compareTo(b.name()));
        return infos;
    }

    @Override
    public Optional<BlockInfo> block(String key) {
        BlockName name = new BlockName(key);
        for (RemoteBlock block : repository.knownBlocks()) {
            if (block.name().equals(name)) {
                return repository.exists(name) ? Optional.of(info(block)) : Optional.empty();
            }
        }
        return repository.describe(name).map(manifest -> new BlockInfo(key, manifest.totalLength(),
                manifest.owner().toHex(), -1, null, expiry(manifest.expiresMillis()), Duration.ZERO, BlockState.LIVE,
                false, KIND));
    }

    private BlockInfo info(RemoteBlock block) {
        Instant created = Instant.ofEpochMilli(block.createdMillis());
        Duration age = Duration.between(created, clock.instant());
        return new BlockInfo(block.name().value(), block.size(), block.owner().toHex(), PID, created,
                expiry(block.expiresMillis()), age.isNegative() ? Duration.ZERO : age, BlockState.LIVE, true, KIND);
    }

    private static @Nullable Instant expiry(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Nothing to do: Redis expires every key of a block with the block's TTL, and the chunks of a
     * write that never committed with the orphan timeout.
     */
    @Override
    public CleanupResult cleanup(CleanupOptions options) {
        return new CleanupResult(List.of(), List.of(), List.of(), 0, options.dryRun());
    }

    @Override
    public void close() {
        // The connection factory belongs to whoever created it (Spring, or the application).
    }

    @Override
    public String toString() {
        return "RedisBlockStore[" + repository.options().keyPrefix() + "]";
    }

    /** A block read from Redis: a validated heap copy, so it stays readable whatever happens in Redis. */
    private static final class RedisBlockHandle implements BlockHandle {

        private final RedisBlockRepository repository;
        private final BlockName name;
        private final RedisBlockRepository.Fetched fetched;
        private final BlockPreamble preamble;
        private final HeapBlockContent content;

        RedisBlockHandle(RedisBlockRepository repository, BlockName name, RedisBlockRepository.Fetched fetched) {
            this.repository = repository;
            this.name = name;
            this.fetched = fetched;
            this.content = new HeapBlockContent(fetched.bytes());
            String label = "Redis block " + name;
            BlockHeader header = BlockDecoder.decodeHeader(content.all(),
                    fetched.bytes().length, label);
            this.preamble = BlockDecoder.decodePreamble(header, content.all(), label);
        }

        @Override
        public String key() {
            return name.value();
        }

        @Override
        public BlockPreamble preamble() {
            return preamble;
        }

        @Override
        public BlockContent content() {
            return content;
        }

        @Override
        public BlockContent view() {
            return new HeapBlockContent(fetched.bytes());
        }

        @Override
        public void claim() {
            repository.claim(name, fetched.commitValue());
        }

        @Override
        public void close() {
            // heap bytes: nothing to release
        }

        @Override
        public String toString() {
            return "RedisBlockHandle[" + name + "]";
        }
    }
}
