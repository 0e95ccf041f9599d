package io.fastshare.sample.producer;

import io.fastshare.sample.api.HandoffPath;

/**
 * One measured handoff, as seen from both ends.
 *
 * @param path how the payload went
 * @param tokenKind {@code shm} or {@code inline} for the token paths, {@code -} otherwise
 * @param writeNanos producer's {@code write} into shared memory; 0 for the HTTP paths, whose
 *     serialisation is streamed into the request and so part of the consumer's read time
 * @param readNanos consumer's time from the request's arrival until the payload was usable
 * @param verifyNanos consumer's checksum pass
 * @param endToEndNanos producer's wall time from before writing or serialising until the consumer's
 *     answer arrived
 * @param checksumOk whether the consumer saw the right values
 */
public record RoundResult(HandoffPath path, String tokenKind, long writeNanos, long readNanos, long verifyNanos,
        long endToEndNanos, boolean checksumOk) {
}
