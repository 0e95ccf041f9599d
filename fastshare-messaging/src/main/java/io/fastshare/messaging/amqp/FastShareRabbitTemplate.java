package io.fastshare.messaging.amqp;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import java.util.Objects;

/**
 * A {@link RabbitTemplate} that releases the shared-memory block of a claim-check message whose send
 * failed (connection refused, channel closed): the converter wrote the block before the send, and a
 * message that never reached the broker must not leave it behind. Every {@code send}, {@code convertAndSend}
 * and request-reply method goes through the two methods overridden here. Set a
 * {@link FastShareAmqpMessageConverter} as its converter (the Spring Boot starter does both).
 *
 * <p>Thread-safe, like {@code RabbitTemplate}.
 */
public class FastShareRabbitTemplate extends RabbitTemplate {

    private final ClaimCheck claimCheck;

    /**
     * Creates the template.
     *
     * @param connectionFactory the connection factory
     * @param claimCheck releases the blocks of failed sends
     */
    public FastShareRabbitTemplate(ConnectionFactory connectionFactory, ClaimCheck claimCheck) {
        super(connectionFactory);
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
    }

    @Override
    public void send(@Nullable String exchange, @Nullable String routingKey, Message message,
            @Nullable CorrelationData correlationData) {
        try {
            super.send(exchange, routingKey, message, correlationData);
        } catch (RuntimeException | Error e) {
            releaseAfterFailure(message);
            throw e;
        }
    }

    @Override
    protected @Nullable Message doSendAndReceive(@Nullable String exchange, @Nullable String routingKey,
            Message message, @Nullable CorrelationData correlationData) {
        try {
            return super.doSendAndReceive(exchange, routingKey, message, correlationData);
        } catch (RuntimeException | Error e) {
            releaseAfterFailure(message);
            throw e;
        }
    }

    private void releaseAfterFailure(Message message) {
        Object token = message.getMessageProperties().getHeaders().get(FastShareHeaders.TOKEN);
        if (token != null) {
            claimCheck.sendFailed(token.toString());
        }
    }
}
