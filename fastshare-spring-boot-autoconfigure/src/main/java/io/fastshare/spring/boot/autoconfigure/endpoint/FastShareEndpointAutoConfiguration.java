package io.fastshare.spring.boot.autoconfigure.endpoint;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers the {@link FastShareEndpoint} ({@code fastshare}) when actuator is on the classpath and the
 * endpoint is available (access not {@code none} and exposed).
 */
@AutoConfiguration(after = FastShareCleanupAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, SharedMemoryTemplate.class })
@ConditionalOnBean(FastShareCleanup.class)
public final class FastShareEndpointAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareEndpointAutoConfiguration() {
    }

    /**
     * The endpoint.
     *
     * @param cleanup the application's cleanup
     * @return the endpoint
     */
    @Bean
    // On the method, not the class: the condition's class is decided only once actuator is known present.
    @ConditionalOnAvailableEndpoint
    @ConditionalOnMissingBean
    FastShareEndpoint fastShareEndpoint(FastShareCleanup cleanup) {
        return new FastShareEndpoint(cleanup);
    }
}
