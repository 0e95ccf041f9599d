package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.messaging.FanOut;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The {@code fastshare.messaging.*} properties: the claim-check lifecycle shared by every integration, and
 * per integration a switch and an optional threshold.
 *
 * <p>Mutable and not thread-safe, like every {@code @ConfigurationProperties} class: Spring binds it once at
 * startup.
 */
@ConfigurationProperties("fastshare.messaging")
public class FastShareMessagingProperties {

    /**
     * TTL of every block written for a message or an HTTP body. A message that waits longer (dead-lettered,
     * or its consumer was down) loses its payload; the janitor reclaims the block after it.
     */
    private Duration ttl = Duration.ofMinutes(10);

    /**
     * Who releases the block of a broker message: TTL_ONLY (no consumer releases it, the TTL reclaims it:
     * safe with any number of consumers) or LAST_CONSUMER (the consumer completing expected-consumers
     * releases it).
     */
    private FanOut fanOut = FanOut.TTL_ONLY;

    /** With fan-out LAST_CONSUMER, how many consumers (queues, consumer groups) process each message. */
    private int expectedConsumers = 1;

    /** Size from which a message payload goes to shared memory; unset for the template's fastshare.threshold. */
    private @Nullable DataSize threshold;

    private final Endpoint http = new Endpoint();

    private final Endpoint amqp = new Endpoint();

    private final Endpoint kafka = new Endpoint();

    private final Endpoint springMessaging = new Endpoint();

    /**
     * Returns the messaging TTL.
     *
     * @return the TTL
     */
    public Duration getTtl() {
        return ttl;
    }

    /**
     * Sets the messaging TTL.
     *
     * @param ttl a positive duration
     */
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    /**
     * Returns the fan-out mode.
     *
     * @return the mode
     */
    public FanOut getFanOut() {
        return fanOut;
    }

    /**
     * Sets the fan-out mode.
     *
     * @param fanOut the mode
     */
    public void setFanOut(FanOut fanOut) {
        this.fanOut = fanOut;
    }

    /**
     * Returns the expected consumer count.
     *
     * @return consumers per message
     */
    public int getExpectedConsumers() {
        return expectedConsumers;
    }

    /**
     * Sets the expected consumer count.
     *
     * @param expectedConsumers consumers per message, at least 1
     */
    public void setExpectedConsumers(int expectedConsumers) {
        this.expectedConsumers = expectedConsumers;
    }

    /**
     * Returns the messaging threshold.
     *
     * @return the threshold, or null for the template's
     */
    public @Nullable DataSize getThreshold() {
        return threshold;
    }

    /**
     * Sets the messaging threshold.
     *
     * @param threshold the threshold, or null for the template's
     */
    public void setThreshold(@Nullable DataSize threshold) {
        this.threshold = threshold;
    }

    /**
     * Returns the HTTP settings.
     *
     * @return settings of the HTTP converter
     */
    public Endpoint getHttp() {
        return http;
    }

    /**
     * Returns the RabbitMQ settings.
     *
     * @return settings of the Spring AMQP converter
     */
    public Endpoint getAmqp() {
        return amqp;
    }

    /**
     * Returns the Kafka settings.
     *
     * @return settings of the Kafka serializer and deserializer
     */
    public Endpoint getKafka() {
        return kafka;
    }

    /**
     * Returns the Spring Messaging settings.
     *
     * @return settings of the spring-messaging converter
     */
    public Endpoint getSpringMessaging() {
        return springMessaging;
    }

    /** Settings of one integration. Mutable, bound once at startup. */
    public static class Endpoint {

        /** Whether to auto-configure this integration when its library is on the class path. */
        private boolean enabled = true;

        /** Size from which a payload of this integration goes to shared memory; unset for fastshare.messaging.threshold. */
        private @Nullable DataSize threshold;

        /**
         * Tells whether the integration is enabled.
         *
         * @return true when enabled
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Enables or disables the integration.
         *
         * @param enabled whether to enable it
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Returns this integration's threshold.
         *
         * @return the threshold, or null for the messaging threshold
         */
        public @Nullable DataSize getThreshold() {
            return threshold;
        }

        /**
         * Sets this integration's threshold.
         *
         * @param threshold the threshold, or null for the messaging threshold
         */
        public void setThreshold(@Nullable DataSize threshold) {
            this.threshold = threshold;
        }
    }
}
