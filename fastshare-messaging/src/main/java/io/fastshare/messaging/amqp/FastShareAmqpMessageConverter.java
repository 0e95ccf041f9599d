package io.fastshare.messaging.amqp;

import io.fastshare.FastShareException;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import io.fastshare.messaging.Offload;
import io.fastshare.messaging.SendScope;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.amqp.support.converter.SmartMessageConverter;
import org.springframework.core.ParameterizedTypeReference;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A Spring AMQP {@link MessageConverter} that wraps the application's existing converter: payloads below
 * the threshold go through the delegate unchanged; larger ones are written to a shared-memory block and
 * the message becomes the token (a few dozen bytes) with headers saying it is a claim check, what the
 * payload type is and which block directory holds it ({@link FastShareHeaders}). On receive, a claim-check
 * message resolves to the payload as the listener's parameter type (a {@code SharedPayload} parameter gets
 * the zero-copy handle); any other message goes to the delegate.
 *
 * <p>The block's lifecycle needs the container's {@link FastShareListenerAdvice} (release after the
 * listener returned, handles closed after the call) and sending through a {@link FastShareRabbitTemplate}
 * (release when the send fails); the Spring Boot starter sets up both.
 *
 * <p>Thread-safe when the delegate is.
 */
public final class FastShareAmqpMessageConverter implements SmartMessageConverter {

    private final ClaimCheck claimCheck;
    private final MessageConverter delegate;

    /**
     * Creates the converter.
     *
     * @param claimCheck writes and resolves payloads
     * @param delegate the application's converter, for small payloads and ordinary messages
     */
    public FastShareAmqpMessageConverter(ClaimCheck claimCheck, MessageConverter delegate) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * Returns the wrapped converter.
     *
     * @return the delegate
     */
    public MessageConverter delegate() {
        return delegate;
    }

    @Override
    public Message toMessage(Object object, MessageProperties properties) {
        return toMessage(object, properties, null);
    }

    @Override
    public Message toMessage(Object object, MessageProperties properties, @Nullable Type genericType) {
        Optional<Offload> offload;
        try {
            offload = object instanceof Message ? Optional.empty() : claimCheck.offload(object);
        } catch (FastShareException e) {
            throw new MessageConversionException("fastshare could not offload a " + object.getClass().getName()
                    + ": " + e.getMessage(), e);
        }
        if (offload.isEmpty()) {
            return genericType == null ? delegate.toMessage(object, properties)
                    : delegate.toMessage(object, properties, genericType);
        }
        String token = offload.get().token();
        SendScope.record(claimCheck, token);
        offload.get().headers().forEach(properties::setHeader);
        properties.setContentType(FastShareHeaders.CONTENT_TYPE);
        byte[] body = token.getBytes(StandardCharsets.US_ASCII);
        properties.setContentLength(body.length);
        return new Message(body, properties);
    }

    @Override
    public Object fromMessage(Message message) {
        return fromMessage(message, null);
    }

    @Override
    public Object fromMessage(Message message, @Nullable Object conversionHint) {
        MessageProperties properties = message.getMessageProperties();
        Function<String, @Nullable String> headers = name -> {
            Object value = properties.getHeaders().get(name);
            return value == null ? null : value instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        };
        if (!ClaimCheck.isClaimCheck(headers)) {
            return delegate instanceof SmartMessageConverter smart ? smart.fromMessage(message, conversionHint)
                    : delegate.fromMessage(message);
        }
        try {
            return claimCheck.resolve(headers, targetType(properties, conversionHint));
        } catch (FastShareException e) {
            throw new MessageConversionException(e.getMessage(), e);
        }
    }

    private static Type targetType(MessageProperties properties, @Nullable Object hint) {
        if (hint instanceof ParameterizedTypeReference<?> reference) {
            return reference.getType();
        }
        Type inferred = properties.getInferredArgumentType();
        return inferred != null ? inferred : Object.class;
    }
}
