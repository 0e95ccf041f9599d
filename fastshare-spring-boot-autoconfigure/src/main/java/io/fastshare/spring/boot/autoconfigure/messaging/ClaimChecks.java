package io.fastshare.spring.boot.autoconfigure.messaging;

import io.fastshare.SharedMemoryTemplate;
import io.fastshare.messaging.ClaimCheck;
import io.fastshare.messaging.MessagingOptions;
import io.fastshare.spring.boot.autoconfigure.InvalidFastSharePropertyException;
import org.springframework.util.unit.DataSize;

/**
 * Builds {@link ClaimCheck}s from the {@code fastshare.messaging.*} properties: the shared one, and one per
 * integration with that integration's threshold. Thread-safe (stateless).
 */
final class ClaimChecks {

    private ClaimChecks() {
    }

    /**
     * Creates the application's claim check.
     *
     * @param template the template
     * @param properties bound properties
     * @return the claim check
     * @throws InvalidFastSharePropertyException when the TTL is not positive or expected consumers is below 1
     */
    static ClaimCheck create(SharedMemoryTemplate template, FastShareMessagingProperties properties) {
        if (properties.getTtl().isZero() || properties.getTtl().isNegative()) {
            throw new InvalidFastSharePropertyException("fastshare.messaging.ttl", properties.getTtl(),
                    "the messaging TTL must be positive", "set it to how long a message may wait for its consumer, "
                    + "for example 10m", null);
        }
        if (properties.getExpectedConsumers() < 1) {
            throw new InvalidFastSharePropertyException("fastshare.messaging.expected-consumers",
                    properties.getExpectedConsumers(), "at least one consumer processes each message",
                    "set it to the number of queues or consumer groups that receive each message", null);
        }
        DataSize threshold = properties.getThreshold();
        return new ClaimCheck(template, new MessagingOptions(properties.getTtl(), properties.getFanOut(),
                properties.getExpectedConsumers(), threshold == null ? null : threshold.toBytes()));
    }

    /**
     * Returns the claim check of one integration: the application's, with the integration's threshold when
     * it has one.
     *
     * @param claimCheck the application's claim check
     * @param endpoint the integration's properties
     * @return the claim check to use
     */
    static ClaimCheck forEndpoint(ClaimCheck claimCheck, FastShareMessagingProperties.Endpoint endpoint) {
        DataSize threshold = endpoint.getThreshold();
        return threshold == null ? claimCheck : claimCheck.with(claimCheck.options().withThreshold(threshold.toBytes()));
    }
}
