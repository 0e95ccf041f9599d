package io.fastshare.store.redis;

import io.fastshare.TestDirs;
import io.fastshare.store.redis.testing.RedisTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture of tests against the shared Redis at 127.0.0.1:6379: a connection, a key prefix of the
 * test's own (deleted afterwards), and private block directories that must stay empty, so every byte
 * went through Redis.
 */
abstract class SharedRedisTest {

    @TempDir
    Path temp;

    LettuceConnectionFactory factory;
    String prefix;
    private final List<Path> dirs = new ArrayList<>();

    @BeforeEach
    void connect() {
        RedisTestSupport.requireSharedRedis();
        factory = RedisTestSupport.shared();
        prefix = RedisTestSupport.uniquePrefix();
    }

    @AfterEach
    void cleanUp() {
        if (factory != null) {
            RedisTestSupport.deleteAll(factory, prefix);
            factory.destroy();
        }
        dirs.forEach(TestDirs::assertNoBlocks);
    }

    /** A private block directory of this test, checked for leftover blocks afterwards. */
    Path dir(String name) {
        Path dir = TestDirs.blockDir(temp.resolve(name));
        dirs.add(dir);
        return dir;
    }
}
