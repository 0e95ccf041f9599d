package io.fastshare.spring.boot.redis;

import io.fastshare.store.BlockStoreFactory;
import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.RedisStoreOptions;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The Redis store of the application's template, for the health indicator and the metrics: the
 * template creates the store when it is built, this bean keeps a reference to it.
 *
 * <p>It also releases the template's Redis blocks at shutdown ({@code fastshare.release-on-shutdown}):
 * Spring stops the Redis connection factory (a lifecycle bean) before it closes the template, so the
 * template's own release on close would find Redis already disconnected. This bean's lifecycle phase
 * stops it after the web server and before the connection factory.
 *
 * <p>Thread-safe.
 *
 * @see io.fastshare.spring.boot.autoconfigure.redis.FastShareRedisAutoConfiguration
 */
public final class FastShareRedisStore implements SmartLifecycle {

    /** Lifecycle phase: stopped after the web server (phases near Integer.MAX_VALUE), before Lettuce (0). */
    public static final int PHASE = 1024;

    private static final Logger log = LoggerFactory.getLogger(FastShareRedisStore.class);

    private final RedisConnectionFactory connections;
    private final RedisStoreOptions options;
    private final boolean writes;
    private final boolean releaseOnShutdown;
    private final AtomicReference<@Nullable RedisBlockStore> store = new AtomicReference<>();
    private volatile boolean running;

    /**
     * Creates the holder.
     *
     * @param connections the application's Redis connections
     * @param options key prefix, chunk size, orphan timeout
     * @param writes whether this service writes its blocks to Redis ({@code fastshare.store=redis}) or
     *     only reads Redis tokens
     * @param releaseOnShutdown whether to delete the template's Redis blocks when the application stops
     */
    public FastShareRedisStore(RedisConnectionFactory connections, RedisStoreOptions options, boolean writes,
            boolean releaseOnShutdown) {
        this.connections = connections;
        this.options = options;
        this.writes = writes;
        this.releaseOnShutdown = releaseOnShutdown;
    }

    /**
     * Returns the factory to hand to the template builder; the store it creates is remembered here.
     *
     * @return the factory
     */
    public BlockStoreFactory factory() {
        BlockStoreFactory delegate = RedisBlockStore.factory(connections, options);
        return context -> {
            RedisBlockStore created = (RedisBlockStore) delegate.create(context);
            store.set(created);
            return created;
        };
    }

    /**
     * Returns the template's Redis store.
     *
     * @return the store, or null before the template is built
     */
    public @Nullable RedisBlockStore store() {
        return store.get();
    }

    /**
     * Tells whether this service writes its blocks to Redis.
     *
     * @return true for {@code fastshare.store=redis}
     */
    public boolean writes() {
        return writes;
    }

    /**
     * Returns the store's settings.
     *
     * @return the settings
     */
    public RedisStoreOptions options() {
        return options;
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Releases the template's Redis blocks while Redis is still connected, when release on shutdown is on.
     */
    @Override
    public void stop() {
        running = false;
        RedisBlockStore current = store.get();
        if (releaseOnShutdown && current != null) {
            int released = current.releaseOwned();
            if (released > 0) {
                log.info("fastshare released {} Redis blocks on shutdown", released);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
