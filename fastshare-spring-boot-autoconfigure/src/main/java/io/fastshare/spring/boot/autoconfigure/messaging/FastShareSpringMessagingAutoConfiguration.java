package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.converter.FastShareMessageConverter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.ClassUtils;

import java.util.ArrayList;
import java.util.List;

/**
 * Offers a spring-messaging {@link FastShareMessageConverter} bean ({@code fastShareMessageConverter}) for
 * the messaging templates and handlers an application configures itself (JMS, STOMP, Spring Integration,
 * {@code RabbitMessagingTemplate}). It wraps strings, byte arrays and, when Jackson is present, JSON.
 * Switched off by {@code fastshare.messaging.spring-messaging.enabled=false}; the threshold is
 * {@code fastshare.messaging.spring-messaging.threshold}.
 */
@AutoConfiguration(after = FastShareMessagingAutoConfiguration.class)
@ConditionalOnClass({FastShareMessageConverter.class, MessageConverter.class})
@ConditionalOnBean(ClaimCheck.class)
@ConditionalOnBooleanProperty(name = "fastshare.messaging.spring-messaging.enabled", matchIfMissing = true)
public final class FastShareSpringMessagingAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareSpringMessagingAutoConfiguration() {
    }

    /**
     * The converter.
     *
     * @param claimCheck the application's claim check
     * @param properties bound properties
     * @return the converter
     */
    @Bean
    @ConditionalOnMissingBean
    FastShareMessageConverter fastShareMessageConverter(ClaimCheck claimCheck, FastShareMessagingProperties properties) {
        List<MessageConverter> delegates = new ArrayList<>(List.of(new StringMessageConverter(),
                new ByteArrayMessageConverter()));
        if (ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", getClass().getClassLoader())) {
            delegates.add(new JacksonJsonMessageConverter());
        }
        return new FastShareMessageConverter(ClaimChecks.forEndpoint(claimCheck, properties.getSpringMessaging()),
                new CompositeMessageConverter(delegates));
    }
}
