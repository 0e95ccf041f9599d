package io.fastshare.messaging;

/**
 * Names of the message headers a claim-check message carries. Every integration uses the same names, so
 * a message keeps its meaning when it crosses from one transport to another (a Spring Integration bridge
 * from RabbitMQ to Kafka, for example).
 *
 * <p>Thread-safe (constants only).
 */
public final class FastShareHeaders {

    /** The content type of a claim-check message body, which is the token: {@code application/vnd.fastshare.token}. */
    public static final String CONTENT_TYPE = "application/vnd.fastshare.token";

    /** The fastshare token of the payload; its presence marks a claim-check message. */
    public static final String TOKEN = "fastshare-token";

    /** The class name of the payload the producer wrote, for diagnostics and untyped consumers. */
    public static final String PAYLOAD_TYPE = "fastshare-payload-type";

    /**
     * The producer's block directory: host boot id, device and inode of the directory, and its path; lets a
     * consumer on another host or with another directory say so instead of reporting a bare not-found.
     */
    public static final String DIRECTORY = "fastshare-directory";

    /** When the block's TTL ends, in milliseconds since the epoch; absent when the block has no TTL. */
    public static final String EXPIRES_AT = "fastshare-expires-at";

    /**
     * How many consumers must process the message before the last one releases the block; {@code 0} means
     * no consumer releases it and the TTL reclaims it (fan-out mode {@link FanOut#TTL_ONLY}).
     */
    public static final String EXPECTED_CONSUMERS = "fastshare-expected-consumers";

    private FastShareHeaders() {
    }
}
