package io.fastshare.spring.boot.autoconfigure.endpoint;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpoint;
import io.fastshare.spring.boot.actuate.endpoint.FastShareEndpointWebExtension;
import io.fastshare.spring.boot.autoconfigure.cleanup.FastShareCleanupAutoConfiguration;
import io.fastshare.spring.boot.cleanup.FastShareCleanup;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link FastShareEndpoint} ({@code fastshare}) and its web extension, when
 * actuator is on the classpath and the endpoint is available (access not {@code none} and exposed), as
 * Spring Boot configures its Quartz endpoint.
 */
@AutoConfiguration(after = FastShareCleanupAutoConfiguration.class)
@ConditionalOnClass({ SharedMemoryTemplate.class, FastShareEndpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(FastShareEndpoint.class)
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
    @ConditionalOnBean(FastShareCleanup.class)
    @ConditionalOnMissingBean
    FastShareEndpoint fastShareEndpoint(FastShareCleanup cleanup) {
        return new FastShareEndpoint(cleanup);
    }

    /**
     * The web extension: the paths below {@code /actuator/fastshare}, with 400 and 404 answers.
     *
     * @param endpoint the endpoint
     * @return the extension
     */
    @Bean
    @ConditionalOnBean(FastShareEndpoint.class)
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    FastShareEndpointWebExtension fastShareEndpointWebExtension(FastShareEndpoint endpoint) {
        return new FastShareEndpointWebExtension(endpoint);
    }
}
