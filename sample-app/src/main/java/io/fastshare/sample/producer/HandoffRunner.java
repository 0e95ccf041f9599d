package io.fastshare.sample.producer;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.api.TokenHandoff;
import io.fastshare.sample.payload.Embeddings;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Performs one handoff of a batch to the consumer by a given path and times it. Thread-safe.
 */
@Component
@Profile("producer")
class HandoffRunner {

    private final SharedMemoryTemplate template;
    private final ConsumerClient consumer;

    HandoffRunner(SharedMemoryTemplate template, ConsumerClient consumer) {
        this.template = template;
        this.consumer = consumer;
    }

    /**
     * Hands the batch over once.
     *
     * @param path the way to send it
     * @param embeddings the batch
     * @return timings from both ends
     * @throws io.fastshare.FastShareException when shared memory cannot take the payload
     * @throws org.springframework.web.client.RestClientException when the consumer call fails
     */
    RoundResult handOver(HandoffPath path, Embeddings embeddings) {
        long start = System.nanoTime();
        if (path.viaSharedMemory()) {
            String token = template.write(embeddings.vectors());
            long writeNanos = System.nanoTime() - start;
            HandoffReceipt receipt;
            try {
                receipt = consumer.sendToken(path, new TokenHandoff(token, embeddings.meta()));
            } catch (RuntimeException e) {
                // The consumer may not have got to the block: free it now rather than after the TTL.
                template.release(token);
                throw e;
            }
            String kind = token.startsWith("FSHR:inl:") ? "inline" : "shm";
            return result(path, kind, writeNanos, receipt, System.nanoTime() - start);
        }
        HandoffReceipt receipt = path == HandoffPath.JSON
                ? consumer.sendJson(embeddings)
                : consumer.sendOctetStream(embeddings);
        return result(path, "-", 0, receipt, System.nanoTime() - start);
    }

    private static RoundResult result(HandoffPath path, String kind, long writeNanos, HandoffReceipt receipt,
            long endToEnd) {
        return new RoundResult(path, kind, writeNanos, receipt.readNanos(), receipt.verifyNanos(), endToEnd,
                receipt.checksumOk());
    }
}
