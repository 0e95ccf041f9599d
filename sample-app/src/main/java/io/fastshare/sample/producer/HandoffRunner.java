package io.fastshare.sample.producer;

import io.fastshare.TransferPath;
import io.fastshare.sample.api.HandoffPath;
import io.fastshare.sample.api.HandoffReceipt;
import io.fastshare.sample.payload.Embeddings;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Performs one handoff of a batch to the consumer by a given path and times it. Thread-safe.
 */
@Component
@Profile("producer")
class HandoffRunner {

    private final WriteTimer writes;
    private final ConsumerClient consumer;

    HandoffRunner(WriteTimer writes, ConsumerClient consumer) {
        this.writes = writes;
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
            writes.take();
            // The starter's converter writes the floats to shared memory and sends the token; the consumer's
            // converter resolves it; both sides release the block when the exchange is over.
            HandoffReceipt receipt = consumer.sendToken(path, embeddings);
            long endToEnd = System.nanoTime() - start;
            WriteTimer.Write write = writes.take();
            String kind = write == null ? "?" : write.path() == TransferPath.SHM ? "shm" : "inline";
            return result(path, kind, write == null ? 0 : write.nanos(), receipt, endToEnd);
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
