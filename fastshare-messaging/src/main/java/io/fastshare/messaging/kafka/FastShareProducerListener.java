package io.fastshare.messaging.kafka;

import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.FastShareHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.support.ProducerListener;

import java.util.Objects;

/**
 * Releases the block of a claim-check record whose send failed (the broker rejected it, or it timed out),
 * then passes every event on to the application's producer listener.
 *
 * <p>Thread-safe when the delegate is.
 */
public final class FastShareProducerListener implements ProducerListener<Object, Object> {

    private final ClaimCheck claimCheck;
    private final @Nullable ProducerListener<Object, Object> delegate;

    /**
     * Creates the listener.
     *
     * @param claimCheck releases blocks
     * @param delegate the application's listener (Spring Boot's logging one by default), or null
     */
    public FastShareProducerListener(ClaimCheck claimCheck, @Nullable ProducerListener<Object, Object> delegate) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
        this.delegate = delegate;
    }

    @Override
    public void onSuccess(ProducerRecord<Object, Object> record, RecordMetadata metadata) {
        if (delegate != null) {
            delegate.onSuccess(record, metadata);
        }
    }

    @Override
    public void onError(ProducerRecord<Object, Object> record, @Nullable RecordMetadata metadata,
            Exception exception) {
        String token = KafkaHeaders.reader(record.headers()).apply(FastShareHeaders.TOKEN);
        if (token != null) {
            claimCheck.sendFailed(token);
        }
        if (delegate != null) {
            delegate.onError(record, metadata, exception);
        }
    }
}
