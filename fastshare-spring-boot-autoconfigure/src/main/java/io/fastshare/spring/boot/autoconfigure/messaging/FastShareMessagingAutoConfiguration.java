package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.spring.boot.autoconfigure.FastShareAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the application's {@link ClaimCheck} from the {@code fastshare.messaging.*} properties,
 * when {@code fastshare-messaging} is on the class path and a {@link SharedMemoryTemplate} exists. The
 * integrations (HTTP, RabbitMQ, Kafka, Spring Messaging) build on it. Declare your own {@code ClaimCheck}
 * bean to replace it.
 */
@AutoConfiguration(after = FastShareAutoConfiguration.class)
@ConditionalOnClass(ClaimCheck.class)
@ConditionalOnBean(SharedMemoryTemplate.class)
@EnableConfigurationProperties(FastShareMessagingProperties.class)
public final class FastShareMessagingAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareMessagingAutoConfiguration() {
    }

    /**
     * The claim check every integration uses.
     *
     * @param template the template
     * @param properties bound properties
     * @return the claim check
     */
    @Bean
    @ConditionalOnMissingBean
    ClaimCheck fastShareClaimCheck(SharedMemoryTemplate template, FastShareMessagingProperties properties) {
        return ClaimChecks.create(template, properties);
    }
}
