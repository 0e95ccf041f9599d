package io.fastshare.store.redis.testing;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.format.BlockName;
import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.RedisStoreOptions;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Templates that write to Redis only (never to local shared memory), as a cross-host producer would. */
public final class RedisTemplates {

    private RedisTemplates() {
    }

    /**
     * Builds a template whose writes go to Redis, threshold 0 so every payload goes to the store.
     *
     * @param connections the connections
     * @param prefix the test's key prefix
     * @param blockDir a private block directory (the template's lease lives there; no block does)
     * @param beforeCommit a hook between the chunks and the commit key
     * @return the template
     */
    public static SharedMemoryTemplate writer(RedisConnectionFactory connections, String prefix, Path blockDir,
            Consumer<BlockName> beforeCommit) {
        return SharedMemoryTemplate.builder()
                .directory(blockDir)
                .threshold(0)
                .store(RedisBlockStore.factory(connections, RedisStoreOptions.defaults().withKeyPrefix(prefix), beforeCommit))
                .fileStoreWrites(false)
                .build();
    }

    /**
     * Builds a template that writes to Redis.
     *
     * @param connections the connections
     * @param prefix the test's key prefix
     * @param blockDir a private block directory
     * @return the template
     */
    public static SharedMemoryTemplate writer(RedisConnectionFactory connections, String prefix, Path blockDir) {
        return writer(connections, prefix, blockDir, name -> { });
    }

    /**
     * Builds a consumer: writes locally, reads Redis tokens too.
     *
     * @param connections the connections
     * @param prefix the test's key prefix
     * @param blockDir a private block directory
     * @return the template
     */
    public static SharedMemoryTemplate reader(RedisConnectionFactory connections, String prefix, Path blockDir) {
        return SharedMemoryTemplate.builder()
                .directory(blockDir)
                .readStore(RedisBlockStore.factory(connections, RedisStoreOptions.defaults().withKeyPrefix(prefix)))
                .build();
    }
}
