package io.fastshare.messaging.converter;

import io.fastshare.FastShareException;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import io.fastshare.messaging.Offload;
import io.fastshare.messaging.SendScope;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.SmartMessageConverter;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeType;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A spring-messaging {@link MessageConverter} that wraps another: payloads below the threshold go through
 * the delegate unchanged; larger ones are written to a shared-memory block and the message's payload
 * becomes the token (as bytes, content type {@code application/vnd.fastshare.token}) with the claim-check
 * headers ({@link FastShareHeaders}). Converting a claim-check message back resolves the payload as the
 * target type (from a handler's {@link MethodParameter} when the hint is one); other messages go to the
 * delegate.
 *
 * <p>Lifecycle: inside a {@link io.fastshare.messaging.ReceiveScope} (opened around the handler) blocks are
 * released after the handler succeeded and zero-copy handles closed after the call; outside one nothing is
 * released (the messaging TTL reclaims the block). A send wrapped in a {@link SendScope} releases the block
 * when it fails.
 *
 * <p>Thread-safe when the delegate is.
 */
public final class FastShareMessageConverter implements SmartMessageConverter {

    private static final MimeType TOKEN_TYPE = MimeType.valueOf(FastShareHeaders.CONTENT_TYPE);

    private final ClaimCheck claimCheck;
    private final MessageConverter delegate;

    /**
     * Creates the converter.
     *
     * @param claimCheck writes and resolves payloads
     * @param delegate the converter for small payloads and ordinary messages
     */
    public FastShareMessageConverter(ClaimCheck claimCheck, MessageConverter delegate) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers) {
        return toMessage(payload, headers, null);
    }

    @Override
    public @Nullable Message<?> toMessage(Object payload, @Nullable MessageHeaders headers,
            @Nullable Object conversionHint) {
        Optional<Offload> offload;
        try {
            offload = claimCheck.offload(payload);
        } catch (FastShareException e) {
            throw new MessageConversionException("fastshare could not offload a " + payload.getClass().getName()
                    + ": " + e.getMessage(), e);
        }
        if (offload.isEmpty()) {
            return delegate instanceof SmartMessageConverter smart ? smart.toMessage(payload, headers, conversionHint)
                    : delegate.toMessage(payload, headers);
        }
        SendScope.record(claimCheck, offload.get().token());
        MessageBuilder<byte[]> message = MessageBuilder.withPayload(
                offload.get().token().getBytes(StandardCharsets.US_ASCII));
        if (headers != null) {
            message.copyHeaders(headers);
        }
        offload.get().headers().forEach(message::setHeader);
        message.setHeader(MessageHeaders.CONTENT_TYPE, TOKEN_TYPE);
        return message.build();
    }

    @Override
    public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass) {
        return fromMessage(message, targetClass, null);
    }

    @Override
    public @Nullable Object fromMessage(Message<?> message, Class<?> targetClass, @Nullable Object conversionHint) {
        MessageHeaders headers = message.getHeaders();
        Function<String, @Nullable String> reader = name -> {
            Object value = headers.get(name);
            return value == null ? null : value instanceof byte[] bytes
                    ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
        };
        if (!ClaimCheck.isClaimCheck(reader)) {
            return delegate instanceof SmartMessageConverter smart
                    ? smart.fromMessage(message, targetClass, conversionHint)
                    : delegate.fromMessage(message, targetClass);
        }
        Type target = conversionHint instanceof MethodParameter parameter
                ? parameter.getGenericParameterType() : targetClass;
        try {
            return claimCheck.resolve(reader, target);
        } catch (FastShareException e) {
            throw new MessageConversionException(message, e.getMessage(), e);
        }
    }
}
