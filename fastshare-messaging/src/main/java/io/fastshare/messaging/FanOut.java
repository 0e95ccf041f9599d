package io.fastshare.messaging;

/**
 * Who releases the block of a message that several consumers may receive (several queues bound to one
 * exchange, several Kafka consumer groups).
 */
public enum FanOut {

    /**
     * No consumer releases the block; the janitor reclaims it when the messaging TTL has passed. Never
     * loses a payload that a broker would still deliver, at the cost of holding the memory for the TTL.
     * The default.
     */
    TTL_ONLY,

    /**
     * Each consumer that processed the message successfully counts itself in; the one that completes the
     * expected number of consumers releases the block. Frees memory as soon as possible, but a consumer
     * beyond the expected number (or a duplicate delivery after success) finds the payload gone.
     */
    LAST_CONSUMER
}
