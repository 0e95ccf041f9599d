package io.fastshare.messaging.kafka;

import io.fastshare.FastShareException;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.Offload;
import io.fastshare.messaging.SendScope;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kafka value serializer that wraps the application's own: values below the threshold go through the
 * delegate unchanged; larger ones are written to a shared-memory block and the record's value becomes the
 * token, with the claim-check headers ({@code fastshare-token}, ...) added to the record. Pair it with
 * {@link FastShareKafkaDeserializer} and, for the block's lifecycle, {@link FastShareRecordInterceptor} and
 * {@link FastShareProducerListener}.
 *
 * <p>Thread-safe when the delegate is (Kafka producers are shared between threads).
 *
 * @param <T> the value type
 */
public final class FastShareKafkaSerializer<T> implements Serializer<T> {

    private final ClaimCheck claimCheck;
    private final Serializer<T> delegate;

    /**
     * Creates the serializer.
     *
     * @param claimCheck writes payloads
     * @param delegate the application's serializer, for small values
     */
    public FastShareKafkaSerializer(ClaimCheck claimCheck, Serializer<T> delegate) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        delegate.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, @Nullable T data) {
        // Without headers a claim check cannot be described: the delegate serializes.
        return delegate.serialize(topic, data);
    }

    @Override
    public byte[] serialize(String topic, @Nullable Headers headers, @Nullable T data) {
        if (data == null || headers == null) {
            return delegate.serialize(topic, headers, data);
        }
        Optional<Offload> offload;
        try {
            offload = claimCheck.offload(data);
        } catch (FastShareException e) {
            throw new SerializationException("fastshare could not offload a " + data.getClass().getName() + ": "
                    + e.getMessage(), e);
        }
        if (offload.isEmpty()) {
            return delegate.serialize(topic, headers, data);
        }
        SendScope.record(claimCheck, offload.get().token());
        offload.get().headers().forEach((name, value) -> {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        });
        return offload.get().token().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
