package io.fastshare.messaging.kafka;

import io.fastshare.FastShareException;
import io.fastshare.messaging.ClaimCheck;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A Kafka value deserializer that wraps the application's own: a record with a {@code fastshare-token}
 * header resolves to the payload from shared memory (an independent heap copy, since deserialization runs
 * at poll time, before any listener); any other record goes to the delegate. With an untyped value type,
 * structured payloads (records, POJOs) are rebuilt only from the template's allowed types, the analogue
 * of the trusted packages of Spring's JSON deserializer.
 *
 * <p>Reading does not release the block: {@link FastShareRecordInterceptor} does, once the listener
 * processed the record.
 *
 * <p>Thread-safe when the delegate is.
 */
public final class FastShareKafkaDeserializer implements Deserializer<Object> {

    private final ClaimCheck claimCheck;
    private final Deserializer<?> delegate;
    private final Type valueType;

    /**
     * Creates an untyped deserializer.
     *
     * @param claimCheck resolves payloads
     * @param delegate the application's deserializer, for ordinary records
     */
    public FastShareKafkaDeserializer(ClaimCheck claimCheck, Deserializer<?> delegate) {
        this(claimCheck, delegate, Object.class);
    }

    /**
     * Creates a deserializer that reads claim-check payloads as one type.
     *
     * @param claimCheck resolves payloads
     * @param delegate the application's deserializer, for ordinary records
     * @param valueType the payload type
     */
    public FastShareKafkaDeserializer(ClaimCheck claimCheck, Deserializer<?> delegate, Type valueType) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public @Nullable Object deserialize(String topic, byte @Nullable [] data) {
        return delegate.deserialize(topic, data);
    }

    @Override
    public @Nullable Object deserialize(String topic, @Nullable Headers headers, byte @Nullable [] data) {
        Function<String, @Nullable String> reader = KafkaHeaders.reader(headers);
        if (!ClaimCheck.isClaimCheck(reader)) {
            return delegate.deserialize(topic, headers, data);
        }
        try {
            return claimCheck.resolve(reader, valueType, null);
        } catch (FastShareException e) {
            throw new SerializationException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
