package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.kafka.FastShareKafkaDeserializer;
import io.fastshare.messaging.kafka.FastShareKafkaSerializer;
import io.fastshare.messaging.kafka.FastShareProducerListener;
import io.fastshare.messaging.kafka.FastShareRecordInterceptor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.support.ProducerListener;

/**
 * Wraps Kafka messaging in the claim check: producer factories get a {@link FastShareKafkaSerializer} around
 * the configured value serializer ({@code spring.kafka.producer.value-serializer}), consumer factories a
 * {@link FastShareKafkaDeserializer} around the configured value deserializer, listener containers the
 * {@link FastShareRecordInterceptor} (release after the record was processed) and every
 * {@code KafkaTemplate} a {@link FastShareProducerListener} (release when a send fails) in front of the
 * application's producer listener. Switched off by {@code fastshare.messaging.kafka.enabled=false}; the
 * threshold is {@code fastshare.messaging.kafka.threshold}.
 */
@AutoConfiguration(after = FastShareMessagingAutoConfiguration.class,
        beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass({FastShareKafkaSerializer.class, KafkaTemplate.class, DefaultKafkaProducerFactoryCustomizer.class})
@ConditionalOnBean(ClaimCheck.class)
@ConditionalOnBooleanProperty(name = "fastshare.messaging.kafka.enabled", matchIfMissing = true)
public final class FastShareKafkaAutoConfiguration {

    /**
     * Creates the auto-configuration; called by Spring.
     */
    FastShareKafkaAutoConfiguration() {
    }

    /**
     * Wraps the configured value serializer.
     *
     * @param claimCheck the application's claim check
     * @param properties bound properties
     * @return the customizer
     */
    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaProducerFactoryCustomizer fastShareKafkaProducerFactoryCustomizer(ClaimCheck claimCheck,
            FastShareMessagingProperties properties) {
        ClaimCheck check = ClaimChecks.forEndpoint(claimCheck, properties.getKafka());
        return any -> {
            DefaultKafkaProducerFactory<Object, Object> factory = (DefaultKafkaProducerFactory<Object, Object>) any;
            Object configured = factory.getConfigurationProperties().get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
            factory.setValueSerializerSupplier(() -> new FastShareKafkaSerializer<>(check,
                    (Serializer<Object>) KafkaDelegates.instantiate(configured, Serializer.class,
                            "spring.kafka.producer.value-serializer")));
        };
    }

    /**
     * Wraps the configured value deserializer.
     *
     * @param claimCheck the application's claim check
     * @return the customizer
     */
    @Bean
    @SuppressWarnings("unchecked")
    DefaultKafkaConsumerFactoryCustomizer fastShareKafkaConsumerFactoryCustomizer(ClaimCheck claimCheck) {
        return any -> {
            DefaultKafkaConsumerFactory<Object, Object> factory = (DefaultKafkaConsumerFactory<Object, Object>) any;
            Object configured = factory.getConfigurationProperties().get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
            factory.setValueDeserializerSupplier(() -> new FastShareKafkaDeserializer(claimCheck,
                    KafkaDelegates.instantiate(configured, Deserializer.class, "spring.kafka.consumer.value-deserializer")));
        };
    }

    /**
     * Releases a record's block once its listener succeeded. Boot gives the listener container factory the
     * application's single record interceptor; an application with its own combines it with this one.
     *
     * @param claimCheck the application's claim check
     * @return the interceptor
     */
    @Bean
    @ConditionalOnMissingBean(RecordInterceptor.class)
    FastShareRecordInterceptor fastShareRecordInterceptor(ClaimCheck claimCheck) {
        return new FastShareRecordInterceptor(claimCheck);
    }

    /**
     * Puts {@link FastShareProducerListener} in front of each {@code KafkaTemplate}'s producer listener.
     *
     * @param claimCheck the application's claim check
     * @param listener the application's producer listener (Boot's logging one by default)
     * @return the post-processor
     */
    @Bean
    static BeanPostProcessor fastShareKafkaTemplatePostProcessor(ObjectProvider<ClaimCheck> claimCheck,
            ObjectProvider<ProducerListener<Object, Object>> listener) {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings("unchecked")
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                ClaimCheck check = bean instanceof KafkaTemplate<?, ?> ? claimCheck.getIfAvailable() : null;
                if (check != null) {
                    ((KafkaTemplate<Object, Object>) bean).setProducerListener(
                            new FastShareProducerListener(check, listener.getIfUnique()));
                }
                return bean;
            }
        };
    }
}
