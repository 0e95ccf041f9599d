package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.amqp.FastShareAmqpMessageConverter;
import io.fastshare.messaging.amqp.FastShareRabbitTemplate;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Wraps RabbitMQ messaging in the claim check: every {@code RabbitTemplate} and every listener container
 * factory gets a {@link FastShareAmqpMessageConverter} around the application's own converter (its
 * {@code MessageConverter} bean, or Spring AMQP's default), and listener containers get the advice that
 * releases blocks only after the listener returned. Boot's {@code rabbitTemplate} becomes a
 * {@link FastShareRabbitTemplate} (configured exactly as Boot would), which releases the block of a failed
 * send; an application that declares its own {@code RabbitTemplate} gets the converter but not that. Switched
 * off by {@code fastshare.messaging.amqp.enabled=false}; the threshold is {@code fastshare.messaging.amqp.threshold}.
 */
@AutoConfiguration(after = FastShareMessagingAutoConfiguration.class,
        beforeName = "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration")
@ConditionalOnClass({FastShareAmqpMessageConverter.class, RabbitTemplate.class, RabbitTemplateConfigurer.class})
@ConditionalOnBooleanProperty(name = "fastshare.messaging.amqp.enabled", matchIfMissing = true)
public final class FastShareAmqpAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareAmqpAutoConfiguration() {
    }

    /**
     * The post-processor that installs converter and advices. Static, as post-processors must be, and lazy
     * about its collaborators, which it looks up when the first RabbitMQ bean is post-processed.
     *
     * @param claimCheck the application's claim check, when messaging is configured
     * @param properties bound properties
     * @param converter the application's AMQP converter, when it declared exactly one
     * @return the post-processor
     */
    @Bean
    static BeanPostProcessor fastShareAmqpBeanPostProcessor(ObjectProvider<ClaimCheck> claimCheck,
            ObjectProvider<FastShareMessagingProperties> properties, ObjectProvider<MessageConverter> converter) {
        return new AmqpClaimCheckInstaller(
                () -> {
                    ClaimCheck base = claimCheck.getIfAvailable();
                    FastShareMessagingProperties bound = properties.getIfAvailable();
                    return base == null || bound == null ? null : ClaimChecks.forEndpoint(base, bound.getAmqp());
                },
                converter::getIfUnique);
    }

    /**
     * Boot's {@code rabbitTemplate}, as a {@link FastShareRabbitTemplate}: configured by Boot's configurer
     * ({@code spring.rabbitmq.template.*}, the application's converter), then wrapped, then customized.
     *
     * @param configurer Boot's template configurer
     * @param connectionFactory the connection factory
     * @param customizers the application's template customizers
     * @param claimCheck the application's claim check
     * @param properties bound properties
     * @return the template
     */
    @Bean
    @ConditionalOnBean(ClaimCheck.class)
    @ConditionalOnMissingBean(RabbitOperations.class)
    FastShareRabbitTemplate rabbitTemplate(RabbitTemplateConfigurer configurer, ConnectionFactory connectionFactory,
            ObjectProvider<RabbitTemplateCustomizer> customizers, ClaimCheck claimCheck,
            FastShareMessagingProperties properties) {
        ClaimCheck check = ClaimChecks.forEndpoint(claimCheck, properties.getAmqp());
        FastShareRabbitTemplate template = new FastShareRabbitTemplate(connectionFactory, check);
        configurer.configure(template, connectionFactory);
        template.setMessageConverter(new FastShareAmqpMessageConverter(check, template.getMessageConverter()));
        customizers.orderedStream().forEach(customizer -> customizer.customize(template));
        return template;
    }
}
