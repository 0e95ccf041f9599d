package io.fastshare.messaging.kafka;

import io.fastshare.messaging.ClaimCheck;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.listener.RecordInterceptor;

import java.util.Objects;

/**
 * Releases the block of a claim-check record once the listener processed it successfully (as the fan-out
 * mode in the record's headers says: never with TTL-only, by the last expected consumer group otherwise).
 * A listener that throws leaves the block, so a redelivered or dead-lettered record still resolves.
 * Applications with a record interceptor of their own combine both with a {@code CompositeRecordInterceptor}.
 *
 * <p>Thread-safe.
 */
public final class FastShareRecordInterceptor implements RecordInterceptor<Object, Object> {

    private final ClaimCheck claimCheck;

    /**
     * Creates the interceptor.
     *
     * @param claimCheck releases blocks
     */
    public FastShareRecordInterceptor(ClaimCheck claimCheck) {
        this.claimCheck = Objects.requireNonNull(claimCheck, "claimCheck");
    }

    @Override
    public @Nullable ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record,
            Consumer<Object, Object> consumer) {
        return record;
    }

    @Override
    public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        claimCheck.processed(KafkaHeaders.reader(record.headers()));
    }
}
