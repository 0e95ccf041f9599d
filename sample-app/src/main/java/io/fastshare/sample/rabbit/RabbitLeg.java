package io.fastshare.sample.rabbit;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beans of the RabbitMQ leg, on both services when {@code sample.rabbit=true}: the queue and the
 * application's own AMQP converter (JSON), which the starter wraps: small messages (the receipts) go
 * through it, the batch goes through shared memory.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sample.rabbit")
class RabbitLeg {

    /** The queue the producer sends batches to. */
    static final String QUEUE = "fastshare-demo";

    @Bean
    Queue fastShareDemoQueue() {
        return QueueBuilder.nonDurable(QUEUE).autoDelete().build();
    }

    @Bean
    MessageConverter jsonMessageConverter() {
        return new JacksonJsonMessageConverter();
    }
}
