package io.fastshare.sample.api;

/**
 * The ways the producer hands the same payload to the consumer, and the consumer endpoint of each.
 */
public enum HandoffPath {

    /**
     * Payload written to shared memory by the starter's HTTP converter; the token travels as the
     * {@code application/vnd.fastshare.token} body; the consumer's converter hands over a heap copy.
     */
    TOKEN_TAKE("fastshare token, take()", "/handoff/token"),

    /** As {@link #TOKEN_TAKE}, but the consumer declares a {@code SharedPayload}: a zero-copy view, closed after the request. */
    TOKEN_VIEW("fastshare token, open() view", "/handoff/token/view"),

    /** The usual way: the raw little-endian bytes as an {@code application/octet-stream} body. */
    OCTET_STREAM("HTTP octet-stream body", "/handoff/octet"),

    /** The most usual way: the payload as a JSON document, vectors as a JSON array of numbers. */
    JSON("HTTP JSON body", "/handoff/json"),

    /** The optional RabbitMQ leg: a request-reply whose message is the token (not part of {@code /demo/run}). */
    RABBITMQ("RabbitMQ message, token", "amqp:fastshare-demo");

    private final String label;
    private final String endpoint;

    HandoffPath(String label, String endpoint) {
        this.label = label;
        this.endpoint = endpoint;
    }

    /**
     * Returns the human-readable name used in the results table.
     *
     * @return label
     */
    public String label() {
        return label;
    }

    /**
     * Returns the consumer's endpoint for this path.
     *
     * @return path below the consumer's base URL
     */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Tells whether the payload itself goes through shared memory.
     *
     * @return true for the token paths
     */
    public boolean viaSharedMemory() {
        return this == TOKEN_TAKE || this == TOKEN_VIEW;
    }
}
