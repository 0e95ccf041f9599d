package io.fastshare.sample.api;

/**
 * The consumer's answer to a handoff, with its own timings.
 *
 * @param path how the payload came
 * @param bytes size of the float data received
 * @param readNanos from the request's arrival at the consumer until the payload was usable, including
 *     the body transfer for the HTTP paths and the release of the block for the token paths
 * @param verifyNanos time spent recomputing the checksum over all floats
 * @param checksumOk whether the recomputed checksum matched the producer's
 */
public record HandoffReceipt(HandoffPath path, long bytes, long readNanos, long verifyNanos, boolean checksumOk) {
}
