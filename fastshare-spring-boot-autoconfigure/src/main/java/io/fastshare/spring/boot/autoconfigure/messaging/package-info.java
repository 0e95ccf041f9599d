/**
 * Auto-configuration of the messaging integrations of {@code fastshare-messaging}: a
 * {@link io.fastshare.messaging.ClaimCheck} from the {@code fastshare.messaging.*} properties, and one
 * auto-configuration each for HTTP, RabbitMQ, Kafka and Spring Messaging, active when the matching library
 * is on the class path and switched off by {@code fastshare.messaging.<integration>.enabled=false}.
 */
@NullMarked
package io.fastshare.spring.boot.autoconfigure.messaging;

import org.jspecify.annotations.NullMarked;
