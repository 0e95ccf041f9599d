package io.fastshare.sample.rabbit;

import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.OctetHeaders;
import io.fastshare.sample.payload.Embeddings;
import io.fastshare.sample.payload.EmbeddingsFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /demo/rabbit}: sends the batch to the consumer as a RabbitMQ request-reply, through the
 * auto-configured {@code RabbitTemplate} (the starter offloads the floats to shared memory; the message
 * on the broker is the token), and answers with the timings and the size of the message body.
 *
 * <pre>
 * curl -X POST 'http://127.0.0.1:8080/demo/rabbit?size=64MB&amp;rounds=3'
 * </pre>
 */
@RestController
@Profile("producer")
@ConditionalOnBooleanProperty("sample.rabbit")
class RabbitProducer {

    /** Header with the send time (epoch milliseconds). */
    static final String SENT_AT = "X-Sent-At";

    private final RabbitTemplate rabbit;

    RabbitProducer(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    /**
     * Runs the RabbitMQ leg.
     *
     * @param size payload size such as {@code 64MB}
     * @param rounds measured rounds after one warm-up
     * @return one line of results
     * @throws IllegalStateException when the consumer does not answer or a checksum does not match
     */
    @PostMapping(path = "/demo/rabbit", produces = MediaType.TEXT_PLAIN_VALUE)
    String run(@RequestParam(defaultValue = "64MB") String size, @RequestParam(defaultValue = "3") int rounds) {
        Embeddings embeddings = EmbeddingsFactory.ofSize(DataSize.parse(size).toBytes(), 42);
        AtomicInteger bodyBytes = new AtomicInteger();
        List<Long> endToEnd = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
            long start = System.nanoTime();
            HandoffReceipt receipt = rabbit.convertSendAndReceiveAsType("", RabbitLeg.QUEUE, embeddings.vectors(),
                    message -> stamp(message, embeddings, bodyBytes), new ParameterizedTypeReference<HandoffReceipt>() {
                    });
            long nanos = System.nanoTime() - start;
            if (receipt == null || !receipt.checksumOk()) {
                throw new IllegalStateException("RabbitMQ leg: " + (receipt == null ? "no reply from the consumer"
                        : "checksum mismatch"));
            }
            if (round > 0) {
                endToEnd.add(nanos);
            }
        }
        Collections.sort(endToEnd);
        return String.format(Locale.ROOT, "RabbitMQ request-reply, %s float[] through shared memory: message body %d bytes"
                + " on the broker, median end-to-end %.1f ms over %d rounds (min %.1f, max %.1f), checksums ok%n",
                DataSize.ofBytes(embeddings.byteSize()).toMegabytes() + " MiB", bodyBytes.get(),
                endToEnd.get(endToEnd.size() / 2) / 1e6, endToEnd.size(), endToEnd.get(0) / 1e6,
                endToEnd.get(endToEnd.size() - 1) / 1e6);
    }

    private static Message stamp(Message message, Embeddings embeddings, AtomicInteger bodyBytes) {
        message.getMessageProperties().setHeader(OctetHeaders.CHECKSUM, embeddings.meta().checksum());
        message.getMessageProperties().setHeader(SENT_AT, System.currentTimeMillis());
        bodyBytes.set(message.getBody().length);
        return message;
    }
}
