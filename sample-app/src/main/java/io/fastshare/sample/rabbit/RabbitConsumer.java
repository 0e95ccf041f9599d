package io.fastshare.sample.rabbit;

import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.payload.Checksum;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * The consumer's RabbitMQ listener: an ordinary {@code @RabbitListener} with a {@code float[]} parameter.
 * The starter's converter resolves the token message from shared memory and, once the listener returned,
 * releases the block. The returned receipt is the reply. Thread-safe (stateless).
 */
@Component
@Profile("consumer")
@ConditionalOnBooleanProperty("sample.rabbit")
class RabbitConsumer {

    @RabbitListener(queues = RabbitLeg.QUEUE)
    HandoffReceipt receive(float[] vectors, @Header(OctetHeaders.CHECKSUM) long checksum,
            @Header(RabbitProducer.SENT_AT) long sentAt) {
        long start = System.nanoTime();
        boolean ok = Checksum.of(vectors) == checksum;
        long verifyNanos = System.nanoTime() - start;
        // Both services run on one host: System.nanoTime() of the producer is not comparable across JVMs,
        // so the read time is measured from the epoch clock the producer stamped.
        long readNanos = Math.max(0, (System.currentTimeMillis() - sentAt) * 1_000_000);
        return new HandoffReceipt(HandoffPath.RABBITMQ, 4L * vectors.length, readNanos, verifyNanos, ok);
    }
}
