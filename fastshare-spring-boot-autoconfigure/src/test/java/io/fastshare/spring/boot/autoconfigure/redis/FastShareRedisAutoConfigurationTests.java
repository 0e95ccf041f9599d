package io.fastshare.spring.boot.autoconfigure.redis;

import io.fastshare.BlockNotFoundException;
import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import io.fastshare.spring.boot.autoconfigure.InvalidFastSharePropertyException;
import io.fastshare.spring.boot.cleanup.CleanupResultListener;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import io.fastshare.spring.boot.redis.FastShareRedisHealthIndicator;
import io.fastshare.spring.boot.redis.FastShareRedisMetrics;
import io.fastshare.spring.boot.redis.FastShareRedisStore;
import io.fastshare.spring.boot.testing.TestBlockDirectory;
import io.fastshare.store.redis.RedisBlockStore;
import io.fastshare.store.redis.testing.RedisTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link FastShareRedisAutoConfiguration} against the real Redis at 127.0.0.1:6379 (Spring Boot's own
 * Redis auto-configuration makes the connection factory): {@code fastshare.store=redis} writes to
 * Redis only, the default reads Redis tokens and writes locally, and a Redis store that cannot be
 * made stops the application.
 */
class FastShareRedisAutoConfigurationTests {

    @RegisterExtension
    final TestBlockDirectory blockDir = new TestBlockDirectory();

    String prefix;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                        FastShareRedisAutoConfiguration.class, FastShareAutoConfiguration.class,
                        FastShareRedisObservabilityAutoConfiguration.class))
                .withInitializer(blockDir.asProperty())
                .withPropertyValues("spring.data.redis.host=" + RedisTestSupport.HOST,
                        "spring.data.redis.port=" + RedisTestSupport.PORT, "spring.data.redis.timeout=10s",
                        "fastshare.redis.key-prefix=" + prefix, "fastshare.threshold=0");
    }

    @BeforeEach
    void requireRedis() {
        RedisTestSupport.requireSharedRedis();
        prefix = RedisTestSupport.uniquePrefix();
    }

    @AfterEach
    void deleteKeys() {
        LettuceConnectionFactory factory = RedisTestSupport.shared();
        try {
            assertThat(RedisTestSupport.deleteAll(factory, prefix)).as("keys left by the test").isZero();
        } finally {
            factory.destroy();
        }
    }

    @Test
    void storeRedisWritesToRedisAndReportsItsHealth() {
        runner().withPropertyValues("fastshare.store=redis").withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(FastShareRedisStore.class)
                            .hasSingleBean(FastShareRedisHealthIndicator.class).hasSingleBean(FastShareRedisMetrics.class);
                    SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
                    String token = template.write(new float[] {1f, 2f, 3f});
                    assertThat(token).startsWith("FSHR:rds:FSHR_");
                    assertThat(template.read(token, float[].class)).containsExactly(1f, 2f, 3f);
                    assertThat(template.blocks()).singleElement()
                            .satisfies(info -> assertThat(info.kind()).isEqualTo(RedisBlockStore.KIND));
                    FastShareEndpoint endpoint = new FastShareEndpoint(new FastShareCleanup(template,
                            java.time.Duration.ofMinutes(1), context.getBeanProvider(CleanupResultListener.class),
                            java.time.Clock.systemUTC()));
                    assertThat(endpoint.blocks().blocks()).singleElement().satisfies(block -> {
                        assertThat(block.kind()).isEqualTo(RedisBlockStore.KIND);
                        assertThat(block.token()).isEqualTo(token);
                        assertThat(block.ownedByThisProcess()).isTrue();
                    });

                    Health health = context.getBean(FastShareRedisHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails()).containsEntry("writes", true).containsEntry("liveBlocks", 1)
                            .containsKeys("usedMemory", "maxMemory", "maxMemoryPolicy", "evictedKeys");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(FastShareRedisMetrics.class).bindTo(registry);
                    assertThat(registry.get("fastshare.redis.memory.used").gauge().value()).isPositive();
                });
        // Closing the context closed the template, which released its Redis blocks (checked after the test).
    }

    @Test
    void defaultStoreWritesLocallyAndReadsRedisTokens() {
        String[] token = new String[1];
        runner().withPropertyValues("fastshare.store=redis", "fastshare.release-on-shutdown=false").run(context ->
                token[0] = context.getBean(SharedMemoryTemplate.class).write(new int[] {7, 8}));
        runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FastShareRedisStore.class);
            assertThat(context.getBean(FastShareRedisStore.class).writes()).isFalse();
            SharedMemoryTemplate template = context.getBean(SharedMemoryTemplate.class);
            assertThat(template.write(new byte[100])).as("local shared memory: the default pool").startsWith("FSHR:pool:");
            assertThat(template.take(token[0], int[].class)).containsExactly(7, 8);
            assertThatThrownBy(() -> template.read(token[0], int[].class)).isInstanceOf(BlockNotFoundException.class);
        });
    }

    @Test
    void storeRedisWithoutAConnectionFactoryStopsTheApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareRedisAutoConfiguration.class,
                        FastShareAutoConfiguration.class))
                .withInitializer(blockDir.asProperty())
                .withPropertyValues("fastshare.store=redis")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().isInstanceOf(InvalidFastSharePropertyException.class)
                        .hasMessageContaining("fastshare.store").hasMessageContaining("RedisConnectionFactory"));
    }

    @Test
    void storeRedisWithoutTheModuleStopsTheApplication() {
        runner().withPropertyValues("fastshare.store=redis")
                .withClassLoader(new FilteredClassLoader(RedisBlockStore.class))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().isInstanceOf(InvalidFastSharePropertyException.class)
                        .hasMessageContaining("fastshare-store-redis"));
    }

    @Test
    void withoutRedisTheTemplateIsUnchanged() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(FastShareRedisAutoConfiguration.class,
                        FastShareAutoConfiguration.class, FastShareRedisObservabilityAutoConfiguration.class))
                .withInitializer(blockDir.asProperty())
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(FastShareRedisStore.class)
                            .doesNotHaveBean(FastShareRedisHealthIndicator.class);
                    assertThat(context.getBean(SharedMemoryTemplate.class).write(new byte[10])).startsWith("FSHR:");
                });
    }
}
